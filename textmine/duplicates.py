"""Duplicate reports: the same report at two paths, or re-encoded (a GB18030 copy of a UTF-8 file).

Two files are one document when their bytes have the same hash (a copy), or when the text extracted
from them, normalised (NFKC, full-width to half-width, no whitespace), has the same hash (another
encoding, other line ends, another container of the same text). The first file in folder order is the
document; every later one is listed as ``{"file", "duplicate_of", "by"}`` with ``by`` "content" or
"text". ``Corpus`` and ``ingest`` both call :func:`find_duplicates` on the same folder order, so they
count the same documents and list the same duplicates.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from .textutil import to_halfwidth

__all__ = ["find_duplicates", "text_hash"]


def text_hash(text: str) -> str:
    """The hash of a report's extracted text, normalised so that encodings and layout do not count:
    SHA-1 of NFKC, full-width forms folded, white space removed."""
    # NFKC of a whole report costs more than the rest of its record. Full-width forms and the ideographic
    # space decompose to one ASCII character each, so folding them first leaves NFKC unchanged; a folded
    # text that is already NFKC (most reports) needs no normalisation pass.
    folded = to_halfwidth(text).replace("\u3000", " ")
    if not unicodedata.is_normalized("NFKC", folded):
        folded = to_halfwidth(unicodedata.normalize("NFKC", text))
    return hashlib.sha1("".join(folded.split()).encode("utf-8")).hexdigest()  # split(): the same white space as \s


def find_duplicates(entries: Iterable[tuple[str, str | None, str | None]]) -> tuple[list[str], list[dict]]:
    """``entries``: (path, content hash, text hash) of every parsed file, in folder order. Returns the
    paths kept (one per document) and the duplicates, each ``{"file", "duplicate_of", "by"}``."""
    by_content: dict[str, str] = {}
    by_text: dict[str, str] = {}
    kept: list[str] = []
    dups: list[dict] = []
    for path, content, text in entries:
        first = by_content.get(content) if content else None
        how = "content"
        if first is None and text:
            first, how = by_text.get(text), "text"
        if first is not None:
            dups.append({"file": path, "duplicate_of": first, "by": how})
            continue
        kept.append(path)
        if content:
            by_content[content] = path
        if text:
            by_text[text] = path
    return kept, dups
