"""Recurring issues across agencies and years, kept and unkept promises, prevalence, repeated text, timeline.

Every finding has a ``finding_id`` and its evidence (the statements it rests on, with report, file and
statement id) in the long frame of :func:`evidence`; recurring themes and promises carry ``observed``,
``expected`` and ``p_value`` under the null model of :mod:`textmine.nullmodel` (docs/tracking.md).
:func:`track` computes all of it at once; :func:`recurring_report` is the JSON of ``textmine recurring``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .frames import complete_statements, explode_themes

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus

EVIDENCE_COLUMNS = ["finding_id", "kind", "side", "doc_id", "file", "year", "statement_id", "role", "text"]
TIMELINE_COLUMNS = ["agency_id", "agency", "year", "theme", "role", "n", "report"]


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def _recurring_id(agency_id: Any, theme: str, role: str) -> str:
    return f"recurring:{agency_id}:{theme}:{role}"


def recurring(statements: pd.DataFrame, role: str | None = "problem", min_years: int = 2,
              documents: pd.DataFrame | None = None, strata: Sequence[str] = ("year", "level", "era")
              ) -> pd.DataFrame:
    """One row per (agency, theme, role) stated in ``min_years`` or more report years of one agency.

    Columns: finding_id, agency_id, agency (the latest name), theme, role, years, n_years, first_year,
    last_year, longest_run (consecutive years), statements (texts in year order), and the null model's
    observed, expected, p_value, p_conservative, q_value (BH over the rows returned).
    ``documents`` (the corpus frame) gives the strata their template era and counts years without statements;
    ``strata`` is what the null holds fixed (:mod:`textmine.nullmodel`).
    """
    import pandas as pd

    from .nullmodel import NULL_COLUMNS, benjamini_hochberg, recurrence_null

    cols = ["finding_id", "agency_id", "agency", "theme", "role", "years", "n_years", "first_year", "last_year",
            "longest_run", "statements", *NULL_COLUMNS]
    statements = complete_statements(statements)
    df = explode_themes(statements)
    if role:
        df = df[df["role"] == role]
    df = df.sort_values(["agency_id", "theme", "role", "year", "order"], kind="stable")
    keys = list(zip(df["agency_id"].tolist(), df["theme"].tolist(), df["role"].tolist()))
    years_all, texts, names = df["year"].astype(int).tolist(), df["text"].tolist(), df["agency"].tolist()
    rows, start = [], 0
    for end in range(1, len(keys) + 1):  # one pass over runs of equal (agency, theme, role)
        if end < len(keys) and keys[end] == keys[start]:
            continue
        years = sorted(set(years_all[start:end]))
        if len(years) >= min_years:
            aid, theme, r = keys[start]
            rows.append({
                "finding_id": _recurring_id(aid, theme, r), "agency_id": aid, "agency": names[end - 1],
                "theme": theme, "role": r, "years": years, "n_years": len(years), "first_year": years[0],
                "last_year": years[-1], "longest_run": max(len(x) for x in _runs(years)),
                "statements": texts[start:end]})
        start = end
    out = pd.DataFrame(rows, columns=cols[:11])
    if len(out):
        null = recurrence_null(statements, out, documents, strata)
        out = out.merge(null, on=["agency_id", "theme", "role"], how="left")
        out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy()).round(6)
    out = pd.DataFrame(out, columns=cols)
    return out.sort_values(["n_years", "agency_id", "theme"], ascending=[False, True, True], ignore_index=True)


def unkept_promises(statements: pd.DataFrame, documents: pd.DataFrame | None = None,
                    strata: Sequence[str] = ("year", "level", "era")) -> pd.DataFrame:
    """Measures of year N linked to a problem of the same agency in year N+1 (one row per measure–problem
    pair) or to a rectification: ``status`` kept / unkept / unclear (see :mod:`textmine.promises`).

    Keeps the columns of earlier versions (agency_id, agency, theme, year_measure, measure, year_problem,
    problem) and adds the ids, link, key phrases, rectification and the null model's columns.
    """
    from .promises import promises

    return promises(statements, documents, strata)


def prevalence(statements: pd.DataFrame, documents: pd.DataFrame, by: str = "year", role: str | None = "problem"):
    """Share of reports (per ``by`` group: year, level, province, …) that state each theme.

    Returns a tidy frame: group, theme, reports (with the theme), total (reports in the group), share.
    """
    import pandas as pd

    df = explode_themes(statements)
    if role:
        df = df[df["role"] == role]
    docs = documents.dropna(subset=[by]) if by in documents else documents
    totals = docs.groupby(by)["doc_id"].nunique()
    hits = df.merge(docs[["doc_id", by]].rename(columns={by: "_g"}), on="doc_id")
    counts = hits.groupby(["_g", "theme"])["doc_id"].nunique().rename("reports").reset_index()
    counts = counts.rename(columns={"_g": by})
    counts["total"] = counts[by].map(totals)
    counts["share"] = (counts["reports"] / counts["total"]).round(4)
    return counts.sort_values([by, "theme"], ignore_index=True) if not counts.empty else pd.DataFrame(
        columns=[by, "theme", "reports", "total", "share"])


_SIDE = {"doc": "doc_id", "agency": "agency", "year": "year", "role": "role", "text": "text",
         "statement": "statement_id"}
REPEATED_COLUMNS = ["finding_id", "similarity", "kind", "doc_a", "agency_a", "year_a", "role_a", "text_a",
                    "statement_a", "doc_b", "agency_b", "year_b", "role_b", "text_b", "statement_b"]


def repeated_text(statements: pd.DataFrame, threshold: float = 0.85, max_pairs: int = 10000, seed: int = 0
                  ) -> pd.DataFrame:
    """Near-identical statements across years of one agency or across agencies (boilerplate).

    Statements are normalized (:func:`textmine.reuse.normalize`), exact copies merged, the distinct texts
    paired by MinHash-LSH and kept when the cosine of their character 3-gram sets is ≥ ``threshold``; linked
    texts form groups. Each occurrence of a group is paired with the one before it in (year, report) order,
    so a text in k reports gives k − 1 pairs — the copy chain — instead of k². Same-report pairs are skipped.
    """
    import numpy as np
    import pandas as pd

    from .lsh import grams, set_cosine
    from .reuse import near_duplicate_groups, normalize

    st = complete_statements(statements).reset_index(drop=True)
    norm = st["text"].fillna("").map(normalize)
    ok = norm.str.len() > 0
    if ok.sum() < 2:
        return pd.DataFrame(columns=REPEATED_COLUMNS)
    codes, uniques = pd.factorize(norm[ok])
    labels, _ = near_duplicate_groups(list(uniques), threshold, seed)
    occ = pd.DataFrame({"row": np.flatnonzero(ok.to_numpy()), "u": codes, "group": labels[codes]})
    occ["year"] = st["year"].to_numpy()[occ["row"]]
    occ["doc"] = st["doc_id"].to_numpy()[occ["row"]]
    occ = occ.sort_values(["group", "year", "doc", "row"], kind="stable", na_position="last")
    prev = occ.shift(1)
    same_group = (prev["group"] == occ["group"]) & (prev["doc"] != occ["doc"])
    links = list(zip(prev.loc[same_group, "row"].astype(int), occ.loc[same_group, "row"].astype(int),
                     prev.loc[same_group, "u"].astype(int), occ.loc[same_group, "u"].astype(int)))
    agencies = st["agency_id"].tolist()
    col = {c: st[c].tolist() for c in ("doc_id", "agency", "year", "role", "text", "statement_id")}
    rows = []
    for a, b, ua, ub in links:
        sim = 1.0 if ua == ub else set_cosine(grams(uniques[ua]), grams(uniques[ub]))
        rows.append({
            "finding_id": f"repeated:{col['doc_id'][a]}:{col['statement_id'][a]}:{col['doc_id'][b]}:"
                          f"{col['statement_id'][b]}",
            "similarity": round(min(sim, 1.0), 4),
            "kind": "same agency" if agencies[a] == agencies[b] else "across agencies",
            **{f"{k}_a": col[c][a] for k, c in _SIDE.items()}, **{f"{k}_b": col[c][b] for k, c in _SIDE.items()},
        })
    out = pd.DataFrame(rows, columns=REPEATED_COLUMNS)
    return out.sort_values("similarity", ascending=False, kind="stable", ignore_index=True).head(max_pairs)


def evidence(statements: pd.DataFrame, recurring_frame: pd.DataFrame | None = None,
             promises_frame: pd.DataFrame | None = None, repeated_frame: pd.DataFrame | None = None,
             files: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The evidence of every finding, one row per (finding, statement): finding_id, kind (recurring,
    promise, repeated), side (None; for pairs ``a`` = the measure or earlier text, ``b`` = the problem,
    rectification or later text), doc_id, file, year, statement_id, role, text."""
    import pandas as pd

    files = files or {}
    st = complete_statements(statements)
    key = {(d, s): i for i, (d, s) in enumerate(zip(st["doc_id"].tolist(), st["statement_id"].tolist()))}
    years, roles, texts = st["year"].tolist(), st["role"].tolist(), st["text"].tolist()
    rows: list[tuple] = []

    def add(fid: str, kind: str, side: str | None, doc: Any, sid: Any) -> None:
        i = key.get((doc, sid))
        if i is not None:
            rows.append((fid, kind, side, doc, files.get(doc), years[i], sid, roles[i], texts[i]))

    if recurring_frame is not None and len(recurring_frame):
        ex = explode_themes(st)
        ex = ex.assign(finding_id=[_recurring_id(a, t, r) for a, t, r in zip(ex["agency_id"], ex["theme"], ex["role"])])
        ex = ex[ex["finding_id"].isin(set(recurring_frame["finding_id"]))].sort_values(["finding_id", "year", "order"])
        for fid, doc, sid in zip(ex["finding_id"].tolist(), ex["doc_id"].tolist(), ex["statement_id"].tolist()):
            add(fid, "recurring", None, doc, sid)
    pcols = ["finding_id", "measure_doc_id", "measure_statement_id", "problem_doc_id", "problem_statement_id",
             "rectification_doc_id", "rectification_statement_id"]
    for fid, md, ms, pd_, ps, rd, rs in (promises_frame[pcols].itertuples(index=False, name=None)
                                         if promises_frame is not None else ()):
        add(fid, "promise", "a", md, ms)
        add(fid, "promise", "b", pd_, ps)
        add(fid, "promise", "b", rd, rs)
    rcols = ["finding_id", "doc_a", "statement_a", "doc_b", "statement_b"]
    for fid, da, sa, db, sb in (repeated_frame[rcols].itertuples(index=False, name=None)
                                if repeated_frame is not None else ()):
        add(fid, "repeated", "a", da, sa)
        add(fid, "repeated", "b", db, sb)
    out = pd.DataFrame.from_records(rows, columns=EVIDENCE_COLUMNS)
    out["year"] = out["year"].astype("Int64")
    return out


