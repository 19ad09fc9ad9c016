"""Loaders: every format gives the same paragraphs and tables; encodings, artefacts, chrome, merges."""

from __future__ import annotations

import codecs
import re

import pytest
from conftest import SEED, needs_shared, real
from hypothesis import given, settings
from hypothesis import strategies as st
from support import synth

from textmine.document import Paragraph, Table
from textmine.errors import TextmineError
from textmine.loaders import load_bytes, load_document
from textmine.loaders.text import decode, parse_text

FORMATS = ["txt", "md", "html", "docx", "pdf"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_paragraphs_and_tables(fmt):
    r = synth.default_report()
    doc = load_bytes(synth.render(r, fmt), fmt, f"report.{fmt}")
    paras = [b.text for b in doc.blocks if isinstance(b, Paragraph)]
    assert paras == synth.paragraphs_of(r)
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert len(tables) == 2
    # Row labels and numbers survive in every rendering (merged title cells may repeat).
    assert [r[0] for r in tables[0].rows[1:]] == ["信息内容", "规章", "行政规范性文件"]
    assert list(tables[0].rows[-1]) == ["行政规范性文件", "3", "1", "12"]
    assert list(tables[1].rows[1]) == ["一、本年新收政府信息公开申请数量", "8", "1", "0", "0", "0", "0", "9"]


@pytest.mark.parametrize("enc", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_encodings_are_detected(enc):
    text = synth.to_text(synth.default_report())
    data = text.encode(enc)
    if enc == "utf-16":
        assert data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    doc = load_bytes(data, "txt", "r.txt")
    assert doc.blocks[0].text == synth.default_report().title
    assert doc.tables[0].rows[-1] == ("行政规范性文件", "3", "1", "12")


def test_html_declared_gbk_charset_is_honoured():
    html = synth.to_html(synth.default_report(), charset="gbk").encode("gbk")
    doc = load_bytes(html, "html", "r.html")
    assert doc.blocks[0].text.startswith("青松县数据资源管理局")


def test_word_artefacts_and_page_numbers_are_removed():
    text = "[bookmark: _GoBack]一、总体情况\n- 2 -\n本年度工作平稳推进。[bookmark: _Hlk1]\n3\n"
    doc = parse_text(text)
    assert [b.text for b in doc.blocks] == ["一、总体情况", "本年度工作平稳推进。"]


def test_flattened_table_cell_wrapped_onto_next_line():
    text = "表格\n\t1.要求行政机关确认或重新\n出具已获取信息\n\t0\n\t1\n\n\t3.其他\n\t2\n\t0\n\n正文继续。\n"
    doc = parse_text(text)
    assert doc.tables[0].rows == (("1.要求行政机关确认或重新出具已获取信息", "0", "1"), ("3.其他", "2", "0"))
    assert doc.blocks[-1].text == "正文继续。"


def test_html_chrome_is_dropped_and_rowspan_expanded():
    html = """<html><body><div class="nav">首页 政务公开 一、总体情况 依申请 行政复议</div>
    <div class="main"><p>一、总体情况</p><p>正文。</p><p>二、主动公开政府信息情况</p><p>三、收到和处理政府信息公开申请情况</p>
    <p>四、政府信息公开行政复议、行政诉讼情况</p><p>五、存在的主要问题及改进情况</p>
    <table><tr><td rowspan="2">三、本年度办理结果</td><td colspan="2">（一）予以公开</td><td>5</td></tr>
    <tr><td>（三）不予公开</td><td>1.属于国家秘密</td><td>0</td></tr></table></div>
    <div class="footer">版权所有</div><script>var a="一、总体情况";</script></body></html>"""
    doc = load_bytes(html.encode(), "html", "x.html")
    texts = [b.text for b in doc.paragraphs]
    assert "版权所有" not in texts and texts[0] == "一、总体情况"
    assert doc.tables[0].rows == (
        ("三、本年度办理结果", "（一）予以公开", "（一）予以公开", "5"),
        ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密", "0"),
    )


def test_docx_merged_cells_are_resolved():
    r = synth.default_report()
    doc = load_bytes(synth.to_docx(r, merge_first_row=True), "docx", "r.docx")
    # A horizontally merged title cell is repeated across the grid, as HTML colspan is.
    assert doc.tables[0].rows[0] == ("第二十条第（一）项",) * 4


def test_pdf_wraps_page_numbers_and_running_headers():
    r = synth.default_report()
    # A long paragraph forces several wrapped lines and a second page.
    r.sections[0][1].extend(["本局持续完善公开目录，" * 12 + "完成年度任务。"] * 6)
    doc = load_bytes(synth.to_pdf(r), "pdf", "r.pdf")
    texts = [b.text for b in doc.paragraphs]
    assert texts.count("本局持续完善公开目录，" * 12 + "完成年度任务。") == 6
    assert not any(t.startswith("青松县数据资源管理局政务公开") for t in texts)  # running header
    assert not any(t.strip("- ").isdigit() for t in texts)  # page numbers


def test_raw_text_is_accepted():
    doc = load_document("一、总体情况\n今年工作有序。\n")
    assert doc.format == "text" and doc.blocks[1].text == "今年工作有序。"


@pytest.mark.parametrize(
    "fmt,data,reason",
    [
        ("txt", b"", "empty"),
        ("txt", bytes(range(256)) * 4, "binary"),
        ("docx", b"PK\x03\x04truncated", "zip"),
        ("pdf", b"%PDF-1.4 broken", "PDF"),
        ("pdf", b"not a pdf at all", "PDF"),
    ],
)
def test_bad_bytes_raise_textmine_error(fmt, data, reason):
    with pytest.raises(TextmineError) as err:
        load_bytes(data, fmt, f"bad.{fmt}")
    assert reason.lower() in str(err.value).lower()


def test_non_docx_zip(tmp_path):
    import zipfile

    p = tmp_path / "x.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(TextmineError, match="no word/document.xml"):
        load_document(p)


def test_scanned_pdf_without_text_layer():
    import io

    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(100, 100, 200, 200, fill=1)
    c.showPage()
    c.save()
    with pytest.raises(TextmineError, match="no text layer"):
        load_bytes(buf.getvalue(), "pdf", "scan.pdf")


def test_decode_rejects_text_in_no_chinese_encoding():
    with pytest.raises(TextmineError, match="cannot decode"):
        decode(b"caf\xe9 na\xefve r\xe9sum\xe9 " * 10, "latin1.txt")


# --- real files ------------------------------------------------------------------------------------

@needs_shared
def test_seed_flattened_tables():
    doc = load_document(SEED)
    assert len(doc.tables) == 3
    requests = doc.tables[1]
    assert ("一、本年新收政府信息公开申请数量", "23", "4", "0", "0", "0", "0", "27") == requests.rows[3][:8]
    assert not any("[bookmark" in b.text for b in doc.blocks)


@needs_shared
def test_real_pdf_tables_and_paragraphs():
    doc = load_document(real("huaian-city-gov_2024"))
    texts = [b.text for b in doc.paragraphs]
    assert "一、总体情况" in texts and "五、存在的主要问题及改进情况" in texts
    assert not any(t.startswith("- ") for t in texts)
    # A wrapped paragraph is one block, without spaces between Chinese characters.
    assert any(t.startswith("对照上级新要求和公众新期待，还有一些需要加强和改进的地方。主要表现在") for t in texts)
    assert any(row[-1] == "3119" for t in doc.tables for row in t.rows)


@needs_shared
def test_real_pdf_frame_does_not_swallow_text():
    doc = load_document(real("hongze-district-gov_2023"))
    texts = [b.text for b in doc.paragraphs]
    assert "二、主动公开政府信息情况" in texts


@needs_shared
def test_real_html_body_found():
    doc = load_document(real("shuyang-county-fgj_2023"))
    assert doc.extra["发布机构"] == "沭阳县发展和改革局"
    assert doc.paragraphs[0].text.startswith("根据《中华人民共和国政府信息公开条例》")
    assert len(doc.tables) == 3


def test_anywhere_words_must_cover_every_markup_pattern(monkeypatch):
    from textmine import TextmineError
    from textmine.loaders import crawl
    from textmine.resources import load_yaml

    cfg = load_yaml("crawl.yaml")
    body = "一、总体情况 本年度 .MsoNormal {font-size:10pt} 工作 <!-- x --> 正常"
    assert crawl.strip_chrome(body).split() == ["一、总体情况", "本年度", "工作", "正常"]
    broken = {**cfg, "anywhere": [*cfg["anywhere"], "xmlns:o"]}
    monkeypatch.setattr(crawl, "load_yaml", lambda name: broken)
    crawl._rules.cache_clear()
    try:
        with pytest.raises(TextmineError, match="names none of anywhere_words"):
            crawl._rules()
    finally:
        monkeypatch.undo()
        crawl._rules.cache_clear()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=list("一二十是（）()、．.。！？；!? \u3000情况问题措施事项概述年0125ab"), max_size=40))
