"""Access to the data files shipped in ``textmine/data`` and to the bundled sample corpus."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_path(name: str) -> Path:
    return _data_dir() / name


@cache
def _data_dir() -> Path:  # resources.files costs ~25 µs, and the parse asks for a rules file per report
    return Path(str(resources.files("textmine") / "data"))


# A codebook or agency map has a few thousand nodes; aliases that expand to more are a "billion
# laughs" attack (PyYAML shares aliased nodes, but every walk over the result expands them), and
# nesting past the constructor's recursion is a crash.
MAX_YAML_NODES = 1_000_000
MAX_YAML_DEPTH = 100


def _yaml_loader():
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML was built with it


def _yaml_shape(text: str, where: str | None) -> None:
    """Refuse YAML whose aliases expand past ``MAX_YAML_NODES`` or that nests past ``MAX_YAML_DEPTH``:
    counted on the event stream (no object built), each alias weighing what its anchor expands to."""
    import yaml

    from .errors import TextmineError

    anchors: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # [anchor, expanded size] per open collection
    for ev in yaml.parse(text, Loader=_yaml_loader()):
        if isinstance(ev, yaml.CollectionStartEvent):
            stack.append([ev.anchor, 1])
            if len(stack) > MAX_YAML_DEPTH:
                raise TextmineError(f"YAML nested more than {MAX_YAML_DEPTH} deep; refused", where)
            continue
        if isinstance(ev, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
        elif isinstance(ev, yaml.ScalarEvent):
            anchor, size = ev.anchor, 1
        elif isinstance(ev, yaml.AliasEvent):
            anchor, size = None, anchors.get(ev.anchor, 1)
        else:
            continue
        if anchor is not None:
            anchors[anchor] = size
        stack[-1][1] += size
        if stack[0][1] > MAX_YAML_NODES or size > MAX_YAML_NODES:
            raise TextmineError(f"YAML aliases expand to more than {MAX_YAML_NODES} nodes "
                                "(an alias bomb?); refused", where)


def safe_yaml(stream: Any, where: str | None = None, *, untrusted: bool = False) -> Any:
    """``yaml.safe_load`` with libyaml's loader when PyYAML has it: the same objects, in a fifth of the
    time (the data files are a good part of a parse's start-up). ``untrusted`` text (a user's codebook,
    agency map, a model's embedded codebook) is first checked for alias bombs and deep nesting."""
    import yaml

    if untrusted:
        text = stream if isinstance(stream, str) else stream.read()
        _yaml_shape(text, where)
        stream = text
    return yaml.load(stream, Loader=_yaml_loader())


def read_user_text(path: str | Path, what: str, max_mb: float = 50) -> str:
    """A researcher's own file (codebook, agency map, labels) as text: UTF-8 (with or without BOM), or
    GB18030 as Chinese Windows tools save it; anything else, a missing file or one over ``max_mb``
    is a one-line error naming ``what`` the file was meant to be."""
    from .errors import TextmineError
    from .loaders.limits import open_regular

    try:
        with open_regular(path) as fh:
            data = fh.read(int(max_mb * 1024 * 1024) + 1)
    except OSError as exc:
        raise TextmineError(f"cannot read {what} file ({exc.strerror or exc.__class__.__name__})", str(path)) from None
    if len(data) > max_mb * 1024 * 1024:
        raise TextmineError(f"{what} file is over {max_mb:g} MB", str(path))
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise TextmineError(f"{what} file is neither UTF-8 nor GB18030 text", str(path))



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
