"""Section-5 statements and their roles (codebook.md): unit tests on sentences written for these tests,
and the statements read by hand from the real reports in ../shared."""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.errors import TextmineError
from textmine.statements import Statement, extract_statements

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def roles(sts: list[Statement]) -> list[str]:
    return [s.role for s in sts]


def texts(sts: list[Statement]) -> list[str]:
    return [s.text for s in sts]


# ------------------------------------------------------------------------------------------------
# Enumeration styles


def test_yishi_ershi_in_one_paragraph_with_semicolons() -> None:
    sts = extract_statements([
        "（一）存在的主要问题",
        "一是个别科室对主动公开重视不够，存在等靠思想；二是公开栏目更新不及时；三是解读形式比较单一。",
    ])
    assert texts(sts) == ["个别科室对主动公开重视不够，存在等靠思想", "公开栏目更新不及时", "解读形式比较单一。"]
    assert [s.marker for s in sts] == ["一是", "二是", "三是"]
    assert [s.number for s in sts] == [1, 2, 3]
    assert roles(sts) == ["problem"] * 3
    assert [s.id for s in sts] == ["s1", "s2", "s3"] and [s.order for s in sts] == [1, 2, 3]


@pytest.mark.parametrize("markers", [
    ("1.", "2.", "3."), ("1、", "2、", "3、"), ("1．", "2．", "3．"), ("（1）", "（2）", "（3）"),
    ("(1)", "(2)", "(3)"), ("（一）", "（二）", "（三）"), ("①", "②", "③"),
])
def test_numbered_items_one_per_paragraph(markers: tuple[str, str, str]) -> None:
    paras = [
        "下一步工作打算",
        f"{markers[0]}加强队伍建设。定期组织业务培训，提升工作人员的业务能力。",
        f"{markers[1]}完善网站栏目。对长期未更新的栏目进行清理；对保留栏目明确维护责任人。",
        f"{markers[2]}规范依申请公开办理。统一答复文书格式。",
    ]
    sts = extract_statements(paras)
    assert len(sts) == 3, texts(sts)
    assert sts[0].text == "加强队伍建设。定期组织业务培训，提升工作人员的业务能力。"  # title and body together
    assert sts[1].text.endswith("明确维护责任人。")  # a ； inside an item does not split it
    assert roles(sts) == ["measure"] * 3
    assert [s.number for s in sts] == [1, 2, 3]
    assert all(s.subsection == "下一步工作打算" for s in sts)


@pytest.mark.parametrize("first,second,third", [
    ("第一，", "第二，", "第三，"), ("首先，", "其次，", "最后，"), ("其一，", "其二，", "其三，"),
])
def test_ordinal_and_sequence_words(first: str, second: str, third: str) -> None:
    para = (f"{first}部分单位公开意识还不够强。{second}政策解读的深度有待加强，图解和视频解读较少。"
            f"{third}依申请公开答复的规范性仍需提高。")
    sts = extract_statements([para])
    assert texts(sts) == ["部分单位公开意识还不够强。", "政策解读的深度有待加强，图解和视频解读较少。",
                          "依申请公开答复的规范性仍需提高。"]
    assert roles(sts) == ["problem"] * 3


def test_numbered_items_in_one_paragraph() -> None:
    sts = extract_statements(["改进措施：1.健全信息发布审核机制。2.加大培训力度。3.及时更新公开目录。"])
    assert texts(sts) == ["健全信息发布审核机制。", "加大培训力度。", "及时更新公开目录。"]
    assert roles(sts) == ["measure"] * 3


def test_markers_need_a_clause_start_and_a_running_count() -> None:
    # "统一是" is no 一是; "1.5万" is no item 1; a lone "二是" without 一是 is plain text.
    sts = extract_statements([
        "全年信息发布统一是由办公室负责的，共发布1.5万条，但审核把关还不够严格。",
        "二是这样的说法在本段中并不构成列举，只是一句话而已，内容仍有待完善。",
    ])
    assert len(sts) == 2
    assert sts[0].marker is None and sts[0].text.startswith("全年信息发布统一是")
    assert sts[1].marker is None and sts[1].text.startswith("二是这样的说法")


