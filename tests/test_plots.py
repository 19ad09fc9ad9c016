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
