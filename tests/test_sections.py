"""Section segmentation: heading variants, split and lost headings, front and back matter, real files."""

from __future__ import annotations

import pytest
from conftest import SEED, needs_shared, real
from hypothesis import given, settings
from hypothesis import strategies as st
from support import synth

from textmine.loaders import load_bytes, load_document
from textmine.loaders.text import parse_text
from textmine.sections import segment, split_numbering

ALL = ["overview", "proactive", "requests", "appeals", "problems", "other"]


def seg_of(headings: dict[str, str], fmt: str = "txt"):
    r = synth.default_report(headings)
    data = synth.to_text(r).encode() if fmt == "txt" else synth.to_docx(r)
    return segment(load_bytes(data, fmt, f"r.{fmt}"))


@pytest.mark.parametrize(
    "key,heading",
    [
        ("problems", "5、政府信息公开工作存在的主要问题及改进情况"),
        ("problems", "（5）存在的主要问题及改进情况"),
        ("problems", "五.存在的主要问题和改进情况"),
        ("problems", "五 、存在的主要问题及改进情况"),
        ("problems", "五、政府信息公开工作存在的主要问题及改进情况"),
        ("problems", "五、存在的主要问题及整改措施"),
        ("problems", "五、存在问题及改进措施"),
        ("appeals", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"),
        ("appeals", "四、政府信息公开行政复议和行政诉讼情况"),
        ("requests", "三、行政机关收到和处理政府信息公开申请情况"),
        ("requests", "3、收到和处理政府信息公开申请情况"),
        ("proactive", "二、行政机关主动公开政府信息情况"),
        ("proactive", "（二）主动公开政府信息情况"),
        ("overview", "一、总体情况。"),
        ("overview", "一、总体概况"),
        ("other", "六、其他需要报告事项"),
        ("other", "6、其他需要报告的事项"),
    ],
)
def test_heading_variants(key, heading):
    s = seg_of({key: heading})
    assert list(s.sections) == ALL
    assert s.sections[key].title == heading.strip()
    # Boundaries: each section still holds its own first paragraph / table.
    assert s.sections["overview"].paragraphs[0].startswith("2023年，本局围绕数据开放")
    assert s.sections["problems"].paragraphs[0] == "（一）存在的主要问题"
    assert s.sections["other"].paragraphs == ["本年度未收取信息处理费。"]


def test_docx_segments_like_text():
    s = seg_of({}, fmt="docx")
    assert list(s.sections) == ALL
    assert len(s.sections["proactive"].tables) == 1


def test_heading_split_across_lines():
    text = synth.to_text(synth.default_report()).replace("五、存在的主要问题及改进情况", "五、存在的主要问题及改进\n情况")
    s = segment(parse_text(text))
    assert s.sections["problems"].title == "五、存在的主要问题及改进情况"
    assert s.sections["problems"].paragraphs[0] == "（一）存在的主要问题"


def test_lost_problems_heading_is_inferred_from_content():
    text = synth.to_text(synth.default_report()).replace("五、存在的主要问题及改进情况\n", "")
    s = segment(parse_text(text))
    assert list(s.sections) == ALL
    assert s.sections["problems"].inferred and s.sections["problems"].title == ""
    assert s.sections["problems"].paragraphs[0] == "（一）存在的主要问题"
    assert s.sections["appeals"].paragraphs == ["本年度未发生因政府信息公开引起的行政复议和行政诉讼。"]


def test_lost_table_heading_is_inferred_from_the_table():
    text = synth.to_text(synth.default_report()).replace("二、主动公开政府信息情况\n", "")
    s = segment(parse_text(text))
    assert list(s.sections) == ALL
    assert s.sections["proactive"].inferred and len(s.sections["proactive"].tables) == 1
    assert s.sections["overview"].tables == []


def test_overview_subsection_is_not_taken_for_section_two():
    # "（一）主动公开政府信息情况" inside the overview must not become section 2.
    r = synth.default_report()
    r.sections[0][1][1] = "（一）主动公开政府信息情况"
    s = segment(parse_text(synth.to_text(r)))
    assert s.sections["proactive"].title == "二、主动公开政府信息情况"
    assert "（一）主动公开政府信息情况" in s.sections["overview"].paragraphs


def test_front_and_back_matter():
    s = seg_of({})
    assert [b.text for b in s.front][0].endswith("年度报告")
    assert [b.text for b in s.back] == ["青松县数据资源管理局", "2024年1月20日"]


def test_legacy_report_with_split_problems_and_measures():
    text = "\n".join([
        "白沙镇人民政府2015年政府信息公开工作年度报告",
        "一、概述",
        "本镇认真做好信息公开工作。",
        "二、主动公开政府信息情况",
        "全年主动公开信息120条。",
        "三、依申请公开政府信息情况",
        "全年收到申请2件。",
        "四、政府信息公开的收费及减免情况",
        "未收取任何费用。",
        "五、因政府信息公开申请行政复议、提起行政诉讼的情况",
        "未发生行政复议和行政诉讼。",
        "六、存在的主要问题",
        "公开内容还不够全面。",
        "七、改进措施",
        "下一步将进一步丰富公开内容。",
        "八、其他需要报告的事项",
        "无。",
    ])
    s = segment(parse_text(text))
    assert list(s.sections) == ["overview", "proactive", "requests", "fees", "appeals", "problems", "other"]
    assert s.sections["problems"].paragraphs == ["公开内容还不够全面。", "七、改进措施", "下一步将进一步丰富公开内容。"]


def test_not_a_report_gets_no_sections():
    s = segment(parse_text("今天天气很好。\n我们去公园散步，看见很多人在锻炼身体。\n晚上回家吃饭。"))
    assert s.sections == {}


@pytest.mark.parametrize(
    "text,number,style",
    [("五、存在", 5, "cn"), ("5、存在", 5, "arabic"), ("（5）存在", 5, "paren_ar"), ("（十二）存在", 12, "paren_cn"),
     ("五.存在", 5, "cn"), ("第三部分 存在", 3, "ordinal"), ("存在", None, "none")],
)
def test_split_numbering(text, number, style):
    n = split_numbering(text)
    assert (n.number, n.style, n.rest) == (number, style, "存在")


# --- real reports ----------------------------------------------------------------------------------
# (key, heading, start of the section's first block, end of its last block)
EXPECTED = {
    "seed": [
        ("overview", "一、总体情况", "2023年，昌乐县自然资源和", "政务公开工作水平和质量。"),
        ("proactive", "二、行政机关主动公开政府信息情况", "第二十条第（一）项", "行政事业性收费\t0\t\t"),
        ("requests", "三、行政机关收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为", "\t0\t0\t0\t0\t3\t\t"),
        ("appeals", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "行政复议\t行政诉讼", "\t0"),
        ("problems", "5、政府信息公开工作存在的主要问题及改进情况", "（一）2022年问题整改情况", "全方位做好依申请公开服务。"),
        ("other", "六、其他需要报告的事项", "（一）信息处理费收取情况", "无。"),
    ],
    "shanghai-gov-office_2019": [
        ("overview", "一、总体情况", "2019年，上海市人民政府办", "作人员的工作能力和水平。"),
        ("proactive", "二、主动公开政府信息情况", "第二十条第（一）项", "251000元"),
        ("requests", "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为", "\t72"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "\t"),
        ("problems", "五、政府信息公开工作存在的主要问题及改进情况", "（一）主要问题", "强化工作监督和考核评估。"),
        ("other", "六、其他需要报告的事项", "无。", "无。"),
    ],
    "huaian-city-gov_2024": [
        ("overview", "一、总体情况", "2024年，我市坚持以习近平", "作人员的工作能力和水平。"),
        ("proactive", "二、主动公开政府信息情况", "第二十条", "96171.6"),
        ("requests", "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为", "103"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "\t20"),
        ("problems", "五、存在的主要问题及改进情况", "对照上级新要求和公众新期待，", "增强队伍凝聚力。"),
        ("other", "六、其他需要报告的事项", "2024年，市政府严格落实《", "信息处理费3940元。"),
    ],
    "hongze-district-gov_2023": [
        ("overview", "一、总体情况", "2023年，洪泽区人民政府坚", "立政府网站日常监测机制。"),
        ("proactive", "二、主动公开政府信息情况", "第二十条第（一）项", "7730.28"),
        ("requests", "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为", "\t0"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "\t0"),
        ("problems", "五、存在的主要问题及改进情况", "2023年，洪泽区政府信息公", "思想认识和业务工作水平。"),
        ("other", "六、其他需要报告的事项", "2023年，区政府严格落实《", "信息处理费0元。"),
    ],
    "hongze-district-gov_2024": [
        ("overview", "一、总体情况", "2024年，淮安市洪泽区人民", "央、国务院重大方针政策。"),
        ("proactive", "二、主动公开政府信息情况", "第二十条第（一）项", "7545"),
        ("requests", "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为", "\t0"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "\t3"),
        ("problems", "五、存在的主要问题及改进情况", "2024年，全区政府信息公开", "思想认识和业务工作水平。"),
        ("other", "六、其他需要报告的事项", "2024年，区政府严格落实《", "信息处理费0元。"),
    ],
    "shanghai-stcsm-kewei_2024": [
        ("overview", "一、总体情况", "上海市科委2024年深入贯彻", "点赞量136888次。"),
        ("proactive", "一、主动公开政府信息情况", "第二十条第（一）项", "规范性文件\t13\t0\t55"),
        ("requests", "二、收到和处理政府信息公开申请情况", "申请人情况", "\t0\t"),
        ("appeals", "三、政府信息公开行政复议、行政诉讼情况", "行政复议行政诉讼", "\t0"),
        ("problems", "", "（一）主要问题", "改版工作正在有序进行中。"),
        ("other", "五、其他需要报告的事项", "本年度信息公开处理费收费情况", "未发生政府信息公开收费事项。"),
    ],
    "shuyang-county-fgj_2023": [
        ("overview", "一、总体情况", "2023年，县发展和改革局认", "代表、委员和社会的监督。"),
        ("proactive", "二、主动公开政府信息情况", "第二十条第（一）项", "行政事业性收费\t0\t0\t0"),
        ("requests", "三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为", "\t0"),
        ("appeals", "四、政府信息公开行政复议、行政诉讼情况", "行政复议", "\t0"),
        ("problems", "五、存在的主要问题及整改措施", "（一）存在的主要问题。各科室", "服务民生，服务公众。"),
        ("other", "六、其他需要报告的事项", "2023年度，县发展和改革局", "信息公开未发生收费情况。"),
    ],
}


@needs_shared
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_report_sections(name):
    path = SEED if name == "seed" else real(name)
    s = segment(load_document(path))
    assert list(s.sections) == [e[0] for e in EXPECTED[name]]
    for key, title, first, last in EXPECTED[name]:
        sec = s.sections[key]
        assert sec.title == title, key
        blocks = [b.text for b in sec.blocks]
        assert blocks[0].startswith(first), (key, blocks[0][:40])
        assert blocks[-1].endswith(last), (key, blocks[-1][-40:])
    assert s.sections["problems"].inferred == (name == "shanghai-stcsm-kewei_2024")


@needs_shared
def test_real_subsections():
    s = segment(load_document(SEED))
    subs = [x["title"] for x in s.sections["overview"].subsections]
    assert subs == ["（一）主动公开", "（二）依申请公开", "（三）政府信息管理", "（四）政府信息公开平台建设", "（5）监督保障"]
    s = segment(load_document(real("huaian-city-gov_2024")))
    assert [x["title"] for x in s.sections["overview"].subsections][0] == "（一）主动公开情况"


def test_back_start_words_must_cover_every_back_start_pattern(monkeypatch):
    import textmine.sections as sections
    from textmine import TextmineError
    from textmine.resources import load_yaml

    cfg = load_yaml("sections.yaml")
    assert all(any(w in p for w in cfg["back_start_words"]) for p in cfg["back_start"])
    # A pattern added without its word would be skipped on every paragraph: refused when loaded.
    broken = {**cfg, "back_start": [*cfg["back_start"], "报送[:：]"]}
    monkeypatch.setattr(sections, "load_yaml", lambda name: broken)
    sections._rules.cache_clear()
    try:
        with pytest.raises(TextmineError, match="names none of back_start_words"):
            sections._rules()
    finally:
        monkeypatch.undo()
        sections._rules.cache_clear()


@pytest.mark.parametrize("tail", ["附表：青松县2023年政府信息公开统计表 指标名称 数量", "抄送：县委办公室"])
def test_back_matter_glued_to_the_last_paragraph_is_cut_off(tail):
    from textmine.sections import _split_paragraph

    assert _split_paragraph("我们将继续做好公开工作。" + tail) == ["我们将继续做好公开工作。", tail]
    assert _split_paragraph("我们将继续做好公开工作，附近的群众满意。") == ["我们将继续做好公开工作，附近的群众满意。"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="一二三五十是要、.．。；！？ 1205总体情况年", max_size=24))
