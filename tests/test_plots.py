"""Figures: drawn from tidy frames, English fallback labels when no CJK font is installed."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

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


# --- fonts, integer and year axes, n per year, labels, current names ------------------------------------

@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _texts(ax) -> list[str]:
    return [t.get_text() for t in ax.texts]


def _no_font(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    monkeypatch.setattr(plots, "_warned", True)


def test_use_cjk_font_sets_rcparams_or_warns(monkeypatch):
    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    with pytest.warns(UserWarning, match="no CJK font is installed.*use_cjk_font"):
        assert plots.use_cjk_font() is None
    monkeypatch.setattr(plots, "cjk_font", lambda: "Noto Sans CJK SC")
    with matplotlib.rc_context():
        assert plots.use_cjk_font() == "Noto Sans CJK SC"
        assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans CJK SC"
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
        assert matplotlib.rcParams["axes.unicode_minus"] is False


def test_the_no_font_warning_comes_once_per_process(monkeypatch):
    import warnings

    monkeypatch.setattr(plots, "cjk_font", lambda: None)
    monkeypatch.setattr(plots, "_warned", False)
    fin = pd.DataFrame({"rule": ["R1"], "severity": ["error"]})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.findings_by_rule(fin)
        plots.findings_by_rule(fin)
    assert sum("CJK" in str(w.message) for w in caught) == 1


def _integer_ticks(axis) -> bool:
    from matplotlib.ticker import MaxNLocator

    loc = axis.get_major_locator()
    return isinstance(loc, MaxNLocator) and all(float(t).is_integer() for t in loc.tick_values(0, 7))


def test_findings_counts_have_integer_ticks_and_labels(monkeypatch):
    _no_font(monkeypatch)
    fin = pd.DataFrame({"rule": ["R1", "R1", "R5"], "severity": ["error", "error", "warning"]})
    ax = plots.findings_by_rule(fin)
    assert _integer_ticks(ax.yaxis)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("rule", "findings")


def test_requests_over_time_has_a_real_year_axis_with_gaps(monkeypatch):
    _no_font(monkeypatch)
    table = pd.DataFrame({"year": [2019, 2019, 2022, 2022], "row": ["new", "total_processed"] * 2,
                          "column": ["total"] * 4, "value": [3.0, 2.0, 5.0, 5.0]})
    ax = plots.requests_over_time(table)
    line = ax.lines[0]
    assert list(line.get_xdata()) == [2019, 2020, 2021, 2022]  # the missing years are on the axis …
    y = list(line.get_ydata())
    assert y[0] == 3.0 and y[3] == 5.0 and all(v != v for v in y[1:3])  # … as gaps (NaN), not zeros
    assert _integer_ticks(ax.xaxis) and _integer_ticks(ax.yaxis)
    assert ax.get_xlabel() == "year" and ax.get_ylabel().startswith("requests")


def test_prevalence_has_gaps_and_n_per_year(monkeypatch):
    _no_font(monkeypatch)
    prev = pd.DataFrame({"year": [2018, 2021, 2021], "theme": ["staffing", "staffing", "timeliness"],
                         "reports": [1, 2, 3], "total": [2, 4, 4], "share": [0.5, 0.5, 0.75]})
    ax = plots.theme_prevalence(prev)
    xs = [list(line.get_xdata()) for line in ax.lines]
    assert xs == [[2018, 2019, 2020, 2021]] * 2
    assert _texts(ax) == ["n=2", "n=4"]
    assert [t.get_position()[0] for t in ax.texts] == [2018, 2021]
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "share of reports (%)"


def test_reuse_by_year_marks_n_and_gaps(monkeypatch):
    _no_font(monkeypatch)
    rep = pd.DataFrame({"doc_id": ["a", "b", "c"], "agency_id": ["x", "x", "y"], "year": [2019, 2021, 2021],
                        "reuse_share": [0.0, 1.0, 0.0], "cross_agency_share": [0.0, 0.5, 0.5]})
    ax = plots.reuse_by_year(rep)
    assert list(ax.lines[0].get_xdata()) == [2019, 2020, 2021]
    assert _texts(ax) == ["n=1", "n=2"]
    assert ax.get_xlabel() == "year" and ax.get_ylabel()


def test_heat_maps_name_an_agency_as_in_its_latest_report(monkeypatch):
    st = pd.DataFrame([
        {"doc_id": "a", "agency": "甲县国土资源局", "agency_id": "x", "year": 2018, "role": "problem",
         "themes": ["staffing"]},
        {"doc_id": "b", "agency": "甲县自然资源局", "agency_id": "x", "year": 2020, "role": "problem",
         "themes": ["staffing"]},
    ])
    _no_font(monkeypatch)
    ax, labels = plots.recurrence_heatmap(st.iloc[::-1])  # order of rows does not matter
    assert labels == {"A1": "甲县自然资源局"}
    assert ax.get_xlabel() == "theme" and ax.get_ylabel().startswith("agency")
    cbar_ax = ax.figure.axes[-1]
    assert _integer_ticks(cbar_ax.yaxis) and cbar_ax.get_ylabel() == "years"
    from textmine.tracking import timeline

    monkeypatch.setattr(plots, "cjk_font", lambda: "DejaVu Sans")  # as if a CJK font were installed
    with matplotlib.rc_context():
        _, labels = plots.recurrence_heatmap(st)
        assert list(labels) == ["甲县自然资源局"]
        docs = st[["doc_id", "agency", "agency_id", "year"]]
        ax = plots.theme_timeline(timeline(st.iloc[::-1], docs.iloc[::-1]), "x")
        assert ax.get_title().startswith("甲县自然资源局")
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("年份", "主题")
