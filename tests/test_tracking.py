"""Recurring issues as evidence: the null model's calibration, a planted recurrence, kept and unkept promises,
clause reuse and copy chains, the timeline, evidence rows. Corpora are statement frames built here (fast)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from textmine.nullmodel import permutation_pvalues, recurrence_null
from textmine.reuse import reuse
from textmine.tracking import recurring, repeated_text, timeline, track, unkept_promises

THEMES = ["awareness", "institutions", "oversight", "staffing", "timeliness", "coverage", "standardization",
          "interpretation"]


def _row(doc, agency, year, sid, role, text, themes, level="county"):
    return {"doc_id": doc, "agency": agency, "agency_id": agency, "year": year, "level": level, "statement_id": sid,
            "order": int(sid[1:]), "role": role, "text": text, "themes": themes}


def _null_corpus(n_agencies=150, years=range(2010, 2022), seed=1, plant=None):
    """Independent agencies: each report states theme t as a problem with probability rate[t], whatever the
    agency; ``plant`` = (agency, theme, years) makes one agency state one rare theme in those years."""
    rng = np.random.default_rng(seed)
    rates = np.linspace(0.1, 0.5, len(THEMES))
    rows = []
    for a in range(n_agencies):
        for y in years:
            doc = f"d{a}-{y}"
            rows.append(_row(doc, f"ag{a}", y, "s0", "problem", "总体较好", ["other"]))
            for k, (t, r) in enumerate(zip(THEMES, rates)):
                planted = plant and plant[0] == f"ag{a}" and plant[1] == t
                if (planted and y in plant[2]) or (not planted and rng.random() < r):
                    rows.append(_row(doc, f"ag{a}", y, f"s{k + 1}", "problem", f"问题{t}", [t]))
    return pd.DataFrame(rows)


def test_independent_agencies_give_about_five_percent_significant_findings():
    st = _null_corpus()
    rec = recurring(st)
    n = len(rec)
    share = float((rec["p_value"] < 0.05).mean())
    # Under the null the share is a binomial proportion around 5% (a little above: a finding needs two or
    # more years, which selects the upper tail); three standard errors for this many findings.
    tol = 3 * math.sqrt(0.05 * 0.95 / n)
    assert n > 500
    assert abs(share - 0.05) <= tol, (share, tol, n)
    # Benjamini–Hochberg over the family leaves almost nothing.
    assert (rec["q_value"] < 0.05).mean() < 0.01
    assert rec["expected"].between(0, 12).all() and (rec["observed"] == rec["n_years"]).all()


def test_a_planted_recurrence_is_found():
    years = [2010, 2011, 2013, 2014, 2015, 2017, 2018, 2020, 2021]
    st = _null_corpus(plant=("ag7", "awareness", years))  # awareness: 10% of reports elsewhere
    rec = recurring(st).set_index(["agency_id", "theme"])
    hit = rec.loc[("ag7", "awareness")]
    assert hit["years"] == years and hit["observed"] == 9
    assert hit["p_value"] < 0.01 and hit["q_value"] < 0.05
    assert 0.8 < hit["expected"] < 1.6  # about 12 × 10%


def test_exact_null_matches_sampled_permutations():
    st = _null_corpus(n_agencies=30, seed=3)
    keys = recurring(st)[["agency_id", "theme", "role"]].head(40)
    exact = recurrence_null(st, keys)
    sampled = permutation_pvalues(st, keys, n_perm=400, seed=0)
    m = exact.merge(sampled, on=["agency_id", "theme", "role"], suffixes=("", "_mc"))
    assert (m["observed"] == m["observed_mc"]).all()
    # 400 permutations: standard error at most 0.025; five of them.
    assert (m["p_value"] - m["p_value_mc"]).abs().max() < 0.125
    assert abs((m["p_value"] - m["p_value_mc"]).mean()) < 0.02


def test_strata_keep_template_eras_apart():
    st = _null_corpus(n_agencies=20, years=range(2018, 2022), seed=5)
    docs = st.drop_duplicates("doc_id")[["doc_id", "agency", "agency_id", "year", "level"]].assign(
        template=lambda d: np.where(d["agency_id"].isin([f"ag{i}" for i in range(10)]), "2021", "legacy"))
    keys = recurring(st)[["agency_id", "theme", "role"]]
    by_era = recurrence_null(st, keys, docs).set_index(["agency_id", "theme", "role"])
    pooled = recurrence_null(st, keys).set_index(["agency_id", "theme", "role"])
    assert not np.allclose(by_era["expected"], pooled["expected"])
    # Without template information the strata are year × level; pooling the eras back gives the same.
    year_only = recurrence_null(st, keys, docs, strata=("year", "level")).set_index(["agency_id", "theme", "role"])
    assert np.allclose(year_only["expected"], pooled["expected"])


def _promise_frame():
    rows = [
        _row("a22", "甲局", 2022, "s1", "measure", "加强业务培训，提高人员能力。", ["staffing"]),
        _row("a22", "甲局", 2022, "s2", "measure", "完善网站栏目建设。", ["platforms"]),
        _row("a22", "甲局", 2022, "s3", "measure", "推进重大项目批准和实施信息公开。", ["coverage"]),
        _row("a23", "甲局", 2023, "s1", "problem", "人员不足，业务不熟。", ["staffing"]),
        _row("a23", "甲局", 2023, "s2", "problem", "兼职人员变动频繁。", ["staffing"]),
        _row("a23", "甲局", 2023, "s3", "rectification", "针对上年网站栏目问题，已完成栏目整合。", ["platforms"]),
        _row("a23", "甲局", 2023, "s4", "problem", "重大项目批准和实施信息更新不及时。", ["timeliness"]),
        _row("a23", "甲局", 2023, "s5", "rectification", "已加强业务培训两次。", ["staffing"]),
        _row("b23", "乙局", 2023, "s1", "problem", "制度不健全。", ["institutions"]),
    ]
    # Other reports, so that key phrases are rare in the corpus.
    rows += [_row(f"x{i}", f"丙{i}局", 2023, "s1", "problem", f"第{i}项其他事项说明", ["oversight"]) for i in range(60)]
    return pd.DataFrame(rows)


def test_each_measure_problem_pair_is_one_finding_with_a_status():
    p = unkept_promises(_promise_frame())
    staffing = p[p["measure_statement_id"] == "s1"]
    # One measure, two problems that come back: two findings; a rectification also reports it: unclear.
    assert sorted(staffing["problem_statement_id"]) == ["s1", "s2"]
    assert set(staffing["status"]) == {"unclear"} and set(staffing["rectification_statement_id"]) == {"s5"}
    site = p[p["measure_statement_id"] == "s2"]
    assert site[["status", "rectification_statement_id"]].values.tolist() == [["kept", "s3"]]
    assert site["problem"].isna().all()
    # No theme in common, but a shared key phrase (a project-disclosure wording rare in the corpus).
    proj = p[p["measure_statement_id"] == "s3"]
    assert proj[["status", "link", "problem_statement_id"]].values.tolist() == [["unkept", "phrase", "s4"]]
    assert "重大项目批准和实施" in proj["key_phrases"].item()
    # Null: two agencies report in 2023 besides the sixty; 甲局's own report is the one with a staffing problem.
    assert staffing["expected"].round(4).tolist() == [round(1 / 62, 4)] * 2
    assert site["p_value"].isna().all()


def test_one_finding_per_pair_not_per_theme():
    rows = [_row("a1", "甲局", 2020, "s1", "measure", "加强培训和制度建设。", ["staffing", "institutions"]),
            _row("a2", "甲局", 2021, "s1", "problem", "培训不够，制度不全。", ["staffing", "institutions"])]
    p = unkept_promises(pd.DataFrame(rows))
    assert len(p) == 1 and p["theme"].item() == "institutions" and p["status"].item() == "unkept"


BASE = ["加强政府信息公开培训力度，提高工作人员业务能力。", "完善依申请公开办理流程，规范答复文书格式。",
        "及时更新政府网站栏目内容，确保信息发布及时准确。"]
OTHER = ["深化重点领域信息公开，扩大公开范围和深度。", "推进政务新媒体规范化建设，提升平台服务水平。",
         "强化保密审查机制，防止泄密事件发生。"]


def _reuse_frame():
    rows = []
    for doc, agency, year, texts in (("A16", "甲局", 2016, BASE), ("A19", "甲局", 2019, BASE),
                                     ("B20", "乙局", 2020, BASE[:2] + ["公开指南修订完成并及时发布。"]), ("C20", "丙局", 2020, OTHER)):
        rows += [_row(doc, agency, year, f"s{i + 1}", "measure", t, ["staffing"]) for i, t in enumerate(texts)]
    return pd.DataFrame(rows)


def test_clause_reuse_shares_chains_and_families():
    r = reuse(_reuse_frame())
    rep = r.reports.set_index("doc_id")
    assert rep.loc["A16", "reuse_share"] == 0 and rep.loc["A19", "reuse_share"] == 1.0
    assert rep.loc["B20", "reuse_share"] == 0 and rep.loc["B20", "cross_agency_share"] == round(2 / 3, 4)
    assert rep.loc["C20", "cross_agency_share"] == 0 and rep.loc["C20", "clauses"] == 6
    chain = r.chains[r.chains["doc_id"] == "B20"]["chain_id"].item()
    steps = r.chains[r.chains["chain_id"] == chain].sort_values("step")
    assert steps["doc_id"].tolist() == ["A16", "A19", "B20"]
    assert steps["kind"].tolist()[1:] == ["same agency", "across agencies"] and steps["kind"].isna().iloc[0]
    assert r.families.groupby("family_id")["agency_id"].apply(set).tolist() == [{"甲局", "乙局"}]


def test_clauses_are_compared_not_whole_statements():
    rows = [_row("a", "甲局", 2020, "s1", "problem", "信息公开栏目设置不够合理，部分内容更新滞后。", ["platforms"]),
            _row("b", "乙局", 2021, "s1", "problem", "工作人员较少，信息公开栏目设置不够合理。", ["staffing"])]
    occ = reuse(pd.DataFrame(rows)).clauses
    assert occ.groupby("doc_id")["cross"].sum().to_dict() == {"a": 0, "b": 1}


def test_repeated_text_is_a_chain_of_pairs_not_all_pairs():
    rows = [_row(f"d{y}", "甲局" if y < 2023 else "乙局", y, "s1", "measure", BASE[0], ["staffing"])
            for y in range(2018, 2025)]
    rep = repeated_text(pd.DataFrame(rows))
    assert len(rep) == 6 and (rep["similarity"] == 1.0).all()
    assert sorted(zip(rep["year_a"], rep["year_b"])) == [(y, y + 1) for y in range(2018, 2024)]
    assert rep["kind"].value_counts().to_dict() == {"same agency": 5, "across agencies": 1}


def test_timeline_marks_years_without_a_report():
    st = _reuse_frame()
    docs = st.drop_duplicates("doc_id")[["doc_id", "agency", "agency_id", "year"]]
    tl = timeline(st, docs)
    a = tl[tl["agency_id"] == "甲局"]
    assert a[~a["report"]]["year"].tolist() == [2017, 2018]
    assert a[a["report"]][["year", "theme", "role", "n"]].values.tolist() == [[2016, "staffing", "measure", 3],
                                                                              [2019, "staffing", "measure", 3]]


def test_every_finding_has_its_evidence():
    st = pd.concat([_promise_frame(), _reuse_frame()], ignore_index=True)
    docs = st.drop_duplicates("doc_id")[["doc_id", "agency", "agency_id", "year"]].assign(
        path=lambda d: "/reports/" + d["doc_id"] + ".txt")
    t = track(st, docs)
    ev = t.evidence
    assert set(ev.columns) >= {"finding_id", "doc_id", "file", "year", "statement_id", "role", "text"}
    for frame in (t.recurring, t.promises, t.repeated):
        assert len(frame) and set(frame["finding_id"]) <= set(ev["finding_id"])
    pair = ev[ev["finding_id"] == t.promises["finding_id"].iloc[0]]
    assert set(pair["side"]) == {"a", "b"} and pair["file"].str.startswith("/reports/").all()
    assert not any(ev[c].map(lambda v: isinstance(v, (list, dict))).any() for c in ev.columns)


def test_recurring_report_json_shape():
    import textmine
    from textmine.tracking import recurring_report

    corpus = textmine.Corpus.from_records([])
    rep = recurring_report(corpus)
    assert set(rep) >= {"recurring", "unkept_promises", "repeated_text", "timeline", "reports"}


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_inputs(n):
    st = _reuse_frame().head(n)
    t = track(st)
    assert len(t.recurring) == 0 and len(t.chains) == 0