def test_the_quick_mark_checks_miss_no_glued_heading(text: str) -> None:
    """_split_paragraph skips a mark pattern when its plain pre-check finds nothing: that must never
    hide a match."""
    from textmine import sections as S

    if S._INLINE_MARK.search(text):
        assert S._INLINE_ANY.search(text)
    if S._BARE_MARK.search(text):
        assert text[:1] in S._NUMERALS or S._BARE_ANY.search(text)
    if S._ARABIC_MARK.search(text):
        assert S._ARABIC_ANY.search(text)



@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=list("附表件统计指标抄送印发日年月：:。；2024115一、 .xls情况"), max_size=50))
def test_back_start_subset_finds_what_all_patterns_find(text: str) -> None:
    """Only the back_start patterns naming a word the paragraph holds are tried: the matches must be
    those of all the patterns."""
    import re

    from textmine import sections as S

    every = re.compile("|".join(f"(?:{p})" for p, _ in S._rules()["back_start_named"]))
    some = S._back_start(text)
    want = [(m.start(), m.end()) for m in every.finditer(text)]
    assert want == ([] if some is None else [(m.start(), m.end()) for m in some.finditer(text)])


@pytest.mark.parametrize("line", ["五、存在的主要问题及改进情况", "（二）主动公开政府信息情况", "3、收到和处理政府信息公开申请情况",
                                  "我们将继续做好公开工作。", "六、其他需要报告事项"])
