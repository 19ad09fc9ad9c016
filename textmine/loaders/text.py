"""Plain text: encoding detection and the flattened table layout of Word-to-text exports."""

from __future__ import annotations

import codecs
import re

from ..document import Block, Document, Paragraph, make_table
from ..errors import TextmineError
from ..textutil import PARA_START, cjk_ratio, clean_line, is_page_number, rejoin_wrapped, tighten, wrap_width
from .crawl import header_meta, split_header, strip_chrome

_BOMS = [
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode(data: bytes, path: str | None = None) -> str:
    """Decode report bytes: BOMs, UTF-16 without BOM, UTF-8, then GB18030 (a superset of GBK/GB2312)."""
    if not data.strip():
        raise TextmineError("empty file", path)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace")
    # UTF-16 without a BOM: Chinese text has NUL in neither half, ASCII has NUL in one of them.
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(0) > len(sample) // 8:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        enc = "utf-16-le" if odd >= even else "utf-16-be"
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            pass
    if b"\x00" in sample:
        raise TextmineError("binary data, not a text report", path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and cjk_ratio(text) > 0.05:
        return text
    for enc in ("big5",):
        try:
            alt = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if cjk_ratio(alt) > 0.05:
            return alt
    raise TextmineError("cannot decode the text (not UTF-8, UTF-16 or GB18030)", path)


def _is_cell(line: str) -> bool:
    return line.startswith("\t")


def parse_text(text: str, source: str | None = None, fmt: str = "text") -> Document:
    """Split text into paragraph blocks and the tab-led flattened tables of Word exports."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    extra: dict[str, str] = {}
    dump = split_header(text)
    if dump is not None:  # a crawler dump: header fields are page facts, the body loses its site chrome
        fields, body = dump
        extra = header_meta(fields)
        text = strip_chrome(body)
    lines = []
    for line in text.split("\n"):
        # A page flattened onto one line: its spaces after sentence ends and before headings are the
        # paragraph breaks the crawler lost. Blank lines keep the pieces apart.
        lines.extend(split_runon(line) if len(line) > RUNON_CHARS else [line])
    cleaned = [clean_line(x) for x in lines]
    width = wrap_width([c for x, c in zip(lines, cleaned, strict=True) if x.strip() and not _is_cell(x)])
    blocks: list[Block] = []
    para_lines: list[str] = []

    def flush_paragraphs() -> None:
        for p in rejoin_wrapped(para_lines, width):
            blocks.append(Paragraph(tighten(p)))
        para_lines.clear()

    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        if _is_cell(raw) and i + 1 < n and _table_ahead(lines, i):
            flush_paragraphs()
            rows, i = _read_flat_table(lines, i)
            if rows:
                blocks.append(make_table(rows))
            continue
        line = cleaned[i]
        if line and not is_page_number(line):
            para_lines.append(line)
        elif not line and para_lines:
            # A blank line ends a paragraph group; wrapped lines never span one.
            flush_paragraphs()
        i += 1
    flush_paragraphs()
    return Document(blocks, source=source, format=fmt, extra=extra)


RUNON_CHARS = 400
_RUNON_BREAK = re.compile(r"(?<=[。！？；!?])[ \u3000]+(?=\S)|[ \u3000]+(?=(?:[一二三四五六七八九十]{1,2}\s*、|[（(][一二三四五六七八九十]{1,2}[)）]|"
                          r"[一二三四五六七八九十]是))|(?<=[^\d\s])[ \u3000]+(?=\d{1,2}[、．.](?!\d))"
                          # a page with no spaces at all: a (sub)heading right after a sentence end
                          r"|(?<=[。！？!?])(?=[（(](?:[一二三四五六七八九十]{1,2}|\d{1,2})[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[、．.](?!\d))"
                          # ... or a heading's last word before a sub-heading ("…改进情况（一）2021年度…")
                          r"|(?<=情况|问题|措施|事项|概述)(?=[（(][一二三四五六七八九十]{1,2}[)）])")
# (a number after a number is a table cell, "0 02.其他…", not an enumerator)
# Where a break can start: at a space, or right after a sentence end or a heading's last word.
_RUNON_AT = re.compile(r"[ \u3000。！？!?况题施项述]")


def _runon_breaks(line: str) -> list[str]:
    """``_RUNON_BREAK.split(line)``, trying the pattern only where a break can start (_RUNON_AT): its
    alternatives open with lookbehinds, so a plain split tries every position of a page-long line."""
    out: list[str] = []
    last = pos = 0
    tried = blocked = -1
    for at in _RUNON_AT.finditer(line):
        i = at.start()
        p = i if line[i] in " \u3000" else i + 1
        if p < pos or p == tried or p == blocked:
            continue
        tried = p
        m = _RUNON_BREAK.match(line, p)
        if m is None:
            continue
        out.append(line[last:m.start()])
        last = pos = m.end()
        # As in re.split: no second empty match where one ended (a break that consumes starts at a space,
        # an empty one never does, so no other match can start there).
        blocked = pos if m.end() == m.start() else -1
    out.append(line[last:])
    return out
_RUNIN_HEADING = re.compile(r"^((?:[一二三四五六七八九十]{1,2}\s*、|[（(][一二三四五六七八九十]{1,2}[)）])\s*(?:(?:19|20)\d{2}年)?[^\s\d。，；：:,;！？]{2,30})[ \u3000]+(?=\S)"
                            r"(?!\S[ \u3000]\S[ \u3000])")  # not inside a letter-spaced label: "附表指 标 名 称"


# ... and one glued to its body with no space at all (``（一）上年度问题整改情况1.召开…``, ``（三）改进措施一是…``):
# its title is the stretch before punctuation or an enumerator, up to its last heading word in 16 chars.
_SUBHEAD_RUN = re.compile(r"^[（(](?:[一二三四五六七八九十]{1,2}|\d{1,2})[)）]"
                          r"(?:[^\s\d。，,；;：:！？!?（(“\"]|\d(?!\d*[、．.]))+")
_SUBHEAD_WORD = re.compile(r"情况|问题|不足|措施|举措|打算|计划|思路")


def _glued_subhead(piece: str) -> int | None:
    """Where the title of a paren sub-heading glued to its body ends, or None."""
    m = _SUBHEAD_RUN.match(piece)
    if not m:
        return None
    open_end = piece.index("）") + 1 if "）" in piece[:5] else piece.index(")") + 1
    words = [w for w in _SUBHEAD_WORD.finditer(piece, open_end, min(m.end(), open_end + 16))]
    if not words:
        return None
    end = words[-1].end()
    if end >= len(piece) or piece[end] in "。，,；;：:！？!?）) \u3000":
        return None  # alone on its line, or set off by punctuation already
    return end


def split_runon(line: str) -> list[str]:
    """Paragraphs of one very long line: breaks after sentence ends and before enumerators that follow a
    space, and a short numbered heading set off from its body by a space (``一、 概述 按照…``)."""
    out: list[str] = []
    for piece in _runon_breaks(line):
        m = _RUNIN_HEADING.match(piece)
        glued = None if m else _glued_subhead(piece)
        if m:
            out += [m.group(1), "", piece[m.end():]]
        elif glued:
            out += [piece[:glued], "", piece[glued:]]
        else:
            out.append(piece)
        out.append("")
    return out


def _table_ahead(lines: list[str], i: int) -> bool:
    """At least three tab-led cell lines within the next few lines: a flattened table, not an indent."""
    window = lines[i : i + 8]
    return sum(1 for x in window if _is_cell(x)) >= 3


def _read_flat_table(lines: list[str], i: int) -> tuple[list[list[str]], int]:
    rows: list[list[str]] = []
    row: list[str] = []
    n = len(lines)
    prev_cell = False
    while i < n:
        raw = lines[i]
        if _is_cell(raw):
            row.append(clean_line(raw))
            prev_cell = True
        elif not raw.strip():
            if row:
                rows.append(row)
                row = []
            prev_cell = False
        elif prev_cell and row and not _starts_section(raw):
            # A cell that wrapped onto a line of its own.
            row[-1] = row[-1] + clean_line(raw)
        else:
            break
        i += 1
    if row:
        rows.append(row)
    rows = [r for r in rows if any(c for c in r)]
    return rows, i


_SECTION_START = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|\d\s*[、.．]|[（(]\s*\d\s*[)）])\s*\S{4,}")


def _starts_section(raw: str) -> bool:
    return bool(_SECTION_START.match(raw)) and bool(PARA_START.match(raw))


def load_txt(path: str, data: bytes) -> Document:
    return parse_text(decode(data, path), source=path, fmt="txt")
