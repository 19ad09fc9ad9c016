"""Shared fixtures: where the real reports live (``../shared`` beside the checkout)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "changle-natural-resources-2023.txt"
REAL = SHARED / "real"

sys.path.insert(0, str(Path(__file__).resolve().parent))

needs_shared = pytest.mark.skipif(
    not (SEED.exists() and REAL.is_dir()),
    reason="real reports live in ../shared (present in CI, absent on a fresh clone)",
)


def real(name: str) -> Path:
    """Path of a real report in ../shared/real by a distinctive part of its file name."""
    hits = sorted(p for p in REAL.glob("*") if name in p.name and p.name != "SOURCES.tsv")
    assert len(hits) == 1, f"{name!r} matches {hits}"
    return hits[0]