def test_sub_points_under_an_item_title_are_the_units() -> None:
    # Real reports' coders code the sub-points of a titled item one by one (issue #14: units are claims);
    # the title is context, like a sub-heading.
    sts = extract_statements([
        "（一）加强组织保障。一是明确分管领导；二是配齐工作人员。",
        "（二）加强平台建设。一是整合网站栏目；二是用好政务新媒体。",
    ])
    assert texts(sts) == ["明确分管领导", "配齐工作人员。", "整合网站栏目", "用好政务新媒体。"]
    assert [s.marker for s in sts] == ["一是", "二是", "一是", "二是"]


def test_a_list_inside_a_long_item_stays_part_of_it() -> None:
    sts = extract_statements([
        "（一）加强组织保障，明确分管领导和具体经办人员，形成上下联动的工作格局，做到一是有人管、二是有人干。",
        "（二）加强平台建设，整合网站栏目，用好政务新媒体。",
    ])
    assert [s.marker for s in sts] == ["（一）", "（二）"]
    assert roles(sts) == ["measure", "measure"]


def test_sentences_without_enumeration() -> None:
    sts = extract_statements([
        "政务新媒体发布频率不高，互动较少。部分栏目信息更新滞后！依申请公开办理时限把握不够准确；"
        "个别答复文书引用条款不规范。"
    ])
    assert texts(sts) == ["政务新媒体发布频率不高，互动较少。", "部分栏目信息更新滞后！",
                          "依申请公开办理时限把握不够准确", "个别答复文书引用条款不规范。"]
    assert roles(sts) == ["problem"] * 4


def test_terminators_inside_quotes_and_title_marks_do_not_split() -> None:
    sts = extract_statements(["下一步，将坚持“公开为常态。不公开为例外”的原则，落实《条例》的各项要求。"])
    assert len(sts) == 1 and sts[0].role == "measure"


def test_title_only_item_takes_its_body_paragraph() -> None:
    sts = extract_statements([
        "（二）改进措施",
        "1.强化考核督查。",
        "把政务公开工作纳入年度考核，每半年通报一次检查结果。",
        "2.加强业务培训。",
        "每年举办两期培训班，覆盖各科室信息员。",
    ])
    assert texts(sts) == ["强化考核督查。把政务公开工作纳入年度考核，每半年通报一次检查结果。",
                          "加强业务培训。每年举办两期培训班，覆盖各科室信息员。"]


# ------------------------------------------------------------------------------------------------
# Lead-ins and roles without sub-headings


def test_colon_lead_in_is_context_and_carries_its_role() -> None:
    sts = extract_statements([
        "对照群众期盼，我局工作还有一些需要改进和提高的地方。主要表现在：一是网站检索功能不便捷；"
        "二是部分信息发布后缺少解读。",
        "针对存在的问题，下一步，我局将重点抓好以下工作：一是升级网站检索功能。二是同步做好政策解读。",
    ])
    assert texts(sts) == ["网站检索功能不便捷", "部分信息发布后缺少解读。", "升级网站检索功能。", "同步做好政策解读。"]
    assert roles(sts) == ["problem", "problem", "measure", "measure"]
    assert sts[0].lead_in == "主要表现在："
    assert sts[2].lead_in is not None and sts[2].lead_in.endswith("以下工作：")


def test_lead_in_role_binds_items_whatever_their_words() -> None:
    # "不足" would vote problem, but the lead-in announced measures.
    sts = extract_statements([
        "根据上述问题，本单位采取以下措施：一是针对人员不足，从其他科室抽调两名同志充实力量。二是建立周报制度。"
    ])
    assert roles(sts) == ["measure", "measure"]
    assert sts[0].text.startswith("针对人员不足")


def test_comma_lead_in_running_into_the_list() -> None:
    sts = extract_statements([
        "（二）整改措施。为把公开工作做细做实，我办结合实际加大工作力度，一是完善审核流程。二是落实专人维护栏目。"
    ])
    assert texts(sts) == ["完善审核流程。", "落实专人维护栏目。"]
    assert sts[0].lead_in is not None and sts[0].lead_in.startswith("为把公开工作做细做实")
    assert sts[0].subsection == "（二）整改措施"


