"""Corpus statistics: the numbers ``textmine stats`` reports (the keys docs/record.md and the CLI help name)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
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


def _agency_reports(rows) -> list[dict]:
    """Per agency (agency_id): its most frequent name (ties: the first by code point) and its number of
    reports, most reports first. ``rows``: (agency_id, agency name or None, reports) — from pandas or
    from the store alike."""
    names: dict[str, Counter] = {}
    for aid, name, n in rows:
        if aid is None or aid != aid:
            continue
        names.setdefault(aid, Counter())[None if name is None or name != name else name] += int(n)
    out = []
    for aid, c in names.items():
        named = sorted(((-n, k) for k, n in c.items() if k is not None))
        out.append({"agency_id": aid, "agency": named[0][1] if named else aid, "reports": sum(c.values())})
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
        "agency_reports": _agency_reports(
            docs.groupby(["agency_id", "agency"], dropna=False).size().reset_index().itertuples(index=False)),
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
    from .batch import cache_version, find_reports, hash_files
    from .corpus import load_agency_map
    from .store import Store, default_store_path, frames_key

    store_path = Path(store) if store not in (None, True) else default_store_path(
        path if path.is_dir() else path.parent)
    if store_path is None or not store_path.is_file():
        return None
    unlisted: list[dict] = []
    files = find_reports(path, unlisted)
    mapping = load_agency_map(agency_map)
    hashes, failed = hash_files(files)
    failed[:0] = unlisted
    try:
        with Store(store_path, read_only=True) as st:
            rows = {h: (has_record, err) for h, has_record, err in st.con.execute(
                "SELECT hash, record IS NOT NULL, error FROM files WHERE version = ?", [cache_version()]).fetchall()}
            if any(h not in rows for h in hashes.values()):
                return None  # something to parse
            written = [(p, h) for p, h in hashes.items() if rows[h][0]]
            if not written or st.derived_key() != frames_key(cache_version(), written, mapping):
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


def _item_counts(con, table: str, column: str) -> dict:
    """Counts of the items of a list column (VARCHAR[]; JSON text in stores written before lists),
    aggregated by DuckDB."""
    import json

    kind = con.execute('SELECT data_type FROM information_schema.columns WHERE table_name = ? AND column_name = ?',
                       [table, column]).fetchone()
    if kind and kind[0].endswith("[]"):
        rows = con.execute(f'SELECT item, count(*) FROM (SELECT unnest("{column}") AS item FROM "{table}") '
                           "GROUP BY item").fetchall()
        return dict(sorted((k, int(n)) for k, n in rows if k is not None))
    c: Counter = Counter()
    cur = con.cursor()
    cur.execute(f'SELECT "{column}" FROM "{table}"')
    while chunk := cur.fetchmany(20000):
        for (text,) in chunk:
            if text:
                c.update(json.loads(text))
    cur.close()
    return dict(sorted(c.items()))


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
    # A year's total is known only when no report of the year left the cell blank (as known_sum).
    sums: dict = {}
    blanks: dict = {}
    for table, key, rows in (("requests", "requests_received", ["new"]), ("requests", "requests_granted", ["granted"]),
                             ("requests", "requests_processed", ["total_processed"]),
                             ("appeals", "appeals_review", ["review"]),
                             ("appeals", "appeals_litigation", ["litigation_direct", "litigation_after_review"])):
        marks = ", ".join("?" * len(rows))
        for y, total, n_blank, docs_blank in con.execute(
                f'SELECT year, sum(value), count(*) FILTER (WHERE value IS NULL), '
                f'count(DISTINCT doc_id) FILTER (WHERE value IS NULL) FROM tables WHERE "table" = ? '
                f'AND "column" = \'total\' AND "row" IN ({marks}) AND year IS NOT NULL GROUP BY year',
                [table, *rows]).fetchall():
            if n_blank:
                blanks.setdefault(int(y), {})[key] = int(docs_blank)
            elif total is not None:
                sums[(key, int(y))] = int(total) if float(total).is_integer() else float(total)
    with_table = {int(y): n for y, n in con.execute(
        "SELECT year, count(DISTINCT doc_id) FROM tables WHERE \"table\" = 'requests' AND \"column\" = 'total' "
        "AND year IS NOT NULL GROUP BY year").fetchall()}
    totals = [{"year": y, "reports_with_table_3": int(with_table.get(y, 0)),
               **{k: sums.get((k, y)) for k in TOTAL_KEYS}, "blank_cells": blanks.get(y, {})} for y in sorted(years)]
    agencies = con.execute("SELECT agency_id, agency, count(*) FROM documents GROUP BY 1, 2").fetchall()
    return {
        "documents": int(docs[0]),
        "agencies": int(docs[1]),
        "agency_reports": _agency_reports(agencies),
        "years": years,
        "levels": _grouped(con, "documents", "level"),
        "templates": _grouped(con, "documents", "template"),
        "formats": _grouped(con, "documents", "format"),
        "sections_found": _item_counts(con, "documents", "sections_found"),
        "statements": _grouped(con, "statements", "role"),
        "statements_total": int(con.execute("SELECT count(*) FROM statements").fetchone()[0]),
        "themes": _item_counts(con, "statements", "themes"),
        "table_totals": totals,
        "validation": _grouped(con, "findings", "rule"),
        "validation_by_severity": _grouped(con, "findings", "severity"),
        "failed": [],
        "duplicates": [],  # a warm store has none: with duplicates, its key differs and stats takes the full path
        "parsed_this_run": 0,
        "store": None,
    }
