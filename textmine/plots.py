"""Figures shared by the CLI and the notebooks (matplotlib, one function per figure).

Chinese labels are drawn with a CJK font when one is installed (:func:`use_cjk_font`); otherwise theme
labels fall back to their English names and agency names to short codes (A1, A2, … — the returned
mapping says which is which), so a figure never shows empty boxes. Every axis is labelled, counts have
integer ticks, a year axis is a real number line (a year without data is a gap, not squeezed out), share
plots say how many reports each year's share is of (n=…), and an agency is named as in its latest report.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_CJK_FONT_HINTS = ("Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "SimHei", "SimSun", "Microsoft YaHei",
                   "PingFang", "Heiti", "AR PL", "Droid Sans Fallback", "Sarasa", "LXGW")
NO_CJK_FONT = ("no CJK font is installed: Chinese labels fall back to English theme names and agency codes "
               "(A1, A2, …). Install one (e.g. Noto Sans CJK: apt install fonts-noto-cjk, or "
               "brew install --cask font-noto-sans-cjk) and call textmine.plots.use_cjk_font() again")
_warned = False


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Name of an installed font that covers Chinese, or None."""
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(h.lower() in f.name.lower() for h in _CJK_FONT_HINTS):
            return f.name
    return None


def use_cjk_font(warn: bool = True) -> str | None:
    """Find an installed CJK font and make it matplotlib's first sans-serif font (and the minus sign
    plain ASCII, which CJK fonts often lack). Returns the font's name, or None — with a warning saying
    what the figures do instead and how to install one — when there is none."""
    import matplotlib

    font = cjk_font()
    if font is None:
        if warn:
            warnings.warn(NO_CJK_FONT, stacklevel=2)
        return None
    rc = matplotlib.rcParams
    rc["font.sans-serif"] = [font, *[f for f in rc["font.sans-serif"] if f != font]]
    rc["font.family"] = "sans-serif"
    rc["axes.unicode_minus"] = False
    return font


def _setup() -> bool:
    """Every figure: the CJK font when there is one; the warning once per process when there is none."""
    global _warned
    font = use_cjk_font(warn=not _warned)
    _warned = True
    return font is not None


def _integer_axis(axis) -> None:
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def _years(index) -> list[int]:
    """Every year from the first to the last of ``index``: the x axis of a yearly figure."""
    ys = [int(y) for y in index]
    return list(range(min(ys), max(ys) + 1)) if ys else []


def _year_axis(ax, chinese: bool) -> None:
    _integer_axis(ax.xaxis)
    ax.set_xlabel("年份" if chinese else "year")


def _annotate_n(ax, n_by_year, chinese: bool) -> None:
    """``n=…`` under each year: how many reports a share is of (a share of 2 reports is not one of 200)."""
    import matplotlib.transforms as mtransforms

    trans = mtransforms.blended_transform_factory(ax.transData, ax.transAxes)
    for year, n in n_by_year.items():
        ax.text(int(year), 0.02, f"n={int(n)}", transform=trans, ha="center", va="bottom", fontsize=7,
                color="0.35")


def _latest_names(frame: pd.DataFrame) -> dict:
    """agency_id → the agency's name in its latest report (agencies are renamed; show the current name)."""
    df = frame.dropna(subset=["agency"])
    if "year" in df:
        df = df.sort_values("year", kind="stable", na_position="first")
    return df.groupby("agency_id")["agency"].last().to_dict()


def theme_label(theme: str, chinese: bool, codebook=None) -> str:
    from .codebook import load_codebook

    if theme == "other":
        return "其他" if chinese else "other"
    try:
        t = load_codebook(codebook).theme(theme)
    except KeyError:
        return theme
    return t.zh if chinese else t.en