def test_framing_sentence_and_inline_list_is_one_statement() -> None:
    sts = extract_statements([
        "2023年，本县政务公开工作取得了一定的成效，但对照上级要求仍存在一定差距。"
        "如公开目录的完整性还有待提高、解读材料的可读性还有待提升、基层公开标准化有待加强等。"
        "针对存在问题，下一步将切实抓好以下工作：一是全面梳理公开目录。二是丰富解读形式。"
    ], year=2023)
    assert len(sts) == 3
    assert sts[0].text.startswith("如公开目录的完整性") and sts[0].text.endswith("有待加强等。")
    assert roles(sts) == ["problem", "measure", "measure"]


def test_colon_inside_sentence_after_lead_in() -> None:
    sts = extract_statements([
        "本年度工作虽有进步，但仍存在一些不足，主要是：信息审核环节偏多，发布效率较低，个别栏目更新迟缓等。"
    ])
    assert len(sts) == 1
    assert sts[0].text.startswith("信息审核环节偏多") and sts[0].role == "problem"
    assert sts[0].lead_in is not None and sts[0].lead_in.endswith("主要是：")


def test_cues_decide_sentence_by_sentence_and_roles_carry() -> None:
    sts = extract_statements([
        "部分科室信息报送不够主动，栏目维护较为被动。",
        "针对上述问题，下一步，我局将建立信息报送通报制度，按月通报各科室报送情况；"
        "同时定期开展栏目自查，发现问题立即整改。",
    ])
    assert roles(sts) == ["problem", "measure", "measure"]


def test_rectification_by_cues() -> None:
    sts = extract_statements([
        "针对上年度公开目录不完善的问题，已对目录进行全面梳理和更新。",
        "政策解读的时效性仍有不足。",
        "下一步，将建立文件与解读同步报送机制。",
    ], year=2023)
    assert roles(sts) == ["rectification", "problem", "measure"]


def test_year_cues_in_running_text() -> None:
    sts = extract_statements([
        "2022年度报告中指出的栏目更新滞后问题，均已完成整改。",
        "本年度依申请公开答复的说理性有待加强。",
        "2024年，我局计划开展两次专项培训。",
    ], year=2023)
    assert roles(sts) == ["rectification", "problem", "measure"]


def test_turn_to_measures_ends_a_problem_item_but_not_a_measure_item() -> None:
    sts = extract_statements(["主要问题：一是人员力量薄弱；二是考核机制不健全。下一步，将充实工作力量，完善考核办法。"])
    assert texts(sts) == ["人员力量薄弱", "考核机制不健全。", "下一步，将充实工作力量，完善考核办法。"]
    assert roles(sts) == ["problem", "problem", "measure"]
    assert sts[0].lead_in == "主要问题：" and sts[0].subsection is None  # a bare run-in title is a lead-in
    sts = extract_statements(["（二）改进措施", "一是加强培训。下一步，将每年举办两期培训班。二是完善制度。"])
    assert texts(sts) == ["加强培训。下一步，将每年举办两期培训班。", "完善制度。"]


def test_lead_in_closing_its_paragraph_carries_to_the_list_below() -> None:
    sts = extract_statements([
        "一年来，本局政务公开工作有序推进，但也存在一些不足。",
        "一是公开内容不够全面，部分重点领域信息发布较少；二是解读质量不高。",
        "针对以上问题，本局将从以下方面加以改进：",
        "（一）拓展公开范围。围绕重点领域，按时发布相关信息。",
        "（二）提高解读质量。邀请专家参与解读。",
        "此外，部分科室的信息员尚未明确。",
    ])
    assert roles(sts) == ["problem", "problem", "measure", "measure", "problem"]
    assert sts[2].lead_in == sts[3].lead_in == "针对以上问题，本局将从以下方面加以改进："
    assert sts[4].lead_in is None  # the list ended: the lead-in no longer applies
    assert [s.answers for s in sts[2:4]] == [["s1"], ["s2"]]


def test_text_input_is_split_into_lines() -> None:
    sts = extract_statements("（一）存在的主要问题\n一是栏目更新不及时。\n（二）改进措施\n一是建立栏目更新台账。")
    assert roles(sts) == ["problem", "measure"]


# ------------------------------------------------------------------------------------------------
# Sub-headings


