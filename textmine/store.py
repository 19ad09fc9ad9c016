"""The embedded store: parsed records in a DuckDB file, keyed by the content hash of each file.

Re-running on a grown folder parses only new or changed files. Records are committed as they are parsed
(one by one, or in small batches by :class:`RecordWriter`), so an interrupted run keeps what it finished
and the next run resumes. The derived tables (documents, statements, …) are replaced all together in
one transaction: a reader, or a run killed half-way, sees the old set or the new one, never a mix.
DuckDB allows one writing process per file: a second writer gets a clear "store is busy" error.

The store is a cache. Its layout carries a schema version (table ``textmine_meta``); a store of an
older layout is migrated, one of an unknown layout rebuilt, never a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import queue
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import TextmineError

SCHEMA_VERSION = 2
FILES_COLUMNS = ("hash", "path", "version", "record", "error", "parsed_at")
SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    hash VARCHAR PRIMARY KEY,
    path VARCHAR,
    version VARCHAR,
    record JSON,
    error VARCHAR,
    parsed_at TIMESTAMP DEFAULT current_timestamp
)
"""
# The tables rebuilt from the records on every run, by `stats` (Corpus.from_dir) and `ingest` alike,
# and the per-table views over ``tables``.
DERIVED = ("documents", "sections", "statements", "statement_themes", "findings", "tables", "failed")
TABLE_VIEWS = ("proactive", "requests", "appeals")
_STAGED = "_staged_"  # derived tables being built (Store.derived)
_READ_ONLY_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200]


def default_store_path(corpus_dir: str | os.PathLike) -> Path | None:
    """``DIR/.textmine/corpus.duckdb``; for the installed sample corpus the user cache folder instead
    (None, uncached, when that cache is switched off): nothing is written into site-packages."""
    from .resources import is_installed_sample, sample_corpus_store

    if is_installed_sample(corpus_dir):
        return sample_corpus_store()
    return Path(corpus_dir) / ".textmine" / "corpus.duckdb"


class StoreUnwritable(TextmineError):
    """The store's location cannot be written (read-only medium, no permission): run without a store."""


def _unwritable(text: str) -> bool:
    return bool(re.search(r"permission denied|read-only file system|operation not permitted", text, re.I))


