"""The batch runtime: parse many files, each in a worker process under a time and memory budget.

:func:`parse_file` is the pure per-file step (path in, JSON record or error out), the same locally, in
worker processes and on a Dask cluster. :func:`parse_many` maps it over files with a watchdog that
stops a worker stuck in C code or holding too much memory. Files are identified by content hash; the
cache key :func:`cache_version` covers the code and data that change parse results.
"""

from __future__ import annotations

import ast
import hashlib
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from .errors import TextmineError, shown
from .loaders import FORMATS
from .loaders import limits as _limits

__all__ = ["cache_version", "cacheable", "code_fingerprint", "file_hash", "find_reports", "hash_files", "parse_code_files",
           "parse_file", "parse_files", "parse_many", "tag_and_finish"]


# The cache key: the code and data that change what a file parses into. The store keeps records under
# it, so a change there re-parses every store; a change elsewhere (the CLI, plots, exports, this batch
# runtime) must not. The parse modules are found by following imports from report.py, so a new stage
# module is covered without being listed here.
_PARSE_ENTRY = "report.py"
# Reached from report.py but downstream of the record: Report.to_frames() builds frames from it.
_DOWNSTREAM = {"frames.py"}
_DATA_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".npz", ".csv", ".txt")


def _imports(path: Path, pkg: Path) -> set[Path]:
    """The textmine modules ``path`` imports (anywhere in it: lazy imports count), as files."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.parent
    out: set[Path] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here
            for _ in range(node.level - 1):
                base = base.parent
            parts = node.module.split(".") if node.module else []
            targets = [base.joinpath(*parts)] if parts else []
            targets += [base.joinpath(*parts, a.name) for a in node.names]  # "from . import limits"
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            targets = [pkg.parent.joinpath(*n.split(".")) for n in names if n and n.split(".")[0] == pkg.name]
        else:
            continue
        for t in targets:
            for cand in (t.with_suffix(".py"), t / "__init__.py"):
                if cand.is_file():
                    out.add(cand)
    return out


def parse_code_files(pkg: Path | None = None) -> list[Path]:
    """The files behind the cache key: every module reachable by import from report.py (a package
    reached counts whole: packages dispatch by name), and every data file."""
    pkg = (pkg or Path(__file__).resolve().parent).resolve()
    todo, seen = [pkg / _PARSE_ENTRY], set()
    while todo:
        f = todo.pop()
        if f in seen or (f.parent == pkg and f.name in _DOWNSTREAM):
            continue
        seen.add(f)
        if f.name == "__init__.py" and f.parent != pkg:
            todo += sorted(f.parent.glob("*.py"))
        todo += sorted(_imports(f, pkg) - seen)
    data = pkg / "data"
    seen |= {p for p in data.rglob("*") if p.suffix in _DATA_SUFFIXES and "__pycache__" not in p.parts}
    return sorted(seen)


def code_fingerprint(pkg: Path | None = None) -> str:
    """Version plus a digest of the parse code and data (see :func:`parse_code_files`)."""
    pkg = (pkg or Path(__file__).resolve().parent).resolve()
    h = hashlib.sha1(__version__.encode())
    for p in parse_code_files(pkg):
        h.update(p.relative_to(pkg).as_posix().encode())
        h.update(p.read_bytes())
    return f"{__version__}+{h.hexdigest()[:12]}"


@lru_cache(maxsize=1)
def cache_version() -> str:
    """The store's cache key, :func:`code_fingerprint` of this installation, computed on first use: reading
    the imports of the parse code takes a third of a second, which a worker that only parses, or a command
    without a store, never needs. Records parsed by another textmine (or after the parse code or data
    changed) are parsed again."""
    return code_fingerprint()


def __getattr__(name: str) -> str:
    if name == "CACHE_VERSION":  # the old constant, now computed when first asked for
        return cache_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Files a report folder often holds that are not reports: (reason, hint) per suffix family. They are
# listed as skipped (``--strict`` fails on them); any other file (notes, scripts, READMEs) is ignored.
NOT_REPORTS: dict[tuple[str, ...], tuple[str, str]] = {
    (".xls", ".xlsx", ".xlsm", ".et", ".ods"): (
        "a spreadsheet, not a report", "tables as spreadsheets are not reports; export the report as PDF or docx"),
    (".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".gif", ".webp"): (
        "an image, not a report", "put scanned pages into one PDF: scanned PDFs are read by OCR (the ocr extra)"),
    (".zip", ".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz"): (
        "an archive", "unpack it first; the reports inside are then found"),
    (".ppt", ".pptx", ".odt", ".rtf", ".pages"): (
        "a document format textmine does not read", "save it as docx or PDF"),
}
_NOT_REPORT = {suffix: why for suffixes, why in NOT_REPORTS.items() for suffix in suffixes}
_OWN = {".textmine"}  # textmine's own store folder: not the user's


def find_reports(root: str | os.PathLike, skipped: list[dict] | None = None) -> list[Path]:
    """Every file with a supported extension under ``root`` (recursively). What is not searched is
    appended to ``skipped`` as ``{"path", "reason", "hint"}``, as a file that cannot be read is: a folder
    that cannot be listed, a hidden folder, a file of :data:`NOT_REPORTS`. A batch lists them, and
    ``--strict`` fails on them."""
    root = Path(root)
    if not root.exists():
        raise TextmineError("no such folder", str(root))
    if root.is_file():
        return [root]
    skipped = skipped if skipped is not None else []

    def unlisted(exc: OSError) -> None:
        skipped.append({"path": str(exc.filename or root), "reason": f"cannot list folder ({exc.strerror})",
                        "hint": "check that the folder can be read (its permissions)"})

    out = []
    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
        for d in sorted(dirnames):
            if d.startswith(".") and d not in _OWN:
                skipped.append({"path": str(Path(dirpath) / d), "reason": "hidden folder (not searched)",
                                "hint": "rename it without the leading dot to include its reports"})
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for f in sorted(filenames):
            suffix = Path(f).suffix.lower()
            if f.startswith("."):
                continue
            if suffix in FORMATS:
                out.append(Path(dirpath) / f)
            elif suffix in _NOT_REPORT:
                reason, hint = _NOT_REPORT[suffix]
                skipped.append({"path": str(Path(dirpath) / f), "reason": f"{reason} ({suffix})", "hint": hint})
    return out


def file_hash(path: str | os.PathLike) -> str:
    h = hashlib.sha1()
    with _limits.open_regular(path) as fh:  # a FIFO or /dev/zero: OSError, before any read
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _Timeout(BaseException):
    """Not an Exception: a loader's ``except Exception`` must not turn the timeout into a parse error."""


