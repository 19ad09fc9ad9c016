"""The standard tables of the annual report (tables 2–4 of the form) read as numbers.

``parse_tables`` takes the blocks of each section and returns the ``tables`` part of the JSON record
(interface.md): ``proactive`` (table 2), ``requests`` (table 3, 25 rows × 7 columns) and ``appeals``
(table 4, three groups of five). Keys are those of standard-form.md; the label variants that map onto
them live in ``data/table_labels.yaml``.

How rows are found. Every rendering (Word text, HTML/DOCX grids, pdfplumber tables, PDF text lines,
Markdown pipe tables) is reduced to a stream of items: a label and, when the item carries numbers, its
value cells. Labels are matched to row keys fuzzily (longest common subsequence, weighted towards
covering the known label, so a label with a stray vertical-label character or a lost word still
matches). Rows whose label matches one key clearly and in form order are *anchors*. Rows without a
readable label (PDF text puts the numbers of a wrapped label on a line of their own; Markdown made
from PDFs detaches labels) are placed by row order only: between two anchors, if the number of such
rows equals the number of form rows missing there, they fill those rows in order; otherwise labels
seen nearby decide, and a row that still cannot be placed is reported as a finding, never guessed.

Cells: empty, "/", "—", "-" mean 0; full-width digits, thousands separators and stray spaces are
handled. Counts are ``int``; money is ``float``.

Variants handled:
- table 3 with a legal-person subtotal column (8 numbers a row): the subtotal is dropped;
- table 3 of the 2019 form with a single （六）其他处理 row: read into ``other_other``; the two other
  ``other_*`` rows are then absent (the form did not have them), not zero;
- table 4 squashed into one line or row of 15 numbers, or split into runs of 5 and 10;
- table 2 of the 2019 form. Row keys: ``rules``, ``normative_documents``, ``licensing``, ``penalty``,
  ``coercion``, ``administrative_fees`` as in 2021, plus ``other_management_services``
  (其他对外管理服务事项) and ``government_procurement`` (第二十条第（九）项 政府集中采购). Field keys:
  本年新制作数量 → ``issued`` (same meaning as 本年制发件数), 本年新公开数量 → ``published``,
  对外公开总数量 → ``total_published``, 上一年项目数量 → ``items_previous_year``,
  本年增/减 → ``items_change``, 处理决定数量 → ``decisions``, 采购项目数量 → ``items``,
  采购总金额 → ``amount_10k_yuan`` (converted from 元 when the cell or header says 元).

Findings (``TablesResult.findings``) use rule ``"table"`` and severity ``"warning"``: a table that is
present but could not be read in full (a row without a place, a row with the wrong number of cells).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from .document import Block, Table
from .findings import finding
from .resources import load_yaml
from .textutil import CJK, to_halfwidth

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TablesResult", "parse_tables", "parse_number", "tables_frame", "REQUEST_ROWS", "REQUEST_COLUMNS",
           "APPEAL_GROUPS", "APPEAL_COLUMNS", "RESULT_ROWS"]

ANCHOR = 0.75  # label score for a row to be placed by its label alone
MARGIN = 0.08  # ... and by this much ahead of the next-best row
HINT = 0.5  # label score for a nearby label to decide where an unlabeled row goes


@lru_cache(maxsize=1)
def _labels() -> dict:
    return load_yaml("table_labels.yaml")


REQUEST_ROWS: list[str] = [r["key"] for r in _labels()["requests"]["rows"]]
REQUEST_COLUMNS: list[str] = [c for c in _labels()["requests"]["columns"] if c != "subtotal"]
# The 22 result rows whose sum is total_processed (rule R2).
RESULT_ROWS: list[str] = REQUEST_ROWS[REQUEST_ROWS.index("granted"): REQUEST_ROWS.index("total_processed")]
APPEAL_GROUPS: list[str] = list(_labels()["appeals"]["groups"])
APPEAL_COLUMNS: list[str] = list(_labels()["appeals"]["columns"])


@dataclass
class TablesResult:
    """The ``tables`` record (only tables that were found) and what could not be read with confidence."""

    tables: dict = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------
# Numbers

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_UNIT = re.compile(r"(?:万元|元|件|个|项|条|次)$")


@lru_cache(maxsize=1)
def _empty_cells() -> frozenset[str]:
    return frozenset(_labels()["empty_cells"])


def parse_number(text: str | None) -> int | float | None:
    """The number in a cell: ``int`` when whole, else ``float``; 0 when empty-like; ``None`` for text."""
    return _parse_number(text or "")


@lru_cache(maxsize=1 << 16)  # cells repeat a lot ("0", "", labels): parse each distinct string once
def _parse_number(text: str) -> int | float | None:
    s = _SPACE.sub("", to_halfwidth(text)).replace("，", ",")
    if s in _empty_cells():
        return 0
    s = _UNIT.sub("", s)
    if not _NUMBER.fullmatch(s):
        return None
    s = s.replace(",", "")
    return float(s) if "." in s else int(s)


def _is_value(cell: str) -> bool:
    return parse_number(cell) is not None


_SPACE = re.compile(r"\s+")


def _has_digit(cell: str) -> bool:
    return any(ch.isdigit() for ch in to_halfwidth(cell))


# Split numbers glued to text in PDF/Markdown text layers ("行政许可97", "情447 7 0").
_COUNT_UNIT = re.compile(r"[件个项条次]$")  # "13件" in a text line is prose, not a table cell
_GLUE_BEFORE = re.compile(r"(?<=[^\d\s.,，+-])(?=\d)")
_GLUE_AFTER = re.compile(r"(?<=\d)(?=[^\d\s.,，%万元件个项条次])")


def _segments(line: str) -> list[tuple[str, list[str]]]:
    """A text line as alternating (text, number run) pieces: [(text_before, run), ..., (tail, [])].

    A run is a maximal sequence of whitespace-separated numeric tokens; dashes count as empty cells
    only inside a run that has a real number.
    """
    s = _GLUE_AFTER.sub(" ", _GLUE_BEFORE.sub(" ", to_halfwidth(line)))
    out: list[tuple[str, list[str]]] = []
    text: list[str] = []
    run: list[str] = []
    for tok in s.split():
        if parse_number(tok) is not None and (run or _has_digit(tok)) and not _COUNT_UNIT.search(tok):
            run.append(tok)
            continue
        if run:
            out.append(("".join(text), _strip_dashes(run)))
            text, run = [], []
        text.append(tok)
    out.append(("".join(text), _strip_dashes(run)))
    return out


def _strip_dashes(run: list[str]) -> list[str]:
    while run and not _has_digit(run[-1]):
        run = run[:-1]
    return run


# ---------------------------------------------------------------------------------------------------------
# Labels

_MARKERS = re.compile(
    r"[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|[一二三四五六七八九十]{1,3}\s*[、.．]|\d{1,2}\s*[、.．](?!\d)"
)
_NON_WORD = re.compile(rf"[^{CJK}A-Za-z]")


@lru_cache(maxsize=4096)
def norm_label(text: str) -> str:
    """A label reduced to its words: no numbering, digits, punctuation or spaces."""
    return _NON_WORD.sub("", _MARKERS.sub("", to_halfwidth(text)))


def _lcs(a: str, b: str) -> int:
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004)."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, ch in enumerate(b):
        masks[ch] = masks.get(ch, 0) | (1 << i)
    full = (1 << len(b)) - 1
    v = full
    for ch in a:
        u = v & masks.get(ch, 0)
        v = ((v + u) | (v - u)) & full
    return len(b) - bin(v).count("1")


def _score(label: str, variant: str) -> float:
    """F2 of the common subsequence: covering the known label matters more than extra characters."""
    common = _lcs(label, variant)
    if not common:
        return 0.0
    p, r = common / len(label), common / len(variant)
    return 5 * p * r / (4 * p + r)


@lru_cache(maxsize=8192)
def _match(table: str, label: str) -> tuple[tuple[str, float], ...]:
    """Row keys of ``table`` ranked by how well the (normalised) label fits them, best first."""
    if not label:
        return ()
    scored = []
    for row in _labels()[table]["rows"]:
        best = max(_score(label, norm_label(v)) for v in row["labels"])
        if best > 0:
            scored.append((row["key"], round(best, 4)))
    scored.sort(key=lambda kv: -kv[1])
    return tuple(scored)


def _confident(ranked: Sequence[tuple[str, float]]) -> str | None:
    if not ranked or ranked[0][1] < ANCHOR:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MARGIN:
        return None
    return ranked[0][0]


def _finding(where: str, message: str, expected=None, found=None) -> dict:
    return finding("table", where, message, expected, found, severity="warning")


# ---------------------------------------------------------------------------------------------------------
# Table 3 (requests)


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
    # All-empty cells are a row of zeros only under a known row label; otherwise a header row.
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


def _request_width(blocks: Sequence[Block]) -> tuple[int, int | None]:
    """Numbers per row (7, or 8 with a legal-person subtotal column) and the subtotal's position."""
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
        return 8, header_sub
    return (8, None) if counts[8] > counts[7] else (7, None)


