"""Tables 2–4 as numbers: every cell of the seed and the real reports, each rendering, the variants.

Expected values were read by hand from the printed documents (numbers only; the documents stay in
../shared). Property tests render random consistent tables in each layout and read them back.
"""

from __future__ import annotations

import html as htmlmod
import re

import pytest
from conftest import SEED, needs_shared, real
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textmine.document import Paragraph, make_table
from textmine.loaders import load_document
from textmine.loaders.html import parse_html
from textmine.loaders.markdown import parse_markdown
from textmine.loaders.text import parse_text
from textmine.sections import segment
from textmine.tables import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULT_ROWS,
    parse_number,
    parse_requests,
    parse_tables,
    tables_frame,
)
from textmine.textutil import tighten

# ---------------------------------------------------------------------------------------------------------
# Expected values, read from the documents


def nat(n: int) -> list[int]:
    """A row where only natural persons are counted."""
    return [n, 0, 0, 0, 0, 0, n]


def requests_table(rows: dict[str, list[int]], absent: tuple[str, ...] = ()) -> dict:
    """Table 3 from the non-zero rows; every other row of the form is all zeros."""
    return {
        k: dict(zip(REQUEST_COLUMNS, rows.get(k, [0] * 7), strict=True))
        for k in REQUEST_ROWS
        if k not in absent
    }


def appeals_table(*nums: int) -> dict:
    assert len(nums) == 15
    return {
        g: dict(zip(APPEAL_COLUMNS, nums[i * 5 : (i + 1) * 5], strict=True))
        for i, g in enumerate(APPEAL_GROUPS)
    }


def proactive_2021(rules, normative, licensing, penalty, coercion, fees) -> dict:
    keys = ("issued", "repealed", "in_force")
    return {
        "rules": dict(zip(keys, rules, strict=True)),
        "normative_documents": dict(zip(keys, normative, strict=True)),
        "licensing": {"decisions": licensing},
        "penalty": {"decisions": penalty},
        "coercion": {"decisions": coercion},
        "administrative_fees": {"amount_10k_yuan": fees},
    }


SINGLE_OTHER = (
    "other_no_correction",
    "other_unpaid_fee",
)  # the form of these reports has one （六）其他处理 row

EXPECTED = {
    "seed": {
        "proactive": proactive_2021((0, 0, 0), (0, 0, 0), 0, 21, 0, 0.0),
        "requests": requests_table(
            {
                "new": [23, 4, 0, 0, 0, 0, 27],
                "granted": nat(20),
                "partially_granted": [0, 2, 0, 0, 0, 0, 2],
                "denied_administrative_query": nat(2),
                "total_processed": [22, 2, 0, 0, 0, 0, 24],
                "carried_forward": [1, 2, 0, 0, 0, 0, 3],
            }
        ),
        "appeals": appeals_table(0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    },
    "shanghai-gov-office_2019": {
        "proactive": {
            "rules": {"issued": 13, "published": 13, "total_published": 524},
            "normative_documents": {"issued": 60, "published": 60, "total_published": 368},
            "licensing": {"items_previous_year": 0, "items_change": 0, "decisions": 0},
            "other_management_services": {"items_previous_year": 0, "items_change": 0, "decisions": 0},
            "penalty": {"items_previous_year": 0, "items_change": 0, "decisions": 0},
            "coercion": {"items_previous_year": 0, "items_change": 0, "decisions": 0},
            "administrative_fees": {"items_previous_year": 0, "items_change": 0},
            "government_procurement": {"items": 6, "amount_10k_yuan": 25.1},  # printed 251000元
        },
        # The 总计 cells of the result rows are empty in this report (read as 0).
        "requests": requests_table(
            {
                "new": [821, 35, 0, 0, 2, 1, 859],
                "carried_over": nat(18),
                "granted": [258, 12, 0, 0, 1, 1, 0],
                "partially_granted": [3, 0, 0, 0, 0, 0, 0],
                "denied_state_secret": [14, 0, 0, 0, 0, 0, 0],
                "denied_internal_affairs": [5, 0, 0, 0, 0, 0, 0],
                "denied_process_info": [3, 1, 0, 0, 0, 0, 0],
                "denied_administrative_query": [10, 2, 0, 0, 0, 0, 0],
                "unable_not_held": [252, 12, 0, 0, 1, 0, 0],
                "unable_needs_creation": [44, 3, 0, 0, 0, 0, 0],
                "unable_unclear": [25, 0, 0, 0, 0, 0, 0],
                "rejected_complaint": [148, 1, 0, 0, 0, 0, 0],
                "rejected_duplicate": [5, 4, 0, 0, 0, 0, 0],
                "total_processed": [767, 35, 0, 0, 2, 1, 805],
                "carried_forward": nat(72),
            },
            absent=SINGLE_OTHER,
        ),
        "appeals": appeals_table(5, 0, 0, 2, 7, 8, 0, 0, 1, 9, 0, 0, 0, 0, 0),
    },
    "huaian-city-gov_2024": {
        "proactive": proactive_2021((1, 0, 11), (8, 26, 66), 447228, 3985758, 88283, 96171.6),
        "requests": requests_table(
            {
                "new": [3001, 53, 0, 0, 61, 4, 3119],
                "carried_over": nat(34),
                "granted": [1288, 21, 0, 0, 50, 3, 1362],
                "partially_granted": [447, 7, 0, 0, 0, 0, 454],
                "denied_state_secret": nat(2),
                "denied_prohibited_by_law": [30, 1, 0, 0, 0, 0, 31],
                "denied_security_stability": nat(5),
                "denied_third_party_rights": nat(6),
                "denied_internal_affairs": [7, 1, 0, 0, 0, 0, 8],
                "denied_process_info": nat(12),
                "denied_enforcement_files": nat(9),
                "denied_administrative_query": nat(105),
                "unable_not_held": [746, 12, 0, 0, 10, 1, 769],
                "unable_needs_creation": nat(11),
                "unable_unclear": nat(1),
                "rejected_complaint": [56, 6, 0, 0, 0, 0, 62],
                "rejected_duplicate": nat(25),
                "rejected_confirmation": nat(1),
                "other_no_correction": [67, 3, 0, 0, 1, 0, 71],
                "other_unpaid_fee": nat(6),
                "other_other": [108, 2, 0, 0, 0, 0, 110],
                "total_processed": [2932, 53, 0, 0, 61, 4, 3050],
                "carried_forward": nat(103),
            }
        ),
        "appeals": appeals_table(72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20),
    },
    "hongze-district-gov_2023": {
        "proactive": proactive_2021((0, 0, 0), (0, 5, 5), 550, 4119, 195, 7730.28),
        "requests": requests_table(
            {
                "new": nat(21),
                "partially_granted": nat(4),
                "denied_state_secret": nat(1),
                "denied_process_info": nat(1),
                "denied_enforcement_files": nat(1),
                "unable_not_held": nat(10),
                "unable_needs_creation": nat(3),
                "rejected_complaint": nat(1),
                "total_processed": nat(21),
            },
            absent=SINGLE_OTHER,
        ),
        # As printed: the review and after-review totals are 0 (rule R4 flags them).
        "appeals": appeals_table(10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0),
    },
    "hongze-district-gov_2024": {
        "proactive": proactive_2021((0, 0, 0), (3, 0, 8), 9487, 2776, 84, 7545.0),
        "requests": requests_table(
            {
                "new": nat(95),
                "granted": nat(50),
                "partially_granted": nat(9),
                "denied_security_stability": nat(1),
                "denied_process_info": nat(1),
                "denied_enforcement_files": nat(1),
                "unable_not_held": nat(31),
                "unable_needs_creation": nat(1),
                "rejected_complaint": nat(1),
                "total_processed": nat(95),
            },
            absent=SINGLE_OTHER,
        ),
        "appeals": appeals_table(1, 1, 0, 0, 2, 1, 0, 0, 0, 1, 2, 0, 1, 0, 3),
    },
    # Scrambled Markdown: rows without labels are placed by form order; the narrative of the report
    # (不予公开2件, 无法提供10件, 其他处理14件) confirms the placement. The 结转 row has no 总计 cell.
    "stcsm-kewei_2024": {
        "proactive": proactive_2021((0, 0, 0), (13, 0, 55), 97, 0, 0, 0.0),
        "requests": requests_table(
            {
                "new": [32, 2, 0, 0, 0, 0, 34],
                "carried_over": nat(2),
                "granted": nat(9),
                "denied_internal_affairs": nat(1),
                "denied_process_info": nat(1),
                "unable_not_held": nat(4),
                "unable_needs_creation": nat(6),
                "other_no_correction": [8, 2, 0, 0, 0, 0, 10],
                "other_other": nat(4),
                "total_processed": [33, 2, 0, 0, 0, 0, 35],
                "carried_forward": [1, 0, 0, 0, 0, 0, 0],
            }
        ),
        "appeals": appeals_table(1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    },
    "shuyang-county-fgj_2023": {
        "proactive": proactive_2021((0, 0, 0), (8, 0, 18), 0, 0, 0, 0.0),
        "requests": requests_table({"new": nat(26), "granted": nat(26), "total_processed": nat(26)}),
        "appeals": appeals_table(0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
    },
}

PDFS = ["huaian-city-gov_2024", "hongze-district-gov_2023", "hongze-district-gov_2024"]


def _path(name: str):
    return SEED if name == "seed" else real(name)


def _read(path) -> tuple[dict, list]:
    seg = segment(load_document(path))
    result = parse_tables({k: s.blocks for k, s in seg.sections.items()})
    return result.tables, result.findings


@needs_shared
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_reports_every_cell(name: str) -> None:
    tables, findings = _read(_path(name))
    for key in ("proactive", "requests", "appeals"):
        assert tables[key] == EXPECTED[name][key], f"{name}: table {key}"
    assert findings == []


@needs_shared
@pytest.mark.parametrize("name", PDFS)
def test_pdf_without_ruled_tables(name: str, monkeypatch) -> None:
    """The same PDFs when no ruled table is found: rows arrive as text lines with broken labels."""
    import pdfplumber

    import textmine.loaders.pdf_tables as pdf_tables

    monkeypatch.setattr(pdfplumber.page.Page, "find_tables", lambda self, *a, **k: [])
    monkeypatch.setattr(pdf_tables, "find_tables", lambda *a, **k: [])
    doc = load_document(real(name))
    assert not doc.tables
    seg = segment(doc)
    result = parse_tables({k: s.blocks for k, s in seg.sections.items()})
    assert result.tables == {k: EXPECTED[name][k] for k in ("proactive", "requests", "appeals")}
    assert result.findings == []


@needs_shared
def test_load_report_record_carries_tables() -> None:
    import textmine

    rec = textmine.load_report(SEED, themes=False).to_dict()
    assert rec["tables"]["requests"]["new"] == {
        "natural_person": 23,
        "commercial_enterprise": 4,
        "research_institution": 0,
        "public_interest_org": 0,
        "legal_service_org": 0,
        "other_org": 0,
        "total": 27,
    }
    assert rec["tables"] == EXPECTED["seed"]
    assert all(isinstance(v, int) for row in rec["tables"]["requests"].values() for v in row.values())
    assert isinstance(rec["tables"]["proactive"]["administrative_fees"]["amount_10k_yuan"], float)


# ---------------------------------------------------------------------------------------------------------
# Cells


@pytest.mark.parametrize(
    "cell, value",
    [
        ("", 0),
        ("  ", 0),
        ("/", 0),
        ("—", 0),
        ("-", 0),
        ("０", 0),
        ("１２", 12),
        ("1,234", 1234),
        ("1，234", 1234),
        ("　　    21", 21),
        ("3 119", 3119),
        ("7730.28", 7730.28),
        ("251000元", 251000),
        ("-2", -2),
        ("12件", 12),
        ("规章", None),
        ("1.属于国家秘密", None),
        ("3.5.1", None),
    ],
)
def test_parse_number(cell: str, value) -> None:
    got = parse_number(cell)
    assert got == value and type(got) is type(value)


# ---------------------------------------------------------------------------------------------------------
# Variants

REQ_LABELS = {
    "new": ("", "", "一、本年新收政府信息公开申请数量"),
    "carried_over": ("", "", "二、上年结转政府信息公开申请数量"),
    "granted": ("三、本年度办理结果", "", "（一）予以公开"),
    "partially_granted": (
        "三、本年度办理结果",
        "",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    ),
    "denied_state_secret": ("三、本年度办理结果", "（三）不予公开", "1.属于国家秘密"),
    "denied_prohibited_by_law": ("三、本年度办理结果", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    "denied_security_stability": ("三、本年度办理结果", "（三）不予公开", "3.危及“三安全一稳定”"),
    "denied_third_party_rights": ("三、本年度办理结果", "（三）不予公开", "4.保护第三方合法权益"),
    "denied_internal_affairs": ("三、本年度办理结果", "（三）不予公开", "5.属于三类内部事务信息"),
    "denied_process_info": ("三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"),
    "denied_enforcement_files": ("三、本年度办理结果", "（三）不予公开", "7.属于行政执法案卷"),
    "denied_administrative_query": ("三、本年度办理结果", "（三）不予公开", "8.属于行政查询事项"),
    "unable_not_held": ("三、本年度办理结果", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    "unable_needs_creation": ("三、本年度办理结果", "（四）无法提供", "2.没有现成信息需要另行制作"),
    "unable_unclear": ("三、本年度办理结果", "（四）无法提供", "3.补正后申请内容仍不明确"),
    "rejected_complaint": ("三、本年度办理结果", "（五）不予处理", "1.信访举报投诉类申请"),
    "rejected_duplicate": ("三、本年度办理结果", "（五）不予处理", "2.重复申请"),
    "rejected_publication": ("三、本年度办理结果", "（五）不予处理", "3.要求提供公开出版物"),
    "rejected_excessive": ("三、本年度办理结果", "（五）不予处理", "4.无正当理由大量反复申请"),
    "rejected_confirmation": (
        "三、本年度办理结果",
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
    ),
    "other_no_correction": (
        "三、本年度办理结果",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    ),
    "other_unpaid_fee": (
        "三、本年度办理结果",
        "（六）其他处理",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    ),
    "other_other": ("三、本年度办理结果", "（六）其他处理", "3.其他"),
    "total_processed": ("三、本年度办理结果", "", "（七）总计"),
    "carried_forward": ("", "", "四、结转下年度继续办理"),
}
REQ_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["", "自然人", "法人或其他组织", "总计"],
    ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]


def _request_values(k: int) -> dict[str, list[int]]:
    """A consistent table 3 (deterministic, for the variant tests)."""
    out: dict[str, list[int]] = {}
    for i, key in enumerate(RESULT_ROWS):
        six = [(i * 7 + j * 3 + k) % 5 if (i + j) % 3 == 0 else 0 for j in range(6)]
        out[key] = six + [sum(six)]
    done = [sum(out[r][j] for r in RESULT_ROWS) for j in range(7)]
    out["total_processed"] = done
    out["carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    out["carried_forward"] = [2, 1, 0, 0, 0, 0, 3]
    out["new"] = [
        d + f - o for d, f, o in zip(done, out["carried_forward"], out["carried_over"], strict=True)
    ]
    return out


def test_subtotal_column_dropped() -> None:
    """The 8-column variant: a legal-person subtotal (小计) after the five organisation types."""
    vals = _request_values(1)
    header = [["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计", "总计"]]
    rows = [
        [REQ_LABELS[k][2]] + [str(v) for v in vals[k][:6]] + [str(sum(vals[k][1:6])), str(vals[k][6])]
        for k in REQUEST_ROWS
    ]
    table, findings = parse_requests([make_table(header + rows)])
    assert table == requests_table(vals) and findings == []
    # Without a header the subtotal is found by arithmetic; here it stands right after 自然人.
    rows = [
        [REQ_LABELS[k][2]] + [str(vals[k][0]), str(sum(vals[k][1:6]))] + [str(v) for v in vals[k][1:]]
        for k in REQUEST_ROWS
    ]
    table, findings = parse_requests([Paragraph(" ".join(r)) for r in rows])
    assert table == requests_table(vals) and findings == []


def test_single_other_row_of_2019_form() -> None:
    vals = _request_values(2)
    keys = [k for k in REQUEST_ROWS if k not in SINGLE_OTHER]
    vals["other_other"] = [
        a + b + c
        for a, b, c in zip(
            vals["other_no_correction"], vals["other_unpaid_fee"], vals["other_other"], strict=True
        )
    ]
    rows = [
        [("（六）其他处理" if k == "other_other" else REQ_LABELS[k][2])] + [str(v) for v in vals[k]]
        for k in keys
    ]
    table, findings = parse_requests([make_table(REQ_HEADER + rows)])
    assert table == requests_table(vals, absent=SINGLE_OTHER)
    assert findings == []


def test_unplaceable_row_is_a_finding_not_a_guess() -> None:
    """Two form rows missing between anchors and one row without a label: nothing is guessed."""
    vals = _request_values(3)
    lines = []
    for k in REQUEST_ROWS:
        nums = " ".join(str(v) for v in vals[k])
        if k == "unable_needs_creation":
            continue  # the row is lost altogether
        lines.append(nums if k == "unable_not_held" else f"{REQ_LABELS[k][2]} {nums}")
    table, findings = parse_requests([Paragraph(x) for x in lines])
    assert "unable_not_held" not in table and "unable_needs_creation" not in table
    assert table["unable_unclear"] == dict(zip(REQUEST_COLUMNS, vals["unable_unclear"], strict=True))
    wheres = {f["where"] for f in findings}
    assert {"requests.unplaced_row", "requests.unable_not_held", "requests.unable_needs_creation"} <= wheres
    assert all(f["rule"] == "table" and f["severity"] == "warning" for f in findings)


def test_row_with_wrong_number_of_cells_is_reported() -> None:
    vals = _request_values(4)
    lines = [
        f"{REQ_LABELS[k][2]} {' '.join(str(v) for v in (vals[k][:3] if k == 'granted' else vals[k]))}"
        for k in REQUEST_ROWS
    ]
    table, findings = parse_requests([Paragraph(x) for x in lines])
    assert "granted" not in table
    assert any(f["where"] == "requests.granted" and f["found"] == 3 for f in findings)


@pytest.mark.parametrize(
    "blocks",
    [
        [
            Paragraph(
                "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 3 1 0 2 6 0 0 1 0 1 2 0 0 0 2"
            )
        ],
        [make_table([["3", "1", "0", "2", "6", "0", "0", "1", "0", "1", "2", "0", "0", "0", "2"]])],
        [
            make_table(
                [
                    ["行政复议"] * 5 + ["行政诉讼"] * 10,
                    ["3", "1", "", "2", "6", "", "", "1", "/", "1", "2", "", "", "", "2"],
                ]
            )
        ],
        [
            Paragraph("行政复议"),
            Paragraph("3 1 0 2 6"),
            Paragraph("行政诉讼"),
            Paragraph("0 0 1 0 1 2 0 0 0 2"),
        ],
    ],
)
def test_squashed_and_split_table_4(blocks) -> None:
    result = parse_tables({"appeals": blocks})
    assert result.tables["appeals"] == appeals_table(3, 1, 0, 2, 6, 0, 0, 1, 0, 1, 2, 0, 0, 0, 2)


def test_table_4_of_wrong_size_is_a_finding() -> None:
    result = parse_tables(
        {"appeals": [Paragraph("行政复议 行政诉讼"), Paragraph("1 0 0 0 1 0 0 0 0 0 0 0 0 1")]}
    )
    assert "appeals" not in result.tables
    assert result.findings and result.findings[0]["where"] == "appeals"


def test_absent_tables_are_absent() -> None:
    result = parse_tables(
        {
            "overview": [Paragraph("本年度共收到政府信息公开申请12件，均按期答复。")],
            "problems": [Paragraph("一是公开意识有待加强。")],
        }
    )
    assert result.tables == {} and result.findings == []


def test_table_found_outside_its_section() -> None:
    """A lost heading must not lose the table: the whole document is read when the section has none."""
    vals = _request_values(5)
    rows = [[REQ_LABELS[k][2]] + [str(v) for v in vals[k]] for k in REQUEST_ROWS]
    result = parse_tables(
        {"overview": [Paragraph("一、总体情况"), make_table(REQ_HEADER + rows)], "requests": []}
    )
    assert result.tables["requests"] == requests_table(vals)


def test_proactive_2019_text_lines() -> None:
    lines = [
        "第二十条第（一）项",
        "信息内容 本年新制作数量 本年新公开数量 对外公开总数量",
        "规章 2 2 40",
        "规范性文件 5 5 61",
        "信息内容 上一年项目数量 本年增/减 处理决定数量",
        "行政许可 12 -1 3056",
        "行政处罚 4 0 88",
        "行政强制 1 0 2",
        "信息内容 上一年项目数量 本年增/减",
        "行政事业性收费 3 0",
        "信息内容 采购项目数量 采购总金额",
        "政府集中采购 4 35.5",
    ]
    table = parse_tables({"proactive": [Paragraph(tighten(x)) for x in lines]}).tables["proactive"]
    assert table == {
        "rules": {"issued": 2, "published": 2, "total_published": 40},
        "normative_documents": {"issued": 5, "published": 5, "total_published": 61},
        "licensing": {"items_previous_year": 12, "items_change": -1, "decisions": 3056},
        "penalty": {"items_previous_year": 4, "items_change": 0, "decisions": 88},
        "coercion": {"items_previous_year": 1, "items_change": 0, "decisions": 2},
        "administrative_fees": {"items_previous_year": 3, "items_change": 0},
        "government_procurement": {"items": 4, "amount_10k_yuan": 35.5},
    }


def test_narrative_numbers_are_not_table_rows() -> None:
    result = parse_tables(
        {"proactive": [Paragraph("本年主动公开规章13件、行政规范性文件60件，行政许可事项办理顺畅。")]}
    )
    assert result.tables == {} and result.findings == []


def test_tables_frame() -> None:
    recs = [
        {"doc_id": "a", "meta": {"agency": "甲局", "year": 2023}, "tables": EXPECTED_SMALL},
        {"source": "b.txt", "meta": {"agency": "乙局", "year": None}, "tables": {}},
    ]
    df = tables_frame(recs)
    assert list(df.columns) == ["doc_id", "agency", "year", "table", "row", "column", "value"]
    assert len(df) == 7 + 15 + 1
    row = df[(df.table == "requests") & (df.column == "total")].iloc[0]
    assert (row.doc_id, row.agency, row.year, row.value) == ("a", "甲局", 2023, 9)
    assert df[df.table == "proactive"].value.iloc[0] == 1.5


EXPECTED_SMALL = {
    "requests": {"new": dict(zip(REQUEST_COLUMNS, [5, 4, 0, 0, 0, 0, 9], strict=True))},
    "appeals": appeals_table(*range(15)),
    "proactive": {"administrative_fees": {"amount_10k_yuan": 1.5}},
}


# ---------------------------------------------------------------------------------------------------------
# Property tests: random consistent tables, rendered in each layout, read back exactly

counts = st.one_of(st.just(0), st.just(0), st.integers(0, 40), st.integers(1000, 20000))


@st.composite
def consistent_tables(draw) -> dict:
    req: dict[str, list[int]] = {}
    for key in RESULT_ROWS:
        six = [draw(counts) for _ in range(6)]
        req[key] = six + [sum(six)]
    done = [sum(req[k][j] for k in RESULT_ROWS) for j in range(7)]
    over = [draw(st.integers(0, 5)) for _ in range(6)]
    fwd = [draw(st.integers(0, 5)) for _ in range(6)]
    new = [d + f - o for d, f, o in zip(done[:6], fwd, over, strict=True)]
    fwd = [f - min(n, 0) for f, n in zip(fwd, new, strict=True)]  # keep new requests non-negative
    new = [max(n, 0) for n in new]
    req.update(
        new=new + [sum(new)],
        carried_over=over + [sum(over)],
        total_processed=done,
        carried_forward=fwd + [sum(fwd)],
    )
    appeals = []
    for _ in APPEAL_GROUPS:
        parts = [draw(st.integers(0, 30)) for _ in range(4)]
        appeals += parts + [sum(parts)]
    three = [draw(st.integers(0, 120)) for _ in range(6)]
    single = [draw(st.integers(0, 99999)) for _ in range(3)]
    fees = draw(st.integers(0, 10**7)) / 100
    return {
        "requests": requests_table(req),
        "appeals": appeals_table(*appeals),
        "proactive": proactive_2021(tuple(three[:3]), tuple(three[3:]), *single, fees),
    }


def _cell(draw, v: int, empty_ok: bool = True) -> str:
    """A count as a report might print it: empty or a dash for 0, full-width digits, separators, spaces."""
    if v == 0 and empty_ok and draw(st.booleans()):
        return draw(st.sampled_from(["", "/", "—", "-"]))
    s = f"{v:,}" if v >= 1000 and draw(st.booleans()) else str(v)
    if draw(st.integers(0, 4)) == 0:
        s = s.translate(str.maketrans("0123456789,", "０１２３４５６７８９，"))
    return draw(st.sampled_from(["", "　　 ", " "])) + s


def _rows(t: dict, key: str) -> list[int]:
    return list(t["requests"][key].values())


def _fee(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else str(int(v))


def _txt(draw, t: dict) -> str:
    """Word converted to text: one tab-led line per cell, a blank line after each row."""
    p = t["proactive"]
    rows2 = [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", *[_cell(draw, v) for v in p["rules"].values()]],
        ["行政规范性文件", *[_cell(draw, v) for v in p["normative_documents"].values()]],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", _cell(draw, p["licensing"]["decisions"])],
        ["第二十条第（六）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政处罚", _cell(draw, p["penalty"]["decisions"])],
        ["行政强制", _cell(draw, p["coercion"]["decisions"])],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", _fee(p["administrative_fees"]["amount_10k_yuan"])],
    ]
    rows3 = [list(r) for r in REQ_HEADER]
    seen_groups: set[str] = set()
    for key in REQUEST_ROWS:
        top, group, label = REQ_LABELS[key]
        lead = [top if top and top not in seen_groups else ""] if top else []
        seen_groups.add(top)
        if group:
            lead.append(group if group not in seen_groups else "")
            seen_groups.add(group)
        rows3.append([*lead, label, *[_cell(draw, v) for v in _rows(t, key)]])
    a = [v for g in t["appeals"].values() for v in g.values()]
    rows4 = [
        ["行政复议", "行政诉讼"],
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
        [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
        [_cell(draw, v) for v in a],
    ]

    def flat(rows: list[list[str]]) -> str:
        out = []
        for r in rows:
            for c in r:
                if len(c) > 12 and draw(st.integers(0, 3)) == 0:  # a cell wrapped onto a line of its own
                    cut = len(c) // 2
                    out.append(f"\t{c[:cut]}\n{c[cut:]}")
                else:
                    out.append(f"\t{c}")
            out.append("")
        return "\n".join(out)

    return (
        f"二、主动公开政府信息情况\n{flat(rows2)}\n\n三、收到和处理政府信息公开申请情况\n{flat(rows3)}\n\n"
        f"四、政府信息公开行政复议、行政诉讼情况\n{flat(rows4)}\n\n五、存在的主要问题及改进情况\n一是宣传不够。\n"
    )


def _html(draw, t: dict) -> str:
    """An HTML page whose table 3 and 4 use rowspan/colspan like the web pages of the corpus."""

    def td(text: str, rs: int = 1, cs: int = 1) -> str:
        attrs = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
        return f"<td{attrs}>{htmlmod.escape(text)}</td>"

    p = t["proactive"]
    t2 = [
        "<tr>" + td("第二十条第（一）项", cs=4) + "</tr>",
        "<tr>"
        + "".join(td(x) for x in ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
        + "</tr>",
    ]
    for label, key in (("规章", "rules"), ("行政规范性文件", "normative_documents")):
        t2.append("<tr>" + td(label) + "".join(td(_cell(draw, v)) for v in p[key].values()) + "</tr>")
    for head, items in (
        ("第二十条第（五）项", [("行政许可", "licensing")]),
        ("第二十条第（六）项", [("行政处罚", "penalty"), ("行政强制", "coercion")]),
    ):
        t2 += [
            "<tr>" + td(head, cs=4) + "</tr>",
            "<tr>" + td("信息内容") + td("本年处理决定数量", cs=3) + "</tr>",
        ]
        for label, key in items:
            t2.append("<tr>" + td(label) + td(_cell(draw, p[key]["decisions"]), cs=3) + "</tr>")
    t2 += [
        "<tr>" + td("第二十条第（八）项", cs=4) + "</tr>",
        "<tr>" + td("信息内容") + td("本年收费金额（单位：万元）", cs=3) + "</tr>",
        "<tr>" + td("行政事业性收费") + td(_fee(p["administrative_fees"]["amount_10k_yuan"]), cs=3) + "</tr>",
    ]
    t3 = [
        "<tr>" + td(REQ_HEADER[0][0], rs=3, cs=3) + td("申请人情况", cs=7) + "</tr>",
        "<tr>" + td("自然人", rs=2) + td("法人或其他组织", cs=5) + td("总计", rs=2) + "</tr>",
        "<tr>" + "".join(td(x) for x in REQ_HEADER[2][2:]) + "</tr>",
    ]
    spans = {}
    for key in REQUEST_ROWS:
        top, group, _ = REQ_LABELS[key]
        spans[top] = spans.get(top, 0) + 1
        spans[group] = spans.get(group, 0) + 1
    opened: set[str] = set()
    for key in REQUEST_ROWS:
        top, group, label = REQ_LABELS[key]
        cells = ""
        if not top:
            cells += td(label, cs=3)
        else:
            if top not in opened:
                cells += td(top, rs=spans[top])
                opened.add(top)
            if not group:
                cells += td(label, cs=2)
            else:
                if group not in opened:
                    cells += td(group, rs=spans[group])
                    opened.add(group)
                cells += td(label)
        cells += "".join(td(_cell(draw, v)) for v in _rows(t, key))
        t3.append(f"<tr>{cells}</tr>")
    a = [v for g in t["appeals"].values() for v in g.values()]
    t4 = [
        "<tr>" + td("行政复议", cs=5) + td("行政诉讼", cs=10) + "</tr>",
        "<tr>"
        + "".join(td(x, rs=2) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"])
        + td("未经复议直接起诉", cs=5)
        + td("复议后起诉", cs=5)
        + "</tr>",
        "<tr>"
        + "".join(td(x) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
        + "</tr>",
        "<tr>" + "".join(td(_cell(draw, v)) for v in a) + "</tr>",
    ]
    return (
        "<html><body><div><p>二、主动公开政府信息情况</p><table>" + "".join(t2) + "</table>"
        "<p>三、收到和处理政府信息公开申请情况</p><table>" + "".join(t3) + "</table>"
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><table>" + "".join(t4) + "</table>"
        "<p>五、存在的主要问题及改进情况</p><p>一是宣传不够。</p></div></body></html>"
    )


VERTICAL = list("三、本年度办理结果")


def _pdf_lines(draw, t: dict) -> dict[str, list]:
    """PDF text without ruled tables: numbers on the label's line, or on a line of their own between the
    pieces of a wrapped label, and the vertical label 三、本年度办理结果 one character per line."""
    p = t["proactive"]
    two = [
        "第二十条第（一）项",
        "信息内容 本年制发件数 本年废止件数 现行有效件数",
        "规章 " + " ".join(map(str, p["rules"].values())),
        "行政规范性文件 " + " ".join(map(str, p["normative_documents"].values())),
        "第二十条第（五）项",
        "信息内容 本年处理决定数量",
        f"行政许可 {p['licensing']['decisions']}",
        "第二十条第（六）项",
        "信息内容 本年处理决定数量",
        f"行政处罚 {p['penalty']['decisions']}",
        f"行政强制 {p['coercion']['decisions']}",
        "第二十条第（八）项",
        "信息内容 本年收费金额（单位：万元）",
        f"行政事业性收费 {_fee(p['administrative_fees']['amount_10k_yuan'])}",
    ]
    three = [
        "申请人情况",
        "（本列数据的勾稽关系为：第一项加第二项之和，法人或其他组织",
        "等于第三项加第四项之和）",
        "自然人 总计",
        "商业企业 科研机构 社会公益组织 法律服务机构 其他",
    ]
    vertical = iter(VERTICAL)
    for key in REQUEST_ROWS:
        label = REQ_LABELS[key][2]
        nums = " ".join(str(v) for v in _rows(t, key))
        style = draw(st.integers(0, 5))
        prefix = next(vertical, "") if REQ_LABELS[key][0] and draw(st.booleans()) else ""
        if style == 0 and len(label) >= 8:  # numbers between the two halves of a wrapped label
            cut = draw(st.integers(len(label) // 3, 2 * len(label) // 3))
            three += [prefix + label[:cut], nums, label[cut:]]
        elif style == 1 and key not in ("new", "total_processed"):  # numbers first, the label below
            three += [nums, prefix + label]
        else:
            three.append(f"{prefix} {label} {nums}".strip())
        if REQ_LABELS[key][0] and draw(st.integers(0, 3)) == 0:
            three.append(next(vertical, "果"))
    a = " ".join(str(v) for g in t["appeals"].values() for v in g.values())
    four = [
        "行政复议 行政诉讼",
        "未经复议直接起诉 复议后起诉",
        "结果 结果 其他 尚未 总计",
        "维持 纠正 结果 审结",
        a,
    ]
    return {
        "proactive": [Paragraph(tighten(x)) for x in two],
        "requests": [Paragraph(tighten(x)) for x in three],
        "appeals": [Paragraph(tighten(x)) for x in four],
    }


def _markdown(draw, t: dict) -> str:
    """Markdown pipe tables made from a PDF: some rows lose their label to a plain line above them."""
    p = t["proactive"]
    out = [
        "二、主动公开政府信息情况",
        "",
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "|---|---|---|---|",
        "| 规章 | " + " | ".join(map(str, p["rules"].values())) + " |",
        "| 行政规范性文件 | " + " | ".join(map(str, p["normative_documents"].values())) + " |",
        "",
        "信息内容 本年处理决定数量",
        f"行政许可 {p['licensing']['decisions']}",
        "",
        "信息内容 本年处理决定数量",
        f"行政处罚 {p['penalty']['decisions']}",
        f"行政强制 {p['coercion']['decisions']}",
        "",
        "信息内容 本年收费金额（单位：万元）",
        f"行政事业性收费 {_fee(p['administrative_fees']['amount_10k_yuan'])}",
        "",
        "三、收到和处理政府信息公开申请情况",
        "",
        "| 业 | 构 | 益组织 | 务机构 |  |  |  |  |",
        "|---|---|---|---|---|---|---|---|",
    ]
    detached = False
    for i, key in enumerate(REQUEST_ROWS):
        vals = [_cell(draw, v, empty_ok=False) for v in _rows(t, key)]
        # Detach at most every other row so that labelled rows remain around the detached ones.
        if 0 < i < len(REQUEST_ROWS) - 1 and not detached and draw(st.integers(0, 2)) == 0:
            out += [
                "",
                REQ_LABELS[key][2],
                "",
                "| " + " | ".join(vals) + " |",
                "|---|---|---|---|---|---|---|",
            ]
            detached = True
            continue
        detached = False
        out.append(f"| {REQ_LABELS[key][2]} | " + " | ".join(vals) + " |")
    a = [str(v) for g in t["appeals"].values() for v in g.values()]
    out += [
        "",
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议行政诉讼",
        "",
        "| " + " | ".join(a) + " |",
        "|" + "---|" * 15,
        "",
        "五、存在的主要问题及改进情况",
        "一是宣传不够。",
    ]
    return "\n".join(out)


def _by_section(doc) -> dict:
    seg = segment(doc)
    return {k: s.blocks for k, s in seg.sections.items()}


PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.data())
def test_property_flattened_text(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_by_section(parse_text(_txt(data.draw, t))))
    assert result.tables == t and result.findings == []


@PROPS
@given(st.data())
def test_property_html_grid(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_by_section(parse_html(_html(data.draw, t))))
    assert result.tables == t and result.findings == []


@PROPS
@given(st.data())
def test_property_pdf_text_lines(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_pdf_lines(data.draw, t))
    assert result.tables == t and result.findings == []


@PROPS
@given(st.data())
def test_property_pipe_tables(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_by_section(parse_markdown(_markdown(data.draw, t))))
    assert result.tables == t and result.findings == []


@PROPS
@given(consistent_tables(), st.sampled_from(["line", "row", "grid"]))
def test_property_squashed_table_4(t: dict, how: str) -> None:
    nums = [str(v) for g in t["appeals"].values() for v in g.values()]
    if how == "line":
        blocks = [Paragraph("行政复议 行政诉讼 " + " ".join(nums))]
    elif how == "row":
        blocks = [make_table([nums])]
    else:
        blocks = [make_table([["行政复议"] * 5 + ["行政诉讼"] * 10, [re.sub(r"^0$", "", n) for n in nums]])]
    assert parse_tables({"appeals": blocks}).tables == {"appeals": t["appeals"]}


def test_nearby_label_places_a_row_when_counts_do_not() -> None:
    """One form row is lost and the next lost its label to the line above: that label decides."""
    vals = _request_values(6)
    lines = []
    for k in REQUEST_ROWS:
        nums = " ".join(str(v) for v in vals[k])
        if k == "unable_not_held":
            continue
        if k == "unable_needs_creation":
            lines += [REQ_LABELS[k][2], nums]
        else:
            lines.append(f"{REQ_LABELS[k][2]} {nums}")
    table, findings = parse_requests([Paragraph(x) for x in lines])
    assert table["unable_needs_creation"] == dict(
        zip(REQUEST_COLUMNS, vals["unable_needs_creation"], strict=True)
    )
    assert "unable_not_held" not in table
    assert [f["where"] for f in findings] == ["requests.unable_not_held"]


def _damage(label: str) -> str:
    """One character of the label's words misread (as OCR does), numbering left alone."""
    words = [i for i, ch in enumerate(label) if "\u4e00" <= ch <= "\u9fff"]
    i = words[len(words) // 2]
    return label[:i] + "口" + label[i + 1 :]


@pytest.mark.parametrize("layout", ["grid", "text"])
def test_labels_with_ocr_damage(layout: str) -> None:
    vals = _request_values(7)
    rows = [[_damage(REQ_LABELS[k][2])] + [str(v) for v in vals[k]] for k in REQUEST_ROWS]
    blocks = [make_table(REQ_HEADER + rows)] if layout == "grid" else [Paragraph(" ".join(r)) for r in rows]
    table, findings = parse_requests(blocks)
    assert table == requests_table(vals) and findings == []