def test_subheadings_decide_roles_even_misnumbered() -> None:
    sts = extract_statements([
        "（一）上年度问题整改情况。",
        "对上年度发现的解读不同步问题，建立了文件与解读同步起草的机制。",
        "（二）存在的主要问题。",
        "基层公开事项目录编制进度不一。",
        "（3） 整改措施。",
        "制定基层目录编制时间表，逐月调度。",
    ], year=2023)
    assert roles(sts) == ["rectification", "problem", "measure"]
    assert [s.subsection for s in sts] == ["（一）上年度问题整改情况", "（二）存在的主要问题", "（3） 整改措施"]


def test_subheading_decides_over_cue_words() -> None:
    # Under 存在的主要问题 a sentence with 将 is still a problem (the heading decides first).
    sts = extract_statements(["（一）存在的主要问题", "部分科室将信息公开视为额外负担，积极性不高。"])
    assert roles(sts) == ["problem"]


def test_run_in_subheading_splits_off() -> None:
    sts = extract_statements([
        "（一）存在的主要问题。公开意识有所淡化；栏目留言回复效率有待提高。",
        "（二）改进措施。加强日常督促检查；建立留言限时办结制度。",
    ])
    assert texts(sts) == ["公开意识有所淡化", "栏目留言回复效率有待提高。", "加强日常督促检查", "建立留言限时办结制度。"]
    assert roles(sts) == ["problem", "problem", "measure", "measure"]


@pytest.mark.parametrize("heading,year,role", [
    ("（一）2022年问题整改情况。", 2023, "rectification"),
    ("（一）2022年问题整改情况。", None, "rectification"),
    ("（一）2022年政务公开工作存在的主要问题", 2023, "rectification"),  # last year's problems
    ("（一）2022年政务公开工作存在的主要问题", None, "problem"),
    ("（一）2023年政务公开工作存在的主要问题", 2023, "problem"),
    ("（三）2024年工作打算", 2023, "measure"),
    ("（二）改进情况", 2023, "measure"),
    ("七、改进措施", None, "measure"),  # legacy reports: the second heading passed as a paragraph
    ("二、下一步工作计划", None, "measure"),
])
def test_year_aware_subheadings(heading: str, year: int | None, role: str) -> None:
    sts = extract_statements([heading, "信息发布审核流程得到了调整。"], year=year)
    assert roles(sts) == [role]
    assert sts[0].subsection == heading.rstrip("。")


def test_mixed_subheading_leaves_roles_to_cues() -> None:
    sts = extract_statements(["（一）存在问题及改进措施", "公开栏目分类不够科学。下一步，将重新编制栏目分类。"])
    assert roles(sts) == ["problem", "measure"]


def test_legacy_two_headings() -> None:
    sts = extract_statements([
        "一是公开内容不够全面；二是公开形式较为单一。",
        "七、改进措施",
        "一是扩大主动公开范围；二是运用图表等多种形式公开。",
    ])
    assert roles(sts) == ["problem", "problem", "measure", "measure"]
    assert [s.answers for s in sts[2:]] == [["s1"], ["s2"]]


# ------------------------------------------------------------------------------------------------
# PDF artefacts


def test_page_break_inside_a_sentence_and_stray_page_numbers() -> None:
    sts = extract_statements([
        "对照新的工作要求，还有一些需要加强和改进的",
        "- 5 -",
        "地方。主要表现在：一是门户网站部分栏目内容",
        "2",
        "陈旧；二是公开队伍人员流动较快。",
        "第 3 页",
        "针对上述问题，下一步将开展栏目清理行动。",
    ])
    assert texts(sts) == ["门户网站部分栏目内容陈旧", "公开队伍人员流动较快。", "针对上述问题，下一步将开展栏目清理行动。"]
    assert roles(sts) == ["problem", "problem", "measure"]


def test_inline_page_number_from_a_joined_page() -> None:
    sts = extract_statements(["部分信息发布前的保密审查 - 7 - 流于形式。"])
    assert texts(sts) == ["部分信息发布前的保密审查流于形式。"]


def test_page_break_between_items_keeps_the_count_running() -> None:
    sts = extract_statements(["（一）主要问题", "一是基础台账不全；", "- 2 -", "二是考核办法滞后。"])
    assert [s.number for s in sts] == [1, 2]
    assert texts(sts) == ["基础台账不全", "考核办法滞后。"]


def test_page_numbers_are_not_statements() -> None:
    assert extract_statements(["- 4 -", "12", "第 2 页 / 共 6 页"]) == []


