"""A folder of reports as tidy pandas frames: documents, sections, statements, findings, tables.

Each file is parsed by the same pure function (:func:`parse_file`), locally in worker processes or on
a cluster; results are cached in the DuckDB store by content hash.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import __version__
from .errors import TextmineError
from .loaders import FORMATS
from .loaders import limits as _limits


def _code_fingerprint() -> str:
    """Version plus a digest of the package's code and data: any change to the parser re-parses."""
    h = hashlib.sha1(__version__.encode())
    pkg = Path(__file__).resolve().parent
    for p in sorted(pkg.rglob("*")):
        if p.suffix in (".py", ".yaml", ".yml", ".json", ".jsonl", ".npz", ".csv") and "__pycache__" not in p.parts:
            h.update(p.relative_to(pkg).as_posix().encode())
            h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


# Records parsed by another textmine (or after the code or data changed) are parsed again.
CACHE_VERSION = _code_fingerprint()


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


# Seconds one file may take in a batch before it is given up (TEXTMINE_FILE_TIMEOUT, 0 = no limit), and
# the memory one worker process may hold (TEXTMINE_MAX_WORKER_MEMORY_MB); see textmine/loaders/limits.py.
FILE_TIMEOUT = _limits.FILE_TIMEOUT
MAX_WORKER_MEMORY_MB = _limits.MAX_WORKER_MEMORY_MB


class _Timeout(BaseException):
    """Not an Exception: a loader's ``except Exception`` must not turn the timeout into a parse error."""


@contextmanager
def _time_budget(seconds: float):
    """Interrupt the parse after ``seconds`` (SIGALRM; only in a main thread on Unix, else no limit).

    SIGALRM runs between Python bytecodes only: a parser stuck inside C code is stopped by the
    worker watchdog of :func:`_parse_many` instead."""
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


def _timeout_reason(budget: float) -> str:
    return f"took longer than {budget:g} s; gave up (TEXTMINE_FILE_TIMEOUT)"


def hash_files(files: Iterable[Path]) -> tuple[dict[str, str], list[dict]]:
    """Content hash of each file (path -> sha1), and the files that could not be read."""
    hashes: dict[str, str] = {}
    failed: list[dict] = []
    for f in files:
        try:
            hashes[str(f)] = file_hash(f)
        except OSError as exc:
            failed.append({"path": str(f), "reason": f"cannot read file ({exc.strerror})"})
    return hashes, failed


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
        return {"path": path, "hash": digest, "error": _timeout_reason(budget), "timed_out": True}
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


def _parse_many(todo: list[tuple[str, str]], workers: int | None, progress: bool | None, sink, *,
                parse: Callable[..., dict] = parse_file, timeout: float | None = None) -> None:
    """Parse (path, hash) pairs, calling ``sink(result)`` as each finishes.

    ``workers=1`` parses here, in this process. Otherwise (the default: one per core) each file goes
    to a worker process that a watchdog can stop: a worker still busy ``timeout`` plus a grace period
    after it got its file (a parser hung inside C code, where SIGALRM cannot reach), or holding more
    than ``MAX_WORKER_MEMORY_MB``, is killed, its file reported, and a fresh worker takes its place.
    ``parse`` is the per-file function (a picklable top-level function of path, hash, timeout).
    """
    if not todo:
        return
    budget = FILE_TIMEOUT if timeout is None else timeout
    bar = _progress(len(todo), progress, "parsing")
    try:
        if workers == 1:
            for path, digest in todo:
                res = parse(path, digest, budget)
                res.pop("timed_out", None)
                sink(res)
                bar.update()
            return
        n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        _WorkerPool(n, parse, budget, MAX_WORKER_MEMORY_MB).run(todo, sink, bar.update)
    finally:
        bar.close()


def _worker_main(conn, parse: Callable[..., dict], budget: float, memory_mb: float) -> None:
    """A worker process: parse the files sent over ``conn`` until told to stop or orphaned."""
    import importlib
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:  # die with the parent (Linux): a killed batch leaves no worker behind
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass
    if memory_mb > 0:
        # A hard ceiling far above the watchdog's RSS limit: catches allocations too fast to sample.
        try:
            import resource

            cap = int((memory_mb + 2048) * 1048576)  # + the idle worker's mapped arenas and buffers
            resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
        except (ImportError, ValueError, OSError):
            pass
    for mod in ("textmine.report", "textmine.meta", "textmine.tables", "textmine.validate",
                "textmine.statements", "textmine.themes", "textmine.classifier"):
        try:  # import time is not the first file's: the watchdog clock starts after this
            importlib.import_module(mod)
        except Exception:
            pass
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        conn.send(("done", parse(task[0], task[1], budget)))


