"""Figures: drawn from tidy frames, English fallback labels when no CJK font is installed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402

from textmine import plots  # noqa: E402

ST = pd.DataFrame([
    {"doc_id": "a", "agency": "甲局", "agency_id": "x", "year": 2022, "role": "problem", "themes": ["staffing"]},
    {"doc_id": "b", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "problem", "themes": ["staffing", "timeliness"]},
    {"doc_id": "c", "agency": "乙局", "agency_id": "y", "year": 2023, "role": "problem", "themes": ["timeliness"]},
])


def test_heatmap_counts_years_and_labels_without_boxes(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    ax, labels = plots.recurrence_heatmap(ST)
    assert labels == {"A1": "甲局", "A2": "乙局"}
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Staffing and skills", "Timeliness"]
    assert ax.images[0].get_array().tolist() == [[2, 1], [0, 1]]


def test_prevalence_and_findings_plots():
    from textmine.tracking import prevalence

    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "year": [2022, 2023, 2023]})
    prev = prevalence(ST, docs, by="year")
    assert prev.set_index(["year", "theme"])["share"].to_dict() == {
        (2022, "staffing"): 1.0, (2023, "staffing"): 0.5, (2023, "timeliness"): 1.0}
    ax = plots.theme_prevalence(prev)
    assert len(ax.lines) == 2
    fin = pd.DataFrame({"rule": ["R1", "R1", "R5"], "severity": ["error", "error", "warning"]})
    ax = plots.findings_by_rule(fin)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["R1", "R2", "R3", "R4", "R5", "R6"]


def test_theme_timeline_hatches_years_without_a_report(monkeypatch):
    from textmine.tracking import timeline

    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    docs = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency": ["甲局", "甲局", "乙局"], "agency_id": ["x", "x", "y"],
                         "year": [2020, 2023, 2023]})
    st = pd.DataFrame([
        {"doc_id": "a", "agency": "甲局", "agency_id": "x", "year": 2020, "role": "problem", "themes": ["staffing"]},
        {"doc_id": "b", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "problem", "themes": ["staffing"]},
        {"doc_id": "b", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "problem", "themes": ["staffing"]},
    ])
    ax = plots.theme_timeline(timeline(st, docs), "x")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2020", "2021", "2022", "2023"]
    arr = ax.images[0].get_array()
    assert arr.mask.tolist() == [[False, True, True, False]] and arr[0, 3] == 2
    assert len(ax.patches) == 2


def test_reuse_by_year_lines():
    rep = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency_id": ["x", "x", "y"], "year": [2020, 2021, 2021],
                        "reuse_share": [0.0, 1.0, 0.0], "cross_agency_share": [0.0, 0.5, 0.5]})
    ax = plots.reuse_by_year(rep)
    assert [list(line.get_ydata()) for line in ax.lines] == [[0.0, 50.0], [0.0, 50.0]]