def test_runon_breaks_are_the_pattern_split(line: str) -> None:
    from textmine.loaders.text import _RUNON_BREAK, _runon_breaks

    assert _runon_breaks(line) == _RUNON_BREAK.split(line)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"]),
                        max_size=40) | st.sampled_from(["", "予以公开", "（七）总计", "ａｂｃ１２", "한국어", "😀中"]),
                max_size=12),
       st.text(alphabet="\ud800\udfff a中", max_size=6))
def test_line_widths_in_one_pass_are_each_lines_width(lines: list[str], odd: str) -> None:
    # The loaders measure every line at once (numpy over the code points); the definition is per line,
    # per character: East Asian wide and full-width characters count two. Lone surrogates come from
    # undecodable bytes kept by an error handler.
    from textmine.textutil import display_width, display_widths

    lines = [*lines, odd]
    assert display_widths(lines) == [display_width(x) for x in lines]
    assert display_widths([]) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=["Cs"]))
       | st.text(alphabet="ＡＺａｚ０９！～｟＀，：；（）\u3000\ud800\udfff中a1 ", min_size=100, max_size=600),
       st.integers(0, 3))
def test_full_width_folding_is_the_translate_table(text: str, repeat: int) -> None:
    # Long texts are folded by one numpy pass over the code points; the definition is the table
    # (NFKC on U+FF01..U+FF5E). Repeating crosses the short/long and cached/uncached lengths.
    from textmine.textutil import _HALFWIDTH, to_halfwidth

    text = text * (repeat * 60 + 1) if len(text) < 10 else text * (repeat + 1)
    assert to_halfwidth(text) == text.translate(_HALFWIDTH)


