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
