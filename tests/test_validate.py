"""Consistency rules R1–R6: real reports, narrative counts, changed cells caught at the right place."""

from __future__ import annotations

import copy

import pytest
from conftest import SEED, needs_shared, real
from hypothesis import given, settings
from hypothesis import strategies as st
from support.tables_render import consistent_tables

from textmine.loaders import load_document
from textmine.sections import segment
from textmine.tables import APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_ROWS, RESULT_ROWS, parse_tables
from textmine.validate import check_corpus, check_report, narrative_counts


def _check(path) -> list[dict]:
    seg = segment(load_document(path))
    tables = parse_tables({k: s.blocks for k, s in seg.sections.items()}).tables
    return check_report(tables, {k: s.text for k, s in seg.sections.items()})


def _keyed(findings: list[dict]) -> set[tuple]:
    return {(f["rule"], f["severity"], f["where"], f["expected"], f["found"]) for f in findings}


# ---------------------------------------------------------------------------------------------------------
# Real reports


@needs_shared
@pytest.mark.parametrize("name", ["seed", "huaian-city-gov_2024", "shuyang-county-fgj_2023"])
def test_clean_reports_have_no_findings(name: str) -> None:
    assert _check(SEED if name == "seed" else real(name)) == []


@needs_shared
def test_shanghai_2019_narrative_mismatch() -> None:
    findings = _check(real("shanghai-gov-office_2019"))
    r5 = {f for f in _keyed(findings) if f[0] == "R5"}
    assert r5 == {
        ("R5", "error", "narrative.requests.granted_or_partial", 275, 258),
        ("R5", "error", "narrative.requests.unable", 337, 265),
    }
    # The 总计 cells of the result rows are printed empty: missing, not a violation (R3 is not checked
    # there), and R2 on the total column counts each blank 总计 as its row's sum (805 = 805).
    assert not [f for f in findings if f["rule"] in ("R1", "R2", "R3", "R4")]


@needs_shared
def test_hongze_2024_scope_difference_is_a_warning() -> None:
    findings = _check(real("hongze-district-gov_2024"))
    assert _keyed(findings) == {("R5", "warning", "narrative.requests.new", 95, 17)}
    assert "unit" in findings[0]["message"]


@needs_shared
def test_hongze_2023_table_4_totals() -> None:
    assert _keyed(_check(real("hongze-district-gov_2023"))) == {
        ("R4", "error", "appeals.review", 11, 0),
        ("R4", "error", "appeals.litigation_after_review", 5, 0),
    }


@needs_shared
def test_kewei_missing_total_cell() -> None:
    # The 结转 row's 总计 is blank: missing, not a violation; R1 counts it as its row's sum (1): 36 = 35 + 1.
    assert _keyed(_check(real("stcsm-kewei_2024"))) == set()


@needs_shared
def test_load_report_validation_and_corpus_pair() -> None:
    import textmine

    rec = textmine.load_report(real("shanghai-gov-office_2019"), themes=False).to_dict()
    assert {f["where"] for f in rec["validation"] if f["rule"] == "R5"} == {
        "narrative.requests.granted_or_partial",
        "narrative.requests.unable",
    }
    # The Hongze two-year pair: 0 carried forward at the end of 2023, 0 carried over into 2024.
    pair = []
    for year in (2023, 2024):
        r = textmine.load_report(real(f"hongze-district-gov_{year}"), themes=False).to_dict()
        pair.append({**r, "agency_id": "hongze"})
    assert [r["meta"]["year"] for r in pair] == [2023, 2024]
    assert check_corpus(pair) == []
    pair[1] = copy.deepcopy(pair[1])
    pair[1]["tables"]["requests"]["carried_over"]["natural_person"] = 4
    assert {
        (f["rule"], f["where"], f["expected"], f["found"], f["year"], f["previous_year"])
        for f in check_corpus(pair)
    } == {("R6", "requests.carried_over.natural_person", 0, 4, 2024, 2023)}


# ---------------------------------------------------------------------------------------------------------
# Narrative counts (sentences written for these tests)


