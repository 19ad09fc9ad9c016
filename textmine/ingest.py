"""Ingest a folder into the store in a stream, locally or on a Dask cluster, and write partitioned Parquet.

Memory stays bounded: parsed records go straight into the DuckDB store; the frames are then built from
the store in batches and appended to DuckDB tables and to Parquet datasets partitioned by year. The
per-file step is the same pure :func:`textmine.batch.parse_file` in both engines.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

from .errors import TextmineError, shown

ENGINES = ("local", "dask")
# DuckDB's buffer pool in the ingest parent (it spills to the store file past this): 2,450 distinct reports
# peaked at 486 MB in the parent with 128 MB against 580 MB with 512 MB, no slower.
INGEST_MEMORY_LIMIT = "128MB"
FRAMES = ("documents", "sections", "statements", "statement_themes", "findings", "tables")


def _parse_dask(todo: list[tuple[str, str]], scheduler: str | None, workers: int | None, sink) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise TextmineError("the dask engine needs dask.distributed: pip install 'textmine[cluster]'") from None
    from .batch import THEME_BATCH, parse_files

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    except OSError as exc:
        raise TextmineError(f"cannot reach the Dask scheduler ({exc})", scheduler) from None
    try:
        # Chunks of files per task: one theme prediction for each chunk's statements (batch.parse_files).
        chunks = [todo[i:i + THEME_BATCH] for i in range(0, len(todo), THEME_BATCH)]
        futures = client.map(parse_files, chunks, pure=False)
        for fut in as_completed(futures):
            try:
                results = fut.result()
            except Exception as exc:  # a worker was lost
                chunk = chunks[futures.index(fut)]
                results = [{"path": p, "hash": h, "error": f"worker failed ({exc.__class__.__name__})",
                            "transient": True} for p, h in chunk]
            for res in results:
                sink(res)
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def ingest(folder: str | os.PathLike, *, store: str | os.PathLike | None = None, engine: str = "local",
           scheduler: str | None = None, workers: int | None = None, parquet: str | os.PathLike | None = None,
           progress: bool | None = None, agency_map: Mapping[str, str] | str | None = None,
           batch: int = 500) -> dict:
    """Parse every new or changed report under ``folder`` into the store, then rebuild the frames
    (DuckDB tables, and Parquet datasets partitioned by year under ``parquet``) from the store in batches.
    The derived tables are replaced in one transaction; the Parquet folder is replaced whole."""
    from .batch import cache_version, find_reports, hash_files
    from .corpus import load_agency_map
    from .parquet_tree import ParquetTree, check_replaceable
    from .store import default_store_path

    if engine not in ENGINES:
        raise TextmineError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    t0 = time.perf_counter()
    unlisted: list[dict] = []
    files = find_reports(folder, unlisted)
    mapping = load_agency_map(agency_map)
    out = Path(parquet) if parquet else None
    if out is not None:
        check_replaceable(out.absolute())  # refuse before parsing, not after
    store_path = Path(store) if store else default_store_path(folder if Path(folder).is_dir() else Path(folder).parent)
    hashes, failed = hash_files(files)
    failed[:0] = unlisted
    with _open_store(store_path) as (st, kept):
        known = st.known_hashes(cache_version())  # once: a query per file made a warm 10,000 take 34 s
        todo = [(p, h) for p, h in hashes.items() if h not in known]
        _parse_into(st, todo, engine, scheduler, workers, progress, failed)
        t_parse = time.perf_counter() - t0
        tree = ParquetTree(out) if out is not None else None
        keep, duplicates = _documents(st, hashes)
        try:
            n_docs = _write_frames(st, keep, mapping, tree, batch, failed)
            if tree is not None:
                _commit_tree(tree)
        finally:
            if tree is not None:
                tree.abort()
    return {"reports": n_docs, "parsed": len(todo), "cached": len(hashes) - len(todo), "failed": failed,
            "duplicates": duplicates,
            "store": str(store_path) if kept else None, "parquet": str(out) if out else None, "engine": engine,
            "seconds_parse": round(t_parse, 2), "seconds_total": round(time.perf_counter() - t0, 2)}


@contextmanager
def _open_store(path: Path | None):
    """(store, kept): the store at ``path``, or — its location cannot be written — a temporary one that
    is deleted at the end (the run is uncached; a warning says so)."""
    import tempfile
    import warnings

    from .store import Store, StoreUnwritable

    try:
        # None: the installed sample corpus with the user cache switched off (store.default_store_path)
        st = Store(path).__enter__() if path is not None else None
    except StoreUnwritable as exc:
        warnings.warn(f"{exc}; running without a store (nothing is cached)", stacklevel=3)
        st = None
    if st is not None:
        try:
            # DuckDB's buffer pool is bounded (by default 80% of RAM, kept as the derived tables grow);
            # past the limit it writes to disk.
            st.con.execute(f"SET memory_limit = '{INGEST_MEMORY_LIMIT}'")
            yield st, True
        finally:
            st.__exit__()
        return
    with tempfile.TemporaryDirectory(prefix="textmine-ingest-") as tmp, Store(Path(tmp) / "s.duckdb") as st:
        yield st, False


def _parse_into(st, todo: list[tuple[str, str]], engine: str, scheduler: str | None, workers: int | None,
                progress: bool | None, failed: list[dict]) -> None:
    """Parse ``todo`` and commit the records to the store in batches from a writer thread."""
    from .batch import cache_version, cacheable, parse_many
    from .store import RecordWriter

    writer = RecordWriter(st, cache_version())

    def sink(res: dict) -> None:
        if cacheable(res):  # a timeout or a memory kill is this run's, not the file's: never cached
            writer.put({**res, "path": shown(res["path"])})
        else:
            failed.append({"path": res["path"], "reason": res.get("error")})

    try:
        if engine == "dask":
            _parse_dask(todo, scheduler, workers, sink)
        else:
            parse_many(todo, workers, progress, sink)
    finally:
        writer.close()


def _commit_tree(tree) -> None:
    try:
        tree.commit()
    except OSError as exc:
        raise TextmineError(f"cannot write the Parquet output ({exc.strerror})", str(tree.root)) from None


def _documents(st, hashes: dict[str, str]) -> tuple[dict[str, list[str]], list[dict]]:
    """The files that are documents (content hash -> [path]) and the duplicates, as Corpus finds them:
    :func:`textmine.duplicates.find_duplicates` over the folder order, with each stored text hash. A
    failure keeps every path of its content (each is listed as failed, as Corpus lists them)."""
    from .batch import cache_version
    from .duplicates import find_duplicates
    from .store import decode_record

    text_of: dict[str, str | None] = {}
    cur = st.con.cursor()  # in chunks: the records of a large corpus are not held at once
    cur.execute("SELECT hash, record FROM files WHERE version = ? AND record IS NOT NULL", [cache_version()])
    while chunk := cur.fetchmany(500):
        for h, rec_json in chunk:
            rec = decode_record(rec_json)  # a damaged row (False) is parsed again later: unique by content
            text_of[h] = rec.get("text_hash") if isinstance(rec, dict) else None
    cur.close()
    parsed = [(p, h, text_of[h]) for p, h in hashes.items() if h in text_of]
    kept, dups = find_duplicates(parsed)
    keep: dict[str, list[str]] = {}
    for p, h in hashes.items():
        if h not in text_of:  # failures: listed by _stored_records
            keep.setdefault(h, []).append(p)
    keep.update({hashes[p]: [p] for p in kept})
    return keep, dups


def _stored_records(st, paths_of: dict[str, list[str]], batch: int, failed: list[dict], redo: list[dict],
                    written: list[tuple[str, str]]):
    """Batches of the stored records of the documents now in the folder (``paths_of``: content hash ->
    paths; failures go to ``failed``, one per path). A damaged row is parsed again here, and the fresh result goes to
    ``redo`` (written back later); ``written`` gets the (path, hash) of each record yielded."""
    from .batch import cache_version, parse_file
    from .store import decode_record

    cur = st.con.cursor()
    cur.execute("SELECT hash, record, error FROM files WHERE version = ?", [cache_version()])
    while chunk := cur.fetchmany(batch):
        records = []
        for h, rec_json, err in chunk:
            if h not in paths_of:
                continue  # a file no longer in the folder
            rec = decode_record(rec_json)
            if rec is False:
                res = parse_file(paths_of[h][0], h)
                redo.append(res)
                rec, err = res.get("record"), res.get("error")
            if rec is None:
                failed += [{"path": p, "reason": err} for p in paths_of[h]]
                continue
            rec["source"] = paths_of[h][0]
            rec["doc_id"] = h[:12]
            records.append(rec)
            written.append((paths_of[h][0], h))
        yield records
    cur.close()


def _write_frames(st, keep: dict[str, list[str]], mapping, tree, batch: int, failed: list[dict]) -> int:
    """Rebuild the derived tables from the store batch by batch (Store.derived stages them and swaps them
    in at once); the cross-year rules run once at the end, on what they need of every record (the same
    input Corpus gives them). The Parquet datasets are then copied from those tables once they are in
    place. Returns the reports written."""
    from itertools import islice

    import pandas as pd

    from .batch import cache_version
    from .frames import COLUMNS, FINDING_COLUMNS, FrameRows, build_frames, frame, portable
    from .store import DERIVED, frames_key
    from .validate import iter_corpus

    cross_year: list[dict] = []
    redo: list[dict] = []
    written: list[tuple[str, str]] = []  # (path, hash) of the records in the tables
    n_docs = 0
    with st.derived(lambda: frames_key(cache_version(), written, mapping)) as append:
        for records in _stored_records(st, keep, batch, failed, redo, written):
            rows = FrameRows()
            for rec in records:
                rows.add(rec, mapping)
            for name, df in build_frames(rows, names=list(COLUMNS), cross_year=False).items():
                append(name, portable(df))
            cross_year += rows.cross_year
            n_docs += len(records)
        if not n_docs:  # no record at all: the tables still exist, empty, as after `stats`
            for name in COLUMNS:
                append(name, portable(frame(name, [])))
        # The cross-year findings, streamed in chunks (a corpus of copies can give many).
        found = ({k: f.get(k) for k in FINDING_COLUMNS} for f in iter_corpus(cross_year))
        while chunk := list(islice(found, 20 * max(batch, 1))):
            append("findings", portable(frame("findings", chunk)))
        failed_rows = [{"path": shown(f.get("path")), "reason": shown(f.get("reason"))} for f in failed]
        append("failed", portable(pd.DataFrame(failed_rows, columns=["path", "reason"])))
    if tree is not None:  # from the tables just swapped in
        for name in (n for n in DERIVED if n != "failed"):
            _copy_to_parquet(st, tree, name, batch)
    st.put_many([(r["hash"], r["path"], cache_version(), r.get("record"), r.get("error")) for r in redo])
    return n_docs


def _copy_to_parquet(st, tree, name: str, batch: int) -> None:
    """One derived table as a Parquet dataset, streamed from DuckDB in Arrow batches (one schema for the
    whole dataset; partitioned by year where the table has one)."""
    import pyarrow as pa

    cols = [r[0] for r in st.con.execute(f'DESCRIBE SELECT * FROM "{name}"').fetchall()]
    rel = st.con.sql(f'SELECT * FROM "{name}"')
    reader = getattr(rel, "to_arrow_reader", None) or rel.fetch_arrow_reader  # DuckDB 2.x, 1.x
    reader = reader(max(batch, 1) * 50)
    try:
        tree.write_batches(name, reader, "year" if "year" in cols else None)
    except (OSError, pa.ArrowException) as exc:
        raise TextmineError(f"cannot write the Parquet output ({' '.join(str(exc).split())[:200]})",
                            str(tree.root)) from None