_SKIP_PATTERNS = [
    "公开(?:数量)?(?:偏少|较少)|(?:补充|全面)公开|查漏",  # alternation of groups, optional part
    "(?<=[，。])不(?:及时|到位)",  # lookbehind before the first character
    "(?<!未)公开(?=情况)",  # negative lookbehind, lookahead after
    "^一是|；二是",  # anchor
    "x{0,2}(?:ab|c[d-f])+",  # optional first item, range, repeat
    r"\b[a-c]+\d?",  # word boundary, then a class
    "(?:a|b?)c",  # a branch that can be empty
    "平台(?:[^，。]{0,6})不足",  # negated class after the first character
]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_SKIP_PATTERNS), st.text(alphabet="公开数量偏少较全面补充查漏，。不及时到位未情况一是二；xabcdef1 \n", max_size=40))
def test_a_search_tried_where_the_pattern_can_start_finds_the_same_match(pattern: str, text: str) -> None:
    from textmine.textutil import skipping

    fast = skipping(pattern)
    assert fast is not None
    want, got = re.search(pattern, text), fast.search(text)
    assert (got is None) == (want is None)
    if want is not None:
        assert got.span(1) == want.span() and got.group(1) == want.group()


@pytest.mark.parametrize("pattern", [r"\w+公开", "[^，]公开", ".公开", "(?i)ab", "(a)b\\1", "(?P<x>a)(?(x)b|c)", "a?",
                                     "(?i:a)b", "x*", "(?s)a.b"])
def test_no_skipping_where_the_first_characters_are_not_a_known_short_list(pattern: str) -> None:
    from textmine.textutil import skipping

    assert skipping(pattern) is None