# ------------------------------------------------------------------------------------------------
# Measure -> problem links


def test_parallel_numbering_links_item_by_item() -> None:
    sts = extract_statements([
        "（一）存在的主要问题",
        "1.信息发布审核把关不严。",
        "2.政策解读形式单一。",
        "（二）改进措施",
        "1.完善三级审核制度。",
        "2.推出图解和短视频解读。",
    ])
    assert [s.answers for s in sts] == [[], [], ["s1"], ["s2"]]


def test_key_phrase_links_when_numbering_does_not_pair() -> None:
    sts = extract_statements([
        "主要表现在：一是政策解读形式单一；二是政务新媒体更新频率不高；三是依申请公开答复文书不够规范。",
        "下一步，将丰富政策解读形式，多用图解和短视频；同时规范依申请公开答复文书，统一文书模板。",
    ])
    assert roles(sts) == ["problem", "problem", "problem", "measure", "measure"]
    assert sts[3].answers == ["s1"]
    assert sts[4].answers == ["s3"]


def test_no_link_without_shared_key_words() -> None:
    sts = extract_statements([
        "（一）存在的主要问题", "一是信息审核把关不严。",
        "（二）改进措施", "一是落实经费保障。二是开展年度评议。",
    ])
    assert sts[1].answers == [] and sts[2].answers == []


def test_only_measures_have_answers() -> None:
    sts = extract_statements([
        "（一）上年度问题整改情况", "针对栏目更新不及时的问题，已安排专人每周更新栏目。",
        "（二）存在的主要问题", "栏目更新仍不够及时。",
        "（三）改进措施", "建立栏目更新周报制度，确保栏目及时更新。",
    ], year=2023)
    assert roles(sts) == ["rectification", "problem", "measure"]
    assert sts[0].answers == [] and sts[1].answers == []
    assert sts[2].answers == ["s2"]


# ------------------------------------------------------------------------------------------------
# Interface


def test_to_dict_fields() -> None:
    d = extract_statements(["（一）存在的主要问题", "一是栏目更新不及时。"])[0].to_dict()
    assert d == {"id": "s1", "role": "problem", "text": "栏目更新不及时。", "themes": [], "scores": {},
                 "subsection": "（一）存在的主要问题", "order": 1, "answers": [], "marker": "一是", "number": 1,
                 "lead_in": None, "span": None}  # span: set by the report pipeline (statements.locate)
    assert list(d)[:5] == ["id", "role", "text", "themes", "scores"]


def test_empty_and_heading_only_input() -> None:
    assert extract_statements([]) == []
    assert extract_statements(["（一）存在的主要问题", "", "   "]) == []


def test_custom_rules_file(tmp_path: Path) -> None:
    import yaml

    from textmine.resources import data_path

    cfg = yaml.safe_load(data_path("statement_rules.yaml").read_text(encoding="utf-8"))
    para = ["公开栏目维护由办公室统一负责。"]
    assert roles(extract_statements(para)) == ["problem"]  # no cue: the default role
    cfg["default_role"] = "measure"
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(cfg, allow_unicode=True), encoding="utf-8")
    assert roles(extract_statements(para, rules=path)) == ["measure"]


def test_bad_rules_file_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("enumeration: [\n", encoding="utf-8")
    with pytest.raises(TextmineError):
        extract_statements(["一是栏目更新不及时。"], rules=bad)
    with pytest.raises(TextmineError):
        extract_statements(["一是栏目更新不及时。"], rules=tmp_path / "missing.yaml")


_PIECES = ["一是", "二是", "三是", "1.", "2.", "（一）", "（二）", "（3）", "第一，", "首先，", "其次，", "。", "；", "，",
           "：", "主要表现在：", "下一步，将", "存在的主要问题", "改进措施", "2022年问题整改情况", "栏目更新", "不够及时",
           "有待加强", "已完成", "解读形式", "“", "”", "12", " - 3 - "]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=8),
       st.sampled_from([None, 2023]))
