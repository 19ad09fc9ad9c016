"""Small text helpers shared by the loaders and the later stages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = {ord(c): " " for c in "\u00a0\u3000\u2002\u2003\u2009\u202f\t"}
_ODD = re.compile("[" + "".join(map(chr, [*_INVISIBLE, *_SPACES])) + "]")  # translate() only lines with one
_WORD_ARTEFACT = re.compile(r"\[bookmark:[^\]]*\]|\[(?:image|picture)[^\]]*\]", re.I)
CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# One space between a CJK character and a digit/letter is a text-layer artefact ("2024 年").
_CJK_GAP = re.compile(rf"(?<=[{CJK}（）《》“”，。、：；])\s+(?=[0-9A-Za-z%])|(?<=[0-9A-Za-z%])\s+(?=[{CJK}（）《》“”，。、：；])")
_CJK_CJK_GAP = re.compile(rf"(?<=[{CJK}，。、：；）])\s+(?=[{CJK}（《“])")

# Page numbers: "- 3 -", "— 3 —", "第3页", "3/6", bare digits.
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d{1,3}\s*页(?:\s*[/／共]\s*\d{1,3}\s*页?)?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})\s*$")


# Chinese numerals: one parser for heading numbers, enumerators and dates.
CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}


def cn_number(s: str) -> int:
    """A Chinese numeral from 0 to 99 (一, 十, 十二, 二十, 二十三; 元 as in 元月 is 1); 0 when it is none."""
    s = s.strip()
    if s == "元":
        return 1
    if "十" in s:
        a, _, b = s.partition("十")
        if (a and a not in CN_DIGITS) or (b and b not in CN_DIGITS):
            return 0
        return (CN_DIGITS[a] if a else 1) * 10 + (CN_DIGITS[b] if b else 0)
    return CN_DIGITS.get(s, 0) if len(s) == 1 else 0


def cn_digits(s: str) -> int:
    """Digit by digit, as years are written (二〇二四 → 2024)."""
    return int("".join(str(CN_DIGITS[c]) for c in s))


def clean_line(s: str) -> str:
    """Drop invisible characters and Word artefacts; fold odd spaces; strip."""
    if _ODD.search(s):
        s = s.translate(_INVISIBLE).translate(_SPACES)
    if "[" in s:
        s = _WORD_ARTEFACT.sub("", s)
    return s.strip()


_SPACE = re.compile(r"\s")
_NUMERIC_ROW = re.compile(r"(?:\s+[\d０-９.,，/／—–-]+){2,}\s*$")


def tighten(s: str) -> str:
    """Remove layout spaces that PDF and web text layers put between Chinese characters and numbers.

    Lines that end in a run of space-separated numbers are table rows rendered as text: their
    spaces separate cells and are kept.
    """
    if _SPACE.search(s) is None:  # every pattern here needs a space; most paragraphs have none
        return s
    if _NUMERIC_ROW.search(s):
        return s
    s = _CJK_GAP.sub("", s)
    return _CJK_CJK_GAP.sub("", s)


_HALFWIDTH = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)}


_FULLWIDTH = re.compile("[\uff01-\uff5e]")


def to_halfwidth(s: str) -> str:
    """Full-width digits, Latin letters and ASCII punctuation to ASCII (NFKC on those characters only)."""
    # translate() looks every character up in the table; most lines have none of these characters, and
    # the table parsers convert the same lines many times over (9 in 10 calls repeat a line).
    if not _FULLWIDTH.search(s):
        return s
    return _translated(s) if len(s) <= 512 else _fold_fullwidth(s)


@lru_cache(maxsize=4096)
def _translated(s: str) -> str:
    return _fold_fullwidth(s)


def _fold_fullwidth(s: str) -> str:
    """``s.translate(_HALFWIDTH)``. translate() looks a non-ASCII text up character by character (about
    90 ns each); past a hundred characters one numpy pass over the code points is faster. NFKC takes each
    of U+FF01..U+FF5E to the ASCII character 0xFEE0 below it."""
    if len(s) < 128:
        return s.translate(_HALFWIDTH)
    import numpy as np

    codes = np.frombuffer(s.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()
    codes[(codes - np.uint32(0xFF01)) <= np.uint32(0xFF5E - 0xFF01)] -= np.uint32(0xFEE0)
    return codes.tobytes().decode("utf-32-le", "surrogatepass")


# Every way to refer to a group: \1 .. \99, (?P=name), (?(group)yes|no). An escaped backslash before a
# digit also matches: that only turns a shortcut off.
_GROUP_REF = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


def refers_to_groups(pattern: str) -> bool:
    """Whether ``pattern`` may refer to a group by number or name: wrapped in another pattern or put in an
    alternation, it would refer to another group."""
    return _GROUP_REF.search(pattern) is not None


def first_chars(pattern: str) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with, read off its parse tree; None when they are
    not a short known list: a class like ``\\w`` or ``[^…]``, any character, case folding, a group
    reference anywhere, a construct not handled here, or a pattern that matches the empty string."""
    from re import _constants as c
    from re import _parser

    def first(seq: list) -> tuple[set[str], bool]:  # (characters, whether seq can match the empty string)
        out: set[str] = set()
        for op, av in seq:
            if op is c.LITERAL:
                out.add(chr(av))
                return out, False
            if op is c.IN:
                for o, a in av:
                    if o is c.LITERAL:
                        out.add(chr(a))
                    elif o is c.RANGE and a[1] - a[0] < 4096:
                        out.update(map(chr, range(a[0], a[1] + 1)))
                    else:
                        raise ValueError(o)
                return out, False
            if op is c.SUBPATTERN:
                if av[1] or av[2]:  # local flags
                    raise ValueError(op)
                chars, empty = first(av[3])
            elif op is c.BRANCH:
                parts = [first(alt) for alt in av[1]]
                chars, empty = set().union(*(p for p, _ in parts)), any(e for _, e in parts)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT):
                chars, empty = first(av[2])
                empty = empty or av[0] == 0
            elif op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # zero width: the first character comes after it
                continue
            else:
                raise ValueError(op)
            out |= chars
            if not empty:
                return out, False
        return out, True

    if refers_to_groups(pattern):  # the wrapper in skipping renumbers groups
        return None
    try:
        tree = _parser.parse(pattern)
        if tree.state.flags & (re.IGNORECASE | re.VERBOSE):
            return None
        chars, empty = first(list(tree))
    except (ValueError, re.error, RecursionError):
        return None
    return None if empty or not chars or len(chars) > 512 else frozenset(chars)


@lru_cache(maxsize=512)  # patterns of the rules (codebook cues, section titles), not of the input
def skipping(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` tried only at the characters it can start with: ``[F](?<=(?=(pattern))[\\s\\S])``,
    its match in group 1. ``search`` finds the same leftmost match as ``re.search(pattern, …)``.

    An alternation of groups gives the regex engine nothing to skip ahead with, so it tries every
    position; a leading character class does, and the fixed-width lookbehind steps back onto that
    character for the lookahead to match ``pattern`` there. None when :func:`first_chars` is None.
    """
    chars = first_chars(pattern)
    if chars is None:
        return None
    try:
        return re.compile("[" + "".join(map(re.escape, sorted(chars))) + "](?<=(?=(" + pattern + "))[\\s\\S])")
    except re.error:  # global flags inside, and the like
        return None


def searcher(pattern: str) -> tuple[re.Pattern[str], int]:
    """The fastest regex that searches like ``pattern``, and the group that holds its match:
    :func:`skipping`'s (group 1) when there is one, else ``pattern`` compiled (group 0)."""
    fast = skipping(pattern)
    return (fast, 1) if fast is not None else (re.compile(pattern), 0)


def is_page_number(s: str) -> bool:
    return bool(PAGE_NUMBER.match(s))


class _ExtraWidth(dict):
    """Character -> 1 for wide (East Asian W/F) characters, else 0; looked up once per character."""

    def __missing__(self, c: str) -> int:
        w = self[c] = 1 if _is_wide(c) else 0
        return w


def _is_wide(c: str) -> bool:
    """East Asian wide or full-width: two columns (the one definition both width functions use)."""
    return unicodedata.east_asian_width(c) in "WF"


_EXTRA_WIDTH = _ExtraWidth()


def display_width(s: str) -> int:
    """Width in half-width columns: CJK and full-width characters count two."""
    return len(s) if s.isascii() else len(s) + sum(map(_EXTRA_WIDTH.__getitem__, s))


@lru_cache(maxsize=1)
def _wide_bmp():
    """1 for each code point of the Basic Multilingual Plane that is wide (East Asian W/F), else 0 (~10 ms)."""
    import numpy as np

    return np.fromiter(map(_is_wide, map(chr, range(0x10000))), dtype=np.uint8, count=0x10000)


def display_widths(lines: Sequence[str]) -> list[int]:
    """:func:`display_width` of each line, in one vectorised pass over all of them (the loaders measure
    every line of a report, a per-character look-up in Python was a fiftieth of the parse)."""
    joined = "".join(lines)
    if joined.isascii():
        return [len(x) for x in lines]
    import numpy as np

    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    bmp = codes < 0x10000
    extra = _wide_bmp()[np.where(bmp, codes, 0)].astype(np.int64)
    for i in np.flatnonzero(~bmp):  # beyond the BMP (emoji, rare ideographs): one at a time
        extra[i] = _EXTRA_WIDTH[chr(codes[i])]
    lens = np.fromiter(map(len, lines), dtype=np.int64, count=len(lines))
    ends = np.cumsum(lens)
    before = np.concatenate(([0], np.cumsum(extra)))
    return (lens + before[ends] - before[ends - lens]).tolist()


def cjk_ratio(s: str) -> float:
    if not s:
        return 0.0
    return len(re.findall(f"[{CJK}]", s)) / len(s)


SENTENCE_END = "。！？；!?;：:）)”」"
# A line that starts a new paragraph: heading numbers and enumeration markers.
PARA_START = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d{1,2}\s*[、.．](?!\d)"
    r"|[一二三四五六七八九十]是|第[一二三四五六七八九十]+[，、,]|首先|其次|最后)"
)


_SENTENCE_END = ("。", "！", "？", "；", "!", "?")


def wrap_width(lines: list[str]) -> int | None:
    """The common full-line width of hard-wrapped text, or None when lines are not hard-wrapped.

    One paragraph per line (Word exports) has no common line width; text layers of PDFs do.
    """
    widths = display_widths(lines)
    long = sorted(w for w in widths if w >= 20)
    if len(long) < 3:
        return None
    full = long[int(len(long) * 0.9) - 1]
    near = [x for x, w in zip(lines, widths) if w >= max(20, full - 4)]
    if full > 130 or len(near) < max(5, 0.3 * len(long)):
        return None
    # A wrapped line breaks mid-sentence; lines of similar width that mostly end a sentence are
    # whole paragraphs of a short document, not a hard wrap.
    if sum(1 for x in near if x.rstrip().endswith(_SENTENCE_END)) > 0.6 * len(near):
        return None
    return full


def rejoin_wrapped(lines: list[str], full_width: int | None) -> list[str]:
    """Join hard-wrapped lines of running text (text layers of PDFs, Markdown made from PDFs).

    A line continues on the next one when it fills the line (its width is within a few columns of
    ``full_width``) and the next line does not open a heading or enumeration.
    """
    if not full_width:
        return list(lines)
    out: list[str] = []
    joinable = False
    for line, w in zip(lines, display_widths(lines), strict=True):
        if out and joinable and not PARA_START.match(line):
            out[-1] = out[-1] + line
        else:
            out.append(line)
        joinable = w >= min(full_width - 4, 0.85 * full_width) and w >= 20
    return out
