"""Markdown (web pages or PDFs saved as .md): pipe tables become tables, the rest is text."""

from __future__ import annotations

import re

from ..document import Block, Document, Paragraph, make_table
from ..textutil import clean_line, is_page_number, rejoin_wrapped, tighten, wrap_width
from .text import decode

_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_EMPHASIS = re.compile(r"\*\*|__|^>\s*")


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [clean_line(c.replace("\\|", "|")) for c in re.split(r"(?<!\\)\|", s)]


def parse_markdown(text: str, source: str | None = None) -> Document:
    lines = text.replace("\r\n", "\n").split("\n")
    width = wrap_width([clean_line(x) for x in lines if x.strip() and not x.strip().startswith("|")])
    blocks: list[Block] = []
    para: list[str] = []
    rows: list[list[str]] = []

    def flush_para() -> None:
        for p in rejoin_wrapped(para, width):
            blocks.append(Paragraph(tighten(p)))
        para.clear()

    def flush_table() -> None:
        if rows:
            blocks.append(make_table([list(r) for r in rows]))
            rows.clear()

    for raw in lines:
        line = raw.strip()
        if line.startswith("|") and line.count("|") >= 2:
            flush_para()
            if not _SEPARATOR.match(line):
                rows.append(_cells(line))
            continue
        flush_table()
        line = clean_line(_EMPHASIS.sub("", _HEADING.sub("", line)))
        if not line:
            flush_para()
        elif not is_page_number(line):
            para.append(line)
    flush_para()
    flush_table()
    return Document(blocks, source=source, format="md")


def load_md(path: str, data: bytes) -> Document:
    return parse_markdown(decode(data, path), source=path)