def test_narrative_counts() -> None:
    text = (
        "本年度共受理政府信息公开申请42件，上年度结转申请3件，全年办结40件，另有5件结转至下一年度继续办理。"
        "其中予以公开18件，部分公开5件，不予公开4件，因本机关不掌握相关信息无法提供9件，不予处理2件，其他处理2件。"
        "全年发生政府信息公开行政复议3件，其中结果维持2件，尚未审结1件；行政诉讼2件，其中结果纠正1件，其他结果1件。"
        "申请数量较上年增加6件。办理人大代表建议5件。"
    )
    got = [(c["what"], c["value"]) for c in narrative_counts(text)]
    assert got == [
        ("new", 42),
        ("carried_over", 3),
        ("total_processed", 40),
        ("carried_forward", 5),
        ("granted", 18),
        ("partially_granted", 5),
        ("denied", 4),
        ("unable", 9),
        ("rejected", 2),
        ("other", 2),
        ("review", 3),
        ("review.upheld", 2),
        ("review.pending", 1),
        ("litigation", 2),
        ("litigation.corrected", 1),
        ("litigation.other", 1),
    ]


def _table_with_new(total: int) -> dict:
    row = dict.fromkeys(REQUEST_COLUMNS, 0)
    row.update(natural_person=total, total=total)
    return {"requests": {"new": row}}


@pytest.mark.parametrize(
    "text, severity",
    [
        ("2023年，区政府办公室代表区政府受理政府信息公开申请8件，均按时答复。", "warning"),
        ("2023年，全区共受理政府信息公开申请8件，均按时答复。", "error"),
    ],
)
def test_scope_difference(text: str, severity: str) -> None:
    findings = check_report(_table_with_new(40), {"overview": text})
    assert _keyed(findings) == {("R5", severity, "narrative.requests.new", 40, 8)}


def test_narrative_in_problems_section_is_not_checked() -> None:
    assert (
        check_report(_table_with_new(40), {"problems": "个别单位受理政府信息公开申请8件后答复不及时。"}) == []
    )


# ---------------------------------------------------------------------------------------------------------
# Properties: a consistent report raises nothing; a changed cell is caught by the right rule and place

APPLICANTS = REQUEST_COLUMNS[:-1]


def _expected_for_change(row: str, col: str) -> set[tuple[str, str]]:
    """Which rules see a change of one cell of table 3, and where they report it."""
    out = {("R3", f"requests.{row}")}
    if row in RESULT_ROWS:
        out.add(("R2", f"requests.{col}"))
    elif row == "total_processed":
        out |= {("R1", f"requests.{col}"), ("R2", f"requests.{col}")}
    else:  # new, carried_over, carried_forward
        out.add(("R1", f"requests.{col}"))
    return out


PROPS = settings(max_examples=60, deadline=None)


@PROPS
@given(consistent_tables())
def test_property_consistent_tables_pass(t: dict) -> None:
    assert check_report(t, {}) == []


@PROPS
@given(
    consistent_tables(),
    st.sampled_from(REQUEST_ROWS),
    st.sampled_from(REQUEST_COLUMNS),
    st.integers(1, 50),
    st.booleans(),
)
def test_property_changed_request_cell(t: dict, row: str, col: str, delta: int, down: bool) -> None:
    t = copy.deepcopy(t)
    t["requests"][row][col] += -delta if down else delta
    got = {(f["rule"], f["where"]) for f in check_report(t, {})}
    assert got == _expected_for_change(row, col)


@PROPS
@given(
    consistent_tables(),
    st.sampled_from(APPEAL_GROUPS),
    st.sampled_from(["upheld", "corrected", "other", "pending", "total"]),
    st.integers(1, 50),
)
def test_property_changed_appeals_cell(t: dict, group: str, col: str, delta: int) -> None:
    t = copy.deepcopy(t)
    t["appeals"][group][col] += delta
    assert {(f["rule"], f["where"]) for f in check_report(t, {})} == {("R4", f"appeals.{group}")}


def _stated(t: dict) -> dict[str, int]:
    req, app = t["requests"], t["appeals"]

    def total(rows):
        return sum(req[r]["total"] for r in rows)

    return {
        "new": req["new"]["total"],
        "carried_over": req["carried_over"]["total"],
        "total_processed": req["total_processed"]["total"],
        "granted": req["granted"]["total"],
        "partially_granted": req["partially_granted"]["total"],
        "denied": total([r for r in RESULT_ROWS if r.startswith("denied")]),
        "unable": total([r for r in RESULT_ROWS if r.startswith("unable")]),
        "rejected": total([r for r in RESULT_ROWS if r.startswith("rejected")]),
        "other": total([r for r in RESULT_ROWS if r.startswith("other")]),
        "carried_forward": req["carried_forward"]["total"],
        "review": app["review"]["total"],
        "review.upheld": app["review"]["upheld"],
        "litigation": app["litigation_direct"]["total"] + app["litigation_after_review"]["total"],
    }


