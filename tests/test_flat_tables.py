"""Tables read from flattened text (labels and digits glued together), solved by the form's arithmetic.

Examples are written by the team (numbers and the form's own row labels from data/table_labels.yaml);
the real reports are read from ../shared/real-dev at run time only.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from textmine.document import Paragraph
from textmine.tables import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULT_ROWS,
    _labels,
    parse_tables,
)
from textmine.tables.flat import flat_appeals, flat_proactive, flat_requests, split_cells

REAL_DEV = Path(__file__).resolve().parents[1].parent / "shared" / "real-dev"
LABEL = {r["key"]: r["labels"][0] for r in _labels()["requests"]["rows"]}
HEADER3 = "三、收到和处理政府信息公开申请情况申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
HEADER4 = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉" + "结果维持结果纠正其他结果尚未审结总计" * 2
PREFIX = {"new": "一、", "carried_over": "二、", "granted": "三、本年度办理结果（一）", "partially_granted": "（二）",
          "denied_state_secret": "（三）不予公开", "unable_not_held": "（四）无法提供", "rejected_complaint": "（五）不予处理",
          "other_no_correction": "（六）其他处理", "total_processed": "（七）", "carried_forward": "四、"}
NUMBERED = {  # rows numbered 1., 2., … inside their group
    k: i + 1 for group in (RESULT_ROWS[2:10], RESULT_ROWS[10:13], RESULT_ROWS[13:18], RESULT_ROWS[18:21])
    for i, k in enumerate(group)}


def form_rows(single_other: bool) -> list[str]:
    return [k for k in REQUEST_ROWS if not (single_other and k in ("other_no_correction", "other_unpaid_fee"))]


def glue(values: list[int], rnd: random.Random, p_space: float) -> str:
    """Cells glued together, with a space between some of them."""
    return "".join(str(v) + (" " if i + 1 < len(values) and rnd.random() < p_space else "")
                   for i, v in enumerate(values))


def render_requests(table: dict[str, list[int]], single_other: bool, rnd: random.Random, p_space: float,
                    empty: tuple[str, ...] = ()) -> tuple[str, dict[str, str]]:
    """Flattened table 3: header, then label + digits per row, the next enumerator glued on."""
    out = [HEADER3]
    runs: dict[str, str] = {}
    for key in form_rows(single_other):
        label = "其他处理" if single_other and key == "other_other" else LABEL[key]
        prefix = PREFIX.get(key, "")
        if key == "other_other" and single_other:
            prefix = "（六）"
        number = f"{NUMBERED[key]}." if key in NUMBERED and not (single_other and key == "other_other") else ""
        run = "" if key in empty else glue(table[key], rnd, p_space)
        runs[key] = run
        out.append(prefix + number + label + (" " if rnd.random() < 0.2 else "") + run)
    return "".join(out), runs


def consistent_table(draw, single_other: bool) -> dict[str, list[int]]:
    """Random table 3 satisfying R1–R3: mostly zeros, a few small counts, a few multi-digit ones."""
    # 10, 11, 100, 110 glue into strings that cut several ways: they exercise the ambiguity paths
    value = st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.sampled_from([1, 10, 11, 100, 110]),
                      st.integers(12, 130))
    results = [k for k in RESULT_ROWS if k in form_rows(single_other)]
    busy = draw(st.lists(st.sampled_from(results), min_size=0, max_size=3, unique=True))
    table: dict[str, list[int]] = {}
    for key in results:
        cols = [draw(value) if key in busy and (c == 0 or draw(st.booleans())) else 0 for c in range(6)]
        table[key] = cols + [sum(cols)]
    done = [sum(table[k][c] for k in results) for c in range(6)]
    forward = [draw(st.sampled_from([0, 0, 0, 1, 2, 12])) for _ in range(6)]
    over = [draw(st.integers(0, done[c] + forward[c])) if draw(st.booleans()) else 0 for c in range(6)]
    new = [done[c] + forward[c] - over[c] for c in range(6)]
    for key, cols in (("new", new), ("carried_over", over), ("total_processed", done),
                      ("carried_forward", forward)):
        table[key] = cols + [sum(cols)]
    return table


def brute_cuts(run: str, n: int) -> list[tuple[int, ...]]:
    """All cuts of ``run`` into ``n`` cells by plain enumeration of cut positions (spaces always cut)."""
    digits = run.replace(" ", "")
    forced = set(itertools.accumulate(len(t) for t in run.split()[:-1]))
    free = [i for i in range(1, len(digits)) if i not in forced]
    out = []
    for extra in itertools.combinations(free, n - 1 - len(forced)):
        bounds = [0, *sorted(forced | set(extra)), len(digits)]
        cells = [digits[a:b] for a, b in itertools.pairwise(bounds)]
        if all(c == "0" or not c.startswith("0") for c in cells):
            out.append(tuple(int(c) for c in cells))
    return out


def brute_requests(runs: dict[str, str], single_other: bool) -> dict[str, set[tuple[int, ...]]] | None:
    """Per row, the cuts that appear in some whole-table assignment satisfying R1–R3 (None: too many)."""
    keys = [k for k in form_rows(single_other) if runs[k]]
    options = {k: [c for c in brute_cuts(runs[k], 7) if c[6] == sum(c[:6])] for k in keys}
    size = 1
    for k in keys:
        size *= len(options[k])
    if size > 20000:
        return None
    seen: dict[str, set] = {k: set() for k in keys}
    results = [k for k in RESULT_ROWS if k in form_rows(single_other)]
    for combo in itertools.product(*(options[k] for k in keys)):
        t = dict(zip(keys, combo, strict=True))
        if all(t["new"][c] + t["carried_over"][c] == t["total_processed"][c] + t["carried_forward"][c]
               and sum(t[k][c] for k in results) == t["total_processed"][c] for c in range(7)):
            for k in keys:
                seen[k].add(t[k])
    return seen


def ambiguous_rows(findings: list[dict], table: str) -> set[str]:
    return {f["where"].split(".", 1)[1] for f in findings
            if f["where"].startswith(table + ".") and "ways" in f["message"]}


# ---------------------------------------------------------------------------------------------------------
# Property tests

PROPS = settings(derandomize=True, max_examples=120, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROPS4 = settings(PROPS, max_examples=80)


@PROPS
@given(st.data())
def test_random_table3_parses_back_or_is_reported(data):
    single_other = data.draw(st.booleans())
    table = consistent_table(data.draw, single_other)
    rnd = random.Random(data.draw(st.integers(0, 10**6)))
    text, runs = render_requests(table, single_other, rnd, data.draw(st.sampled_from([0.0, 0.2, 0.6])))
    got, findings = flat_requests(text)
    assert got is not None
    for key, cols in got.items():  # never a wrong value
        for col, v in cols.items():
            assert v == table[key][REQUEST_COLUMNS.index(col)], (key, col, runs[key])
    truth = brute_requests(runs, single_other)
    if truth is None:
        event("brute force skipped (too many combinations)")
        return
    ambiguous = {k for k, cuts in truth.items() if len(cuts) > 1}
    event(f"ambiguous rows: {min(len(ambiguous), 2)}")
    event(f"multi-digit cells: {bool(re.search(r'[1-9][0-9]', ''.join(runs.values())))}")
    assert ambiguous_rows(findings, "requests") == ambiguous
    for key, cuts in truth.items():
        certain = {REQUEST_COLUMNS[i]: vals.pop() for i in range(7) if len(vals := {c[i] for c in cuts}) == 1}
        assert got.get(key, {}) == certain, key


@PROPS4
@given(st.data())
def test_random_table4_parses_back_or_is_reported(data):
    value = st.one_of(st.just(0), st.just(0), st.just(0), st.integers(1, 9), st.sampled_from([1, 10, 11, 20]))
    nums: list[int] = []
    for _ in APPEAL_GROUPS:
        parts = [data.draw(value) for _ in range(4)]
        nums += parts + [sum(parts)]
    run = glue(nums, random.Random(data.draw(st.integers(0, 10**6))), data.draw(st.sampled_from([0.0, 0.3])))
    if len(run.replace(" ", "")) > 20:
        return  # keep the brute force small
    got, findings = flat_appeals(HEADER4 + run + "五、存在的主要问题")
    cuts = [c for c in brute_cuts(run, 15) if all(c[i + 4] == sum(c[i:i + 4]) for i in (0, 5, 10))]
    assert nums in [list(c) for c in cuts]
    for gi, group in enumerate(APPEAL_GROUPS):
        want = {APPEAL_COLUMNS[j]: vals.pop() for j in range(5)
                if len(vals := {c[gi * 5 + j] for c in cuts}) == 1}
        assert (got or {}).get(group, {}) == want
        for col, v in want.items():
            assert v == nums[gi * 5 + APPEAL_COLUMNS.index(col)]
    assert bool(findings) == any(len({c[i] for c in cuts}) > 1 for i in range(15))
    event(f"table 4 ambiguous: {bool(findings)}")


# ---------------------------------------------------------------------------------------------------------
# Variants, hand-written


def test_split_cells_digit_rule():
    assert split_cells("500", ["int"] * 3) == [(5, 0, 0)]
    assert split_cells("0012", ["int"] * 3) == [(0, 0, 12)]
    assert sorted(split_cells("6045", ["int"] * 3)) == [(6, 0, 45), (60, 4, 5)]
    assert split_cells("12 3", ["int"] * 2) == [(12, 3)]  # a space always separates cells
    assert split_cells("12", ["int"] * 3) == []
    assert split_cells("1" * 40, ["int"] * 7, cap=1000) is None  # too many cuts: give up, do not guess


def _zero_table() -> dict[str, list[int]]:
    table = {k: [0] * 7 for k in REQUEST_ROWS}
    return table


def _with(table: dict[str, list[int]], key: str, cols: list[int]) -> None:
    table[key] = cols + [sum(cols)]


def test_glued_enumerators_and_stray_spaces():
    t = _zero_table()
    _with(t, "granted", [14, 0, 0, 0, 0, 0])
    _with(t, "denied_state_secret", [2, 0, 0, 0, 0, 0])
    for k in ("new", "total_processed"):
        _with(t, k, [16, 0, 0, 0, 0, 0])
    text, _ = render_requests(t, False, random.Random(3), 0.0)
    text = text.replace("140000014", "140000 0 14")  # a stray space inside the run
    got, findings = flat_requests(text)
    assert got["granted"]["natural_person"] == 14 and got["granted"]["total"] == 14
    assert got["denied_state_secret"] == dict(zip(REQUEST_COLUMNS, [2, 0, 0, 0, 0, 0, 2], strict=True))
    assert got["denied_prohibited_by_law"]["total"] == 0  # "00000002." lost its enumerator "2."
    assert len(got) == 25 and not findings


def test_row_ambiguous_alone_is_fixed_by_column_totals():
    # "110000011" is 11 0 0 0 0 0 11 or 1 10 0 0 0 0 11 by its row total alone; R1 and R2 decide.
    t = _zero_table()
    _with(t, "new", [8, 0, 0, 0, 0, 0])
    _with(t, "carried_over", [3, 0, 0, 0, 0, 0])
    for k in ("partially_granted", "total_processed"):
        _with(t, k, [11, 0, 0, 0, 0, 0])
    got, findings = flat_requests(render_requests(t, False, random.Random(1), 0.0)[0])
    assert got["partially_granted"]["natural_person"] == 11 and not findings
    _with(t, "new", [1, 0, 0, 0, 0, 0])
    _with(t, "carried_over", [0, 10, 0, 0, 0, 0])
    for k in ("partially_granted", "total_processed"):
        _with(t, k, [1, 10, 0, 0, 0, 0])
    got, findings = flat_requests(render_requests(t, False, random.Random(1), 0.0)[0])
    assert got["partially_granted"]["commercial_enterprise"] == 10 and not findings


def test_ambiguous_row_is_reported_not_guessed():
    t = _zero_table()
    _with(t, "granted", [1, 10, 0, 0, 0, 0])  # "110000011"
    _with(t, "unable_not_held", [11, 0, 0, 0, 0, 0])  # "110000011" too: the two rows can swap cuts
    for k in ("new", "total_processed"):
        _with(t, k, [12, 10, 0, 0, 0, 0])
    got, findings = flat_requests(render_requests(t, False, random.Random(5), 0.0)[0])
    assert ambiguous_rows(findings, "requests") == {"granted", "unable_not_held"}
    for key in ("granted", "unable_not_held"):
        assert got[key]["total"] == 11 and "natural_person" not in got[key]
        assert got[key]["research_institution"] == 0
    assert got["total_processed"]["natural_person"] == 12


def test_row_printed_without_digits_stays_absent():
    t = _zero_table()
    text, _ = render_requests(t, False, random.Random(2), 0.0, empty=("other_unpaid_fee", "other_other"))
    got, findings = flat_requests(text)
    assert "other_unpaid_fee" not in got and "other_other" not in got
    msgs = [f["message"] for f in findings if f["where"] == "requests.other_other"]
    assert msgs and "without numbers" in msgs[0] and "imply 0 0 0 0 0 0 0" in msgs[0]


def test_trailing_year_after_last_row():
    t = _zero_table()
    for k in ("new", "carried_forward"):
        _with(t, k, [3, 0, 0, 0, 0, 0])
    text = render_requests(t, False, random.Random(4), 0.0)[0] + "2031年，本机关共收到申请3件。"
    got, _ = flat_requests(text)
    assert got["carried_forward"]["total"] == 3 and got["carried_forward"]["natural_person"] == 3


def test_single_other_row_of_2019_form():
    t = _zero_table()
    _with(t, "other_other", [2, 0, 0, 0, 0, 0])
    for k in ("new", "total_processed"):
        _with(t, k, [2, 0, 0, 0, 0, 0])
    got, findings = flat_requests(render_requests(t, True, random.Random(0), 0.0)[0])
    assert got["other_other"]["total"] == 2
    assert "other_no_correction" not in got and not findings


def test_table2_variants():
    text = ("第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章500行政规范性文件0012"
            "第二十条第（五）项信息内容本年处理决定数量行政许可1970第二十条第（六）项信息内容本年处理决定数量"
            "行政处罚3行政强制0第二十条第（八）项信息内容本年收费金额（单位：万元）行政事业性收费36.25")
    got, findings = flat_proactive(text)
    assert got["rules"] == {"issued": 5, "repealed": 0, "in_force": 0}
    assert got["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 12}
    assert got["licensing"] == {"decisions": 1970} and got["penalty"] == {"decisions": 3}
    assert got["administrative_fees"] == {"amount_10k_yuan": 36.25} and not findings
    got, findings = flat_proactive(text.replace("0012", "6045").replace("36.25", "02031年，本机关"))
    assert "normative_documents" not in got
    assert [f["where"] for f in findings] == ["proactive.normative_documents"]
    assert got["administrative_fees"] == {"amount_10k_yuan": 0.0}  # the year of the next sentence cut off


def test_table2_negative_numbers_of_2019_form():
    text = ("第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可40-319其他对外管理服务事项000"
            "第二十条第（八）项信息内容上一年项目数量本年增/减行政事业性收费7-3")
    got, findings = flat_proactive(text)
    assert got["administrative_fees"] == {"items_previous_year": 7, "items_change": -3}
    assert got["licensing"] == {"items_previous_year": 40}  # -3 19 or -31 9: change and decisions open
    assert [f["where"] for f in findings] == ["proactive.licensing"]


def test_table4_run_solved_by_group_totals():
    got, findings = flat_appeals(HEADER4 + "1200012" + "0" * 10 + "五、")
    assert got["review"] == {"upheld": 12, "corrected": 0, "other": 0, "pending": 0, "total": 12}
    assert got["litigation_after_review"]["total"] == 0 and not findings
    got, findings = flat_appeals(HEADER4 + "00 0 00 0 0 0 00 0 0 0 00" + "五、")  # stray spaces
    assert got["litigation_direct"]["total"] == 0 and not findings
    got, findings = flat_appeals(HEADER4 + "1" + "0" * 15 + "五、")  # 16 digits, no cut adds up
    assert got is None and "no cut" in findings[0]["message"]


def test_parse_tables_uses_the_flat_reading():
    t = _zero_table()
    for k in ("new", "granted", "total_processed"):
        _with(t, k, [21, 0, 0, 0, 0, 3])
    text, _ = render_requests(t, False, random.Random(7), 0.3)
    result = parse_tables({"requests": [Paragraph(text)], "appeals": [Paragraph(HEADER4 + "0" * 15)]})
    assert result.tables["requests"]["granted"]["total"] == 24
    assert result.tables["appeals"]["review"]["total"] == 0
    assert not [f for f in result.findings if f["where"].startswith("requests")]


# ---------------------------------------------------------------------------------------------------------
# Real reports (../shared/real-dev): agreement with the gold cells


def _sections(raw: str) -> dict[str, str]:
    """Crude section cut of a crawler dump (headings of the 2019/2021 forms)."""
    body = raw.split("==== 正文 ====", 1)[-1]
    i2, i3 = body.find("二、主动公开"), body.find("三、收到和处理")
    i4 = body.find("行政复议", i3)
    i5 = body.find("五、", i4)
    return {"proactive": body[i2:i3], "requests": body[i3:i4], "appeals": body[i4:i5 if i5 > 0 else None]}


@pytest.mark.skipif(not (REAL_DEV / "gold").is_dir(), reason="real-dev reports live in ../shared (absent here)")
def test_real_dev_cells_agree_with_gold():
    right = total = wrong = 0
    wrongs = []
    for gold_path in sorted((REAL_DEV / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        if not gold.get("tables"):
            continue
        raw = (REAL_DEV / f"{gold_path.stem}.txt").read_text(encoding="utf-8")
        secs = _sections(raw)
        got = parse_tables({k: [Paragraph(v)] for k, v in secs.items() if v}).tables
        for t, rows in gold["tables"].items():
            for r, cols in rows.items():
                for c, v in cols.items():
                    total += 1
                    mine = ((got.get(t) or {}).get(r) or {}).get(c)
                    if mine is None:
                        continue
                    if abs(float(mine) - float(v)) < 1e-6:
                        right += 1
                    else:
                        wrong += 1
                        wrongs.append(f"{gold_path.stem} {t}.{r}.{c}: {mine} != {v}")
    print(f"real-dev cells: {right}/{total} = {right / total:.4f}, wrong-valued {wrong}")
    assert total > 1000
    assert not wrongs, wrongs[:10]
    assert right / total >= 0.95


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=4, max_size=4), st.booleans(), st.booleans())
def test_column_solve_without_choices_agrees_with_the_search(base, with_results, off):
    """One cut a row skips the search: the answer must be the search's on the same rows."""
    from textmine.tables.flat import W, _constraints, _solve
    from textmine.tables.form import REQUEST_ROWS

    new, carried = base[0], base[1]
    granted, forward = base[2] + 1, base[3]
    done = granted - 1 if off else granted  # off: the results add up to more than the total (R2 fails)
    rows = {"new": new, "carried_over": carried, "granted": granted, "total_processed": done,
            "carried_forward": new + carried - done if with_results else forward}
    cuts = {k: [tuple([v] * W)] for k, v in rows.items()}
    cons = _constraints(list(REQUEST_ROWS))
    fast = _solve(cuts, cons)
    searched = _solve({k: c * 2 for k, c in cuts.items()}, cons)  # two equal cuts: the search runs
    assert {k: bool(v) for k, v in fast.items()} == {k: bool(v) for k, v in searched.items()}
    assert all(v in ({0}, set()) for v in fast.values())
    event("solvable" if all(fast.values()) else "contradicted")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="0123456789", min_size=1, max_size=6) | st.sampled_from(["-", "—", "0", "10"]),
                min_size=1, max_size=4),
       st.integers(0, 120), st.integers(3, 400))
