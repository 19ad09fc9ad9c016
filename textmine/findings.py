"""One kind of finding for every check: the consistency rules (validate.py) and table parsing (tables.py).

A finding is a plain dict, so it goes into the JSON record as it is: ``rule``, ``severity`` ("error" or
"warning"), ``where`` (what was checked, e.g. ``requests.natural_person``), ``message`` (plain
language), ``expected`` and ``found``; a cross-year finding adds where it came from (agency, year, …).
"""

from __future__ import annotations

from typing import Any, TypedDict

__all__ = ["FINDING_KEYS", "Finding", "finding"]

# The keys every finding has, in the order the JSON record lists them.
FINDING_KEYS = ("rule", "severity", "where", "message", "expected", "found")


class Finding(TypedDict, total=False):
    rule: str
    severity: str
    where: str
    message: str
    expected: Any
    found: Any


def finding(rule: str, where: str, message: str, expected: Any = None, found: Any = None, *,
            severity: str = "error", **extra: Any) -> Finding:
    """A finding of ``rule`` at ``where``; ``extra`` keys (agency, year, doc_id, …) come after the others."""
    if severity not in ("error", "warning"):
        raise ValueError(f"severity must be 'error' or 'warning', not {severity!r}")
    out: dict[str, Any] = {"rule": rule, "severity": severity, "where": where, "message": message,
                           "expected": expected, "found": found}
    out.update(extra)
    return out  # type: ignore[return-value]
