"""Ingest a folder into the store in a stream, locally or on a Dask cluster, and write partitioned Parquet.

Memory stays bounded: parsed records go straight into the DuckDB store; the frames are then built from
the store in batches and appended to DuckDB tables and to Parquet datasets partitioned by year. The
per-file step is the same pure :func:`textmine.batch.parse_file` in both engines.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path

from .errors import TextmineError, shown

ENGINES = ("local", "dask")
FRAMES = ("documents", "sections", "statements", "statement_themes", "findings", "tables")


def _parse_dask(todo: list[tuple[str, str]], scheduler: str | None, workers: int | None, sink) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise TextmineError("the dask engine needs dask.distributed: pip install 'textmine[cluster]'") from None
    from .batch import parse_file

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
        paths = [p for p, _ in todo]
        futures = client.map(parse_file, paths, [h for _, h in todo], pure=False)
        for fut in as_completed(futures):
            try:
                res = fut.result()
            except Exception as exc:  # a worker was lost
                i = futures.index(fut)
                res = {"path": paths[i], "hash": todo[i][1], "error": f"worker failed ({exc.__class__.__name__})",
                       "transient": True}
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
    (DuckDB tables, and Parquet datasets partitioned by year under ``parquet``) from the store in batches."""
    from .batch import CACHE_VERSION, cacheable, find_reports, hash_files, parse_many
    from .corpus import load_agency_map
    from .store import Store, default_store_path

    if engine not in ENGINES:
        raise TextmineError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    t0 = time.perf_counter()
    unlisted: list[dict] = []
    files = find_reports(folder, unlisted)
    mapping = load_agency_map(agency_map)
    store_path = Path(store) if store else default_store_path(folder if Path(folder).is_dir() else Path(folder).parent)
    hashes, failed = hash_files(files)
    failed[:0] = unlisted
    with Store(store_path) as st:
        known = st.known_hashes(CACHE_VERSION)
        todo = [(p, h) for p, h in hashes.items() if h not in known]

        def sink(res: dict) -> None:
            if cacheable(res):
                st.put(res["hash"], shown(res["path"]), CACHE_VERSION, res.get("record"), res.get("error"))
            else:
                failed.append({"path": res["path"], "reason": res.get("error")})

        if engine == "dask":
            _parse_dask(todo, scheduler, workers, sink)
        else:
            parse_many(todo, workers, progress, sink)
        t_parse = time.perf_counter() - t0
        out = Path(parquet) if parquet else None
        n_docs = _write_frames(st, hashes, mapping, out, batch, failed)
    return {"reports": n_docs, "parsed": len(todo), "cached": len(hashes) - len(todo), "failed": failed,
            "store": str(store_path), "parquet": str(out) if out else None, "engine": engine,
            "seconds_parse": round(t_parse, 2), "seconds_total": round(time.perf_counter() - t0, 2)}


def _stored_records(st, hashes: dict[str, str], batch: int, failed: list[dict]):
    """Batches of the stored records of the files now in the folder (failures go to ``failed``)."""
    from .batch import CACHE_VERSION

    path_of = {h: p for p, h in hashes.items()}
    cur = st.con.cursor()
    cur.execute("SELECT hash, record, error FROM files WHERE version = ?", [CACHE_VERSION])
    while chunk := cur.fetchmany(batch):
        records = []
        for h, rec_json, err in chunk:
            if h not in path_of:
                continue  # a file no longer in the folder
            if rec_json is None:
                failed.append({"path": path_of[h], "reason": err})
                continue
            rec = json.loads(rec_json)
            rec["source"] = path_of[h]
            rec["doc_id"] = h[:12]
            records.append(rec)
        yield records


def _write_frames(st, hashes: dict[str, str], mapping, out: Path | None, batch: int, failed: list[dict]) -> int:
    """Rebuild the frames from the store batch by batch; the cross-year rules run once at the end, on
    what they need of every record (the same input Corpus gives them). Returns the reports written."""
    import pandas as pd

    from .frames import COLUMNS, FrameRows, build_frames, cross_year_rows, frame, portable

    for name in (*FRAMES, "failed"):
        st.con.execute(f'DROP TABLE IF EXISTS "{name}"')
    if out is not None:
        import shutil

        for name in FRAMES:
            shutil.rmtree(out / name, ignore_errors=True)
    created: set[str] = set()
    cross_year: list[dict] = []
    n_docs = 0

    def write(name: str, df) -> None:
        df = portable(df)
        _append(st, name, df, created)
        if out is not None and len(df):
            _append_parquet(out / name, df)

    for records in _stored_records(st, hashes, batch, failed):
        rows = FrameRows()
        for rec in records:
            rows.add(rec, mapping)
        for name, df in build_frames(rows, names=list(COLUMNS), cross_year=False).items():
            write(name, df)
        cross_year += rows.cross_year
        n_docs += len(records)
    found = cross_year_rows(cross_year)
    if found:
        write("findings", frame("findings", found))
    failed_rows = [{"path": shown(f.get("path")), "reason": shown(f.get("reason"))} for f in failed]
    _append(st, "failed", pd.DataFrame(failed_rows, columns=["path", "reason"]), created)
    return n_docs


def _append(st, name: str, df, created: set[str]) -> None:
    st.con.register("_batch", df)
    if name in created:
        st.con.execute(f'INSERT INTO "{name}" SELECT * FROM _batch')
    else:
        st.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _batch')
        created.add(name)
    st.con.unregister("_batch")


def _append_parquet(root: Path, df) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    root.mkdir(parents=True, exist_ok=True)
    # No pandas metadata: readers rebuild ``year`` from the partition folders (year=2023/…).
    table = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    # statement_themes has no year of its own: one dataset, unpartitioned.
    pq.write_to_dataset(table, root_path=str(root), partition_cols=["year"] if "year" in df.columns else None)
