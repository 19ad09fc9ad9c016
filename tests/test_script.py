"""Traditional-script reports (textmine.script): detection, conversion at load, the way back.

Every traditional copy is made on the fly from a simplified report with OpenCC s2t
(tests/traditional.py) and must parse like the clean version: same section keys, table cells,
meta and statements; the simplified reports themselves must pass through untouched.
"""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from conftest import ROOT, SEED, SHARED
from support import synth
from support.traditional import to_traditional, traditional_bytes, write_traditional

import textmine
from textmine import script
from textmine.document import Document, Paragraph, Table
from textmine.loaders import load_bytes, load_document
from textmine.report import parse_document

CORPUS = ROOT / "corpus"
CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in {".txt", ".html", ".docx"})
REAL_DEV = sorted(glob.glob(str(SHARED / "real-dev" / "*.txt")))
needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the seed lives in ../shared")
META = ("agency", "year", "published", "template", "region", "title")


def assert_same_report(clean: textmine.Report, trad: textmine.Report) -> None:
    assert clean.meta["script"] == "simplified"
    assert trad.meta["script"] == "traditional"
    assert list(trad.sections) == list(clean.sections)
    assert trad.tables == clean.tables
    assert {k: trad.meta[k] for k in META} == {k: clean.meta[k] for k in META}
    assert [s.role for s in trad.statements] == [s.role for s in clean.statements]
    # Every statement can be shown as printed, in traditional script.
    for st in trad.statements:
        assert st.original_text, st.text
        assert script.to_simplified(st.original_text).replace(" ", "") == st.text.replace(" ", "")


@needs_seed
def test_seed_in_traditional_script_parses_like_the_seed(tmp_path: Path) -> None:
    clean = textmine.load_report(SEED, themes=False)
    trad = textmine.load_report(write_traditional(SEED, tmp_path), themes=False)
    assert_same_report(clean, trad)
    assert trad.meta["agency"] and not script.is_traditional(trad.meta["agency"] * 3)
    assert [s.text for s in trad.statements] == [s.text for s in clean.statements]


@pytest.mark.parametrize("name", CORPUS_FILES)
def test_sample_corpus_in_traditional_script(name: str, tmp_path: Path) -> None:
    clean = textmine.load_report(CORPUS / name, themes=False)
    trad = textmine.load_report(write_traditional(CORPUS / name, tmp_path), themes=False)
    assert_same_report(clean, trad)


@pytest.mark.parametrize("config", ["s2tw", "s2hk"])
def test_taiwan_and_hong_kong_forms(config: str) -> None:
    text = synth.render(synth.default_report(), "txt").decode("utf-8")
    assert_same_report(textmine.load_report(text, themes=False),
                       textmine.load_report(to_traditional(text, config), themes=False))


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx"])
def test_synthetic_report_every_format(fmt: str) -> None:
    data = synth.render(synth.default_report(), fmt)
    clean = parse_document(load_bytes(data, fmt), themes=False)
    trad_doc = load_bytes(traditional_bytes(data, fmt), fmt)
    assert trad_doc.extra["script"] == "traditional"
    assert trad_doc.original is not None and "數據資源" in trad_doc.original.original
    assert_same_report(clean, parse_document(trad_doc, themes=False))


def test_simplified_text_is_unchanged_and_not_flagged() -> None:
    text = synth.render(synth.default_report(), "txt").decode("utf-8")
    doc = load_document(text)
    assert "script" not in doc.extra and doc.original is None
    assert doc.text == load_document(text).text
    blocks = [Paragraph("政府信息公开条例"), Table((("类别", "数量"), ("行政复议", "0")))]
    doc = Document(list(blocks))
    assert script.normalize_document(doc) is doc
    assert doc.blocks == blocks and all(a is b for a, b in zip(doc.blocks, blocks))
    assert not script.is_traditional(text) and script.traditional_ratio(text) == 0.0


def _simplified_reports() -> list[Path]:
    paths = [CORPUS / n for n in CORPUS_FILES] + [Path(p) for p in REAL_DEV]
    return paths + ([SEED] if SEED.exists() else [])


def test_no_simplified_report_is_flagged() -> None:
    """Seed, sample corpus (txt, html, docx) and ../shared/real-dev: never traditional, text identical."""
    from textmine.loaders import FORMATS, LOADERS

    for path in _simplified_reports():
        fmt = FORMATS[path.suffix]
        raw = LOADERS[fmt].loader()(str(path), path.read_bytes())  # what the loader printed, before the script step
        before = raw.text
        doc = load_document(path)
        assert "script" not in doc.extra, path.name
        assert script.traditional_ratio(before) < script.THRESHOLD / 8, path.name
        assert doc.text == before, path.name


def test_traditional_ratio_is_well_above_the_threshold() -> None:
    text = to_traditional(synth.render(synth.default_report(), "txt").decode("utf-8"))
    assert script.traditional_ratio(text) > 2 * script.THRESHOLD


