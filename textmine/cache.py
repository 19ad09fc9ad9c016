"""A user cache of prebuilt numpy arrays, memory-mapped on load (jieba's dictionary table, the model's
hash tables).

Building jieba's dictionary table costs more CPU than parsing a report; read from ``.npy`` files with
``mmap_mode="r"`` it costs almost nothing, and the pages a parse never touches are never read. An entry
is built on first use and written atomically (a temporary folder renamed into place), so processes
racing to build it are harmless. Nothing is downloaded: every entry is derived from files already on the
machine, and its key names what it was derived from, so a changed source gets a new entry (entries of
the same kind unused for 30 days are removed). Where the cache cannot be written, the arrays are built in
memory.

The folder is ``$TEXTMINE_CACHE_DIR`` (set it empty to switch the cache off), else
``$XDG_CACHE_HOME/textmine``, else ``~/.cache/textmine`` (``%LOCALAPPDATA%\\textmine`` on Windows).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)
_DONE = "complete"  # written last: a folder without it is an interrupted build; touched on each use
_STALE_S = 30 * 86400


def cache_dir() -> Path | None:
    """The cache folder (not created), or None when ``TEXTMINE_CACHE_DIR`` is set empty."""
    env = os.environ.get("TEXTMINE_CACHE_DIR")
    if env is not None:
        return Path(env).expanduser() if env.strip() else None
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "textmine"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "textmine"


def source_key(*parts: object) -> str:
    """A short digest of what an entry is derived from (paths, sizes, mtimes, format numbers)."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]


def file_identity(path: str | os.PathLike) -> tuple[str, int, int]:
    """(real path, size, mtime in ns): changes whenever the file is replaced or edited."""
    st = os.stat(path)
    return os.path.realpath(path), st.st_size, st.st_mtime_ns


def _read(folder: Path) -> dict[str, np.ndarray] | None:
    done = folder / _DONE
    if not done.is_file():
        return None
    try:
        os.utime(done)
        return {p.stem: np.load(p, mmap_mode="r", allow_pickle=False) for p in folder.glob("*.npy")}
    except (OSError, ValueError) as exc:
        log.info("unreadable cache entry %s (%s); rebuilding", folder, exc)
        return None


def _write(root: Path, kind: str, key: str, arrays: dict[str, np.ndarray]) -> None:
    target = root / f"{kind}-{key}"
    tmp = root / f".{kind}-{key}.{os.getpid()}.tmp"
    try:
        tmp.mkdir(parents=True, exist_ok=True)
        for name, a in arrays.items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(a), allow_pickle=False)
        (tmp / _DONE).write_text(key, encoding="utf-8")
        os.rename(tmp, target)
    except OSError as exc:  # read-only home, full disk, or another process was first: all harmless
        log.info("could not write cache entry %s (%s)", target, exc)
        shutil.rmtree(tmp, ignore_errors=True)
        return
    for old in root.glob(f"{kind}-*"):  # entries of an older source (or another installation), unused
        try:
            stale = old.name != target.name and time.time() - (old / _DONE).stat().st_mtime > _STALE_S
        except OSError:
            stale = True
        if stale:
            shutil.rmtree(old, ignore_errors=True)


def cached_arrays(kind: str, key: str, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The arrays of entry ``kind``/``key``, memory-mapped from the cache; ``build()`` makes them (and
    they are stored) when the entry is missing. Arrays are read-only either way."""
    root = cache_dir()
    if root is not None:
        found = _read(root / f"{kind}-{key}")
        if found is not None:
            return found
    arrays = build()
    if root is not None:
        _write(root, kind, key, arrays)
        found = _read(root / f"{kind}-{key}")
        if found is not None:
            return found
    for a in arrays.values():
        a.setflags(write=False)
    return arrays
