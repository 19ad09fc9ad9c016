"""Corpus statistics: the numbers ``textmine stats`` reports (the keys docs/record.md and the CLI help name)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus


def _counts(values) -> dict:
    c = Counter(v for v in values if v is not None and v == v)
    return {str(k) if not isinstance(k, int) else k: n for k, n in sorted(c.items(), key=lambda kv: str(kv[0]))}


def corpus_stats(corpus: Corpus) -> dict:
    docs = corpus.documents
    st = corpus.statements
    fin = corpus.findings
    sections = Counter(k for ks in docs["sections_found"] for k in ks)
    themes = Counter(t for ts in st["themes"] for t in ts)
    years = {int(y): int(n) for y, n in docs["year"].dropna().value_counts().sort_index().items()}
    totals = []
    req = corpus.table("requests")
    app = corpus.table("appeals")
    for y in sorted(years):
        r = req[(req["year"] == y) & (req["column"] == "total")]
        a = app[(app["year"] == y) & (app["column"] == "total")]
        def total(df, rows):
            # None, not 0, for a year in which no report has the table (legacy reports have none).
            sel = df.loc[df["row"].isin(rows), "value"]
            return int(sel.sum()) if len(sel) else None

        totals.append({
            "year": y,
            "reports_with_table_3": int(r["doc_id"].nunique()),
            "requests_received": total(r, ["new"]),
            "requests_granted": total(r, ["granted"]),
            "requests_processed": total(r, ["total_processed"]),
            "appeals_review": total(a, ["review"]),
            "appeals_litigation": total(a, ["litigation_direct", "litigation_after_review"]),
        })
    return {
        "documents": int(len(docs)),
        "agencies": int(docs["agency_id"].nunique()),
        "years": years,
        "levels": _counts(docs["level"]),
        "templates": _counts(docs["template"]),
        "formats": _counts(docs["format"]),
        "sections_found": dict(sorted(sections.items())),
        "statements": _counts(st["role"]),
        "statements_total": int(len(st)),
        "themes": dict(sorted(themes.items())),
        "table_totals": totals,
        "validation": _counts(fin["rule"]),
        "validation_by_severity": _counts(fin["severity"]),
        "failed": corpus.failed_files,
        "parsed_this_run": corpus.parsed,
        "store": corpus.store_path,
    }