class Store:
    """A DuckDB file of parsed records. Use as a context manager."""

    def __init__(self, path: str | os.PathLike, read_only: bool = False) -> None:
        self.path = Path(path)
        self.read_only = read_only
        self.con = None

    def __enter__(self) -> Store:
        import duckdb

        if not self.read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                cls = StoreUnwritable if exc.errno in _READ_ONLY_ERRNOS else TextmineError
                raise cls(f"cannot create the store folder ({exc.strerror})", str(self.path)) from None
        try:
            self.con = duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                # DuckDB names the holder: "Conflicting lock is held in /usr/bin/python3 (PID 1234)".
                pid = re.search(r"\(PID (\d+)\)", str(exc))
                who = f"process {pid.group(1)}" if pid else "another process"
                raise TextmineError(f"store is busy ({who} is writing to it; wait for it to finish, or "
                                    "give this run its own --store)", str(self.path)) from None
            cls = StoreUnwritable if _unwritable(str(exc)) else TextmineError
            raise cls(f"cannot open the store ({_one_line(exc)})", str(self.path)) from None
        except duckdb.Error as exc:
            raise TextmineError(f"the store is damaged or not a DuckDB file ({exc.__class__.__name__}); "
                                "it only caches parsed reports: delete it to rebuild it", str(self.path)) from None
        if not self.read_only:
            try:
                self._ensure_schema()
            except duckdb.Error as exc:
                self.con.close()
                self.con = None
                cls = StoreUnwritable if _unwritable(str(exc)) else TextmineError
                raise cls(f"cannot write to the store ({_one_line(exc)})", str(self.path)) from None
        return self

    def __exit__(self, *exc) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    # --- layout ------------------------------------------------------------------------------------
    def _ensure_schema(self) -> None:
        """Create, migrate or rebuild the layout so that it is SCHEMA_VERSION's."""
        con = self.con
        tables = {r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
        version = None
        if "textmine_meta" in tables:
            row = con.execute("SELECT value FROM textmine_meta WHERE key = 'schema'").fetchone()
            version = int(row[0]) if row and str(row[0]).isdigit() else -1
        elif "files" in tables:
            version = 1  # textmine before the schema version: same files table, other derived tables
        if version == SCHEMA_VERSION and self._files_ok():
            return
        con.execute("BEGIN TRANSACTION")
        if version == 1 and self._files_ok():
            # Version 1 wrote table_proactive/… as tables; they become views over ``tables``.
            for name in (*DERIVED, *(f"table_{t}" for t in TABLE_VIEWS)):
                con.execute(f'DROP TABLE IF EXISTS "{name}"')
        elif version is not None:
            # A layout this textmine does not know (newer, or damaged): the store is a cache; start afresh.
            warnings.warn(f"{self.path}: store layout {version} is not this textmine's ({SCHEMA_VERSION}); "
                          "rebuilding it", stacklevel=3)
            for name, kind in con.execute("SELECT table_name, table_type FROM information_schema.tables "
                                          "WHERE table_schema = 'main'").fetchall():
                con.execute(f'DROP {"VIEW" if kind == "VIEW" else "TABLE"} IF EXISTS "{name}"')
        con.execute(SCHEMA)
        con.execute("CREATE TABLE IF NOT EXISTS textmine_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT OR REPLACE INTO textmine_meta VALUES ('schema', ?)", [str(SCHEMA_VERSION)])
        con.execute("COMMIT")

    def _files_ok(self) -> bool:
        cols = [r[0] for r in self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'files' "
            "AND table_schema = 'main' ORDER BY ordinal_position").fetchall()]
        return tuple(cols) == FILES_COLUMNS

    # --- records -----------------------------------------------------------------------------------
    def known(self, version: str) -> dict[str, tuple[dict | None, str | None]]:
        """hash -> (record, error) for everything parsed by this textmine version. A row whose record
        does not decode (a damaged row) is left out: its file is parsed again and the row replaced."""
        out = {}
        for h, r, e in self.con.execute("SELECT hash, record, error FROM files WHERE version = ?",
                                        [version]).fetchall():
            rec = decode_record(r)
            if rec is not False:
                out[h] = (rec, e)
        return out

    def known_hashes(self, version: str) -> set[str]:
        """Hashes already parsed by this textmine version (without loading their records)."""
        return {h for (h,) in self.con.execute("SELECT hash FROM files WHERE version = ?", [version]).fetchall()}

    def put(self, digest: str, path: str, version: str, record: dict | None, error: str | None) -> None:
        """One record, committed on its own: a run killed after it keeps this record."""
        self.put_many([(digest, path, version, record, error)])

    def put_many(self, rows: list[tuple[str, str, str, dict | None, str | None]], con=None) -> None:
        """Records (hash, path, version, record, error), committed together in one transaction."""
        import duckdb
        import pyarrow as pa

        if not rows:
            return
        con = con or self.con
        last = {d: (d, p, v, r, e) for d, p, v, r, e in rows}  # one row per hash, the last (one statement)
        cols = list(zip(*last.values(), strict=True))
        # One insert from an Arrow table: executemany runs the statement per row (2.9 ms a record against
        # 0.5 ms; it was most of the ingest parent's CPU, which the two workers need).
        try:
            batch = pa.table({"hash": pa.array(cols[0], pa.string()), "path": pa.array(cols[1], pa.string()),
                              "version": pa.array(cols[2], pa.string()),
                              "record": pa.array([json.dumps(r, ensure_ascii=False, default=str) if r is not None
                                                  else None for r in cols[3]], pa.string()),
                              "error": pa.array(cols[4], pa.string())})
        except (UnicodeEncodeError, pa.ArrowException) as exc:  # text that is not UTF-8 (a lone surrogate)
            raise TextmineError(f"cannot write to the store ({_one_line(exc)})", str(self.path)) from None
        try:
            con.execute("BEGIN TRANSACTION")
            con.register("_records", batch)
            con.execute("INSERT OR REPLACE INTO files (hash, path, version, record, error) "
                        "SELECT hash, path, version, record, error FROM _records")
            con.unregister("_records")
            con.execute("COMMIT")
        except duckdb.Error as exc:  # disk full, read-only medium, …
            _rollback(con)
            raise TextmineError(f"cannot write to the store ({_one_line(exc)})", str(self.path)) from None

    # --- derived tables ----------------------------------------------------------------------------
    def derived_key(self) -> str | None:
        """What the derived tables were built from (:func:`frames_key`), or None."""
        try:
            row = self.con.execute("SELECT value FROM textmine_meta WHERE key = 'derived'").fetchone()
        except Exception:  # no meta table (a read-only store of an old layout)
            return None
        return row[0] if row and row[0] else None

    @contextmanager
    def derived(self, key: str | Callable[[], str] | None = None) -> Iterator[Callable[[str, object], None]]:
        """Replace the derived tables at once. Yields ``append(name, pandas_frame)``: the first frame of a
        name creates its table, later ones are appended. Callers give every name of :data:`DERIVED` (an
        empty frame for an empty table), so `stats` and `ingest` leave the same set. ``key``
        (:func:`frames_key` of the records written, or a function giving it once they are) is kept with
        them: a warm `stats` reads the tables only when the folder's records still give that key.

        The frames go to staging tables, each batch committed (one transaction over 10,000 reports held
        every uncommitted row in memory: 1.04 GB in the ingest parent against 0.61 GB); one transaction
        then swaps them in, so a reader sees the old tables or the new ones, never a mix."""
        import duckdb

        con = self.con
        created: set[str] = set()

        def append(name: str, df) -> None:
            from .frames import LIST_COLUMNS

            staged = _STAGED + name
            con.register("_batch", df)
            # List columns typed VARCHAR[] even when a batch has only empty lists (DuckDB infers NULL[]).
            casts = [f'CAST("{c}" AS VARCHAR[]) AS "{c}"' for c in LIST_COLUMNS if c in df.columns]
            select = f"SELECT * REPLACE ({', '.join(casts)}) FROM _batch" if casts else "SELECT * FROM _batch"
            try:
                if name in created:
                    _widen(con, staged)
                    con.execute(f'INSERT INTO "{staged}" BY NAME {select}')
                else:
                    con.execute(f'CREATE TABLE "{staged}" AS {select}')
                    created.add(name)
            finally:
                con.unregister("_batch")

        try:
            self._drop_staged()  # a run killed while staging leaves its tables
            yield append
            con.execute("BEGIN TRANSACTION")
            for t in TABLE_VIEWS:
                con.execute(f'DROP VIEW IF EXISTS "table_{t}"')
            for name in DERIVED:
                con.execute(f'DROP TABLE IF EXISTS "{name}"')
            for name in created:
                con.execute(f'ALTER TABLE "{_STAGED + name}" RENAME TO "{name}"')
            con.execute("INSERT OR REPLACE INTO textmine_meta VALUES ('derived', ?)",
                        [(key() if callable(key) else key) or ""])
            if "tables" in created:
                for t in TABLE_VIEWS:
                    con.execute(f'CREATE VIEW "table_{t}" AS SELECT doc_id, agency, agency_id, year, "row", '
                                f'"column", value, value_derived, derived FROM tables WHERE "table" = \'{t}\'')
            con.execute("COMMIT")
        except duckdb.Error as exc:
            _rollback(con)
            self._drop_staged()
            raise TextmineError(f"cannot write to the store ({_one_line(exc)})", str(self.path)) from None
        except BaseException:
            _rollback(con)
            self._drop_staged()
            raise

    def _drop_staged(self) -> None:
        for name in DERIVED:
            self.con.execute(f'DROP TABLE IF EXISTS "{_STAGED + name}"')

    def save_frames(self, frames, key: str | Callable[[], str] | None = None) -> None:
        """Replace the derived tables with the (name, pandas frame) pairs ``frames``, at once (:meth:`derived`)."""
        with self.derived(key) as append:
            for name, df in frames:
                append(name, df)


