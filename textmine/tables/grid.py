"""Tables 3 and 4 from any rendering: rows as label + value items, placed by label and form order."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import Block, Table
from .form import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    HINT,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    _confident,
    _finding,
    _has_digit,
    _is_value,
    _labels,
    _match,
    _segments,
    cell_value,
    norm_label,
)

if TYPE_CHECKING:  # pragma: no cover
    pass


@dataclass
class _Item:
    """One row of a grid or one text line, reduced to label text and (maybe) value cells."""

    label: str  # all label text of the row
    specific: str  # the most specific label cell (grids: the last one), or the label
    values: list[str] | None
    pos: int
    count: int = 0  # numbers seen when ``values`` is None (to report rows of the wrong width)


def _label_cells(row: Sequence[str]) -> list[int]:
    return [i for i, c in enumerate(row) if c.strip() and not _is_value(c)]


def _trim(cells: list[str], width: int) -> list[str]:
    """Drop padding beyond ``width``: empty cells at the end first, then at the start."""
    cells = list(cells)
    while len(cells) > width and not cells[-1].strip():
        cells.pop()
    while len(cells) > width and not cells[0].strip():
        cells.pop(0)
    return cells


def _header_span(table: Table, width: int) -> tuple[int, int] | None:
    """Grid columns of the values, from the header cells 自然人 … 总计, when they line up with the data."""
    for row in table.rows[:6]:
        norm = [norm_label(c) for c in row]
        if "自然人" in norm and "总计" in norm:
            start = norm.index("自然人")
            end = len(norm) - 1 - norm[::-1].index("总计")
            if end - start + 1 == width:
                return start, end + 1
    return None


def _request_items(blocks: Sequence[Block], width: int) -> list[_Item]:
    items: list[_Item] = []
    span: tuple[int, int] | None = None
    span_cols = -1
    for block in blocks:
        if isinstance(block, Table):
            found = _header_span(block, width)
            if found:
                span, span_cols = found, block.n_cols
            elif block.n_cols != span_cols:
                span = None  # a page fragment inherits the header of the fragment before it
            for row in block.rows:
                items.append(_grid_item(list(row), width, span, len(items)))
        else:
            items.extend(_text_items(block.text, width, len(items)))
    return [it for it in items if it.label or it.values]


def _grid_item(row: list[str], width: int, span: tuple[int, int] | None, pos: int) -> _Item:
    labels = _label_cells(row)
    last = labels[-1] if labels else -1
    label = "".join(row[i] for i in labels)
    specific = row[last] if labels else ""
    if span and last < span[0]:
        cells = row[span[0]: span[1]]
    else:
        cells = _trim(row[last + 1:], width)
    # All-empty cells are a row (of blanks: None, missing) only under a known row label; otherwise a header row.
    if len(cells) == width and all(_is_value(c) for c in cells) and (
            any(_has_digit(c) for c in cells) or _confident(_match("requests", norm_label(specific)))):
        return _Item(label, specific, cells, pos)
    return _Item(label, specific, None, pos, count=sum(1 for c in row if _has_digit(c) and _is_value(c)))


def _text_items(text: str, width: int, pos: int) -> list[_Item]:
    """Rows in a text line. A run of ``width`` numbers is a row labelled by the text before it (or, when
    nothing precedes it, by the text after it); text after the last row is a label of its own. Rejoined
    PDF lines can hold two rows."""
    segs = _segments(text)
    rows = [i for i, (_, run) in enumerate(segs) if len(run) == width]
    if not rows:
        longest = max((len(run) for _, run in segs), default=0)
        return [_Item(text, text, None, pos, count=longest if longest >= 2 else 0)]
    items: list[_Item] = []
    start = 0  # first segment whose text is not yet used as a label
    for n, i in enumerate(rows):
        label = "".join(t for t, _ in segs[start: i + 1])
        if not norm_label(label) and n == len(rows) - 1:
            label = "".join(t for t, _ in segs[i + 1:])
            start = len(segs)
        else:
            start = i + 1
        items.append(_Item(label, label, list(segs[i][1]), pos + len(items)))
    tail = "".join(t for t, _ in segs[start:])
    if norm_label(tail):
        items.append(_Item(tail, tail, None, pos + len(items)))
    return items


def _request_width(blocks: Sequence[Block]) -> tuple[int, int | None, dict[int, int]]:
    """Numbers per row (7, or 8 with a legal-person subtotal column), the subtotal's position, and how
    many rows (grid rows, runs in text lines) hold 7 and 8 numbers."""
    header_sub = None
    counts = {7: 0, 8: 0}
    for block in blocks:
        rows = block.rows if isinstance(block, Table) else [(block.text,)]
        for row in rows:
            norm = [norm_label(c) for c in row]
            if any("小计" in n for n in norm):
                joined = "".join(norm)
                sub_at = joined.index("小计")
                other_at = joined.find("商业企业")
                header_sub = 1 if 0 <= sub_at < other_at else 6
            if isinstance(block, Table):
                last = (_label_cells(row) or [-1])[-1]
                cells = _trim(list(row[last + 1:]), 0)
                if len(cells) in counts and all(_is_value(c) for c in cells):
                    counts[len(cells)] += 1
            else:
                for _, run in _segments(row[0]):
                    if len(run) in counts:
                        counts[len(run)] += 1
    if header_sub is not None:
        return 8, header_sub, counts
    return (8, None, counts) if counts[8] > counts[7] else (7, None, counts)


def _subtotal_position(rows: list[list[int | None]]) -> int:
    """Where the legal-person subtotal sits (after the five types, or right after 自然人), by arithmetic."""
    rows = [[n or 0 for n in v] for v in rows]  # only to place the column: no value is kept from this
    after = sum(1 for v in rows if v[6] == sum(v[1:6]))
    before = sum(1 for v in rows if v[1] == sum(v[2:7]))
    return 1 if before > after else 6


def _lis(keys: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``keys``: of the longest, the one that
    ends first, each element preceded by the earliest element that gives it its length. O(n log n):
    a table of thousands of labelled rows must not take minutes (patience sorting, one pile per length;
    a pile keeps its indices and the running minimum of their keys, both in index order)."""
    piles: list[tuple[list[int], list[int]]] = []  # per length: (indices, prefix minimum of their keys)
    tails: list[int] = []  # the smallest key ending a subsequence of each length: strictly increasing
    pred: list[int] = []
    for i, k in enumerate(keys):
        n = bisect.bisect_left(tails, k)  # lengths 1..n have an end below k
        if n:
            idx, mins = piles[n - 1]
            # the earliest index of pile n whose key is below k: the first place the prefix minimum is
            lo, hi = 0, len(mins)
            while lo < hi:
                mid = (lo + hi) // 2
                if mins[mid] < k:
                    hi = mid
                else:
                    lo = mid + 1
            pred.append(idx[lo])
        else:
            pred.append(-1)
        if n == len(piles):
            piles.append(([], []))
            tails.append(k)
        idx, mins = piles[n]
        idx.append(i)
        mins.append(min(k, mins[-1]) if mins else k)
        tails[n] = mins[-1]
    if not piles:
        return []
    out, i = [], piles[-1][0][0]
    while i >= 0:
        out.append(i)
        i = pred[i]
    return out[::-1]