def _subtotal_position(rows: list[list[int]]) -> int:
    """Where the legal-person subtotal sits (after the five types, or right after 自然人), by arithmetic."""
    after = sum(1 for v in rows if v[6] == sum(v[1:6]))
    before = sum(1 for v in rows if v[1] == sum(v[2:7]))
    return 1 if before > after else 6


def _lis(keys: list[int]) -> list[int]:
    """Indices of a longest strictly increasing subsequence of ``keys``."""
    best: list[list[int]] = []
    for i, k in enumerate(keys):
        cands = [seq for seq in best if keys[seq[-1]] < k]
        seq = (max(cands, key=len) if cands else []) + [i]
        best.append(seq)
    return max(best, key=len) if best else []


def parse_requests(blocks: Sequence[Block]) -> tuple[dict | None, list[dict]]:
    """Table 3 from a run of blocks: ``{row: {column: n}}`` (None when absent) and findings."""
    width, sub_at = _request_width(blocks)
    items = _request_items(blocks, width)
    order = {k: i for i, k in enumerate(REQUEST_ROWS)}
    rows = [it for it in items if it.values is not None]
    ranked = {id(it): _match("requests", norm_label(it.specific)) for it in items}
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
    findings: list[dict] = []
    placed_ids = {id(it) for it in placed.values()}
    floaters = [it for it in rows if id(it) not in placed_ids]
    _place_floaters(floaters, items, placed, ranked, order, findings)
    if len(placed) < 3:
        return None, []

    values: dict[str, list[int]] = {}
    for key, it in placed.items():
        nums = [parse_number(c) for c in it.values]
        if any(isinstance(n, float) and not n.is_integer() for n in nums):
            findings.append(_finding(f"requests.{key}", f"table 3 row {key} holds a non-whole number: "
                                     f"{' '.join(it.values)}", found=" ".join(it.values)))
            continue
        values[key] = [int(n) for n in nums]
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
    for (lo, hi), group in gaps.items():
        free = [k for k in REQUEST_ROWS[lo + 1: hi] if k not in placed]
        lo_name = REQUEST_ROWS[lo] if lo >= 0 else "the start of the table"
        hi_name = REQUEST_ROWS[hi] if hi < len(REQUEST_ROWS) else "the end of the table"
        hints = [_hints(fl, items, value_pos, ranked, free) for fl in group]
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
           free: list[str]) -> dict[str, float]:
    """Label evidence for a floating row: its own label and the label-only lines around it."""
    prev = max((p for p in value_pos if p < fl.pos), default=-1)
    nxt = min((p for p in value_pos if p > fl.pos), default=10**9)
    out: dict[str, float] = {}
    for it in items:
        if it is fl or (it.values is None and prev < it.pos < nxt):
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


