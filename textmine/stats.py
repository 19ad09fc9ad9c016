"""Corpus statistics: the numbers ``textmine stats`` reports (the keys docs/record.md and the CLI help name)."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from .frames import known_sum

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus


def _counts(values) -> dict:
    c = Counter(v for v in values if v is not None and v == v)
    return {str(k) if not isinstance(k, int) else k: n for k, n in sorted(c.items(), key=lambda kv: str(kv[0]))}


TOTAL_KEYS = ("requests_received", "requests_granted", "requests_processed", "appeals_review", "appeals_litigation")


def total_cell(entry: dict, key: str) -> str:
    """A year's table total as the human table shows it: the number, ``NA`` when a report left the cell
    blank (missing, never 0), or nothing when no report of the year has the table."""
    if entry.get("blank_cells", {}).get(key):
        return "NA"
    return "" if entry.get(key) is None else str(entry[key])


def _agency_reports(docs) -> list[dict]:
    """Per agency (agency_id): its most frequent name and its number of reports, most reports first."""
    out = []
    for aid, group in docs.dropna(subset=["agency_id"]).groupby("agency_id", sort=True):
        names = group["agency"].dropna()
        name = names.value_counts().index[0] if len(names) else aid
        out.append({"agency_id": aid, "agency": name, "reports": int(len(group))})
    return sorted(out, key=lambda a: (-a["reports"], a["agency"]))


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
        entry: dict = {"year": y, "reports_with_table_3": int(r["doc_id"].nunique())}
        blank: dict[str, int] = {}
        for key, (df, rows) in {"requests_received": (r, ["new"]), "requests_granted": (r, ["granted"]),
                                "requests_processed": (r, ["total_processed"]), "appeals_review": (a, ["review"]),
                                "appeals_litigation": (a, ["litigation_direct", "litigation_after_review"])}.items():
            sel = df[df["row"].isin(rows)]
            # None for a year no report has the table for (legacy reports), and None when a report left
            # the cell blank: missing, never 0 (blank_cells counts those reports).
            entry[key] = known_sum(sel["value"])
            if sel["value"].isna().any():
                blank[key] = int(sel.loc[sel["value"].isna(), "doc_id"].nunique())
        entry["blank_cells"] = blank
        totals.append(entry)
    return {
        "documents": int(len(docs)),
        "agencies": int(docs["agency_id"].nunique()),
        "agency_reports": _agency_reports(docs),
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
        "duplicates": [{"file": d["file"], "duplicate_of": d["duplicate_of"], "by": d["by"]}
                       for d in corpus.duplicates],
        "parsed_this_run": corpus.parsed,
        "store": corpus.store_path,
    }
