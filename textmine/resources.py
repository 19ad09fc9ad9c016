"""Access to the data files shipped in ``textmine/data``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_path(name: str) -> Path:
    return Path(str(resources.files("textmine") / "data" / name))


# A codebook or agency map has a few thousand nodes; aliases that expand to more are a "billion
# laughs" attack (PyYAML shares aliased nodes, but every walk over the result expands them), and
# nesting past the constructor's recursion is a crash.
MAX_YAML_NODES = 1_000_000
MAX_YAML_DEPTH = 100


def _yaml_shape(text: str, where: str | None) -> None:
    """Refuse YAML whose aliases expand past ``MAX_YAML_NODES`` or that nests past ``MAX_YAML_DEPTH``:
    counted on the event stream (no object built), each alias weighing what its anchor expands to."""
    import yaml

    from .errors import TextmineError

    anchors: dict[str, int] = {}
    stack: list[list] = [[None, 0]]  # [anchor, expanded size] per open collection
    for ev in yaml.parse(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
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
    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


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


def safe_json(text: str | bytes, where: str | None = None) -> Any:
    """``json.loads`` whose failures are one-line errors: malformed text, and nesting too deep for the
    decoder (a RecursionError otherwise)."""
    import json

    from .errors import TextmineError

    try:
        return json.loads(text)
    except RecursionError:
        raise TextmineError("JSON nested too deep; refused", where) from None
    except ValueError as exc:  # JSONDecodeError, and bytes that are not UTF-8
        raise TextmineError(f"not valid JSON ({str(exc).splitlines()[0]})", where) from None


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