def test_any_input_gives_well_formed_statements_cut_from_the_input(paras: list[str], year: int | None) -> None:
    sts = extract_statements(paras, year=year)
    assert [s.id for s in sts] == [f"s{i}" for i in range(1, len(sts) + 1)]
    assert [s.order for s in sts] == list(range(1, len(sts) + 1))
    kept = [p.replace(" - 3 - ", "").replace(" ", "") for p in paras]
    joined = "".join(p for p in kept if not re.fullmatch(r"\d{1,3}", p))  # page numbers go
    ids = {s.id: s for s in sts}
    for s in sts:
        assert s.role in ("problem", "measure", "rectification")
        assert s.text and s.text.replace(" ", "") in joined  # nothing invented, nothing reordered
        assert all(a in ids and ids[a].role == "problem" and a != s.id for a in s.answers)
        assert not s.answers or s.role == "measure"


# ------------------------------------------------------------------------------------------------
# Real reports (../shared, read at test time, never copied into the repo)


def _year_of(name: str) -> int | None:
    with open(SHARED / "real" / "SOURCES.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["filename"] == name:
                return int(row["year"])
    return None


def _statements(path: Path, year: int) -> list[Statement]:
    """Through the real pipeline: loader -> sections -> meta (year) -> extract_statements."""
    import textmine

    report = textmine.load_report(path, themes=False)
    assert report.meta.get("year") == year, f"report year read as {report.meta.get('year')}"
    return report.statements


P, M, R = "problem", "measure", "rectification"
# file -> (year, [(role, start of text)], {statement id: answers})
REAL = {
    "seed/changle-natural-resources-2023.txt": (2023, [
        (R, "按照“公开为原则"), (R, "对各业务科室政务公开负责人员"),
        (P, "政府信息公开制度刚性落实不够"), (P, "政务信息公开透明度需要进一步提升"), (P, "政府信息公开工作，个别信息时效性"),
        (M, "严格落实政府信息公开制度。"), (M, "提升政府信息公开透明度。"), (M, "进一步优化依申请公开办理"),
    ], {"s6": ["s3"], "s7": ["s4"], "s8": ["s5"]}),
    "real/zxj6827111-blip_huaian-city-gov_2024.pdf": (2024, [
        (P, "政策解读质量仍需提升"), (P, "政务公开队伍建设还需进一步加强"),
        (M, "针对存在问题，下一步，我市将着力加强政策解读质效"), (M, "建立健全“传帮带”机制"),
    ], {"s3": ["s1"], "s4": ["s2"]}),
    "real/zxj6827111-blip_huaian-hongze-district-gov_2023.pdf": (2023, [
        (P, "如依申请公开工作规范性还有待提高"), (M, "扎实推进依申请公开工作"), (M, "围绕区委区政府中心工作"),
        (M, "继续加强业务指导培训。实行"),
    ], {"s2": ["s1"]}),
    "real/zxj6827111-blip_huaian-hongze-district-gov_2024.pdf": (2024, [
        (P, "个别部门对复杂申请件的研判能力不足"), (M, "扎实推进依申请公开工作"), (M, "加强对典型案例的研究"),
        (M, "继续加强业务指导培训"),
    ], {}),
    "real/zxj6827111-blip_shanghai-stcsm-kewei_2024.md": (2024, [
        (P, "市科委2024年根据本市机构改革工作安排"), (M, "开设“张江高新区”专栏"), (M, "根据市科委新的职能"),
        (M, "重新涉及部门网站政务公开栏目"), (M, "目前，“张江高新区”专栏已成功开设"),
    ], {}),
    "real/unknown-repo_shanghai-gov-office_2019.html": (2019, [
        (P, "新《条例》实施后"), (P, "决策公开仍需进一步加强"), (P, "政府网站集约化建设需持续推进"),
        (P, "政策解读方式不够多元"), (M, "深入做好《条例》的贯彻落实。"), (M, "进一步深化解读回应。"),
        (M, "深化公众参与。"), (M, "全面推进政务公开标准化规范化建设。"), (M, "着力提升平台渠道管理和服务水平。"),
        (M, "严格强化工作保障和监督。"),
    ], {"s5": ["s1"], "s6": ["s4"], "s7": ["s2"], "s8": ["s3"], "s10": []}),
    "real/zxj6827111-blip_shuyang-county-fgj_2023.html": (2023, [
        (P, "各科室人员信息公开意识有所松懈"), (P, "政民互动栏目网民留言回复效率有待提高"),
        (P, "信息公开队伍专业化能力建设有待进一步提升"), (M, "完善主动公开信息联动机制"), (M, "进一步加强平台建设"),
    ], {}),
}


@pytest.fixture(scope="module")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared reports not available at {SHARED}")
    return SHARED


@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_report_statements(shared: Path, rel: str) -> None:
    path = shared / rel
    if not path.exists():
        pytest.skip(f"{rel} not in ../shared")
    year, expected, links = REAL[rel]
    sts = _statements(path, year)
    got = [(s.role, s.text[: len(start)]) for s, (_, start) in zip(sts, expected, strict=False)]
    assert len(sts) == len(expected), [(s.role, s.text[:20]) for s in sts]
    assert got == expected
    for sid, answers in links.items():
        assert next(s for s in sts if s.id == sid).answers == answers, sid


def test_seed_counts_and_subsections(shared: Path) -> None:
    sts = _statements(shared / "seed" / "changle-natural-resources-2023.txt", 2023)
    assert len(sts) == 8
    assert {r: roles(sts).count(r) for r in (R, P, M)} == {R: 2, P: 3, M: 3}
    assert sts[0].subsection.startswith("（一）2022年") and sts[5].subsection == "（3）整改措施"


def test_huaian_2024_problems_from_the_enumerated_sentence_pair(shared: Path) -> None:
    sts = _statements(shared / "real" / "zxj6827111-blip_huaian-city-gov_2024.pdf", 2024)
    assert roles(sts) == [P, P, M, M]
    assert [s.marker for s in sts[:2]] == ["一是", "二是"]
    assert sts[0].lead_in == "主要表现在："


def test_real_years_match_sources(shared: Path) -> None:
    # Guards the table above against a SOURCES.tsv that changed under it.
    for rel, (year, _, _) in REAL.items():
        if rel.startswith("real/"):
            assert _year_of(rel.split("/", 1)[1]) == year


@lru_cache(maxsize=1)
def _spacy_zh():
    """spaCy's Chinese pipeline with the jieba segmenter: the definition of the statement words."""
    import spacy

    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})


