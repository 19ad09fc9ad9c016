"""Recurring issues across agencies and years, unkept promises, prevalence, repeated (boilerplate) text."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from .corpus import Corpus


def _explode(statements: pd.DataFrame) -> pd.DataFrame:
    df = statements.explode("themes").rename(columns={"themes": "theme"})
    return df[df["theme"].notna() & (df["theme"] != "other") & df["year"].notna()]


def _runs(years: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for y in sorted(set(years)):
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return runs


def recurring(statements: pd.DataFrame, role: str | None = "problem", min_years: int = 2) -> pd.DataFrame:
    """One row per (agency, theme, role) stated in ``min_years`` or more report years of one agency.

    Columns: agency_id, agency (the latest name), theme, role, years, n_years, first_year, last_year,
    longest_run (consecutive years), statements (texts in year order).
    """
    import pandas as pd

    cols = ["agency_id", "agency", "theme", "role", "years", "n_years", "first_year", "last_year", "longest_run",
            "statements"]
    df = _explode(statements)
    if role:
        df = df[df["role"] == role]
    rows = []
    for (aid, theme, r), g in df.groupby(["agency_id", "theme", "role"], sort=True):
        years = sorted({int(y) for y in g["year"]})
        if len(years) < min_years:
            continue
        g = g.sort_values(["year", "order"])
        rows.append({
            "agency_id": aid, "agency": g["agency"].iloc[-1], "theme": theme, "role": r, "years": years,
            "n_years": len(years), "first_year": years[0], "last_year": years[-1],
            "longest_run": max(len(x) for x in _runs(years)), "statements": g["text"].tolist(),
        })
    return pd.DataFrame(rows, columns=cols).sort_values(["n_years", "agency_id", "theme"], ascending=[False, True, True],
                                                        ignore_index=True)


def unkept_promises(statements: pd.DataFrame) -> pd.DataFrame:
    """Measures promised in year N whose theme comes back as a problem of the same agency in year N+1."""
    import pandas as pd

    df = _explode(statements)
    measures = df[df["role"] == "measure"]
    problems = df[df["role"] == "problem"]
    m = measures.assign(next_year=measures["year"].astype(int) + 1)
    p = problems.assign(next_year=problems["year"].astype(int))
    joined = m.merge(p, on=["agency_id", "theme", "next_year"], suffixes=("_measure", "_problem"))
    cols = ["agency_id", "agency", "theme", "year_measure", "measure", "year_problem", "problem"]
    if joined.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame({
        "agency_id": joined["agency_id"], "agency": joined["agency_problem"], "theme": joined["theme"],
        "year_measure": joined["year_measure"].astype(int), "measure": joined["text_measure"],
        "year_problem": joined["year_problem"].astype(int), "problem": joined["text_problem"],
    })
    return out.drop_duplicates().reset_index(drop=True)


def prevalence(statements: pd.DataFrame, documents: pd.DataFrame, by: str = "year", role: str | None = "problem"):
    """Share of reports (per ``by`` group: year, level, province, …) that state each theme.

    Returns a tidy frame: group, theme, reports (with the theme), total (reports in the group), share.
    """
    import pandas as pd

    df = _explode(statements)
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


def repeated_text(statements: pd.DataFrame, threshold: float = 0.85, max_pairs: int = 10000,
                  chunk: int = 2000) -> pd.DataFrame:
    """Near-identical statements across years of one agency or across agencies (boilerplate).

    TF-IDF over character 2–3-grams, cosine similarity computed block by block on the sparse matrix,
    so memory stays bounded (about ``chunk`` × n non-zeros at a time); 100k statements fit on a laptop.
    Pairs within the same report are skipped.
    """
    import pandas as pd
    from sklearn.feature_extraction.text import TfidfVectorizer

    cols = ["similarity", "kind", "doc_a", "agency_a", "year_a", "role_a", "text_a", "doc_b", "agency_b", "year_b",
            "role_b", "text_b"]
    st = statements.reset_index(drop=True)
    if len(st) < 2:
        return pd.DataFrame(columns=cols)
    X = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), min_df=1, sublinear_tf=True).fit_transform(
        st["text"].fillna(""))
    docs = st["doc_id"].to_numpy()
    agencies = st["agency_id"].fillna(st["agency"]).to_numpy()
    pairs = []
    for start in range(0, X.shape[0], chunk):
        block = X[start:start + chunk] @ X.T
        block = block.tocoo()
        for i, j, v in zip(block.row, block.col, block.data):
            a, b = start + i, j
            if b <= a or v < threshold or docs[a] == docs[b]:
                continue
            pairs.append((float(v), a, b))
        if len(pairs) > max_pairs * 4:
            pairs = sorted(pairs, reverse=True)[:max_pairs]
    pairs = sorted(pairs, reverse=True)[:max_pairs]
    rows = []
    for v, a, b in pairs:
        ra, rb = st.iloc[a], st.iloc[b]
        rows.append({
            "similarity": round(min(v, 1.0), 4),
            "kind": "same agency" if agencies[a] == agencies[b] else "across agencies",
            "doc_a": ra["doc_id"], "agency_a": ra["agency"], "year_a": ra["year"], "role_a": ra["role"],
            "text_a": ra["text"],
            "doc_b": rb["doc_id"], "agency_b": rb["agency"], "year_b": rb["year"], "role_b": rb["role"],
            "text_b": rb["text"],
        })
    return pd.DataFrame(rows, columns=cols)


def recurring_report(corpus: Corpus, threshold: float = 0.85) -> dict:
    """The JSON of ``textmine recurring --json`` (interface.md), plus unkept promises."""
    st = corpus.statements
    rec = recurring(st, role=None)
    rep = repeated_text(st, threshold=threshold)

    def year(v):
        return None if v is None or v != v else int(v)

    return {
        "recurring": [
            {"agency": r.agency, "agency_id": r.agency_id, "theme": r.theme, "role": r.role, "years": r.years,
             "first_year": r.first_year, "last_year": r.last_year, "longest_run": r.longest_run,
             "statements": r.statements}
            for r in rec.itertuples()
        ],
        "unkept_promises": unkept_promises(st).to_dict(orient="records"),
        "repeated_text": [
            {"similarity": r.similarity, "kind": r.kind,
             "a": {"agency": r.agency_a, "year": year(r.year_a), "role": r.role_a, "text": r.text_a},
             "b": {"agency": r.agency_b, "year": year(r.year_b), "role": r.role_b, "text": r.text_b}}
            for r in rep.itertuples()
        ],
    }