def _time_budget(seconds: float):
    """Interrupt the parse after ``seconds`` (SIGALRM: between bytecodes only; a parser stuck inside C code
    is stopped by the worker watchdog of :func:`parse_many` instead)."""
    return _limits.deadline(seconds, _Timeout)


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


THEME_BATCH = 16  # files whose statements get one theme prediction (a worker holds that many parsed)


def parse_file(path: str, digest: str | None = None, timeout: float | None = None) -> dict:
    """Parse one file into ``{"path", "hash", "record"}`` or ``{"path", "hash", "error"}``; never raises
    for a bad file. Pure apart from reading the file: safe to map over processes or a cluster."""
    res, report = _parse_report(path, digest, timeout, themes=True)
    return res if report is None else _finish(res, report)


def parse_files(items: list[tuple[str, str | None]], timeout: float | None = None) -> list[dict]:
    """:func:`parse_file` of each (path, hash), with the themes of every file's statements predicted in
    one call (the classifier has a fixed cost per call). The results are those of :func:`parse_file`."""
    return tag_and_finish([_parse_report(p, h, timeout, themes=False) for p, h in items])


def _parse_report(path: str, digest: str | None, timeout: float | None, themes: bool) -> tuple[dict, Any]:
    """(result without its record, the Report) or (the error result, None)."""
    from .report import load_report

    try:
        digest = digest or file_hash(path)
    except OSError as exc:
        return {"path": path, "hash": None, "error": f"cannot read file ({exc.strerror})"}, None
    budget = _limits.FILE_TIMEOUT if timeout is None else timeout
    try:
        with _time_budget(budget):
            report = load_report(Path(path), themes=themes)
    except _Timeout:
        return {"path": path, "hash": digest, "error": _timeout_reason(budget), "timed_out": True,
                "transient": True}, None
    except TextmineError as exc:
        return {"path": path, "hash": digest, "error": exc.reason}, None
    except MemoryError:
        return {"path": path, "hash": digest, "error": "out of memory while parsing", "transient": True}, None
    except Exception as exc:  # a parser bug must not sink the batch; report it with the file
        return {"path": path, "hash": digest, "error": f"internal error ({exc.__class__.__name__}: {exc})"}, None
    return {"path": path, "hash": digest}, report