@pytest.mark.parametrize("text", [
    "我局进一步完善依申请公开答复流程，提升答复质量。",
    "一是 主动公开  不够及时；二是\t政策解读形式单一 ",
    "  2024年 收到 申请 12 件，App 与 Web 端同步 发布\n下一步将加强培训",
    "",
])
def test_words_are_the_tokens_of_the_spacy_doc(text: str) -> None:
    from textmine.statements import _words

    assert _words(text) == tuple(t.text for t in _spacy_zh().make_doc(text))


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="我局公开申请政府信息答复 \t\n\r\xa0\u3000，。；aB12", max_size=40))
def test_words_match_the_spacy_doc_on_any_spacing(text: str) -> None:
    from textmine.statements import _words

    assert _words(text) == tuple(t.text for t in _spacy_zh().make_doc(text))


def test_words_are_spacys_tokens_on_real_statements(shared: Path) -> None:
    import json

    from textmine.statements import _words

    texts = [s["text"] for f in sorted((shared / "real-dev" / "gold").glob("*.json"))
             for s in json.loads(f.read_text(encoding="utf-8"))["statements"]]
    assert len(texts) > 300
    nlp = _spacy_zh()
    assert [_words(t) for t in texts] == [tuple(x.text for x in nlp.make_doc(t)) for t in texts]


def test_statement_dict_is_asdict_with_its_own_lists() -> None:
    from dataclasses import asdict

    s = Statement("s2", "measure", "加强培训", subsection="（二）改进措施", order=2, answers=["s1"], marker="一是",
                  number=1, themes=["capacity"], scores={"capacity": 0.9}, span=(3, 7))
    d = s.to_dict()
    want = asdict(s)
    want["span"] = [3, 7]
    del want["original_text"]
    assert d == want and list(d)[:5] == ["id", "role", "text", "themes", "scores"]
    d["answers"].append("s9")
    d["scores"]["other"] = 1.0
    assert s.answers == ["s1"] and s.scores == {"capacity": 0.9}


