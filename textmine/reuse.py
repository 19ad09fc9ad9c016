"""Text reuse at scale: clause-level near-duplicates, per-report reuse shares, copy chains, template families.

Statements are split into clauses (at ，；。：！？); a clause is *reused* when a near-identical clause (cosine of
character 3-gram sets ≥ ``threshold``) is in another report. Exact copies are merged first, the remaining
distinct clauses are paired by MinHash-LSH (:mod:`textmine.lsh`) and checked exactly, and linked clauses form
clusters. Everything after that is group-bys over the clusters, so time and memory grow about linearly.

- a statement is repeated from the agency's earlier reports when at least half of its clause characters are in
  clusters holding a clause of an earlier report of the same agency; from other agencies when half are in
  clusters holding a clause of another agency's report of the same or an earlier year;
- a report's *source* is the earlier report that contains the largest share (≥ ``source_share``) of its
  clause clusters (on ties the latest, then one of the same agency); following sources gives copy chains;
- agencies whose clause sets overlap by ``family_share`` or more (of the smaller set) are one template family.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .lsh import candidate_pairs, char_shingles, components, grams, set_cosine, signatures

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

CLAUSE_SPLIT = re.compile(r"[，,；;。：:！!？?\n]+")
# Enumeration markers and year/number runs differ between copies of one template; they are not the text.
_MARKER = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]|[一二三四五六七八九十]是)\s*")
_DIGITS = re.compile(r"[0-9０-９〇○零一二三四五六七八九十百千]+(?=年|月|日|个|次|件|条|项|人)")
MIN_CLAUSE_CHARS = 6
REPORT_COLUMNS = ["doc_id", "agency_id", "agency", "year", "statements", "clauses", "reuse_share",
                  "cross_agency_share", "clause_reuse_share", "clause_cross_agency_share"]
COPY_COLUMNS = ["doc_id", "agency_id", "agency", "year", "source_doc_id", "source_agency_id", "source_agency",
                "source_year", "shared_clauses", "share", "kind"]
CHAIN_COLUMNS = ["chain_id", "step", "doc_id", "agency_id", "agency", "year", "share", "kind"]
FAMILY_COLUMNS = ["family_id", "agency_id", "agency", "reports", "clauses", "overlap"]


def normalize(text: str) -> str:
    """The comparable form of a text: NFKC, no spaces, no leading enumeration marker, counts as #."""
    t = unicodedata.normalize("NFKC", text or "")
    t = re.sub(r"\s+", "", t)
    return _DIGITS.sub("#", _MARKER.sub("", t))


def clauses(text: str) -> list[str]:
    """The clauses of a statement worth comparing (normalized, at least MIN_CLAUSE_CHARS characters)."""
    out = []
    for part in CLAUSE_SPLIT.split(text or ""):
        c = normalize(part)
        if len(c) >= MIN_CLAUSE_CHARS:
            out.append(c)
    return out