def _rss_mb(pid: int) -> float:
    """Resident memory of a process in MB (Linux /proc; 0 where unknown)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576
    except (OSError, ValueError, IndexError):
        return 0.0


@dataclass
class _Worker:
    proc: Any
    conn: Any
    task: tuple[str, str] | None = None
    started: float = 0.0
    ready: bool = False


class _WorkerPool:
    """Worker processes with a watchdog over time and memory (see :func:`_parse_many`)."""

    def __init__(self, n: int, parse: Callable[..., dict], budget: float, memory_mb: float) -> None:
        import multiprocessing as mp

        self.ctx = mp.get_context("spawn")
        self.n, self.parse, self.budget, self.memory_mb = n, parse, budget, memory_mb
        # Past the budget the worker's own SIGALRM should have answered; a little later it is stuck.
        self.hard = budget + min(30.0, max(3.0, 0.25 * budget)) if budget else 0.0
        self.failed_starts = 0

    def _start(self) -> _Worker:
        here, there = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker_main, args=(there, self.parse, self.budget, self.memory_mb),
                                daemon=True, name="textmine-worker")
        proc.start()
        there.close()
        return _Worker(proc, here)

    @staticmethod
    def _stop(w: _Worker) -> None:
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join(5)
        w.conn.close()

    def run(self, todo: list[tuple[str, str]], sink, done) -> None:
        import time
        from collections import deque
        from multiprocessing.connection import wait

        pending = deque(todo)
        pool = [self._start() for _ in range(min(self.n, len(pending)))]

        def finish(w: _Worker, res: dict) -> None:
            w.task = None
            sink(res)
            done()

        def replace(w: _Worker) -> None:
            self._stop(w)
            pool.remove(w)
            if pending:
                pool.append(self._start())

        try:
            while pending or any(w.task for w in pool):
                for w in pool:
                    if w.ready and w.task is None and pending:
                        w.task, w.started = pending.popleft(), time.monotonic()
                        w.conn.send(w.task)
                if not pool:  # every worker failed to start: parse the rest here
                    import warnings

                    warnings.warn("textmine worker processes fail to start; parsing in this process", stacklevel=2)
                    while pending:
                        p, h = pending.popleft()
                        sink(self.parse(p, h, self.budget))
                        done()
                    return
                busy = [w for w in pool if w.task]
                waits = [self.hard - (time.monotonic() - w.started) for w in busy if self.hard]
                tick = 0.5 if busy and self.memory_mb > 0 else None
                timeout = min([max(0.0, t) for t in waits] + ([tick] if tick else []), default=None)
                ready = set(wait([w.conn for w in pool] + [w.proc.sentinel for w in pool], timeout))
                now = time.monotonic()
                for w in list(pool):
                    msg = None
                    if w.conn in ready or w.proc.sentinel in ready:
                        try:
                            msg = w.conn.recv() if w.conn.poll() else None
                        except (EOFError, OSError):
                            msg = None
                    if msg and msg[0] == "ready":
                        w.ready, self.failed_starts = True, 0
                    elif msg and msg[0] == "done":
                        res = msg[1]
                        timed_out = res.pop("timed_out", False)
                        finish(w, res)
                        if timed_out:  # interrupted mid-way: its lazily built state may be half made
                            replace(w)
                    elif w.proc.sentinel in ready or w.conn in ready:  # the worker died
                        w.proc.join(5)  # its pipe can close a moment before it is reaped
                        code = w.proc.exitcode
                        if w.task:
                            how = (f"killed by signal {-code}; out of memory?" if code is not None and code < 0
                                   else f"exit code {code}")
                            finish(w, {"path": w.task[0], "hash": w.task[1],
                                       "error": f"the parser process died ({how})"})
                        elif not w.ready:
                            self.failed_starts += 1
                        if self.failed_starts >= 3:
                            self._stop(w)
                            pool.remove(w)
                        else:
                            replace(w)
                    elif w.task and self.hard and now - w.started > self.hard:
                        finish(w, {"path": w.task[0], "hash": w.task[1], "error": _timeout_reason(self.budget)
                                   + "; the parser was stuck and its process was stopped"})
                        replace(w)
                    elif w.task and self.memory_mb > 0 and _rss_mb(w.proc.pid) > self.memory_mb:
                        finish(w, {"path": w.task[0], "hash": w.task[1],
                                   "error": f"used more than {self.memory_mb:g} MB of memory; stopped "
                                            "(TEXTMINE_MAX_WORKER_MEMORY_MB)"})
                        replace(w)
        finally:
            for w in pool:
                try:
                    w.conn.send(None)
                except (OSError, ValueError):
                    pass
            for w in pool:
                w.proc.join(2)
                self._stop(w)

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
        hashes, failed = hash_files(files)
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
        from .frames import doc_id_of

        records = []
        for f in files:
            res = results.get(str(f))
            if res is None:
                continue
            if res.get("record"):
                rec = dict(res["record"])
                rec["source"] = str(f)
                rec["doc_id"] = doc_id_of(rec)
                records.append(rec)
            else:
                failed.append({"path": str(f), "reason": res.get("error") or "unknown error"})
        return cls(records, failed, root, store_path, parsed, mapping)

    @classmethod
    def from_records(cls, records: Iterable[dict], agency_map: Mapping[str, str] | None = None) -> Corpus:
        """A corpus of JSON records (``report.to_dict()``), e.g. read back from JSONL."""
        from .frames import doc_id_of

        return cls([dict(r, doc_id=doc_id_of(r)) for r in records], agency_map=agency_map)

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
    def _rows(self) -> dict[str, list[dict]]:
        """Frame rows of every record, computed once (records do not change after construction)."""
        cached = self.__dict__.get("_rows_cache")
        if cached is None:
            from .frames import COLUMNS, record_rows

            cached = {name: [] for name in COLUMNS}
            for rec in self.records:
                for name, rows in record_rows(rec, self.agency_map).items():
                    cached[name].extend(rows)
            self.__dict__["_rows_cache"] = cached
        return cached

    @property
    def documents(self):
        """One row per report: doc_id, path, agency, agency_id, year, level, region, template, sections found, …"""
        from .frames import frame

        return frame("documents", self._rows()["documents"])

    @property
    def sections(self):
        """One row per section of each report, with its title and text."""
        from .frames import frame

        return frame("sections", self._rows()["sections"])

    @property
    def statements(self):
        """One row per section-5 statement: role, text, themes, scores, subsection, …"""
        from .frames import frame

        return frame("statements", self._rows()["statements"])

    @property
    def findings(self):
        """One row per consistency finding: R1–R5 per report and R6 across years of one agency."""
        from .frames import frame
        from .validate import check_corpus

        rows = list(self._rows()["findings"])
        ids = {d["doc_id"]: d["agency_id"] for d in self._rows()["documents"]}
        recs = [dict(rec, agency_id=ids.get(rec.get("doc_id"))) for rec in self.records]
        for f in check_corpus(recs):
            rows.append({k: f.get(k) for k in ("doc_id", "agency", "agency_id", "year", "rule", "severity", "where",
                                              "expected", "found", "message")})
        return frame("findings", rows)

    def table(self, name: str):
        """Tidy frame of one standard table: doc_id, agency, agency_id, year, row, column, value."""
        from .frames import frame

        if name not in ("proactive", "requests", "appeals"):
            raise TextmineError(f"unknown table {name!r}; expected proactive, requests or appeals")
        rows = [r for r in self._rows()["tables"] if r["table"] == name]
        return frame("tables", rows).drop(columns=["table"])

    @property
    def failed(self):
        import pandas as pd

        return pd.DataFrame(self.failed_files, columns=["path", "reason"])

    def frames_for_sql(self) -> list[tuple[str, Any]]:
        """The frames as stored in DuckDB and Parquet (list/dict cells as JSON text)."""
        from .frames import portable

        out = [(name, portable(getattr(self, name).copy()))
               for name in ("documents", "sections", "statements", "findings", "failed")]
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