def parse_requests(blocks: Sequence[Block]) -> tuple[dict | None, list[dict]]:
    """Table 3 from a run of blocks: ``{row: {column: n}}`` (None when absent) and findings."""
    width, sub_at, counts = _request_width(blocks)
    if counts[width] < 2 and not any(isinstance(b, Table) for b in blocks):
        return None, []  # a text line's runs of ``width`` numbers are its only rows: fewer than two, see below
    items = _request_items(blocks, width)
    order = {k: i for i, k in enumerate(REQUEST_ROWS)}
    rows = [it for it in items if it.values is not None]
    if len(rows) < 2:  # no two rows of numbers, no two anchors: no table (before matching every label)
        return None, []
    ranked = {id(it): _match("requests", norm_label(it.specific)) for it in rows}
    for it in rows:  # a generic last cell ("（六）其他处理" over an empty sub-label) → try the whole label
        if _confident(ranked[id(it)]) is None and it.label != it.specific:
            ranked[id(it)] = _match("requests", norm_label(it.label))
    anchors = [it for it in rows if _confident(ranked[id(it)])]
    keep = _lis([order[_confident(ranked[id(it)])] for it in anchors])
    placed: dict[str, _Item] = {}
    for i in keep:
        placed[_confident(ranked[id(anchors[i])])] = anchors[i]
    if len(placed) < 2:
        return None, []
    # The labels of the other lines place floaters and name rows of the wrong width.
    ranked.update((id(it), _match("requests", norm_label(it.specific))) for it in items if it.values is None)
    findings: list[dict] = []
    placed_ids = {id(it) for it in placed.values()}
    floaters = [it for it in rows if id(it) not in placed_ids]
    _place_floaters(floaters, items, placed, ranked, order, findings)
    if len(placed) < 3:
        return None, []

    values: dict[str, list[int | None]] = {}
    for key, it in placed.items():
        nums = [cell_value(c) for c in it.values]  # a printed blank stays None: missing, not 0
        if any(isinstance(n, float) and not n.is_integer() for n in nums):
            findings.append(_finding(f"requests.{key}", f"table 3 row {key} holds a non-whole number: "
                                     f"{' '.join(it.values)}", found=" ".join(it.values)))
            continue
        values[key] = [None if n is None else int(n) for n in nums]
    if width == 8:
        pos = sub_at if sub_at is not None else _subtotal_position(list(values.values()))
        values = {k: v[:pos] + v[pos + 1:] for k, v in values.items()}
    table = {k: dict(zip(REQUEST_COLUMNS, values[k], strict=True)) for k in REQUEST_ROWS if k in values}

    for it in items:  # a labelled row whose numbers did not fit the table's width
        key = _confident(ranked[id(it)]) if it.values is None else None
        if key and key not in table and it.count >= 2:
            findings.append(_finding(f"requests.{key}", f"table 3 row {key} has {it.count} numbers, expected "
                                     f"{width}; row not read", expected=width, found=it.count))
    single_other = "other_other" in table and not {"other_no_correction", "other_unpaid_fee"} & table.keys()
    for key in REQUEST_ROWS:
        if key in table or (single_other and key in ("other_no_correction", "other_unpaid_fee")):
            continue
        if not any(f["where"] == f"requests.{key}" for f in findings):
            findings.append(_finding(f"requests.{key}", f"table 3 row {key} not found"))
    return table, findings


