"""Access to the data files shipped in ``textmine/data``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_path(name: str) -> Path:
    return Path(str(resources.files("textmine") / "data" / name))


def safe_yaml(stream: Any) -> Any:
    """``yaml.safe_load`` with libyaml's loader when PyYAML has it: the same objects, in a fifth of the
    time (the data files are a good part of a parse's start-up)."""
    import yaml

    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def load_yaml(name: str) -> dict:
    with open(data_path(name), encoding="utf-8") as fh:
        return safe_yaml(fh)


def file_mtime(path: Path, what: str) -> float:
    """Modification time of a data file (the cache key of its parsed form), or a one-line error naming
    ``what`` the file was meant to be."""
    from .errors import TextmineError

    try:
        return path.stat().st_mtime
    except OSError:
        raise TextmineError(f"{what} file not found", str(path)) from None