def timeline(statements: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Tidy (agency_id, agency, year, theme, role, n, report): statements per agency, year, theme and role.

    Every year from an agency's first to its last report is listed; a year without a report has one row
    with ``report`` False and theme, role and n empty (a gap, not a zero).
    """
    import pandas as pd

    src = documents if documents is not None and len(documents) else statements
    src = src.assign(agency_id=src["agency_id"].fillna(src["agency"])).dropna(subset=["year"])
    names = src.sort_values("year").groupby("agency_id")["agency"].last()
    ex = explode_themes(statements)
    ex = ex.assign(agency_id=ex["agency_id"].fillna(ex["agency"]))
    counts = ex.groupby(["agency_id", "year", "theme", "role"]).size().rename("n").reset_index()
    counts["report"] = True
    gaps = []
    for aid, g in src.groupby("agency_id"):
        have = {int(y) for y in g["year"]}
        gaps += [{"agency_id": aid, "year": y, "report": False} for y in range(min(have), max(have) + 1) if y not in have]
    out = pd.concat([counts, pd.DataFrame(gaps, columns=["agency_id", "year", "report"])], ignore_index=True)
    out["agency"] = out["agency_id"].map(names)
    out["year"] = out["year"].astype(int)
    out["n"] = out["n"].astype("Int64")
    return pd.DataFrame(out, columns=TIMELINE_COLUMNS).sort_values(["agency_id", "year", "theme", "role"],
                                                                   ignore_index=True, na_position="first")


@dataclass
class Tracking:
    """Every tracking frame of one corpus (tidy, no list cells except the ``years``/``statements`` columns
    ``recurring`` has always had)."""

    recurring: pd.DataFrame
    promises: pd.DataFrame
    repeated: pd.DataFrame
    evidence: pd.DataFrame
    timeline: pd.DataFrame
    reports: pd.DataFrame  # reuse_share, cross_agency_share, … per report
    copies: pd.DataFrame
    chains: pd.DataFrame
    families: pd.DataFrame


def track(statements: pd.DataFrame, documents: pd.DataFrame | None = None, *, role: str | None = None,
          threshold: float = 0.85, clause_threshold: float = 0.8, seed: int = 0,
          strata: Sequence[str] = ("year", "level", "era")) -> Tracking:
    """All tracking frames of a statements frame (and the documents frame: files, template eras, gaps)."""
    from .reuse import reuse

    statements = complete_statements(statements)
    rec = recurring(statements, role=role, documents=documents, strata=strata)
    prom = unkept_promises(statements, documents, strata)
    rep = repeated_text(statements, threshold=threshold, seed=seed)
    files = dict(zip(documents["doc_id"], documents["path"])) if documents is not None and "path" in documents else {}
    ru = reuse(statements, documents, threshold=clause_threshold, seed=seed)
    return Tracking(rec, prom, rep, evidence(statements, rec, prom, rep, files), timeline(statements, documents),
                    ru.reports, ru.copies, ru.chains, ru.families)


def corpus_tracking(corpus: Corpus, **kw: Any) -> Tracking:
    """:func:`track` of a :class:`~textmine.corpus.Corpus`."""
    return track(corpus.statements, corpus.documents, **kw)


def compare_themes(corpus: Corpus, sources: Sequence[str], strata: Sequence[str] = ("year", "level", "era")
                   ) -> dict[str, Any]:
    """How the recurring findings change with the theme source (``rules``, ``model``, ``calibrated``):
    per source the number of findings and significant ones (q < 0.05), and per pair of sources the
    findings both have, the Jaccard overlap and those only one of them has."""
    from .gold import theme_source
    from .themes.stage import classify

    st = corpus.statements
    per: dict[str, Any] = {}
    for name in sources:
        tagged = classify(st["text"].fillna("").tolist(), theme_source(name))
        s = st.assign(themes=[t for t, _ in tagged])
        rec = recurring(s, role=None, documents=corpus.documents, strata=strata)
        per[name] = rec
    out: dict[str, Any] = {"sources": {n: {"findings": len(r), "significant": int((r["q_value"] < 0.05).sum())}
                                       for n, r in per.items()}, "pairs": []}
    for i, a in enumerate(sources):
        for b in sources[i + 1:]:
            ka, kb = set(per[a]["finding_id"]), set(per[b]["finding_id"])
            out["pairs"].append({"a": a, "b": b, "both": len(ka & kb), "only_a": sorted(ka - kb),
                                 "only_b": sorted(kb - ka),
                                 "jaccard": round(len(ka & kb) / len(ka | kb), 4) if ka | kb else 1.0})
    return out


def _plain(v: Any) -> Any:
    """JSON-ready scalar: pandas NA/NaN → None, numpy numbers → Python numbers."""
    if v is None:
        return None
    try:
        if v != v:  # NaN, NA
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(v, "item"):
        return v.item()
    return v


def _records(df: pd.DataFrame, cols: Sequence[str]) -> list[dict]:
    return [{c: _plain(v) for c, v in zip(cols, row)} for row in df[list(cols)].itertuples(index=False)]


def _evidence_json(ev: pd.DataFrame) -> dict[str, list[dict]]:
    cols = ["doc_id", "file", "year", "statement_id", "role", "text"]
    out: dict[str, list[dict]] = {}
    for fid, side, *vals in ev[["finding_id", "side", *cols]].itertuples(index=False):
        out.setdefault(fid, []).append({**dict(zip(cols, map(_plain, vals))), **({"side": side} if side else {})})
    return out


def recurring_report(corpus: Corpus, threshold: float = 0.85, tracking: Tracking | None = None,
                     strata: Sequence[str] = ("year", "level", "era")) -> dict:
    """The JSON of ``textmine recurring --json`` (docs/tracking.md lists every key)."""
    t = tracking or corpus_tracking(corpus, threshold=threshold, strata=strata)
    ev = _evidence_json(t.evidence)
    null = ["observed", "expected", "p_value", "p_conservative", "q_value"]
    recurring_rows = [
        {"finding_id": r.finding_id, "agency": r.agency, "agency_id": r.agency_id, "theme": r.theme, "role": r.role,
         "years": list(r.years), "first_year": r.first_year, "last_year": r.last_year, "longest_run": r.longest_run,
         "statements": list(r.statements), **{k: _plain(getattr(r, k)) for k in null},
         "evidence": ev.get(r.finding_id, [])}
        for r in t.recurring.itertuples()
    ]
    promise_cols = [c for c in t.promises.columns]
    promises = [{**p, "evidence": ev.get(p["finding_id"], [])} for p in _records(t.promises, promise_cols)]
    side_keys = ["doc_id", "file", "statement_id", "agency", "year", "role", "text"]
    files = dict(zip(t.evidence["doc_id"], t.evidence["file"]))
    repeated = []
    for r in t.repeated.itertuples():
        a = dict(zip(side_keys, map(_plain, (r.doc_a, files.get(r.doc_a), r.statement_a, r.agency_a, r.year_a,
                                             r.role_a, r.text_a))))
        b = dict(zip(side_keys, map(_plain, (r.doc_b, files.get(r.doc_b), r.statement_b, r.agency_b, r.year_b,
                                             r.role_b, r.text_b))))
        repeated.append({"finding_id": r.finding_id, "similarity": r.similarity, "kind": r.kind, "a": a, "b": b,
                         "evidence": ev.get(r.finding_id, [])})
    return {
        "recurring": recurring_rows, "unkept_promises": promises, "repeated_text": repeated,
        "timeline": _records(t.timeline, TIMELINE_COLUMNS),
        "reports": _records(t.reports, list(t.reports.columns)),
        "copy_chains": _records(t.chains, list(t.chains.columns)),
        "template_families": _records(t.families, list(t.families.columns)),
    }