def theme_prevalence(prevalence: pd.DataFrame, by: str = "year", top: int | None = 6, ax=None, codebook=None):
    """Lines: share of reports stating each theme (as a problem), per year (or another group).

    ``top``: only the themes most prevalent over all groups (None: every theme). By year, the x axis runs
    over every year from the first to the last (a year absent from ``prevalence`` is a gap in the lines)
    and each year is marked with n, the reports the shares are of (``prevalence["total"]``).
    """
    import matplotlib.pyplot as plt

    chinese = _setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5))
    wide = prevalence.pivot_table(index=by, columns="theme", values="share", fill_value=0.0)
    if top:
        wide = wide[wide.mean().sort_values(ascending=False).index[:top]]
    yearly = by == "year" and len(wide)
    if yearly:
        wide = wide.reindex(_years(wide.index))
    x = wide.index if yearly else wide.index.astype(str)
    for theme in wide.columns:
        ax.plot(x, wide[theme] * 100, marker="o", label=theme_label(theme, chinese, codebook))
    if yearly:
        _year_axis(ax, chinese)
        _annotate_n(ax, prevalence.groupby(by)["total"].max(), chinese)
    else:
        ax.set_xlabel(by)
    ax.set_ylabel("报告占比 (%)" if chinese else "share of reports (%)")
    ax.set_title("各主题问题的出现比例" if chinese else "Problems by theme: share of reports")
    ax.legend(fontsize="small", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.figure.tight_layout()
    ax.grid(alpha=0.3)
    return ax


def recurrence_heatmap(statements: pd.DataFrame, role: str = "problem", ax=None, codebook=None):
    """Agency × theme heat map: in how many report years each agency states each theme.

    Returns (ax, agency_labels) where agency_labels maps the row label to the agency name.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    chinese = _setup()
    df = statements[statements["role"] == role].explode("themes")
    df = df[df["themes"].notna() & (df["themes"] != "other")]
    counts = df.groupby(["agency_id", "themes"])["year"].nunique().unstack(fill_value=0)
    names = _latest_names(statements)
    rows = list(counts.index)
    labels = {(names.get(a) or a) if chinese else f"A{i + 1}": names.get(a) or a for i, a in enumerate(rows)}
    if ax is None:
        _, ax = plt.subplots(figsize=(1 + 0.6 * max(3, counts.shape[1]), 1 + 0.5 * max(3, len(rows))))
    data = counts.to_numpy() if len(rows) else np.zeros((0, 0))
    im = ax.imshow(data, cmap="Reds", aspect="auto", vmin=0)
    ax.set_xticks(range(counts.shape[1]), [theme_label(t, chinese, codebook) for t in counts.columns], rotation=45,
                  ha="right")
    ax.set_yticks(range(len(rows)), list(labels))
    for (i, j), v in np.ndenumerate(data):
        if v:
            ax.text(j, i, str(v), ha="center", va="center", fontsize=8)
    ax.set_xlabel("主题" if chinese else "theme")
    ax.set_ylabel("机构（最新名称）" if chinese else "agency (A1, A2, …: the returned mapping)")
    ax.set_title("各机构问题主题出现的年数" if chinese else "Years in which each agency states a problem theme")
    cbar = plt.colorbar(im, ax=ax, fraction=0.03)
    _integer_axis(cbar.ax.yaxis)
    cbar.set_label("年数" if chinese else "years")
    return ax, labels


def findings_by_rule(findings: pd.DataFrame, ax=None):
    """Bars: consistency findings per rule, split by severity."""
    import matplotlib.pyplot as plt

    chinese = _setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    table = findings.groupby(["rule", "severity"]).size().unstack(fill_value=0)
    for rule in ("R1", "R2", "R3", "R4", "R5", "R6"):
        if rule not in table.index:
            table.loc[rule] = 0
    table = table.sort_index()
    bottom = None
    for sev in table.columns:
        ax.bar(table.index, table[sev], bottom=bottom, label=sev)
        bottom = table[sev] if bottom is None else bottom + table[sev]
    ax.set_xlabel("规则" if chinese else "rule")
    ax.set_ylabel("发现数" if chinese else "findings")
    _integer_axis(ax.yaxis)
    ax.set_title("一致性检查结果（按规则）" if chinese else "Consistency findings by rule")
    ax.legend(frameon=False)
    return ax


def requests_over_time(table: pd.DataFrame, ax=None):
    """Lines: requests received (table 3 `new`) and processed per year, summed over the corpus."""
    import matplotlib.pyplot as plt

    chinese = _setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    t = table[(table["column"] == "total") & table["row"].isin(["new", "total_processed", "granted"])]
    from .frames import known_sum

    # A year with a blank cell is a gap in the line, never a dip to 0 (a blank is missing); so is a year
    # without reports.
    wide = t.groupby(["year", "row"])["value"].agg(known_sum).unstack().astype("float64")
    wide = wide.reindex(_years(wide.index))
    names = {"new": "新收申请", "total_processed": "办结", "granted": "予以公开"} if chinese else \
        {"new": "received", "total_processed": "processed", "granted": "granted"}
    for row in wide.columns:
        ax.plot(wide.index, wide[row], marker="o", label=names.get(row, row))
    _year_axis(ax, chinese)
    ax.set_ylabel("申请数（件）" if chinese else "requests (sum over reports)")
    _integer_axis(ax.yaxis)
    ax.set_title("依申请公开数量" if chinese else "Information requests")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax


def theme_timeline(timeline: pd.DataFrame, agency_id: str, role: str | None = "problem", ax=None, codebook=None):
    """Theme × year heat map of one agency (statements per theme and year); years without a report hatched.

    ``timeline`` is the tidy frame of :func:`textmine.tracking.timeline`.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    chinese = _setup()
    tl = timeline[timeline["agency_id"] == agency_id].sort_values("year", kind="stable")
    if tl.empty:
        raise ValueError(f"no timeline rows for agency {agency_id!r}")
    years = list(range(int(tl["year"].min()), int(tl["year"].max()) + 1))
    gaps = set(tl.loc[~tl["report"].astype(bool), "year"].astype(int))
    rows = tl[tl["report"].astype(bool) & tl["theme"].notna()]
    if role:
        rows = rows[rows["role"] == role]
    themes = sorted(set(rows["theme"]))
    data = np.zeros((len(themes), len(years)))
    for t, y, n in zip(rows["theme"], rows["year"].astype(int), rows["n"].astype(int)):
        data[themes.index(t), years.index(y)] += n
    if ax is None:
        _, ax = plt.subplots(figsize=(1.5 + 0.45 * len(years), 1 + 0.4 * max(3, len(themes))))
    masked = np.ma.masked_array(data, mask=np.zeros_like(data, dtype=bool))
    for y in gaps:
        masked.mask[:, years.index(y)] = True
    im = ax.imshow(masked, cmap="Reds", aspect="auto", vmin=0)
    for y in gaps:  # a year without a report is a gap, not a zero
        ax.axvspan(years.index(y) - 0.5, years.index(y) + 0.5, facecolor="none", edgecolor="0.6", hatch="//")
    ax.set_xticks(range(len(years)), [str(y) for y in years], rotation=90)
    ax.set_yticks(range(len(themes)), [theme_label(t, chinese, codebook) for t in themes])
    name = _latest_names(tl).get(agency_id, agency_id)
    ax.set_xlabel("年份" if chinese else "year")
    ax.set_ylabel("主题" if chinese else "theme")
    ax.set_title(f"{name}：各年份的问题主题（斜线：无报告）" if chinese else
                 "Themes by year (hatched: no report)")
    cbar = plt.colorbar(im, ax=ax, fraction=0.03)
    _integer_axis(cbar.ax.yaxis)
    cbar.set_label("语句数" if chinese else "statements")
    return ax


def reuse_by_year(reports: pd.DataFrame, agency_id: str | None = None, ax=None):
    """Lines: mean reuse_share (from the agency's earlier reports) and cross_agency_share per report year,
    over the corpus or one agency. ``reports`` is the per-report frame of ``textmine.tracking``."""
    import matplotlib.pyplot as plt

    chinese = _setup()
    df = reports if agency_id is None else reports[reports["agency_id"] == agency_id]
    df = df.dropna(subset=["year"])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 4))
    years = df["year"].astype(int)
    by = df.groupby(years)[["reuse_share", "cross_agency_share"]].mean()
    by = by.reindex(_years(by.index))  # a year without reports: a gap
    labels = {"reuse_share": "沿用本机构往年" if chinese else "from the agency's earlier reports",
              "cross_agency_share": "与其他机构相同" if chinese else "shared with other agencies"}
    for col in by.columns:
        ax.plot(by.index, by[col] * 100, marker="o", label=labels[col])
    ax.set_ylim(0, 100)
    _year_axis(ax, chinese)
    _annotate_n(ax, years.value_counts().sort_index(), chinese)  # one row per report
    ax.set_ylabel("重复语句占比 (%)，各年报告平均" if chinese else "statements repeated (%, mean over reports)")
    ax.set_title("第五部分的文字沿用" if chinese else "Text reuse in section 5")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax
