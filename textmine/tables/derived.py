"""Values the form's own arithmetic gives for cells the report left blank.

A printed blank cell is ``None`` in the record: missing, never 0. Some blanks are nonetheless fixed by
the form's sums, and a researcher may want them, marked as such, never in place of what was printed:

- a blank 总计 of a table-3 row is the sum of its six applicant columns (R3);
- a blank （七）总计 of a table-3 column is the sum of its 22 result rows (R2);
- a blank 总计 of a table-4 group is upheld + corrected + other + pending (R4);
- in any of those sums whose total is printed, blank parts are 0 when the printed parts already add up
  to the total (counts are never negative).

A sum over parts some of which are blank reads the blanks as adding nothing (the form's way of
writing none), and is only offered when at least one part is printed. The result is the record's
``derived`` part: ``{table: {row: {column: value}}}``, only for cells that are blank in ``tables``.
"""

from __future__ import annotations

from collections.abc import Sequence

from .form import APPEAL_COLUMNS, REQUEST_COLUMNS, RESULT_ROWS

__all__ = ["derive"]

_APPLICANTS = [c for c in REQUEST_COLUMNS if c != "total"]
_PARTS = [c for c in APPEAL_COLUMNS if c != "total"]

Cell = tuple[str, str]  # (row, column) within one table


def _solve(table: dict, total: Cell, parts: Sequence[Cell], out: dict[Cell, int]) -> None:
    """One equation total = sum(parts): fill what it determines among blank (None) cells into ``out``."""
    def get(cell: Cell):
        row = table.get(cell[0])
        return row.get(cell[1], "absent") if row is not None else "absent"

    t = get(total)
    values = [get(p) for p in parts]
    if t == "absent" or "absent" in values:
        return  # a row or cell the reading did not find: nothing is known about it
    printed = [v for v in values if v is not None]
    if not isinstance(t, (int, float)) and t is not None:
        return
    if t is None:
        if printed and total not in out:
            out[total] = sum(printed)
    elif printed and sum(printed) == t or not printed and t == 0:
        for p, v in zip(parts, values, strict=True):
            if v is None:
                out.setdefault(p, 0)


def _nest(cells: dict[Cell, int]) -> dict:
    out: dict = {}
    for (row, col), v in cells.items():
        out.setdefault(row, {})[col] = v
    return out


def _has_blank(table: dict) -> bool:
    return any(v is None for cols in table.values() for v in cols.values())


def derive(tables: dict) -> dict:
    """The derived values of the blank cells of ``tables`` (a record's tables part), by table."""
    out: dict = {}
    req = tables.get("requests") or {}
    if req and _has_blank(req):  # every value derived is a blank's: a table without one has none
        cells: dict[Cell, int] = {}
        rows = [r for r in RESULT_ROWS if r in req]
        for row in req:  # R3: each row's 总计
            _solve(req, (row, "total"), [(row, c) for c in _APPLICANTS], cells)
        if "total_processed" in req and rows:  # R2: each column's （七）总计
            for col in REQUEST_COLUMNS:
                _solve(req, ("total_processed", col), [(r, col) for r in rows], cells)
        if cells:
            out["requests"] = _nest(cells)
    app = tables.get("appeals") or {}
    if app and _has_blank(app):
        cells = {}
        for group in app:  # R4
            _solve(app, (group, "total"), [(group, c) for c in _PARTS], cells)
        if cells:
            out["appeals"] = _nest(cells)
    return out
