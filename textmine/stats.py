"""Corpus statistics: the numbers ``textmine stats`` reports (interface.md lists the required keys)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
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


# --- warm stats: from the store's derived tables, aggregated by DuckDB ------------------------------

STATS_MEMORY_LIMIT = "512MB"  # DuckDB's own bound for the warm aggregation (it spills past it)


def stats_for_dir(path, *, store=None, workers: int | None = None, progress: bool | None = None,
                  agency_map=None) -> tuple[dict, list[dict]]:
    """``textmine stats``: (the statistics, the files that failed). When the store already holds this
    folder's records and the derived tables built from exactly them (a warm store), the numbers are
    aggregated by DuckDB from those tables, without loading the records; otherwise they come from a
    :class:`~textmine.corpus.Corpus` (parsing what is new). Both give the same dict."""
    from .corpus import Corpus

    if store is not False:
        warm = _warm_stats(Path(path), store, agency_map)
        if warm is not None:
            return warm, warm["failed"]
    corpus = Corpus.from_dir(path, store=store, workers=workers, agency_map=agency_map, progress=progress)
    corpus.require_reports()
    return corpus_stats(corpus), corpus.failed_files


def _warm_stats(path, store, agency_map) -> dict | None:
    """The statistics from a warm store, or None when the store is not warm for ``path``."""
    from .batch import CACHE_VERSION, find_reports, hash_files
    from .corpus import load_agency_map
    from .store import Store, default_store_path, frames_key

    store_path = Path(store) if store not in (None, True) else default_store_path(
        path if path.is_dir() else path.parent)
    if not store_path.is_file():
        return None
    unlisted: list[dict] = []
    files = find_reports(path, unlisted)
    mapping = load_agency_map(agency_map)
    hashes, failed = hash_files(files)
    failed[:0] = unlisted
    try:
        with Store(store_path, read_only=True) as st:
            rows = {h: (has_record, err) for h, has_record, err in st.con.execute(
                "SELECT hash, record IS NOT NULL, error FROM files WHERE version = ?", [CACHE_VERSION]).fetchall()}
            if any(h not in rows for h in hashes.values()):
                return None  # something to parse
            written = [(p, h) for p, h in hashes.items() if rows[h][0]]
            if not written or st.derived_key() != frames_key(CACHE_VERSION, written, mapping):
                return None
            for f in files:  # the stored failures, in file order (as Corpus lists them)
                h = hashes.get(str(f))
                if h is not None and not rows[h][0]:
                    failed.append({"path": str(f), "reason": rows[h][1] or "unknown error"})
            st.con.execute(f"SET memory_limit = '{STATS_MEMORY_LIMIT}'")
            out = _sql_stats(st.con)
    except Exception:  # a locked, damaged or older store: the ordinary path decides what to do
        return None
    out.update(failed=failed, parsed_this_run=0, store=str(store_path))
    return out


def _json_counts(con, sql: str) -> Counter:
    """Counts of the items of a JSON-list column, read in chunks."""
    import json

    c: Counter = Counter()
    cur = con.cursor()
    cur.execute(sql)
    while chunk := cur.fetchmany(20000):
        for (text,) in chunk:
            if text:
                c.update(json.loads(text))
    cur.close()
    return c


def _grouped(con, table: str, column: str) -> dict:
    rows = con.execute(f'SELECT "{column}", count(*) FROM "{table}" WHERE "{column}" IS NOT NULL '
                       f'GROUP BY 1').fetchall()
    return _counts(v for v, n in rows for _ in range(n)) if rows else {}


def _sql_stats(con) -> dict:
    """corpus_stats' numbers, aggregated by DuckDB from the derived tables."""
    docs = con.execute("SELECT count(*), count(DISTINCT agency_id) FROM documents").fetchone()
    years = {int(y): int(n) for y, n in con.execute(
        "SELECT year, count(*) FROM documents WHERE year IS NOT NULL AND NOT isnan(year::DOUBLE) "
        "GROUP BY year ORDER BY year").fetchall()}
    sums = {}
    for table, key, rows in (("requests", "received", ["new"]), ("requests", "granted", ["granted"]),
                             ("requests", "processed", ["total_processed"]), ("appeals", "review", ["review"]),
                             ("appeals", "litigation", ["litigation_direct", "litigation_after_review"])):
        marks = ", ".join("?" * len(rows))
        for y, total in con.execute(
                f'SELECT year, sum(value) FROM tables WHERE "table" = ? AND "column" = \'total\' '
                f'AND "row" IN ({marks}) AND year IS NOT NULL GROUP BY year', [table, *rows]).fetchall():
            sums[(key, int(y))] = int(total) if total is not None else 0  # all values missing: 0, as pandas sums
    with_table = {int(y): n for y, n in con.execute(
        "SELECT year, count(DISTINCT doc_id) FROM tables WHERE \"table\" = 'requests' AND \"column\" = 'total' "
        "AND year IS NOT NULL GROUP BY year").fetchall()}
    totals = [{"year": y, "reports_with_table_3": int(with_table.get(y, 0)),
               "requests_received": sums.get(("received", y)), "requests_granted": sums.get(("granted", y)),
               "requests_processed": sums.get(("processed", y)), "appeals_review": sums.get(("review", y)),
               "appeals_litigation": sums.get(("litigation", y))} for y in sorted(years)]
    return {
        "documents": int(docs[0]),
        "agencies": int(docs[1]),
        "years": years,
        "levels": _grouped(con, "documents", "level"),
        "templates": _grouped(con, "documents", "template"),
        "formats": _grouped(con, "documents", "format"),
        "sections_found": dict(sorted(_json_counts(con, "SELECT sections_found FROM documents").items())),
        "statements": _grouped(con, "statements", "role"),
        "statements_total": int(con.execute("SELECT count(*) FROM statements").fetchone()[0]),
        "themes": dict(sorted(_json_counts(con, "SELECT themes FROM statements").items())),
        "table_totals": totals,
        "validation": _grouped(con, "findings", "rule"),
        "validation_by_severity": _grouped(con, "findings", "severity"),
        "failed": [],
        "parsed_this_run": 0,
        "store": None,
    }
