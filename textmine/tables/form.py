"""Table keys, label matching and cell numbers: what every reading of tables 2–4 shares."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ..findings import finding
from ..resources import load_yaml
from ..textutil import CJK, to_halfwidth

if TYPE_CHECKING:  # pragma: no cover
    pass

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

_NUMBER = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", re.ASCII)
# A count or amount a frame can hold (pandas Int64): a longer number is not a value but a finding
# ("out of range"), made where the table is assembled. The value OUT_OF_RANGE stands in for it until then,
# so no int() ever runs on a cell of thousands of digits (Python refuses over 4,300).
INT64_MAX = 2**63 - 1
OUT_OF_RANGE = INT64_MAX + 1
_UNIT = re.compile(r"(?:万元|元|件|个|项|条|次)$")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit (Unicode category Nd) other than 0-9


@lru_cache(maxsize=1)
def _empty_cells() -> frozenset[str]:
    return frozenset(_labels()["empty_cells"])


def parse_number(text: str | None) -> int | float | None:
    """The number in a cell: ``int`` when whole, else ``float``; 0 when empty-like; ``None`` for text.
    (Layout code uses this: a blank is a cell. The value a record keeps is :func:`cell_value`'s.)"""
    return _parse_number(text or "")


@lru_cache(maxsize=1 << 16)  # cells repeat a lot ("0", "", labels): parse each distinct string once
def _parse_number(text: str) -> int | float | None:
    s = _SPACE.sub("", to_halfwidth(text)).replace("，", ",")
    if not s.isascii() and _OTHER_DIGIT.search(s):  # Arabic-Indic and other decimal digits as the digits they are
        s = "".join(str(unicodedata.digit(c)) if unicodedata.category(c) == "Nd" else c for c in s)
    if s in _empty_cells():
        return 0
    s = _UNIT.sub("", s)
    if not _NUMBER.fullmatch(s):
        return None
    s = s.replace(",", "")
    if len(s.split(".")[0].lstrip("+-").lstrip("0")) > 19:
        return OUT_OF_RANGE
    value = float(s) if "." in s else int(s)
    return OUT_OF_RANGE if abs(value) > INT64_MAX else value


def cell_value(text: str | None) -> int | float | None:
    """The value of a table cell: ``None`` for a printed blank (nothing but spaces: missing, never 0),
    else :func:`parse_number` (a printed mark of none, "/" "—" "无", is 0)."""
    if text is None or text.strip() in ("", "空"):
        return None
    return parse_number(text)


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
    # Each table parser reads the section and then the whole document: the same lines, many times.
    segs = _segments_of(line) if len(line) <= 2000 else _split_segments(line)
    return [(text, list(run)) for text, run in segs]


@lru_cache(maxsize=2048)
def _segments_of(line: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((text, tuple(run)) for text, run in _split_segments(line))


def _split_segments(line: str) -> list[tuple[str, list[str]]]:
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
    """Length of the longest common subsequence (bit-parallel, Hyyrö 2004). :func:`_match` runs the
    same step on all variants at once (:class:`_Packed`); this is the one-variant form it is tested by."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    _add_masks(masks, b, 0)
    return len(b) - _lcs_bits(a, masks, (1 << len(b)) - 1).bit_count()


def _add_masks(masks: dict[str, int], b: str, offset: int) -> None:
    """Per character of ``b``, the bits of its positions (from ``offset``) added to ``masks``."""
    for i, ch in enumerate(b):
        masks[ch] = masks.get(ch, 0) | (1 << (offset + i))


def _lcs_bits(a: str, masks: dict[str, int], full: int) -> int:
    """The bit vector after walking ``a``: each variant's LCS is its length minus its set bits."""
    v = full
    for ch in a:
        u = masks.get(ch)
        if u is not None:
            u &= v
            v = ((v + u) | (v - u)) & full
    return v


@dataclass(frozen=True)
class _Packed:
    """Every label variant of a table side by side in one bit vector, a zero guard bit after each: the
    bit-parallel LCS of one label against all of them is one pass over the label. (v + u carries out of a
    variant only into its guard bit, which ``full`` clears; v - u borrows nothing, u being a subset of v.)"""

    masks: dict[str, int]
    full: int
    spans: tuple[tuple[int, int], ...]  # (offset, length) of each variant, in row and label order
    rows: tuple[tuple[str, int, int], ...]  # (row key, first variant, end) into spans
    foreign: re.Pattern  # the characters no variant has


@lru_cache(maxsize=8)
def _packed(table: str) -> _Packed:
    masks: dict[str, int] = {}
    spans, rows, off = [], [], 0
    for row in _labels()[table]["rows"]:
        first = len(spans)
        for v in row["labels"]:
            b = norm_label(v)
            _add_masks(masks, b, off)
            spans.append((off, len(b)))
            off += len(b) + 1
        rows.append((row["key"], first, len(spans)))
    full = sum(((1 << n) - 1) << o for o, n in spans)
    foreign = re.compile("[^" + "".join(re.escape(ch) for ch in sorted(masks)) + "]+")
    return _Packed(masks, full, tuple(spans), tuple(rows), foreign)


def _score(label: str, variant: str) -> float:
    """F2 of the common subsequence: covering the known label matters more than extra characters."""
    return _f2(_lcs(label, variant), len(label), len(variant))


def _f2(common: int, n_label: int, n_variant: int) -> float:
    if not common:
        return 0.0
    p, r = common / n_label, common / n_variant
    return 5 * p * r / (4 * p + r)


@lru_cache(maxsize=8192)
def _match(table: str, label: str) -> tuple[tuple[str, float], ...]:
    """Row keys of ``table`` ranked by how well the (normalised) label fits them, best first: the best
    :func:`_score` over each row's label variants."""
    if not label:
        return ()
    pk = _packed(table)
    # Characters no variant has leave v as it is: in the long lines of crawled text tried as labels they
    # are dropped first, in C (a short label is quicker to walk as it is).
    v = _lcs_bits(pk.foreign.sub("", label) if len(label) > 64 else label, pk.masks, pk.full)
    commons = [n - ((v >> o) & ((1 << n) - 1)).bit_count() for o, n in pk.spans]
    scored = []
    for key, first, end in pk.rows:
        best = max(_f2(commons[i], len(label), pk.spans[i][1]) for i in range(first, end))
        if best > 0:
            scored.append((key, round(best, 4)))
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