def test_heading_readings_are_cached_per_line_and_immutable(line: str) -> None:
    """A report scores the same short line many times (alone, joined to the next, as a glued prefix): the
    cached readings must be the uncached ones, and a tuple no caller can change for the next report."""
    from textmine import sections as S

    S._score_short_line.cache_clear()
    first = S._score_heading(line)
    assert first == S._score_short_line.__wrapped__(line)
    assert isinstance(first, tuple) and all(isinstance(r, tuple) for r in first)
    assert S._score_heading(line) is first and S._score_short_line.cache_info().hits == 1
    assert bool(first) == (line != "我们将继续做好公开工作。")


def test_long_lines_are_not_heading_candidates_nor_cached() -> None:
    from textmine import sections as S

    S._score_short_line.cache_clear()
    assert S._score_heading("五、存在的主要问题及改进情况" + "，" * 60) == ()
    assert S._score_short_line.cache_info().currsize == 0


def _title_patterns() -> list[str]:
    from textmine.resources import load_yaml

    return [p for spec in load_yaml("sections.yaml")["sections"].values() for p in spec["strong"] + spec["weak"]]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(sorted({c for p in _title_patterns() for c in p if "\u4e00" <= c <= "\u9fff"})
                                + list("一二、（）. 5")), max_size=20).map("".join))
def test_the_title_alternations_say_what_any_pattern_says(title: str) -> None:
    # The alternations are searched only where a pattern can start (textutil.skipping); the definition
    # is any() over the patterns, anchors dropped for the unanchored one.
    import re

    from textmine.sections import _rules

    rules = _rules()
    for spec in rules["sections"].values():
        for kind in ("strong", "weak"):
            alt = spec[f"{kind}_any"]
            assert (alt is not None and alt.search(title) is not None) == any(p.search(title) for p in spec[kind])
    every = _title_patterns()
    assert (rules["title_any"].search(title) is not None) == any(re.search(p, title) for p in every)
    if rules["unanchored"] is not None:
        loose = [p.replace("^", "").replace("$", "") for p in every]
        for end in range(len(title) + 1):
            assert (rules["unanchored"].search(title, 0, end) is not None) == any(re.compile(p).search(title, 0, end) for p in loose)