def _finish(res: dict, report: Any) -> dict:
    """The result with the report's JSON record."""
    try:
        rec = report.to_dict()
    except Exception as exc:  # a parser bug must not sink the batch; report it with the file
        return {**res, "error": f"internal error ({exc.__class__.__name__}: {exc})"}
    rec["doc_id"] = res["hash"][:12]
    rec["source"] = shown(rec.get("source") or res["path"])  # UTF-8 text for stores and frames (a GBK name)
    return {**res, "record": rec}


def tag_and_finish(parsed: list[tuple[dict, Any]]) -> list[dict]:
    """Results of reports parsed with themes off: one theme prediction for all their statements, then
    each record. Should that prediction fail, each report is tagged alone (the error stays its file's)."""
    from .themes import tag_statements

    reports = [r for _, r in parsed if r is not None]
    try:
        tag_statements([st for r in reports for st in r.statements])
    except Exception:
        out = []
        for res, report in parsed:
            if report is not None:
                try:
                    tag_statements(report.statements)
                except Exception as exc:
                    res, report = {**res, "error": f"internal error ({exc.__class__.__name__}: {exc})"}, None
            out.append(res if report is None else _finish(res, report))
        return out
    return [res if report is None else _finish(res, report) for res, report in parsed]


def cacheable(res: dict) -> bool:
    """Whether a result may be cached by content hash: a record or an error of the file itself, never a
    failure of this run's budget or machine (a timeout, a memory kill, a dead worker), which a rerun with
    higher limits, or on a quieter machine, would not repeat."""
    return bool(res.get("hash")) and not res.get("transient")