def _value_runs(blocks: Sequence[Block]) -> list[tuple[list[str], str]]:
    """Every run of numbers in the blocks, each with the text seen before it (for header checks)."""
    out: list[tuple[list[str], str]] = []
    seen: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                labels = _label_cells(row)
                last = labels[-1] if labels else -1
                seen.extend(row[i] for i in labels)
                cells = _trim(list(row[last + 1:]), N_APPEALS)
                if any(_has_digit(c) for c in cells) and all(_is_value(c) for c in cells):
                    out.append((cells, "".join(seen)))
        else:
            for text, run in _segments(block.text):
                seen.append(text)
                if len(run) >= 2:
                    out.append((run, "".join(seen)))
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
    nums = [parse_number(c) for c in cells]
    if any(isinstance(n, float) and not n.is_integer() for n in nums):
        return None, [_finding("appeals", f"table 4 holds non-whole numbers: {' '.join(cells)}")]
    nums = [int(n) for n in nums]
    k = len(APPEAL_COLUMNS)
    groups = {g: dict(zip(APPEAL_COLUMNS, nums[i * k:(i + 1) * k], strict=True))
              for i, g in enumerate(APPEAL_GROUPS)}
    return groups, []


# ---------------------------------------------------------------------------------------------------------
# Table 2 (proactive)