def frames_key(version: str, records: list[tuple[str, str]], agency_map: object) -> str:
    """A digest of what the derived tables hold: the parse version, the code that builds frames from
    records, the agency map and the (path, hash) of every record."""
    import hashlib

    h = hashlib.sha1(version.encode())
    here = Path(__file__).resolve().parent
    for name in ("frames.py", "agencies.py", "corpus.py", "ingest.py", "store.py", "duplicates.py"):
        h.update((here / name).read_bytes())
    h.update(json.dumps(agency_map, sort_keys=True, ensure_ascii=False, default=str).encode())
    for path, digest in sorted(records):
        h.update(f"{path}\0{digest}\n".encode("utf-8", "surrogateescape"))
    return h.hexdigest()


def decode_record(text: str | None) -> dict | None | bool:
    """A stored record (None for a stored failure), or False when the row is damaged."""
    if text is None:
        return None
    try:
        rec = json.loads(text)
    except ValueError:
        return False
    return rec if isinstance(rec, dict) else False


def _rollback(con) -> None:
    try:
        con.execute("ROLLBACK")
    except Exception:  # no transaction open (it failed to begin)
        pass


def _widen(con, name: str) -> None:
    """A later batch with fractional numbers where the first had integers: widen the column to DOUBLE
    (inserting would round them)."""
    have = {r[0]: r[1] for r in con.execute(f'DESCRIBE SELECT * FROM "{name}"').fetchall()}
    new = {r[0]: r[1] for r in con.execute("DESCRIBE SELECT * FROM _batch").fetchall()}
    for col, typ in new.items():
        if typ == "DOUBLE" and have.get(col) in ("BIGINT", "INTEGER", "HUGEINT"):
            con.execute(f'ALTER TABLE "{name}" ALTER "{col}" TYPE DOUBLE')