def in_notebook() -> bool:
    """Whether this process is a Jupyter kernel (IPython's ZMQ shell), without importing IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    return type(shell).__name__ == "ZMQInteractiveShell"


def _progress(total: int, enabled: bool | None, desc: str) -> Any:
    """A progress bar: shown by default on a terminal and in a notebook (a widget there, with the
    ``notebook`` extra's ipywidgets; a text bar without it, rather than tqdm's IProgress warning)."""
    import importlib.util

    notebook = in_notebook()
    if enabled is None:
        enabled = notebook or sys.stderr.isatty()
    if notebook and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm(total=total, desc=desc, unit="report", disable=not enabled, file=sys.stderr)




def parse_many(todo: list[tuple[str, str]], workers: int | None, progress: bool | None,
               sink: Callable[[dict], None], *,
               parse: Callable[..., dict] = parse_file, timeout: float | None = None) -> None:
    """Parse (path, hash) pairs, calling ``sink(result)`` as each finishes.

    ``workers=1`` parses here, in this process (SIGALRM bounds the time, but not a parser hung in C code
    nor its memory, so a batch never defaults to it: a hostile file in a small folder would sink it). Otherwise (by default one per core) each file goes to a worker process that a
    watchdog can stop: a worker still busy ``timeout`` plus a grace period after it got its file (a parser hung inside C code, where SIGALRM cannot reach), or holding more
    than ``TEXTMINE_MAX_WORKER_MEMORY_MB``, is killed, its file reported, and a fresh worker takes its place.
    ``parse`` is the per-file function (a picklable top-level function of path, hash, timeout).
    """
    if not todo:
        return
    budget = _limits.FILE_TIMEOUT if timeout is None else timeout
    bar = _progress(len(todo), progress, "parsing")
    try:
        if workers == 1:
            step = THEME_BATCH if parse is parse_file else 1
            for i in range(0, len(todo), step):
                chunk = todo[i:i + step]
                for res in (parse_files(chunk, budget) if step > 1 else [parse(*chunk[0], budget)]):
                    res.pop("timed_out", None)
                    sink(res)
                    bar.update()
            return
        n = max(1, min(workers or os.cpu_count() or 1, len(todo)))
        _WorkerPool(n, parse, budget, _limits.MAX_WORKER_MEMORY_MB).run(todo, sink, bar.update)
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
    # (Not the scikit-learn estimator: the shipped tagger predicts in numpy, and a parse never needs it.)
    for mod in ("textmine.report", "textmine.meta", "textmine.tables", "textmine.validate",
                "textmine.statements", "textmine.themes.stage", "textmine.themes.calibration",
                "textmine.tables.flat"):
        try:  # import time is not the first file's: the watchdog clock starts after this
            importlib.import_module(mod)
        except Exception:
            pass
    try:  # nor jieba's dictionary (the statement links' words)
        from .statements import _words

        _words("政府信息公开工作")
    except Exception:
        pass
    batched = parse is parse_file
    if batched:
        try:  # the model and the word tables load now, not in the first file's time
            from .themes.stage import classify

            classify(["政府信息公开工作仍存在不足。"])
        except Exception:
            pass
    # What start-up built (jieba's dictionary, the model, the rules) lives as long as the worker: out of the
    # collector's sight, so its full collections do not walk it again and again.
    import gc

    gc.collect()
    gc.freeze()
    conn.send(("ready", None))
    _serve(conn, parse, budget, batched)


def _serve(conn, parse: Callable[..., dict], budget: float, batched: bool) -> None:
    """The worker's loop. Says "started" as it takes each file (the watchdog's clock is per file). With
    the default parse, files are parsed with themes off and held; their themes are predicted in one call
    when :data:`THEME_BATCH` are held, when no file waits in the pipe, or before a timed-out result."""
    held: list[tuple[dict, Any]] = []

    def flush() -> None:
        for res in (tag_and_finish(held) if batched else [r for r, _ in held]):
            conn.send(("done", res))
        held.clear()

    while True:
        if held and (len(held) >= THEME_BATCH or not conn.poll()):
            flush()
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            flush()
            return
        conn.send(("started", None))
        if batched:
            held.append(_parse_report(task[0], task[1], budget, themes=False))
        else:
            held.append((parse(task[0], task[1], budget), None))
        if held[-1][0].get("timed_out") or not batched:
            flush()  # a timed-out worker is replaced: nothing may stay held in it


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
    # Sent and not yet answered, in order: the first ``begun`` were taken by the worker (parsed and held
    # for their themes, the last one being parsed), the rest wait in the pipe, one at a time (so a worker
    # never idles while the parent handles a result).
    tasks: Any = field(default_factory=deque)
    begun: int = 0
    started: float = 0.0  # when the file being parsed began
    ready: bool = False
    sampled: float = 0.0  # when its memory was last read

    @property
    def task(self) -> tuple[str, str] | None:
        """The file the worker is busy with (the last it took), else the next it will take."""
        if not self.tasks:
            return None
        return self.tasks[max(0, self.begun - 1)]


class _WorkerPool:
    """Worker processes with a watchdog over time and memory (see :func:`parse_many`)."""

    WAITING = 1  # files waiting in a worker's pipe behind the one it parses
    # Seconds between reads of a busy worker's memory. Messages come several times a file; reading /proc
    # at each one was a tenth of the parent's CPU, which the two workers need.
    MEMORY_TICK = 0.5

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

    def run(self, todo: list[tuple[str, str]], sink: Callable[[dict], None], done: Callable[[], Any]) -> None:
        from collections import deque
        from multiprocessing.connection import wait

        self.pending = deque(todo)
        self.pool = [self._start() for _ in range(min(self.n, len(self.pending)))]
        self.sink, self.done = sink, done
        try:
            while self.pending or any(w.task for w in self.pool):
                self._dispatch()
                if not self.pool:  # every worker failed to start: parse the rest here
                    self._parse_here()
                    return
                ready = set(wait([w.conn for w in self.pool] + [w.proc.sentinel for w in self.pool],
                                 self._wait_timeout()))
                now = time.monotonic()
                for w in list(self.pool):
                    self._check(w, ready, now)
        finally:
            self._shutdown()

    def _dispatch(self) -> None:
        for w in self.pool:
            while (w.ready and self.pending and len(w.tasks) - w.begun < self.WAITING + (w.begun == 0)
                   and len(w.tasks) <= THEME_BATCH):
                if not w.tasks:
                    w.started = time.monotonic()
                w.tasks.append(self.pending.popleft())
                w.conn.send(w.tasks[-1])

    def _parse_here(self) -> None:
        import warnings

        warnings.warn("textmine worker processes fail to start; parsing in this process", stacklevel=3)
        while self.pending:
            p, h = self.pending.popleft()
            self.sink(self.parse(p, h, self.budget))
            self.done()

    def _wait_timeout(self) -> float | None:
        """Until the next busy worker runs out of time, or the next memory sample (None: until a message)."""
        busy = [w for w in self.pool if w.task]
        waits = [self.hard - (time.monotonic() - w.started) for w in busy if self.hard]
        tick = self.MEMORY_TICK if busy and self.memory_mb > 0 else None
        return min([max(0.0, t) for t in waits] + ([tick] if tick else []), default=None)

    def _finish(self, w: _Worker, res: dict) -> None:
        w.tasks.popleft()
        w.begun = max(0, w.begun - 1)
        if not w.begun:
            w.started = time.monotonic()  # the next one in its pipe starts now
        self.sink(res)
        self.done()

    def _fail(self, w: _Worker, error: str) -> None:
        """Report the file the worker is busy with as failed (transient); the others it holds go back."""
        task = w.task
        w.tasks.remove(task)
        w.begun = 0
        self.sink({"path": task[0], "hash": task[1], "error": error, "transient": True})
        self.done()

    def _replace(self, w: _Worker) -> None:
        self.pending.extendleft(reversed(w.tasks))  # held or not started: another worker parses them
        w.tasks.clear()
        w.begun = 0
        self._stop(w)
        self.pool.remove(w)
        if self.pending:
            self.pool.append(self._start())

    def _check(self, w: _Worker, ready: set, now: float) -> None:
        """Act on one worker: its message, its death, or its overrunning the time or memory budget."""
        msg = None
        if w.conn in ready or w.proc.sentinel in ready:
            try:
                msg = w.conn.recv() if w.conn.poll() else None
            except (EOFError, OSError):
                msg = None
        if msg and msg[0] == "ready":
            w.ready, self.failed_starts = True, 0
        elif msg and msg[0] == "started":
            w.begun, w.started = w.begun + 1, now
        elif msg and msg[0] == "done":
            res = msg[1]
            timed_out = res.pop("timed_out", False)
            self._finish(w, res)
            if timed_out:  # interrupted mid-way: its lazily built state may be half made
                self._replace(w)
        elif w.proc.sentinel in ready or w.conn in ready:  # the worker died
            self._died(w)
        elif w.task and self.hard and now - w.started > self.hard:
            self._fail(w, _timeout_reason(self.budget) + "; the parser was stuck and its process was stopped")
            self._replace(w)
        elif w.task and self.memory_mb > 0 and now - w.sampled >= self.MEMORY_TICK:
            w.sampled = now
            if _rss_mb(w.proc.pid) > self.memory_mb:
                self._fail(w, f"used more than {self.memory_mb:g} MB of memory; stopped (TEXTMINE_MAX_WORKER_MEMORY_MB)")
                self._replace(w)

    def _died(self, w: _Worker) -> None:
        w.proc.join(5)  # its pipe can close a moment before it is reaped
        code = w.proc.exitcode
        if w.task:
            how = (f"killed by signal {-code}; out of memory?" if code is not None and code < 0
                   else f"exit code {code}")
            self._fail(w, f"the parser process died ({how})")
        elif not w.ready:
            self.failed_starts += 1
        if self.failed_starts >= 3:
            self.pending.extendleft(reversed(w.tasks))
            self._stop(w)
            self.pool.remove(w)
        else:
            self._replace(w)

    def _shutdown(self) -> None:
        for w in self.pool:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in self.pool:
            w.proc.join(2)
            self._stop(w)
