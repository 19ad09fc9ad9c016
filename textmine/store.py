"""The embedded store: parsed records in a DuckDB file, keyed by the content hash of each file.

Re-running on a grown folder parses only new or changed files. Each record is committed as soon as
it is parsed, so an interrupted run keeps what it finished and the next run resumes. DuckDB allows
one writing process per file: a second writer gets a clear "store is busy" error.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path

from .errors import TextmineError

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


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200]


def default_store_path(corpus_dir: str | os.PathLike) -> Path:
    return Path(corpus_dir) / ".textmine" / "corpus.duckdb"


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
                raise TextmineError(f"cannot create the store folder ({exc.strerror})", str(self.path)) from None
        try:
            self.con = duckdb.connect(str(self.path), read_only=self.read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                # DuckDB names the holder: "Conflicting lock is held in /usr/bin/python3 (PID 1234)".
                pid = re.search(r"\(PID (\d+)\)", str(exc))
                who = f"process {pid.group(1)}" if pid else "another process"
                raise TextmineError(f"store is busy ({who} is writing to it; wait for it to finish, or "
                                    "give this run its own --store)", str(self.path)) from None
            raise TextmineError(f"cannot open the store ({_one_line(exc)})", str(self.path)) from None
        except duckdb.Error as exc:
            raise TextmineError(f"the store is damaged or not a DuckDB file ({exc.__class__.__name__}); "
                                "it only caches parsed reports: delete it to rebuild it", str(self.path)) from None
        if not self.read_only:
            self.con.execute(SCHEMA)
        return self

    def __exit__(self, *exc) -> None:
        if self.con is not None:
            self.con.close()
            self.con = None

    def known(self, version: str) -> dict[str, tuple[dict | None, str | None]]:
        """hash -> (record, error) for everything parsed by this textmine version."""
        rows = self.con.execute("SELECT hash, record, error FROM files WHERE version = ?", [version]).fetchall()
        return {h: (json.loads(r) if r else None, e) for h, r, e in rows}

    def known_hashes(self, version: str) -> set[str]:
        """Hashes already parsed by this textmine version (without loading their records)."""
        return {h for (h,) in self.con.execute("SELECT hash FROM files WHERE version = ?", [version]).fetchall()}

    def put(self, digest: str, path: str, version: str, record: dict | None, error: str | None) -> None:
        import duckdb

        payload = json.dumps(record, ensure_ascii=False, default=str) if record is not None else None
        try:  # one statement, committed on its own: a run killed after it keeps this record
            self.con.execute(
                "INSERT OR REPLACE INTO files (hash, path, version, record, error) VALUES (?, ?, ?, ?, ?)",
                [digest, path, version, payload, error],
            )
        except duckdb.Error as exc:  # disk full, read-only medium, …
            raise TextmineError(f"cannot write to the store ({_one_line(exc)})", str(self.path)) from None

    def save_frames(self, frames: Iterable[tuple[str, object]]) -> None:
        """Materialise pandas frames as SQL tables (documents, statements, …) for ad-hoc queries."""
        for name, df in frames:
            self.con.register("_frame", df)
            self.con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM _frame')
            self.con.unregister("_frame")
