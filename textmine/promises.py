"""Kept and unkept promises: each measure of year N against the problems and rectifications of year N+1.

A measure (what the agency will do) of an agency's year-N report is *linked* to a problem or rectification
of the same agency's year-N+1 report when they share a theme, or a key phrase: two or more character
4-grams that are rare in the corpus (in at most ``KEY_PHRASE_DF`` of all statements, so the formulas every
report uses never link anything). One finding per linked measure–problem pair; a measure linked only to
rectifications is one finding without a problem.

``status``: ``kept`` — a rectification of N+1 reports it done and no problem comes back; ``unkept`` — a
problem comes back and no rectification; ``unclear`` — both. The null for a problem coming back is the one
of :mod:`textmine.nullmodel`: the agency's N+1 report is swapped for any report of its stratum (year, level,
template era), so ``expected`` (= the conservative p) is the share of that stratum's units with a problem
linked to the measure by the same rule.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .reuse import normalize

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

KEY_PHRASE_DF = 0.02
MIN_SHARED_GRAMS = 2
PROMISE_COLUMNS = ["finding_id", "agency_id", "agency", "theme", "link", "key_phrases", "year_measure", "measure",
                   "measure_doc_id", "measure_statement_id", "year_problem", "problem", "problem_doc_id",
                   "problem_statement_id", "rectification", "rectification_doc_id", "rectification_statement_id",
                   "status", "observed", "expected", "p_value", "p_conservative", "q_value"]


def _linker(st: pd.DataFrame):
    """The link test between two statement rows: shared themes (codebook order), shared rare 4-grams."""
    from .lsh import rare_grams

    keys = rare_grams([normalize(t) for t in st["text"].fillna("")], k=4, max_df=max(2, KEY_PHRASE_DF * len(st)))
    themes = [frozenset(t for t in (ts if isinstance(ts, (list, tuple)) else []) if t != "other")
              for ts in st["themes"]]

    def link(i: int, j: int) -> tuple[list[str], list[int]]:
        shared = sorted(keys[i] & keys[j])
        return sorted(themes[i] & themes[j]), shared if len(shared) >= MIN_SHARED_GRAMS else []

    return link, keys, themes


def _phrases(text: str, shared: list[int]) -> str:
    """The runs of ``text`` made of the shared key 4-grams (overlapping grams merged)."""
    from .lsh import char_shingles

    t = normalize(text)
    tokens, _ = char_shingles([t], 4)
    hit = set(shared)
    out, end = [], -1
    for i, tok in enumerate(tokens.tolist()):
        if tok in hit:
            if i <= end and out:
                out[-1] += t[end + 1:i + 4]
            else:
                out.append(t[i:i + 4])
            end = i + 3
    return " / ".join(out)


def _pairs(st: pd.DataFrame, link, units: dict) -> list[dict]:
    """Measure-problem and measure-rectification rows of consecutive years of one agency."""
    rows = []
    roles = st["role"].tolist()
    by_unit: dict[tuple, list[int]] = {}
    for i, unit in enumerate(zip(st["_aid"].tolist(), st["_year"].tolist())):
        by_unit.setdefault(unit, []).append(i)
    for (aid, year), members in by_unit.items():
        nxt = by_unit.get((aid, year + 1))
        if nxt is None:
            continue
        later = [(j, roles[j]) for j in nxt if roles[j] in ("problem", "rectification")]
        for i in (i for i in members if roles[i] == "measure"):
            probs, rects = [], []
            for j, role in later:
                themes, phrases = link(i, j)
                if themes or phrases:
                    (probs if role == "problem" else rects).append((j, themes, phrases))
            if not probs and not rects:
                continue
            status = "kept" if not probs else ("unkept" if not rects else "unclear")
            rect = rects[0][0] if rects else None
            for j, themes, phrases in probs or [(None, [], [])]:
                if j is None:
                    themes, phrases = rects[0][1], rects[0][2]
                rows.append({"_m": i, "_p": j, "_r": rect, "_themes": themes, "_phrases": phrases, "status": status,
                             "_stratum": units.get((aid, year + 1))})
    return rows


def _null(rows: list[dict], st: pd.DataFrame, keys, themes, units: dict) -> None:
    """expected / p values of each row with a problem: the share of its stratum's units with a problem
    linked to the measure (theme or ≥ MIN_SHARED_GRAMS shared key grams)."""
    by_stratum: dict[str, dict] = {}
    for i, (role, aid, y) in enumerate(zip(st["role"].tolist(), st["_aid"].tolist(), st["_year"].tolist())):
        s = units.get((aid, y)) if role == "problem" else None
        if s is None:
            continue
        d = by_stratum.setdefault(s, {"themes": {}, "grams": {}})
        for t in themes[i]:
            d["themes"].setdefault(t, set()).add(aid)
        for g in keys[i]:
            d["grams"].setdefault(g, {}).setdefault(aid, 0)
            d["grams"][g][aid] += 1
    sizes = Counter(units.values())
    for row in rows:
        d = by_stratum.get(row["_stratum"])
        if row["_p"] is None or d is None:
            row.update(observed=None, expected=None, p_value=None, p_conservative=None)
            continue
        m = row["_m"]
        linked = set().union(*(d["themes"].get(t, set()) for t in themes[m]))
        gram_hits = Counter(a for g in keys[m] for a in d["grams"].get(g, {}))
        linked |= {a for a, n in gram_hits.items() if n >= MIN_SHARED_GRAMS}
        share = max(len(linked), 1) / sizes[row["_stratum"]]
        row.update(observed=1, expected=round(share, 4), p_value=round(share / 2, 6), p_conservative=round(share, 6))


def _row(r: dict, cols: dict[str, list]) -> dict:
    """The output row of one link found by :func:`_pairs`."""
    def side(k: str | None, name: str) -> dict:
        return {name: None if k is None else cols["text"][k],
                f"{name}_doc_id": None if k is None else cols["doc_id"][k],
                f"{name}_statement_id": None if k is None else cols["statement_id"][k]}

    m, p, c = r["_m"], r["_p"], r["_r"]
    other = p if p is not None else c
    kinds = [k for k, v in (("theme", r["_themes"]), ("phrase", r["_phrases"])) if v]
    return {
        "finding_id": f"promise:{cols['doc_id'][m]}:{cols['statement_id'][m]}:{cols['doc_id'][other]}:"
                      f"{cols['statement_id'][other]}",
        "agency_id": cols["_aid"][m], "agency": cols["agency"][other],
        "theme": r["_themes"][0] if r["_themes"] else None, "link": "+".join(kinds),
        "key_phrases": _phrases(cols["text"][m], r["_phrases"]) if r["_phrases"] else None,
        "year_measure": cols["_year"][m], **side(m, "measure"),
        "year_problem": cols["_year"][m] + 1 if p is not None else None, **side(p, "problem"),
        **side(c, "rectification"), "status": r["status"],
        **{k: r[k] for k in ("observed", "expected", "p_value", "p_conservative")}}


def promises(statements: pd.DataFrame, documents: pd.DataFrame | None = None,
             strata: Sequence[str] = ("year", "level", "era")) -> pd.DataFrame:
    """One row per linked measure–problem pair (and per measure linked only to rectifications)."""
    import pandas as pd

    from .frames import complete_statements
    from .nullmodel import benjamini_hochberg, unit_strata

    st = complete_statements(statements)
    st = st[st["year"].notna()].reset_index(drop=True)
    st = st.assign(_aid=st["agency_id"].fillna(st["agency"]), _year=st["year"].astype(int))
    if st.empty:
        return pd.DataFrame(columns=PROMISE_COLUMNS)
    u = unit_strata(st.assign(agency_id=st["_aid"]), documents, strata)
    units = dict(zip(zip(u["agency_id"], u["year"]), u["stratum"]))
    link, keys, themes = _linker(st)
    cols = {c: st[c].tolist() for c in ("doc_id", "statement_id", "agency", "text", "_aid", "_year")}
    rows = _pairs(st, link, units)
    _null(rows, st, keys, themes, units)
    out = [_row(r, cols) for r in rows] if rows else []
    df = pd.DataFrame(out, columns=PROMISE_COLUMNS)
    for col in ("year_problem", "observed"):
        df[col] = df[col].astype("Int64")
    has_p = df["p_value"].notna()
    df.loc[has_p, "q_value"] = benjamini_hochberg(df.loc[has_p, "p_value"].astype(float).to_numpy()).round(6)
    return df.sort_values(["agency_id", "year_measure", "measure_statement_id"], kind="stable", ignore_index=True)
