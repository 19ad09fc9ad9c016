"""Ingest a folder into the store in a stream, locally or on a Dask cluster, and write partitioned Parquet.

Memory stays bounded: parsed records go straight into the DuckDB store; the frames are then built from
the store in batches and appended to DuckDB tables and to Parquet datasets partitioned by year. The
per-file step is the same pure :func:`textmine.corpus.parse_file` in both engines.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from pathlib import Path

from .errors import TextmineError

ENGINES = ("local", "dask")
FRAMES = ("documents", "sections", "statements", "findings", "tables")


def _parse_dask(todo: list[tuple[str, str]], scheduler: str | None, workers: int | None, sink) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise TextmineError("the dask engine needs dask.distributed: pip install 'textmine[cluster]'") from None
    from .corpus import parse_file

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
                res = {"path": paths[i], "hash": todo[i][1], "error": f"worker failed ({exc.__class__.__name__})"}
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
    from .corpus import CACHE_VERSION, _parse_many, find_reports, hash_files, load_agency_map
    from .frames import COLUMNS, frame, portable, record_rows
    from .store import Store, default_store_path
    from .validate import check_corpus

    if engine not in ENGINES:
        raise TextmineError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    t0 = time.perf_counter()
    files = find_reports(folder)
    mapping = load_agency_map(agency_map)
    store_path = Path(store) if store else default_store_path(folder if Path(folder).is_dir() else Path(folder).parent)
    hashes, failed = hash_files(files)
    with Store(store_path) as st:
        known = st.known_hashes(CACHE_VERSION)
        todo = [(p, h) for p, h in hashes.items() if h not in known]

        def sink(res: dict) -> None:
            if res.get("hash"):
                st.put(res["hash"], res["path"], CACHE_VERSION, res.get("record"), res.get("error"))
            else:
                failed.append({"path": res["path"], "reason": res.get("error")})

        if engine == "dask":
            _parse_dask(todo, scheduler, workers, sink)
        else:
            _parse_many(todo, workers, progress, sink)
        t_parse = time.perf_counter() - t0

        # Frames, batch by batch, from the records of the files now in the folder.
        out = Path(parquet) if parquet else None
        for name in (*FRAMES, "failed"):
            st.con.execute(f'DROP TABLE IF EXISTS "{name}"')
        if out is not None:
            import shutil

            for name in FRAMES:
                shutil.rmtree(out / name, ignore_errors=True)
        path_of = {h: p for p, h in hashes.items()}
        r6_records: list[dict] = []
        n_docs = 0
        cur = st.con.cursor()
        cur.execute("SELECT hash, record, error FROM files WHERE version = ?", [CACHE_VERSION])
        created: set[str] = set()
        while True:
            chunk = cur.fetchmany(batch)
            if not chunk:
                break
            rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
            for h, rec_json, err in chunk:
                if h not in path_of:
                    continue  # a file no longer in the folder
                if rec_json is None:
                    failed.append({"path": path_of[h], "reason": err})
                    continue
                rec = json.loads(rec_json)
                rec["source"] = path_of[h]
                rec["doc_id"] = h[:12]
                parts = record_rows(rec, mapping)
                for name, r in parts.items():
                    rows[name].extend(r)
                req = (rec.get("tables") or {}).get("requests") or {}
                r6_records.append({"doc_id": rec["doc_id"], "source": rec["source"], "meta": rec.get("meta"),
                                   "agency_id": parts["documents"][0]["agency_id"],
                                   "tables": {"requests": {k: req[k] for k in ("carried_over", "carried_forward")
                                                           if k in req}}})
                n_docs += 1
            for name in COLUMNS:
                df = portable(frame(name, rows[name]))
                _append(st, name, df, created)
                if out is not None and len(df):
                    _append_parquet(out / name, df)
        r6 = [{k: f.get(k) for k in COLUMNS["findings"]} for f in check_corpus(r6_records)]
        if r6:
            df = portable(frame("findings", r6))
            _append(st, "findings", df, created)
            if out is not None:
                _append_parquet(out / "findings", df)
        import pandas as pd

        _append(st, "failed", pd.DataFrame(failed, columns=["path", "reason"]), created)
    return {"reports": n_docs, "parsed": len(todo), "cached": len(hashes) - len(todo), "failed": failed,
            "store": str(store_path), "parquet": str(out) if out else None, "engine": engine,
            "seconds_parse": round(t_parse, 2), "seconds_total": round(time.perf_counter() - t0, 2)}


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
    pq.write_to_dataset(table, root_path=str(root), partition_cols=["year"])