@contextmanager
def open_or_uncached(path: str | os.PathLike) -> Iterator[Store | None]:
    """The store at ``path``, or None (with a warning) when its location cannot be written: the run goes
    on uncached. A busy or damaged store is still an error."""
    try:
        st = Store(path).__enter__()
    except StoreUnwritable as exc:
        warnings.warn(f"{exc}; running without a store (nothing is cached)", stacklevel=3)
        yield None
        return
    try:
        yield st
    finally:
        st.__exit__()


class RecordWriter:
    """Commits records to the store from a thread, ``batch`` at a time or every ``interval`` seconds,
    so the parse loop never waits on the disk. ``put(result)`` queues one; ``close()`` flushes, and
    raises the store's error if a write failed (the records committed before it stay)."""

    def __init__(self, store: Store, version: str, batch: int = 100, interval: float = 2.0) -> None:
        self.store, self.version, self.batch, self.interval = store, version, batch, interval
        self.q: queue.Queue = queue.Queue(maxsize=4 * batch)
        self.error: TextmineError | None = None
        self.thread = threading.Thread(target=self._run, name="textmine-store-writer", daemon=True)
        self.thread.start()

    def put(self, res: dict) -> None:
        if self.error is not None:
            raise self.error
        self.q.put((res["hash"], res["path"], self.version, res.get("record"), res.get("error")))

    def _run(self) -> None:
        con = self.store.con.cursor()  # a DuckDB connection is not shared between threads
        rows: list = []
        last = time.monotonic()
        done = False
        try:
            while not done:
                try:
                    item = self.q.get(timeout=max(0.05, self.interval - (time.monotonic() - last)))
                    if item is None:
                        done = True
                    else:
                        rows.append(item)
                except queue.Empty:
                    pass
                if rows and (done or len(rows) >= self.batch or time.monotonic() - last >= self.interval):
                    if self.error is None:
                        try:
                            self.store.put_many(rows, con)
                        except TextmineError as exc:
                            self.error = exc
                    rows, last = [], time.monotonic()
        finally:
            con.close()

    def close(self) -> None:
        self.q.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