@lru_cache(maxsize=1)
def _proactive_vocab() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(normalised row label, key) and (normalised field header, key), longest first for substring search."""
    conf = _labels()["proactive"]
    rows = [(norm_label(v), r["key"]) for r in conf["rows"] for v in r["labels"]]
    fields = [(norm_label(v), k) for k, vs in conf["fields"].items() for v in vs]
    return sorted(rows, key=lambda x: -len(x[0])), sorted(fields, key=lambda x: -len(x[0]))


def _find_terms(text: str, vocab: list[tuple[str, str]]) -> list[tuple[int, str, str]]:
    """Non-overlapping occurrences (position, key, raw unit hint) of vocabulary terms in normalised text."""
    taken = [False] * len(text)
    found = []
    for term, key in vocab:
        start = text.find(term)
        while start >= 0:
            if not any(taken[start: start + len(term)]):
                for i in range(start, start + len(term)):
                    taken[i] = True
                found.append((start, key, term))
            start = text.find(term, start + 1)
    return sorted(found)


def _field_keys(cells: Sequence[str]) -> list[str | None]:
    """Field key per header cell (None for a cell that is not a field header)."""
    _, fields = _proactive_vocab()
    out: list[str | None] = []
    for c in cells:
        hit = _find_terms(norm_label(c), fields)
        out.append(hit[0][1] if hit else None)
    return out


def _row_key(label: str) -> str | None:
    norm = norm_label(label)
    rows, _ = _proactive_vocab()
    exact = [k for t, k in rows if t == norm]
    return exact[0] if exact else _confident(_match("proactive", norm))


@dataclass
class _Row2:
    key: str
    fields: list[str | None]  # field per cell; empty when no header applies
    cells: list[str]
    yuan: bool  # the header or cell says 元 (not 万元)


def _grid_rows2(block: Table, header: dict) -> list[_Row2]:
    """Table 2 rows of a grid. ``header`` carries the last header row (by width) across page fragments."""
    out: list[_Row2] = []
    for row in block.rows:
        cells = list(row)
        keys = _field_keys(cells)
        if any(keys) and not any(_has_digit(c) for c in cells):
            fields: list[str | None] = []
            prev = None
            for k, c in zip(keys, cells, strict=True):
                # colspan expansion repeats one header over several columns: read its first column
                fields.append(k if k and (k, c) != prev else None)
                prev = (k, c) if k else None
            yuan = any(re.search(r"(?<!万)元", c) for c in cells)
            header.update(width=len(cells), fields=fields, yuan=yuan)
            continue
        labels = _label_cells(cells)
        key = _row_key("".join(cells[i] for i in labels)) if labels else None
        if key is None:
            continue
        last = labels[-1]
        fields = header.get("fields", []) if header.get("width") == len(cells) else []
        if any(fields[last + 1:]):
            out.append(_Row2(key, fields[last + 1:], cells[last + 1:], header.get("yuan", False)))
        else:
            out.append(_Row2(key, [], [c for c in cells[last + 1:] if c.strip()], False))
    return out


def _text_rows2(text: str, header: dict) -> list[_Row2]:
    """Table 2 rows in a text line: header words set the fields, a row label takes the numbers after it."""
    rows_vocab, fields_vocab = _proactive_vocab()
    out: list[_Row2] = []
    for seg_text, run in _segments(text):
        norm = norm_label(seg_text)
        labels = _find_terms(norm, rows_vocab)
        cut = labels[-1][0] if labels else len(norm)
        heads = [k for at, k, _ in _find_terms(norm[:cut], fields_vocab)]
        if heads:
            header.update(text_fields=heads, yuan=bool(re.search(r"(?<!万)元", seg_text)))
        if not run or not labels:
            continue
        at, key, term = labels[-1]
        if len(norm) - at - len(term) > 1:
            continue  # words between the label and the numbers: running text, not a table row
        fields = header.get("text_fields", [])
        fields = list(fields) if len(fields) == len(run) else []
        out.append(_Row2(key, fields, list(run), header.get("yuan", False)))
    return out


def parse_proactive(blocks: Sequence[Block]) -> tuple[dict | None, list[dict]]:
    """Table 2: ``{row: {field: value}}`` from grid rows and text lines; None when no row is found."""
    conf = _labels()["proactive"]
    stream = "".join(norm_label(b.text) for b in blocks)
    form = "2019" if any(norm_label(w) in stream for w in conf["form_2019_words"]) else "2021"
    defaults = conf[f"default_fields_{form}"]
    header: dict = {}
    rows: list[_Row2] = []
    for block in blocks:
        rows += _grid_rows2(block, header) if isinstance(block, Table) else _text_rows2(block.text, header)
    table: dict[str, dict] = {}
    findings: list[dict] = []
    for r in rows:
        if r.key in table:
            continue
        pairs = [(f, c) for f, c in zip(r.fields, r.cells, strict=False) if f]
        if not pairs and len(defaults.get(r.key, [])) == len(r.cells):
            pairs = list(zip(defaults[r.key], r.cells, strict=True))
        if not pairs:
            findings.append(_finding(f"proactive.{r.key}", f"table 2 row {r.key}: cannot tell which number "
                                     f"is which ({' '.join(r.cells)})", found=" ".join(r.cells)))
            continue
        values: dict[str, int | float] = {}
        for f, c in pairs:
            n = parse_number(c)
            if n is None or f in values:
                continue
            if f in conf["money_fields"]:
                yuan = r.yuan or bool(re.search(r"(?<!万)元", c))
                values[f] = float(n) / 10000 if yuan else float(n)  # the record keeps 万元
            elif isinstance(n, float) and not n.is_integer():
                findings.append(_finding(f"proactive.{r.key}.{f}", f"table 2: {r.key} {f} is not a whole "
                                         f"number: {c}", found=c))
            else:
                values[f] = int(n)
        if values:
            table[r.key] = values
    order = [r["key"] for r in conf["rows"]]
    return ({k: table[k] for k in order if k in table} or None), findings


# ---------------------------------------------------------------------------------------------------------
# All tables of a report

_PARSERS = {"proactive": parse_proactive, "requests": parse_requests, "appeals": parse_appeals}


def parse_tables(blocks_by_section: Mapping[str, Sequence[Block]]) -> TablesResult:
    """Read tables 2–4 from the blocks of each section (heading excluded), keyed by section key.

    Each table is read from its own section. When that section is missing, yields no table or yields it
    with findings, the whole document is read as well and the fuller reading kept: a heading lost or
    misplaced by extraction (a table row taken for a heading) must not lose the table.
    """
    from .flat_tables import improve  # digits glued into runs ("予以公开270020130"): solved by arithmetic

    everything = [b for blocks in blocks_by_section.values() for b in blocks]
    result = TablesResult()
    for key, parser in _PARSERS.items():
        own = list(blocks_by_section.get(key) or [])
        table, findings = parser(own) if own else (None, [])
        if table is None or findings:
            alt, alt_findings = (parse_appeals(everything, need_header=True) if key == "appeals"
                                 else parser(everything))
            if alt is not None and (table is None or
                                    (len(alt), -len(alt_findings)) > (len(table), -len(findings))):
                table, findings = alt, alt_findings
        table, findings = improve(key, own, everything, table, findings)
        if table is not None:
            result.tables[key] = table
        result.findings.extend(findings)
    return result


def tables_frame(records: Iterable[dict]) -> pd.DataFrame:
    """Tidy frame of the tables of many JSON records: doc_id, agency, year, table, row, column, value."""
    import pandas as pd

    out = []
    for rec in records:
        meta = rec.get("meta") or {}
        doc_id = rec.get("doc_id") or rec.get("source")
        for table, rows in (rec.get("tables") or {}).items():
            for row, cols in rows.items():
                for col, value in cols.items():
                    out.append((doc_id, meta.get("agency"), meta.get("year"), table, row, col, value))
    df = pd.DataFrame(out, columns=["doc_id", "agency", "year", "table", "row", "column", "value"])
    df["year"] = df["year"].astype("Int64")
    whole = all(float(v).is_integer() for v in df["value"])
    df["value"] = df["value"].astype("Int64" if whole else "float64")
    return df
