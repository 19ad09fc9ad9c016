"""A folder of reports as tidy pandas frames: documents, sections, statements, findings, tables.

Each file is parsed by the same pure function (:func:`parse_file`), locally in worker processes or on
a cluster; results are cached in the DuckDB store by content hash.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import TextmineError
from .loaders import FORMATS

# Records parsed by an older textmine are parsed again: a change of version invalidates the cache.
CACHE_VERSION = __version__


def find_reports(root: str | os.PathLike) -> list[Path]:
    """Every file with a supported extension under ``root`` (recursively; hidden folders skipped)."""
    root = Path(root)
    if not root.exists():
        raise TextmineError("no such folder", str(root))
    if root.is_file():
        return [root]
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            if Path(f).suffix.lower() in FORMATS and not f.startswith("."):
                out.append(Path(dirpath) / f)
    return out


def file_hash(path: str | os.PathLike) -> str:
    h = hashlib.sha1()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# Seconds one file may take in a batch before it is given up (TEXTMINE_FILE_TIMEOUT, 0 = no limit).
FILE_TIMEOUT = float(os.environ.get("TEXTMINE_FILE_TIMEOUT", "120"))


class _Timeout(Exception):
    pass


@contextmanager
def _time_budget(seconds: float):
    """Interrupt the parse after ``seconds`` (SIGALRM; only in a main thread on Unix, else no limit)."""
    import signal
    import threading

    if not seconds or not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_alarm(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def parse_file(path: str, digest: str | None = None, timeout: float | None = None) -> dict:
    """Parse one file into ``{"path", "hash", "record"}`` or ``{"path", "hash", "error"}``; never raises
    for a bad file. Pure apart from reading the file: safe to map over processes or a cluster."""
    from .report import load_report

    try:
        digest = digest or file_hash(path)
    except OSError as exc:
        return {"path": path, "hash": None, "error": f"cannot read file ({exc.strerror})"}
    budget = FILE_TIMEOUT if timeout is None else timeout
    try:
        with _time_budget(budget):
            rec = load_report(Path(path)).to_dict()
    except _Timeout:
        return {"path": path, "hash": digest, "error": f"took longer than {budget:g} s; gave up"}
    except TextmineError as exc:
        return {"path": path, "hash": digest, "error": exc.reason}
    except MemoryError:
        return {"path": path, "hash": digest, "error": "out of memory while parsing"}
    except Exception as exc:  # a parser bug must not sink the batch; report it with the file
        return {"path": path, "hash": digest, "error": f"internal error ({exc.__class__.__name__}: {exc})"}
    rec["doc_id"] = digest[:12]
    return {"path": path, "hash": digest, "record": rec}


def _progress(total: int, enabled: bool | None, desc: str):
    from tqdm.auto import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, desc=desc, unit="report", disable=not enabled, file=sys.stderr)


def _parse_many(todo: list[tuple[str, str]], workers: int | None, progress: bool | None, sink) -> None:
    """Parse (path, hash) pairs, calling ``sink(result)`` as each finishes."""
    if not todo:
        return
    workers = workers or min(os.cpu_count() or 1, len(todo))
    bar = _progress(len(todo), progress, "parsing")
    try:
        if workers <= 1 or len(todo) <= 2:
            for path, digest in todo:
                sink(parse_file(path, digest))
                bar.update()
            return
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
            futures = {pool.submit(parse_file, p, h): (p, h) for p, h in todo}
            for fut in as_completed(futures):
                path, digest = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # a worker died (killed, out of memory)
                    res = {"path": path, "hash": digest, "error": f"worker failed ({exc.__class__.__name__})"}
                sink(res)
                bar.update()
    finally:
        bar.close()


@dataclass
class Corpus:
    """Parsed reports and the frames built from them."""

    records: list[dict]
    failed_files: list[dict] = field(default_factory=list)
    root: str | None = None
    store_path: str | None = None
    parsed: int = 0  # how many files this run actually parsed (the rest came from the store)
    agency_map: Mapping[str, str] | None = None

    # --- construction ------------------------------------------------------------------------------
    @classmethod
    def from_dir(
        cls,
        path: str | os.PathLike,
        *,
        store: str | os.PathLike | bool | None = None,
        workers: int | None = None,
        progress: bool | None = None,
        agency_map: Mapping[str, str] | str | os.PathLike | None = None,
    ) -> Corpus:
        """Parse every report under ``path``. ``store``: None → ``PATH/.textmine/corpus.duckdb``;
        False → no store (parse everything in memory); a path → that DuckDB file."""
        from .store import Store, default_store_path

        files = find_reports(path)
        mapping = load_agency_map(agency_map)
        hashes: dict[str, str] = {}
        failed: list[dict] = []
        for f in files:
            try:
                hashes[str(f)] = file_hash(f)
            except OSError as exc:
                failed.append({"path": str(f), "reason": f"cannot read file ({exc.strerror})"})
        results: dict[str, dict] = {}

        if store is False:
            _parse_many(list(hashes.items()), workers, progress, lambda r: results.__setitem__(r["path"], r))
            corpus = cls._from_results(files, results, failed, str(path), None, len(hashes), mapping)
            return corpus
        store_path = Path(store) if store not in (None, True) else default_store_path(
            path if Path(path).is_dir() else Path(path).parent)
        with Store(store_path) as st:
            known = st.known(CACHE_VERSION)
            todo = []
            for p, h in hashes.items():
                if h in known:
                    rec, err = known[h]
                    results[p] = {"path": p, "hash": h, "record": rec} if rec else {"path": p, "hash": h,
                                                                                   "error": err}
                else:
                    todo.append((p, h))

            def sink(res: dict) -> None:
                results[res["path"]] = res
                if res.get("hash"):
                    st.put(res["hash"], res["path"], CACHE_VERSION, res.get("record"), res.get("error"))

            _parse_many(todo, workers, progress, sink)
            corpus = cls._from_results(files, results, failed, str(path), str(store_path), len(todo), mapping)
            st.save_frames(corpus.frames_for_sql())
        return corpus

    @classmethod
    def _from_results(cls, files, results, failed, root, store_path, parsed, mapping) -> Corpus:
        records = []
        for f in files:
            res = results.get(str(f))
            if res is None:
                continue
            if res.get("record"):
                rec = dict(res["record"])
                rec["source"] = str(f)
                records.append(rec)
            else:
                failed.append({"path": str(f), "reason": res.get("error") or "unknown error"})
        return cls(records, failed, root, store_path, parsed, mapping)

    @classmethod
    def from_records(cls, records: Iterable[dict], agency_map: Mapping[str, str] | None = None) -> Corpus:
        return cls(list(records), agency_map=agency_map)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike]) -> Corpus:
        """Parse the given files in this process (no store)."""
        records, failed = [], []
        for p in paths:
            res = parse_file(str(p))
            if res.get("record"):
                records.append(res["record"])
            else:
                failed.append({"path": str(p), "reason": res["error"]})
        return cls(records, failed)

    # --- frames ------------------------------------------------------------------------------------
    def _doc_rows(self) -> list[dict]:
        from .agencies import agency_id, level_of

        rows = []
        for rec in self.records:
            meta = rec.get("meta") or {}
            region = meta.get("region") or {}
            agency = meta.get("agency")
            rows.append({
                "doc_id": rec.get("doc_id") or _doc_id(rec),
                "path": rec.get("source"),
                "format": rec.get("format"),
                "agency": agency,
                "agency_id": agency_id(agency, region, self.agency_map),
                "year": meta.get("year"),
                "published": meta.get("published"),
                "level": level_of(agency, region),
                "province": region.get("province"),
                "city": region.get("city"),
                "county": region.get("county"),
                "template": meta.get("template"),
                "sections_found": list((rec.get("sections") or {}).keys()),
                "n_statements": len(rec.get("statements") or []),
                "n_findings": len(rec.get("validation") or []),
            })
        return rows

    @property
    def documents(self):
        import pandas as pd

        cols = ["doc_id", "path", "format", "agency", "agency_id", "year", "published", "level", "province", "city",
                "county", "template", "sections_found", "n_statements", "n_findings"]
        df = pd.DataFrame(self._doc_rows(), columns=cols)
        df["year"] = df["year"].astype("Int64")
        return df

    def _docs_by_id(self) -> dict[str, dict]:
        return {d["doc_id"]: d for d in self._doc_rows()}

    @property
    def sections(self):
        import pandas as pd

        docs = self._docs_by_id()
        rows = []
        for rec in self.records:
            d = docs[rec.get("doc_id") or _doc_id(rec)]
            for key, sec in (rec.get("sections") or {}).items():
                rows.append({"doc_id": d["doc_id"], "agency": d["agency"], "agency_id": d["agency_id"],
                             "year": d["year"], "section": key, "title": sec.get("title"),
                             "inferred": bool(sec.get("inferred")), "chars": len(sec.get("text") or ""),
                             "text": sec.get("text")})
        df = pd.DataFrame(rows, columns=["doc_id", "agency", "agency_id", "year", "section", "title", "inferred",
                                         "chars", "text"])
        df["year"] = df["year"].astype("Int64")
        return df

    @property
    def statements(self):
        import pandas as pd

        docs = self._docs_by_id()
        rows = []
        for rec in self.records:
            d = docs[rec.get("doc_id") or _doc_id(rec)]
            for s in rec.get("statements") or []:
                rows.append({"doc_id": d["doc_id"], "agency": d["agency"], "agency_id": d["agency_id"],
                             "year": d["year"], "level": d["level"], "province": d["province"],
                             "statement_id": s.get("id"), "order": s.get("order"), "role": s.get("role"),
                             "text": s.get("text"), "themes": list(s.get("themes") or []),
                             "scores": dict(s.get("scores") or {}), "subsection": s.get("subsection"),
                             "answers": list(s.get("answers") or [])})
        cols = ["doc_id", "agency", "agency_id", "year", "level", "province", "statement_id", "order", "role", "text",
                "themes", "scores", "subsection", "answers"]
        df = pd.DataFrame(rows, columns=cols)
        df["year"] = df["year"].astype("Int64")
        return df

    @property
    def findings(self):
        import pandas as pd

        from .validate import check_corpus

        docs = self._docs_by_id()
        rows = []
        for rec in self.records:
            d = docs[rec.get("doc_id") or _doc_id(rec)]
            for f in rec.get("validation") or []:
                rows.append({"doc_id": d["doc_id"], "agency": d["agency"], "agency_id": d["agency_id"],
                             "year": d["year"], **{k: f.get(k) for k in ("rule", "severity", "where", "expected",
                                                                        "found", "message")}})
        recs = []
        for rec in self.records:
            r = dict(rec)
            r["agency_id"] = docs[rec.get("doc_id") or _doc_id(rec)]["agency_id"]
            recs.append(r)
        for f in check_corpus(recs):
            rows.append({"doc_id": f.get("doc_id"), "agency": f.get("agency"), "agency_id": f.get("agency_id"),
                         "year": f.get("year"), **{k: f.get(k) for k in ("rule", "severity", "where", "expected",
                                                                        "found", "message")}})
        cols = ["doc_id", "agency", "agency_id", "year", "rule", "severity", "where", "expected", "found", "message"]
        df = pd.DataFrame(rows, columns=cols)
        df["year"] = df["year"].astype("Int64")
        return df

    def table(self, name: str):
        """Tidy frame of one standard table: doc_id, agency, year, row, column, value."""
        from .tables import tables_frame

        if name not in ("proactive", "requests", "appeals"):
            raise TextmineError(f"unknown table {name!r}; expected proactive, requests or appeals")
        recs = [dict(r, doc_id=r.get("doc_id") or _doc_id(r)) for r in self.records]
        df = tables_frame(recs)
        df = df[df["table"] == name].drop(columns=["table"]).reset_index(drop=True)
        return df

    @property
    def failed(self):
        import pandas as pd

        return pd.DataFrame(self.failed_files, columns=["path", "reason"])

    def frames_for_sql(self) -> list[tuple[str, Any]]:
        """The frames as stored in DuckDB (list/dict cells as JSON text)."""
        import json

        out = []
        for name in ("documents", "sections", "statements", "findings", "failed"):
            df = getattr(self, name).copy()
            for col in df.columns:
                if df[col].dtype == object and df[col].map(lambda v: isinstance(v, (list, dict))).any():
                    df[col] = df[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str))
            for col in ("expected", "found"):
                if col in df.columns:
                    df[col] = df[col].map(lambda v: None if v is None else str(v))
            out.append((name, df))
        for t in ("proactive", "requests", "appeals"):
            out.append((f"table_{t}", self.table(t)))
        return out

    def to_parquet(self, out_dir: str | os.PathLike) -> list[Path]:
        """Write every frame as Parquet into ``out_dir``; returns the files written."""
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.frames_for_sql():
            p = out / f"{name}.parquet"
            df.to_parquet(p, index=False)
            written.append(p)
        return written


def _doc_id(rec: dict) -> str:
    return hashlib.sha1((rec.get("source") or repr(rec.get("meta"))).encode()).hexdigest()[:12]


def load_agency_map(spec: Mapping[str, str] | str | os.PathLike | None) -> dict[str, str] | None:
    """A user mapping ``name -> agency_id`` from a dict, or a CSV/TSV (name, agency_id) or YAML/JSON file."""
    if spec is None:
        return None
    if isinstance(spec, Mapping):
        return dict(spec)
    p = Path(spec)
    if not p.exists():
        raise TextmineError("no such agency mapping file", str(p))
    text = p.read_text(encoding="utf-8")
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        import yaml

        data = yaml.safe_load(text) or {}
        if not isinstance(data, dict):
            raise TextmineError("agency mapping must be a mapping of name: agency_id", str(p))
        return {str(k): str(v) for k, v in data.items()}
    sep = "\t" if "\t" in text else ","
    out = {}
    for line in text.splitlines():
        parts = [x.strip() for x in line.split(sep)]
        if len(parts) >= 2 and parts[0] and parts[0] not in ("name", "agency"):
            out[parts[0]] = parts[1]
    return out
