"""Figures shared by the CLI and the notebooks (matplotlib, one function per figure).

Chinese labels are drawn with a CJK font when one is installed; otherwise theme labels fall back to
their English names and agency names to short codes (A1, A2, … — the returned mapping says which is
which), so a figure never shows empty boxes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_CJK_FONT_HINTS = ("Noto Sans CJK", "Noto Serif CJK", "Source Han", "WenQuanYi", "SimHei", "SimSun", "Microsoft YaHei",
                   "PingFang", "Heiti", "AR PL", "Droid Sans Fallback", "Sarasa", "LXGW")


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """Name of an installed font that covers Chinese, or None."""
    from matplotlib import font_manager

    for f in font_manager.fontManager.ttflist:
        if any(h.lower() in f.name.lower() for h in _CJK_FONT_HINTS):
            return f.name
    return None


def _setup() -> bool:
    import matplotlib

    font = cjk_font()
    if font:
        matplotlib.rcParams["font.sans-serif"] = [font, *matplotlib.rcParams["font.sans-serif"]]
        matplotlib.rcParams["axes.unicode_minus"] = False
    return font is not None


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

    ``top``: only the themes most prevalent over all groups (None: every theme).
    """
    import matplotlib.pyplot as plt

    chinese = _setup()
    if ax is None:
        _, ax = plt.subplots(figsize=(10, 5))
    wide = prevalence.pivot_table(index=by, columns="theme", values="share", fill_value=0.0)
    if top:
        wide = wide[wide.mean().sort_values(ascending=False).index[:top]]
    for theme in wide.columns:
        ax.plot(wide.index.astype(str), wide[theme] * 100, marker="o", label=theme_label(theme, chinese, codebook))
    ax.set_xlabel("年份" if chinese and by == "year" else by)
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
    names = statements.drop_duplicates("agency_id").set_index("agency_id")["agency"]
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
    ax.set_title("各机构问题主题出现的年数" if chinese else "Years in which each agency states a problem theme")
    plt.colorbar(im, ax=ax, fraction=0.03)
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
    ax.set_ylabel("发现数" if chinese else "findings")
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

    # A year with a blank cell is a gap in the line, never a dip to 0 (a blank is missing).
    wide = t.groupby(["year", "row"])["value"].agg(known_sum).unstack().astype("float64")
    names = {"new": "新收申请", "total_processed": "办结", "granted": "予以公开"} if chinese else \
        {"new": "received", "total_processed": "processed", "granted": "granted"}
    for row in wide.columns:
        ax.plot(wide.index.astype(str), wide[row], marker="o", label=names.get(row, row))
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
    tl = timeline[timeline["agency_id"] == agency_id]
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
    name = tl["agency"].dropna().iloc[-1] if tl["agency"].notna().any() else agency_id
    ax.set_title(f"{name}：各年份的问题主题（斜线：无报告）" if chinese else
                 "Themes by year (hatched: no report)")
    plt.colorbar(im, ax=ax, fraction=0.03)
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
    by = df.groupby(df["year"].astype(int))[["reuse_share", "cross_agency_share"]].mean()
    labels = {"reuse_share": "沿用本机构往年" if chinese else "from the agency's earlier reports",
              "cross_agency_share": "与其他机构相同" if chinese else "shared with other agencies"}
    for col in by.columns:
        ax.plot(by.index.astype(str), by[col] * 100, marker="o", label=labels[col])
    ax.set_ylim(0, 100)
    ax.set_ylabel("重复语句占比 (%)" if chinese else "statements repeated (%)")
    ax.set_title("第五部分的文字沿用" if chinese else "Text reuse in section 5")
    ax.legend(frameon=False)
    ax.grid(alpha=0.3)
    return ax
