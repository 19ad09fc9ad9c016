"""Tables 2–4 as numbers: every cell of the seed and the real reports, each rendering, the variants.

Expected values were read by hand from the printed documents (numbers only; the documents stay in
../shared). Property tests render random consistent tables in each layout and read them back.
"""

from __future__ import annotations

import re

import pytest
from conftest import SEED, needs_shared, real
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.tables_render import (
    REQ_HEADER,
    REQ_LABELS,
    appeals_table,
    consistent_tables,
    nat,
    proactive_2021,
    render_html,
    render_markdown,
    render_pdf_lines,
    render_txt,
    requests_table,
)

from textmine.document import Paragraph, make_table
from textmine.loaders import load_document
from textmine.loaders.html import parse_html
from textmine.loaders.markdown import parse_markdown
from textmine.loaders.text import parse_text
from textmine.sections import segment
from textmine.tables import (
    APPEAL_COLUMNS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULT_ROWS,
    _labels,
    norm_label,
    parse_number,
    parse_requests,
    parse_tables,
    tables_frame,
)
from textmine.textutil import tighten

# ---------------------------------------------------------------------------------------------------------
# Expected values, read from the documents


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

# Cells printed blank, read as None (missing, never 0): per "table.row", the positions of the blank
# columns in REQUEST_COLUMNS / APPEAL_COLUMNS. The values above are 0 there only as placeholders.
_ALL6 = "0123456"
BLANK = {
    "seed": {"appeals.review": "023", "appeals.litigation_direct": "0123", "appeals.litigation_after_review": "0123"},
    "shanghai-gov-office_2019": {
        "requests.new": "23", "requests.carried_over": "12345", "requests.granted": "236",
        "requests.partially_granted": "123456", "requests.denied_state_secret": "123456",
        "requests.denied_prohibited_by_law": _ALL6, "requests.denied_security_stability": _ALL6,
        "requests.denied_third_party_rights": _ALL6, "requests.denied_internal_affairs": "123456",
        "requests.denied_process_info": "23456", "requests.denied_enforcement_files": _ALL6,
        "requests.denied_administrative_query": "23456", "requests.unable_not_held": "2356",
        "requests.unable_needs_creation": "23456", "requests.unable_unclear": "123456",
        "requests.rejected_complaint": "23456", "requests.rejected_duplicate": "23456",
        "requests.rejected_publication": _ALL6, "requests.rejected_excessive": _ALL6,
        "requests.rejected_confirmation": _ALL6, "requests.other_other": _ALL6, "requests.total_processed": "23",
        "requests.carried_forward": "12345", "appeals.review": "12", "appeals.litigation_direct": "12",
        "appeals.litigation_after_review": "01234"},
    # Only 自然人 and 总计 are filled in, in every row.
    "shuyang-county-fgj_2023": {f"requests.{k}": "12345" for k in REQUEST_ROWS},
    "stcsm-kewei_2024": {"requests.carried_forward": "6"},
}


def _expected(name: str) -> dict:
    """EXPECTED[name] with the printed blanks of BLANK[name] as None."""
    out = {k: {r: dict(c) for r, c in t.items()} for k, t in EXPECTED[name].items()}
    for where, cols in BLANK.get(name, {}).items():
        table, row = where.split(".")
        names = REQUEST_COLUMNS if table == "requests" else APPEAL_COLUMNS
        for i in cols:
            assert out[table][row][names[int(i)]] == 0, (name, where, i)
            out[table][row][names[int(i)]] = None
    return out


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
        assert tables[key] == _expected(name)[key], f"{name}: table {key}"
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
    assert rec["tables"] == _expected("seed")
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
                    ["3", "1", "0", "2", "6", "-", "—", "1", "/", "1", "2", "0", "0", "0", "2"],
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

def _by_section(doc) -> dict:
    seg = segment(doc)
    return {k: s.blocks for k, s in seg.sections.items()}


PROPS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.data())
def test_property_flattened_text(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_by_section(parse_text(render_txt(data.draw, t))))
    assert result.tables == t and result.findings == []


@PROPS
@given(st.data())
def test_property_html_grid(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_by_section(parse_html(render_html(data.draw, t))))
    assert result.tables == t and result.findings == []


@PROPS
@given(st.data())
def test_property_pdf_text_lines(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(render_pdf_lines(data.draw, t))
    assert result.tables == t and result.findings == []


@PROPS
@given(st.data())
def test_property_pipe_tables(data) -> None:
    t = data.draw(consistent_tables())
    result = parse_tables(_by_section(parse_markdown(render_markdown(data.draw, t))))
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
        blocks = [make_table([["行政复议"] * 5 + ["行政诉讼"] * 10, [re.sub(r"^0$", "—", n) for n in nums]])]
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


def test_label_lcs_equals_the_dynamic_programme():
    """The bit-parallel common-subsequence length behind label matching, against the textbook table."""
    import random

    from textmine.tables.form import _lcs

    def reference(a: str, b: str) -> int:
        d = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                d[i + 1][j + 1] = d[i][j] + 1 if x == y else max(d[i][j + 1], d[i + 1][j])
        return d[-1][-1]

    rng = random.Random(7)
    alphabet = "本年新收政府信息公开申请数量结转办理结果予以部分x1"
    for _ in range(2000):
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 50)))
        b = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert _lcs(a, b) == reference(a, b), (a, b)


@pytest.mark.parametrize("table", ["requests", "proactive"])
def test_label_match_scores_every_variant_as_score_does(table):
    """_match packs all label variants in one bit vector: its ranking is that of _score per variant."""
    import random

    from textmine.tables.form import _labels, _match, _score, norm_label

    rows = _labels()[table]["rows"]
    variants = [norm_label(v) for r in rows for v in r["labels"]]
    chars = sorted(set("".join(variants))) + list("某甲乙")
    rng = random.Random(11)
    labels = [*variants, *("".join(rng.choice(chars) for _ in range(rng.randint(1, 300))) for _ in range(300))]
    for label in labels:
        expected = sorted(((r["key"], round(best, 4)) for r in rows
                           if (best := max(_score(label, norm_label(v)) for v in r["labels"])) > 0),
                          key=lambda kv: -kv[1])
        assert _match.__wrapped__(table, label) == tuple(expected), label


_DIGIT_SCRIPTS = ["0123456789", "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
                  "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f", "０１２３４５６７８９"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,件元万 -", min_size=1, max_size=12), st.sampled_from(_DIGIT_SCRIPTS))
def test_a_number_reads_the_same_in_every_digit_script(ascii_text: str, script: str) -> None:
    from textmine.tables.form import _parse_number

    other = ascii_text.translate(str.maketrans("0123456789", script))
    assert _parse_number(other) == _parse_number(ascii_text)


_PROACTIVE = _labels()["proactive"]
_TERMS = sorted({v for r in _PROACTIVE["rows"] for v in r["labels"]}
                | {v for vs in _PROACTIVE["fields"].values() for v in vs})
# Every piece of every row label and field header, and what glues to them in flattened text: numbering
# marks, numbers, units, dashes, spaces, punctuation.
_PIECES = sorted({t[i:j] for t in _TERMS for i in range(len(t)) for j in range(i + 1, len(t) + 1)}) + [
    "一", "二", "十", "、", ".", "．", "（", "）", "(", ")", "（一）", "一、", "1.", "2、", "(3)", "0", "5", "12",
    "3.5", "-", "—", "/", "无", " ", "  ", "\u3000", "万元", "元", "件", "个", "，", "。", "：", "公开", "本年",
    "数量", "a", "Z", "１２", "％", "%", "+", "第", "年", "2023"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=14))
def test_a_line_without_table_2_terms_is_skipped_for_what_it_is(pieces: list[str]) -> None:
    # parse_proactive reads a text line only when its normal form holds a row label or a field header:
    # each piece between its number runs normalises to a piece of the line's normal form, so a line
    # without a term reads as nothing (no row, the header left as it was).
    from textmine.tables.form import _segments
    from textmine.tables.proactive import _may_hold_terms, _proactive_vocab, _text_rows2

    line = "".join(pieces)
    whole = norm_label(line)
    assert all(norm_label(text) in whole for text, _ in _segments(line))
    if not _may_hold_terms(whole, *_proactive_vocab()):
        header = {"text_fields": ["issued"], "yuan": True}
        assert _text_rows2(line, header) == [] and header == {"text_fields": ["issued"], "yuan": True}


_LINE_PIECES = st.sampled_from(["本年新收政府信息公开申请数量", "（七）总计", "予以公开", "小计", "商业企业", "自然人",
                                "三、", "年", "件", "，", " ", "—", "0", "12", "3", "2,048", "1.5", "①", "０", "7"])


_NUMBER_RUN = st.lists(st.sampled_from(["0", "12", "3", "2,048", "1.5", "—", "０", "7件"]), min_size=5, max_size=9).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(_LINE_PIECES | _NUMBER_RUN, max_size=5).map(" ".join), min_size=1, max_size=6))
def test_table3_rows_of_text_lines_are_the_runs_the_width_count_saw(lines: list[str]) -> None:
    # parse_requests gives up on text lines before reading their items when fewer than two runs have
    # the row width: _request_width's count of those runs is the number of rows the items would hold.
    from textmine.tables.grid import _request_items, _request_width

    blocks = [Paragraph(x) for x in lines]
    width, _, counts = _request_width(blocks)
    rows = [it for it in _request_items(blocks, width) if it.values is not None]
    assert len(rows) == counts[width]
