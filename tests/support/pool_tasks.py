"""A stand-in per-file parse for the worker pool's tests (importable by spawned workers)."""

from __future__ import annotations

import os
import time


def fake_parse(path: str, digest: str, budget: float) -> dict:
    """'hang…' is stuck (no alarm reaches it), 'die…' kills its process; anything else parses at once."""
    name = os.path.basename(path)
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("die"):
        os._exit(3)
    time.sleep(0.05)
    return {"path": path, "hash": digest, "record": {"name": name, "pid": os.getpid()}}