def test_government_vocabulary() -> None:
    pairs = {"政府資訊公開": "政府信息公开", "政府信息公開": "政府信息公开", "條例": "条例", "行政複議": "行政复议",
             "行政訴訟": "行政诉讼", "依申請公開": "依申请公开", "答覆": "答复", "國務院辦公廳": "国务院办公厅"}
    for trad, simp in pairs.items():
        assert script.to_simplified(trad) == simp


def test_pinyin_annotations_are_stripped_in_both_scripts() -> None:
    assert script.strip_pinyin("深入推进乡村振（zhèn）兴") == "深入推进乡村振兴"
    assert script.strip_pinyin("埇(yǒng)桥区、亳（bó）州市") == "埇桥区、亳州市"
    assert script.strip_pinyin("鄉村振(zhèn)興") == "鄉村振興"
    # Not pinyin: no tone mark, or not after a CJK character.
    for keep in ("报告（PDF）", "附件(a)", "the word (zhèn) alone", "数据(2023年)"):
        assert script.strip_pinyin(keep) == keep
    out, offsets = script.convert("乡村振（zhèn）兴", traditional=False)
    assert out == "乡村振兴" and offsets == [0, 1, 2, 9, 10]


def test_pinyin_in_a_simplified_report_is_stripped_at_load() -> None:
    text = synth.render(synth.default_report(), "txt").decode("utf-8")
    text = text.replace("稳步推进", "稳步推（tuī）进")
    doc = load_document(text)
    assert "推（tuī）" not in doc.text and "稳步推进" in doc.text
    assert "script" not in doc.extra and doc.original is not None
    assert doc.original.original_of("稳步推进") == "稳步推（tuī）进"


def test_original_text_map_for_a_statement_span() -> None:
    trad_text = to_traditional(synth.render(synth.default_report(), "txt").decode("utf-8"))
    report = textmine.load_report(trad_text, themes=False)
    orig = report.document.original
    assert orig is not None
    st = report.statements[0]
    assert st.original_text == to_traditional(st.text)
    assert st.to_dict()["original_text"] == st.original_text
    # Block-level spans: the heading as printed.
    block = next(b for b in report.document.paragraphs if "政府信息公开行政复议" in b.text)
    i = block.text.index("行政复议")
    assert orig.original_span(block.text, i, i + 4) == "行政複議"


def test_length_changing_conversion_keeps_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    """t2s can in principle change length (phrase entries); the map then aligns on unchanged text."""

    class Fake:
        def convert(self, s: str) -> str:
            return s.replace("二噁英", "二英").replace("這", "这")

    monkeypatch.setattr(script, "_converter", lambda: Fake())
    out, offsets = script.convert("這是二噁英檢測", traditional=True)
    assert out == "这是二英檢測" and offsets is not None and len(offsets) == len(out) + 1
    text = script.OriginalText("traditional", out, "這是二噁英檢測", offsets)
    assert text.original_of("这是") == "這是"
    assert text.original_of("檢測") == "檢測"


def test_shipped_character_list_is_current() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_t2s_chars", ROOT / "scripts" / "gen_t2s_chars.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert set(gen.changed_chars()) == script._changed_chars(), "run python scripts/gen_t2s_chars.py"


REAL_FILES = sorted(p.name for p in (SHARED / "real").glob("*") if p.suffix in {".md", ".html"})


@pytest.mark.parametrize("name", REAL_FILES)
def test_real_reports_in_traditional_script(name: str, tmp_path: Path) -> None:
    """The real md and html reports of ../shared/real (skipped without it)."""
    src = SHARED / "real" / name
    clean = textmine.load_report(src, themes=False)
    assert_same_report(clean, textmine.load_report(write_traditional(src, tmp_path), themes=False))


def test_big5_html_with_declared_charset() -> None:
    """A traditional page as such sites serve it: Big5 bytes (Taiwan forms: 為, not 爲), charset declared."""
    r = synth.default_report()
    clean = parse_document(load_bytes(synth.render(r, "html"), "html"), themes=False)
    data = to_traditional(synth.to_html(r, charset="big5"), "s2tw").encode("big5")
    assert_same_report(clean, parse_document(load_bytes(data, "html"), themes=False))


def test_pdf_blocks_are_converted_after_loading() -> None:
    """PDF is not re-read from a simplified copy: its blocks are converted after loading."""
    r = synth.default_report()

    def trad(x):
        return to_traditional(x) if isinstance(x, str) else ("table", [[to_traditional(c) for c in row] for row in x[1]])

    t = synth.SynthReport(title=to_traditional(r.title), preamble=to_traditional(r.preamble),
                          sections=[(to_traditional(h), [trad(x) for x in sec]) for h, sec in r.sections],
                          signature=to_traditional(r.signature), date=r.date)
    clean = parse_document(load_bytes(synth.to_pdf(r), "pdf"), themes=False)
    trad_doc = load_bytes(synth.to_pdf(t, header=to_traditional("青松县数据资源管理局政务公开")), "pdf")
    assert_same_report(clean, parse_document(trad_doc, themes=False))
