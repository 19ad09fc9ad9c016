"""Access to the data files shipped in ``textmine/data`` and to the bundled sample corpus."""

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


# The sample corpus has one copy in the repository, the top-level ``corpus/`` folder; the wheel installs
# it as ``textmine/sample_corpus`` (pyproject maps the package there).
SAMPLE_NOTE = "the bundled sample corpus: fictional reports written by the textmine team (see its README)"


def installed_sample_corpus() -> Path:
    """Where an installed (non-editable) package keeps the sample corpus; absent in a checkout."""
    return Path(__file__).resolve().parent / "sample_corpus"


def sample_corpus() -> Path:
    """The sample corpus: the installed copy, else the checkout's ``corpus/`` beside the package."""
    from .errors import TextmineError

    for cand in (installed_sample_corpus(), Path(__file__).resolve().parent.parent / "corpus"):
        if cand.is_dir():
            return cand
    raise TextmineError("the sample corpus is not installed with this package; pass a folder of reports")


def sample_corpus_store() -> Path | None:
    """The store of runs on the installed sample corpus: in the user cache folder (see
    :mod:`textmine.cache`), never inside site-packages; None when the cache is switched off (the run is
    then uncached)."""
    from .cache import cache_dir

    base = cache_dir()
    return None if base is None else base / "sample-corpus" / "corpus.duckdb"


def is_installed_sample(folder: str | Path) -> bool:
    try:
        return Path(folder).resolve() == installed_sample_corpus()
    except OSError:
        return False