def test_row_cuts_by_running_sum_are_the_generic_cuts(tokens, total, cap):
    """Table-3 rows are cut with the sum rule kept on a running sum: the cuts, steps and cap of the same
    rule given as a check of each prefix."""
    from textmine.tables.flat import W, split_cells

    def ok(acc):
        return sum(acc) <= total and (len(acc) < W - 1 or sum(acc) == total)

    run = " ".join(tokens)
    mine, theirs = [0], [0]
    got = split_cells(run, ["int"] * (W - 1), cap=cap, steps=mine, limit=total, total=total)
    want = split_cells(run, ["int"] * (W - 1), ok, cap=cap, steps=theirs, limit=total)
    assert got == want and mine == theirs


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from("0123456789"), min_size=7, max_size=7) | st.lists(st.sampled_from("0001"), min_size=7, max_size=7),
       st.lists(st.booleans(), min_size=6, max_size=6))
def test_a_row_of_seven_digits_is_cut_as_the_search_cuts_it(digits, spaces):
    """A table-3 run of exactly seven digits is cut without the search: it must give the cuts of the
    definition (every cut into seven cells whose last is the sum of the six), whatever the spaces."""
    from textmine.tables import flat

    run = digits[0] + "".join((" " if sp else "") + d for sp, d in zip(spaces, digits[1:], strict=True))
    want = flat.split_cells(run, ["int"] * 7, lambda acc: len(acc) < 7 or sum(acc[:-1]) == acc[-1])
    assert flat._row_splits(run) == want
    event("adds up" if want else "does not add up")


def test_seven_digit_rows_and_their_neighbours():
    from textmine.tables import flat

    assert flat._row_splits("0000000") == [(0,) * 7]
    assert flat._row_splits("1 0 1 0 0 0 2") == [(1, 0, 1, 0, 0, 0, 2)]
    assert flat._row_splits("1000002") == []  # 1+0+0+0+0+0 is not 2, and no other cut exists
    assert flat._row_splits("- 000000") == [(0,) * 7]  # a dash is a printed 0: the search, not the shortcut
    assert flat._row_splits("100000010") == [(10, 0, 0, 0, 0, 0, 10)]  # nine digits: the search