STATED = [
    "new",
    "carried_over",
    "total_processed",
    "granted",
    "partially_granted",
    "denied",
    "unable",
    "rejected",
    "other",
    "carried_forward",
    "review",
    "review.upheld",
    "litigation",
]
TEMPLATE = (
    "本年度共收到政府信息公开申请{new}件，上年结转{carried_over}件。全年办结{total_processed}件，"
    "其中予以公开{granted}件，部分公开{partially_granted}件，不予公开{denied}件，无法提供{unable}件，"
    "不予处理{rejected}件，其他处理{other}件；另有{carried_forward}件结转下年度继续办理。"
    "全年发生行政复议{review}件，其中结果维持{review.upheld}件；行政诉讼{litigation}件。"
)


def _narrative(values: dict[str, int]) -> str:
    text = TEMPLATE
    for k, v in values.items():
        text = text.replace("{" + k + "}", str(v))
    return text


@PROPS
@given(consistent_tables(), st.sampled_from(STATED), st.integers(1, 9))
def test_property_narrative(t: dict, what: str, delta: int) -> None:
    values = _stated(t)
    assert check_report(t, {"overview": _narrative(values)}) == []
    values[what] += delta
    area = "appeals" if what.startswith(("review", "litigation")) else "requests"
    assert _keyed(check_report(t, {"overview": _narrative(values)})) == {
        ("R5", "error", f"narrative.{area}.{what}", values[what] - delta, values[what])
    }


# ---------------------------------------------------------------------------------------------------------
# R6 across years


def _record(agency: str, year: int, over: int, fwd: int, agency_id: str | None = None) -> dict:
    def row(n: int) -> dict:
        return {**dict.fromkeys(REQUEST_COLUMNS, 0), "natural_person": n, "total": n}

    rec = {
        "source": f"{agency}-{year}.txt",
        "meta": {"agency": agency, "year": year},
        "tables": {"requests": {"carried_over": row(over), "carried_forward": row(fwd)}},
    }
    if agency_id:
        rec["agency_id"] = agency_id
    return rec


def test_r6_consecutive_years_only() -> None:
    recs = [
        _record("甲县民政局", 2021, 0, 2),
        _record("甲县民政局", 2022, 2, 1),
        _record("甲县民政局", 2024, 5, 0),
    ]
    assert check_corpus(recs) == []
    recs[1] = _record("甲县民政局", 2022, 3, 1)
    findings = check_corpus(recs)
    assert {(f["rule"], f["where"], f["expected"], f["found"]) for f in findings} == {
        ("R6", "requests.carried_over.natural_person", 2, 3),
        ("R6", "requests.carried_over.total", 2, 3),
    }
    f = findings[0]
    assert (f["agency"], f["year"], f["previous_year"], f["doc_id"], f["previous_doc_id"], f["severity"]) == (
        "甲县民政局",
        2022,
        2021,
        "甲县民政局-2022.txt",
        "甲县民政局-2021.txt",
        "error",
    )


def test_r6_groups_by_agency_id() -> None:
    # The same agency under two names is compared when the records share an agency_id ...
    same = [_record("乙区人民政府", 2023, 0, 4, "yi"), _record("丙市乙区人民政府", 2024, 1, 0, "yi")]
    assert {f["found"] for f in check_corpus(same)} == {1}
    # ... and different agencies never are.
    other = [_record("乙区人民政府", 2023, 0, 4), _record("丁县人民政府", 2024, 1, 0)]
    assert check_corpus(other) == []


def test_r6_compares_each_report_with_one_representative_of_the_year_before() -> None:
    # Three copies of the 2021 report (one of them misread) and three of 2022: each 2022 report is
    # compared once, with the row most 2021 copies give, not with every copy.
    recs = [_record("甲县民政局", 2021, 0, 2), _record("甲县民政局", 2021, 0, 2), _record("甲县民政局", 2021, 0, 7)]
    recs += [_record("甲县民政局", 2022, 3, 1) for _ in range(3)]
    for i, r in enumerate(recs):
        r["source"] = f"copy-{i}.txt"
    findings = check_corpus(recs)
    assert len(findings) == 6  # natural_person and total, for each 2022 copy
    assert {f["expected"] for f in findings} == {2} and {f["previous_doc_id"] for f in findings} == {"copy-0.txt"}