def _place_floaters(floaters: list[_Item], items: list[_Item], placed: dict[str, _Item],
                    ranked: dict[int, tuple], order: dict[str, int], findings: list[dict]) -> None:
    """Give rows without a confident label the form rows left free between their anchors."""
    if not floaters:
        return
    anchor_pos = sorted((it.pos, order[k]) for k, it in placed.items())
    gaps: dict[tuple[int, int], list[_Item]] = {}
    for fl in floaters:
        lo = max((o for p, o in anchor_pos if p < fl.pos), default=-1)
        hi = min((o for p, o in anchor_pos if p > fl.pos), default=len(REQUEST_ROWS))
        gaps.setdefault((lo, hi), []).append(fl)
    value_pos = sorted(it.pos for it in items if it.values is not None)
    item_pos = [it.pos for it in items]  # items come in position order
    for (lo, hi), group in gaps.items():
        free = [k for k in REQUEST_ROWS[lo + 1: hi] if k not in placed]
        lo_name = REQUEST_ROWS[lo] if lo >= 0 else "the start of the table"
        hi_name = REQUEST_ROWS[hi] if hi < len(REQUEST_ROWS) else "the end of the table"
        hints = [_hints(fl, items, value_pos, ranked, free, item_pos) for fl in group]
        strong = [_confident(ranked[id(fl)]) for fl in group]
        if len(group) == len(free) and all(s is None or s == k for s, k in zip(strong, free, strict=True)):
            assignment = list(free)
        else:
            assignment = _by_hints(hints, free)
        if assignment is None:
            for fl in group:
                findings.append(_finding(
                    "requests.unplaced_row",
                    f"table 3: a row of numbers ({' '.join(fl.values)}) between {lo_name} and {hi_name} has "
                    f"no readable label and {len(free)} free row(s) for {len(group)} such row(s); not placed",
                    expected=len(free), found=" ".join(fl.values)))
            continue
        for fl, key in zip(group, assignment, strict=True):
            placed[key] = fl


