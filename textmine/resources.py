"""Access to the data files shipped in ``textmine/data``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


def data_path(name: str) -> Path:
    return Path(str(resources.files("textmine") / "data" / name))


@cache
def load_yaml(name: str) -> dict:
    import yaml

    with open(data_path(name), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def file_mtime(path: Path, what: str) -> float:
    """Modification time of a data file (the cache key of its parsed form), or a one-line error naming
    ``what`` the file was meant to be."""
    from .errors import TextmineError

    try:
        return path.stat().st_mtime
    except OSError:
        raise TextmineError(f"{what} file not found", str(path)) from None