def _sentences_by_character(text: str) -> list[str]:
    """The sentence split read character by character: the definition the fast split must keep."""
    from textmine.statements import _CLOSERS, _OPENERS, _TERMINATORS

    out, depth, start, i, n = [], [], 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _OPENERS:
            depth.append(_OPENERS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch in _TERMINATORS and not depth:
            j = i + 1
            while j < n and (text[j] in _CLOSERS or text[j] in _TERMINATORS):
                j += 1
            out.append(text[start:j])
            start = i = j
            continue
        i += 1
        if depth and i - start > 300:
            depth.clear()
    if start < n:
        out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(["公开", "。", "；", "！", "“", "”", "《", "》", "（", "）", "(", ")", "’", "\"", " ",
                                 "加" * 150]), max_size=30).map("".join))
def test_sentence_split_is_the_character_reading(text: str) -> None:
    from textmine.statements import _sentences

    assert _sentences(text) == _sentences_by_character(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["加强", "公开", "。", " ", "\n", "\u3000", "\t", "培训"]), max_size=25).map("".join),
       st.lists(st.integers(0, 30), max_size=3))
def test_statement_spans_skip_white_space_of_the_section(section: str, cuts: list[int]) -> None:
    """A span covers the statement's characters in the section text whatever white space lies between."""
    from textmine.statements import locate

    chars = [(i, ch) for i, ch in enumerate(section) if not ch.isspace()]
    flat = "".join(ch for _, ch in chars)
    bounds = sorted({min(c, len(flat)) for c in cuts} | {0, len(flat)})
    pieces = [flat[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]
    sts = [Statement(f"s{i}", "measure", p) for i, p in enumerate(pieces)]
    locate(sts, section)
    for s in sts:
        assert s.span is not None
        a, b = s.span
        assert "".join(section[a:b].split()) == "".join(s.text.split())
        assert not section[a].isspace() and not section[b - 1].isspace()


def _jieba_as_shipped(text: str) -> list[str]:
    import jieba

    return list(jieba.dt.cut(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="我局公开申请政府信息答复工作人员培训平台网站栏目更新不及时咧嘞囧 \t\r\n\u3000，。；aB12#.-_%",
               max_size=60) | st.text(max_size=30))
def test_one_pass_word_cut_is_jiebas_cut(text: str) -> None:
    # Dictionary words, characters no word starts with (the HMM's runs), Latin and digits inside jieba's
    # runs, spaces and punctuation between them, and any other code point.
    import jieba

    from textmine.statements import wordcut

    assert wordcut.cut(jieba.dt, text) == _jieba_as_shipped(text)


def test_one_pass_word_cut_is_jiebas_cut_on_real_reports(shared: Path) -> None:
    import jieba

    from textmine.document import Paragraph
    from textmine.loaders import load_document
    from textmine.statements import wordcut

    files = [p for d in ("real-dev", "real", "seed") for p in sorted((shared / d).glob("*"))
             if p.suffix in (".txt", ".html", ".pdf", ".md", ".docx") and p.name != "README.md"]
    paragraphs = [b.text for p in files for b in load_document(p).blocks if isinstance(b, Paragraph)]
    assert len(files) >= 60 and len(paragraphs) > 1000
    assert [wordcut.cut(jieba.dt, t) for t in paragraphs] == [_jieba_as_shipped(t) for t in paragraphs]


def test_one_pass_word_cut_reads_words_added_to_the_dictionary() -> None:
    import jieba

    from textmine.statements import wordcut

    tok = jieba.Tokenizer()
    text = "推进政务公开标准化规范化"
    assert "政务公开标准化" not in wordcut.cut(tok, text)
    tok.add_word("政务公开标准化", freq=10**6)
    assert wordcut.cut(tok, text) == list(tok.cut(text))
    assert "政务公开标准化" in wordcut.cut(tok, text)


def test_one_pass_word_cut_breaks_ties_as_jieba(tmp_path: Path) -> None:
    # 甲|乙丙 and 甲乙|丙 have the same words' probabilities in another order, so the same float sum: jieba's
    # max over (probability, end) takes the later end.
    import jieba

    from textmine.statements import wordcut

    (tmp_path / "dict.txt").write_text("甲 3\n丙 3\n甲乙 7\n乙丙 7\n", encoding="utf-8")
    tok = jieba.Tokenizer(dictionary=str(tmp_path / "dict.txt"))
    tok.cache_file = str(tmp_path / "dict.cache")
    assert wordcut.cut(tok, "甲乙丙，甲乙丙") == list(tok.cut("甲乙丙，甲乙丙")) == ["甲乙", "丙", "，", "甲乙", "丙"]