def near_duplicate_groups(texts: list[str], threshold: float, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Cluster label of each distinct text (texts linked by cosine ≥ threshold, transitively) and the
    verified pairs (n, 2)."""
    tokens, offsets = char_shingles(texts)
    sig = signatures(tokens, offsets, seed=seed)
    cand = candidate_pairs(sig, eligible=np.diff(offsets) > 0)
    keep = []
    cache: dict[int, set[str]] = {}
    for i, j in cand:
        a = cache.get(i)
        if a is None:
            a = cache.setdefault(i, grams(texts[i]))
        b = cache.get(j)
        if b is None:
            b = cache.setdefault(j, grams(texts[j]))
        if set_cosine(a, b) >= threshold:
            keep.append((i, j))
        if len(cache) > 200_000:  # bounded memory: the cache only saves recomputation
            cache.clear()
    pairs = np.array(keep, dtype=np.int64).reshape(-1, 2)
    return components(len(texts), pairs), pairs


def _clause_table(statements: pd.DataFrame, threshold: float, seed: int) -> pd.DataFrame:
    """One row per clause occurrence: statement row, doc_id, agency_id, year, chars, cluster."""
    import pandas as pd

    st = statements.reset_index(drop=True)
    rows_stmt, texts = [], []
    for i, t in enumerate(st["text"].fillna("").tolist()):
        for c in clauses(t):
            rows_stmt.append(i)
            texts.append(c)
    occ = pd.DataFrame({"stmt": np.array(rows_stmt, dtype=np.int64), "text": pd.Series(texts, dtype=object)})
    if occ.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("stmt", "cluster", "chars") else object)
                             for c in ("stmt", "cluster", "chars", "doc_id", "agency_id", "year")})
    codes, uniques = pd.factorize(occ["text"])
    labels, _ = near_duplicate_groups(list(uniques), threshold, seed)
    occ["cluster"] = labels[codes]
    occ["chars"] = occ["text"].str.len()
    rows = occ["stmt"].to_numpy()
    for col in ("doc_id", "agency_id", "year"):
        occ[col] = st[col].to_numpy()[rows]
    occ["agency_id"] = occ["agency_id"].fillna(pd.Series(st["agency"].to_numpy()[rows]))
    return occ.drop(columns=["text"])


def _flag_reuse(occ: pd.DataFrame) -> pd.DataFrame:
    """own: the cluster has a clause of an earlier report of the same agency; cross: of another agency's
    report of the same or an earlier year."""
    year = occ["year"].astype("float64").fillna(np.inf)
    occ = occ.assign(_y=year)
    first = occ.groupby(["cluster", "agency_id"], sort=False)["_y"].min().rename("_first").reset_index()
    occ = occ.merge(first, on=["cluster", "agency_id"], how="left")
    own = occ["_y"] > occ["_first"]
    # The two agencies of each cluster with the earliest first years: the earliest *other* agency is the
    # first one unless that is the occurrence's own agency.
    first = first.sort_values(["cluster", "_first"], kind="stable")
    first["_rank"] = first.groupby("cluster").cumcount()
    top = first[first["_rank"] < 2].pivot(index="cluster", columns="_rank")
    a1 = occ["cluster"].map(top[("agency_id", 0)])
    y1 = occ["cluster"].map(top[("_first", 0)])
    y2 = occ["cluster"].map(top[("_first", 1)]) if ("_first", 1) in top.columns else _nan_like(occ)
    other_first = np.where(a1.to_numpy() == occ["agency_id"].to_numpy(), y2.to_numpy(dtype="float64"),
                           y1.to_numpy(dtype="float64"))
    cross = np.nan_to_num(other_first, nan=np.inf) <= occ["_y"].to_numpy()
    return occ.drop(columns=["_y", "_first"]).assign(own=own.to_numpy(), cross=cross)


def _nan_like(df: pd.DataFrame):
    import pandas as pd

    return pd.Series(np.nan, index=df.index)


def report_shares(statements: pd.DataFrame, occ: pd.DataFrame) -> pd.DataFrame:
    """Per report: statements, clauses, reuse_share, cross_agency_share (statement level, ≥ half of the
    clause characters reused) and the same shares over clauses."""
    import pandas as pd

    st = statements.reset_index(drop=True)
    docs = st.drop_duplicates("doc_id")[["doc_id", "agency_id", "agency", "year"]]
    if occ.empty:
        out = docs.assign(statements=0, clauses=0, reuse_share=0.0, cross_agency_share=0.0,
                          clause_reuse_share=0.0, clause_cross_agency_share=0.0)
        return out[REPORT_COLUMNS].reset_index(drop=True)
    occ = occ.assign(own_chars=occ["chars"] * occ["own"], cross_chars=occ["chars"] * occ["cross"])
    per_st = occ.groupby("stmt").agg(doc_id=("doc_id", "first"), chars=("chars", "sum"),
                                     own_chars=("own_chars", "sum"), cross_chars=("cross_chars", "sum"))
    per_st["own"] = per_st["own_chars"] * 2 >= per_st["chars"]
    per_st["cross"] = per_st["cross_chars"] * 2 >= per_st["chars"]
    by_doc = per_st.groupby("doc_id").agg(statements=("own", "size"), reuse_share=("own", "mean"),
                                          cross_agency_share=("cross", "mean"))
    by_clause = occ.groupby("doc_id").agg(clauses=("own", "size"), clause_reuse_share=("own", "mean"),
                                          clause_cross_agency_share=("cross", "mean"))
    out = docs.merge(by_doc, on="doc_id", how="left").merge(by_clause, on="doc_id", how="left")
    out[["statements", "clauses"]] = out[["statements", "clauses"]].fillna(0).astype(int)
    shares = ["reuse_share", "cross_agency_share", "clause_reuse_share", "clause_cross_agency_share"]
    out[shares] = out[shares].astype("float64").fillna(0.0).round(4)
    return pd.DataFrame(out, columns=REPORT_COLUMNS)


def _set_pairs(sets: list[np.ndarray], seed: int) -> np.ndarray:
    """Candidate pairs of sets of cluster ids (MinHash-LSH with many short bands: low Jaccard is enough)."""
    offsets = np.concatenate([[0], np.cumsum([len(s) for s in sets])]).astype(np.int64)
    tokens = np.concatenate(sets).astype(np.int64) if sets and offsets[-1] else np.zeros(0, dtype=np.int64)
    sig = signatures(tokens, offsets, seed=seed)
    return candidate_pairs(sig, bands=32, neighbours=6, eligible=np.diff(offsets) > 0)


def copies(occ: pd.DataFrame, documents: pd.DataFrame, source_share: float = 0.5, min_clauses: int = 3,
           seed: int = 0) -> pd.DataFrame:
    """One row per report whose clauses come mostly (≥ source_share) from one earlier report: its source."""
    import pandas as pd

    docs = documents.dropna(subset=["year"]).sort_values(["year", "doc_id"], kind="stable").reset_index(drop=True)
    sets_by_doc = occ.groupby("doc_id")["cluster"].unique()
    docs = docs[docs["doc_id"].map(lambda d: len(sets_by_doc.get(d, ())) >= min_clauses)].reset_index(drop=True)
    if len(docs) < 2:
        return pd.DataFrame(columns=COPY_COLUMNS)
    sets = [np.asarray(sets_by_doc[d]) for d in docs["doc_id"]]
    years = docs["year"].astype(int).to_numpy()
    best: dict[int, tuple[float, int, int, int]] = {}
    for i, j in _set_pairs(sets, seed):
        i, j = (i, j) if years[i] <= years[j] else (j, i)
        if years[i] == years[j]:
            continue
        shared = len(np.intersect1d(sets[i], sets[j], assume_unique=True))
        share = shared / len(sets[j])
        same = docs.at[i, "agency_id"] == docs.at[j, "agency_id"]
        key = (round(share, 6), int(years[i]), bool(same), int(i), shared)
        if share >= source_share and (j not in best or key > best[j]):
            best[j] = key
    rows = []
    for j, (share, _, _, i, shared) in sorted(best.items()):
        a, s = docs.iloc[j], docs.iloc[i]
        rows.append({"doc_id": a["doc_id"], "agency_id": a["agency_id"], "agency": a["agency"], "year": int(a["year"]),
                     "source_doc_id": s["doc_id"], "source_agency_id": s["agency_id"], "source_agency": s["agency"],
                     "source_year": int(s["year"]), "shared_clauses": shared, "share": round(share, 4),
                     "kind": "same agency" if a["agency_id"] == s["agency_id"] else "across agencies"})
    return pd.DataFrame(rows, columns=COPY_COLUMNS).sort_values(["year", "doc_id"], ignore_index=True)


def chains(cp: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Copy chains: every path from a report copied from nobody to a report nobody copied from, one row per
    step (step 0 is the first report; ``share`` and ``kind`` describe the copy into that step)."""
    import pandas as pd

    if cp.empty:
        return pd.DataFrame(columns=CHAIN_COLUMNS)
    source = dict(zip(cp["doc_id"], cp["source_doc_id"]))
    info = {r.doc_id: r for r in cp.itertuples()}
    docs = documents.drop_duplicates("doc_id").set_index("doc_id")
    sources = set(source.values())
    rows = []
    for cid, leaf in enumerate(sorted(d for d in source if d not in sources)):
        path = [leaf]
        while path[-1] in source and len(path) <= len(source):
            path.append(source[path[-1]])
        for step, d in enumerate(reversed(path)):
            r = docs.loc[d]
            c = info.get(d)
            rows.append({"chain_id": cid, "step": step, "doc_id": d, "agency_id": r["agency_id"], "agency": r["agency"],
                         "year": int(r["year"]), "share": None if c is None else c.share,
                         "kind": None if c is None else c.kind})
    return pd.DataFrame(rows, columns=CHAIN_COLUMNS)


def families(occ: pd.DataFrame, documents: pd.DataFrame, family_share: float = 0.5, min_clauses: int = 3,
             seed: int = 0) -> pd.DataFrame:
    """Template families: agencies linked by clause-set overlap ≥ family_share (of the smaller set)."""
    import pandas as pd

    by_agency = occ.groupby("agency_id")["cluster"].unique()
    agencies = [a for a in sorted(by_agency.index, key=str) if len(by_agency[a]) >= min_clauses]
    if len(agencies) < 2:
        return pd.DataFrame(columns=FAMILY_COLUMNS)
    sets = [np.asarray(by_agency[a]) for a in agencies]
    links, overlaps = [], {}
    for i, j in _set_pairs(sets, seed):
        ov = len(np.intersect1d(sets[i], sets[j], assume_unique=True)) / min(len(sets[i]), len(sets[j]))
        if ov >= family_share:
            links.append((i, j))
            for k in (i, j):
                overlaps.setdefault(k, []).append(ov)
    labels = components(len(agencies), np.array(links, dtype=np.int64).reshape(-1, 2))
    docs = documents.drop_duplicates("doc_id")
    names = docs.sort_values("year").groupby("agency_id")["agency"].last()
    n_reports = docs.groupby("agency_id")["doc_id"].nunique()
    sizes = pd.Series(labels).value_counts()
    fam_ids = {lab: k for k, lab in enumerate(sorted(sizes[sizes >= 2].index, key=lambda x: (-sizes[x], x)))}
    rows = [{"family_id": fam_ids[lab], "agency_id": a, "agency": names.get(a), "reports": int(n_reports.get(a, 0)),
             "clauses": len(sets[i]), "overlap": round(float(np.mean(overlaps[i])), 4)}
            for i, (a, lab) in enumerate(zip(agencies, labels)) if lab in fam_ids]
    return pd.DataFrame(rows, columns=FAMILY_COLUMNS).sort_values(["family_id", "agency_id"], ignore_index=True)


@dataclass
class Reuse:
    """The frames of :func:`reuse`."""

    clauses: pd.DataFrame  # one row per clause occurrence: stmt (row of the statements frame), doc_id, cluster, …
    reports: pd.DataFrame
    copies: pd.DataFrame
    chains: pd.DataFrame
    families: pd.DataFrame


def reuse(statements: pd.DataFrame, documents: pd.DataFrame | None = None, threshold: float = 0.8,
          seed: int = 0) -> Reuse:
    """Clause-level reuse over a statements frame (``documents`` adds reports without statements)."""
    occ = _clause_table(statements, threshold, seed)
    occ = _flag_reuse(occ) if len(occ) else occ.assign(own=False, cross=False)
    docs = statements[["doc_id", "agency_id", "agency", "year"]].drop_duplicates("doc_id")
    if documents is not None and len(documents):
        docs = documents[["doc_id", "agency_id", "agency", "year"]].drop_duplicates("doc_id")
    reports = report_shares(statements, occ)
    cp = copies(occ, docs, seed=seed)
    return Reuse(occ, reports, cp, chains(cp, docs), families(occ, docs, seed=seed))