def _hints(fl: _Item, items: list[_Item], value_pos: list[int], ranked: dict[int, tuple],
           free: list[str], item_pos: list[int] | None = None) -> dict[str, float]:
    """Label evidence for a floating row: its own label and the label-only lines around it (found by
    bisection: one floater of thousands must not scan every row)."""
    at = bisect.bisect_left(value_pos, fl.pos)
    prev = value_pos[at - 1] if at else -1
    after = bisect.bisect_right(value_pos, fl.pos)
    nxt = value_pos[after] if after < len(value_pos) else 10**9
    item_pos = item_pos if item_pos is not None else [it.pos for it in items]
    near = items[bisect.bisect_right(item_pos, prev): bisect.bisect_left(item_pos, nxt)]
    out: dict[str, float] = {}
    for it in [fl, *(it for it in near if it is not fl)]:
        if it is fl or it.values is None:
            for key, score in ranked[id(it)]:
                if key in free:
                    out[key] = max(out.get(key, 0.0), score)
    return out


def _by_hints(hints: list[dict[str, float]], free: list[str]) -> list[str] | None:
    """Order-preserving assignment of rows to free keys with the most label support; None when unsure."""
    n, m = len(hints), len(free)
    if n > m:
        return None
    # best[i][j]: best support placing rows i.. into keys j..
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            take = hints[i].get(free[j], 0.0) + best[i + 1][j + 1] if m - j >= n - i else float("-inf")
            skip = best[i][j + 1] if m - j - 1 >= n - i else float("-inf")
            best[i][j] = max(take, skip)
    out: list[str] = []
    j = 0
    for i in range(n):
        while j < m and not (m - j >= n - i and
                             abs(hints[i].get(free[j], 0.0) + best[i + 1][j + 1] - best[i][j]) < 1e-9):
            j += 1
        if j >= m or hints[i].get(free[j], 0.0) < HINT:
            return None
        out.append(free[j])
        j += 1
    return out


# ---------------------------------------------------------------------------------------------------------
# Table 4 (appeals)

N_APPEALS = len(APPEAL_GROUPS) * len(APPEAL_COLUMNS)


# How much of the text before a run of numbers _value_runs keeps: parse_appeals looks at its last 200
# characters for table 4's header words; joining all of it for every run was quadratic.
_SEEN_TAIL = 1000


def _value_runs(blocks: Sequence[Block]) -> list[tuple[list[str], str]]:
    """Every run of numbers in the blocks, each with the end of the text seen before it (header checks)."""
    out: list[tuple[list[str], str]] = []
    seen = ""
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                labels = _label_cells(row)
                last = labels[-1] if labels else -1
                seen = (seen + "".join(row[i] for i in labels))[-_SEEN_TAIL:]
                cells = _trim(list(row[last + 1:]), N_APPEALS)
                if any(_has_digit(c) for c in cells) and all(_is_value(c) for c in cells):
                    out.append((cells, seen))
        else:
            for text, run in _segments(block.text):
                seen = (seen + text)[-_SEEN_TAIL:]
                if len(run) >= 2:
                    out.append((run, seen))
    return out


def parse_appeals(blocks: Sequence[Block], need_header: bool = False) -> tuple[dict | None, list[dict]]:
    """Table 4: the first run of 15 numbers (or consecutive runs adding up to 15)."""
    words = _labels()["appeals"]["header_words"]
    runs = _value_runs(blocks)
    if need_header:
        runs = [(r, seen) for r, seen in runs if any(w in norm_label(seen[-200:]) for w in words)]
    cells = next((r for r, _ in runs if len(r) == N_APPEALS), None)
    if cells is None:
        for i in range(len(runs)):
            acc: list[str] = []
            for r, _ in runs[i:]:
                if len(r) % 5:
                    break
                acc += r
                if len(acc) >= N_APPEALS:
                    break
            if len(acc) == N_APPEALS:
                cells = acc
                break
    if cells is None:
        counts = [len(r) for r, _ in runs if len(r) >= 2]
        if counts and not need_header:
            return None, [_finding("appeals", f"table 4: found runs of {counts} numbers where one run of "
                                   f"{N_APPEALS} was expected; table not read", expected=N_APPEALS,
                                   found=counts[0])]
        return None, []
    nums = [cell_value(c) for c in cells]  # a printed blank stays None
    if any(isinstance(n, float) and not n.is_integer() for n in nums):
        return None, [_finding("appeals", f"table 4 holds non-whole numbers: {' '.join(cells)}")]
    nums = [None if n is None else int(n) for n in nums]
    k = len(APPEAL_COLUMNS)
    groups = {g: dict(zip(APPEAL_COLUMNS, nums[i * k:(i + 1) * k], strict=True))
              for i, g in enumerate(APPEAL_GROUPS)}
    return groups, []


# ---------------------------------------------------------------------------------------------------------
# Table 2 (proactive)


