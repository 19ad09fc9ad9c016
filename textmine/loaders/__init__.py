"""Loaders: one per file format, all returning a :class:`textmine.document.Document`, in one table."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..document import Document
from ..errors import TextmineError
from .limits import check_document, read_capped


@dataclass(frozen=True)
class Loader:
    """One file format: its suffixes, its loader, the size limit of its files, and an OCR step.

    ``load`` is ``(path, data) -> Document`` or the ``"module:function"`` it is imported from on first
    use (``.text``: a module of this package; the loaders pull in pdfplumber, lxml, python-docx, so
    only the format read pays for its import).
    ``size_limit`` names a limit of :mod:`textmine.loaders.limits` checked before the file is read
    (``MAX_FILE_MB`` applies to every format). ``ocr``, when set, gets a document the loader found no
    text in (a scanned PDF) instead of that error — the seam for an OCR step.
    """

    format: str
    suffixes: tuple[str, ...]
    load: str | Callable[[str, bytes], Document]
    size_limit: str | None = None
    ocr: Callable[[str, bytes], Document] | None = None

    def loader(self) -> Callable[[str, bytes], Document]:
        if callable(self.load):
            return self.load
        module, _, name = self.load.partition(":")
        return getattr(importlib.import_module(module, __package__), name)  # ".text": one of ours


# The formats textmine reads, in the order they are named to users. Dispatch, error messages, the
# batch's file search, the CLI and the benchmark read this table; register_loader() adds a format.
LOADERS: dict[str, Loader] = {}
FORMATS: dict[str, str] = {}  # suffix -> format, derived from LOADERS


def register_loader(loader: Loader) -> Loader:
    """Add (or replace) a format in :data:`LOADERS`."""
    LOADERS[loader.format] = loader
    FORMATS.clear()
    FORMATS.update({suffix: entry.format for entry in LOADERS.values() for suffix in entry.suffixes})
    return loader


for _entry in (
    Loader("txt", (".txt", ".text"), ".text:load_txt", "MAX_TEXT_MB"),
    Loader("docx", (".docx",), ".docx:load_docx"),
    Loader("pdf", (".pdf",), ".pdf:load_pdf"),
    Loader("html", (".html", ".htm", ".shtml", ".xhtml"), ".html:load_html", "MAX_HTML_MB"),
    Loader("md", (".md", ".markdown"), ".markdown:load_md", "MAX_TEXT_MB"),
    # Word 97-2003 binaries (and .wps files that are Word binaries): olefile, textmine/loaders/doc.py.
    Loader("doc", (".doc", ".wps"), ".doc:load_doc"),
):
    register_loader(_entry)


def supported_suffixes() -> list[str]:
    """The first suffix of every format (``.txt``, ``.docx``, …), for messages."""
    return [entry.suffixes[0] for entry in LOADERS.values()]


def _needs_ocr(exc: TextmineError) -> bool:
    return "no text layer" in exc.reason


def _load(fmt: str, path: str, data: bytes) -> Document:
    entry = LOADERS[fmt]
    try:
        return entry.loader()(path, data)
    except TextmineError as exc:
        if entry.ocr is None or not _needs_ocr(exc):
            raise
        return entry.ocr(path, data)


def format_of(path: str | os.PathLike) -> str:
    """The format key of a path by its extension, or TextmineError for an unsupported one."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise TextmineError(f"unsupported file type {ext or '(no extension)'!r}; "
                            f"expected {', '.join(supported_suffixes())}", str(path))
    return FORMATS[ext]


def load_document(path_or_text: str | os.PathLike) -> Document:
    """Load a report file (by extension) or, for a string that is not a path, raw report text."""
    if isinstance(path_or_text, str) and _looks_like_text(path_or_text):
        from ..script import to_simplified
        from .text import parse_text
        if not path_or_text.strip():
            raise TextmineError("empty text")
        # Lone surrogates (from broken decoders upstream) would crash the tokenizers later on.
        text = path_or_text.encode("utf-8", "replace").decode("utf-8")
        return _checked(parse_text(text, source=None, fmt="text"),
                        lambda: parse_text(to_simplified(text), source=None, fmt="text"))
    path = str(path_or_text)
    fmt = format_of(path)
    if os.path.isdir(path):
        raise TextmineError("is a directory, not a report file", path)
    data = read_capped(path, LOADERS[fmt].size_limit)  # a FIFO or /dev/zero is refused, not read
    if not data.strip():
        raise TextmineError("empty file", path)
    return _checked(_load(fmt, path, data), lambda: _simplified_load(fmt, path, data))


def load_bytes(data: bytes, fmt: str, source: str | None = None) -> Document:
    """Load in-memory bytes of a known format (``txt``, ``docx``, ``pdf``, ``html``, ``md``: see LOADERS)."""
    if fmt not in LOADERS:
        raise TextmineError(f"unknown format {fmt!r}", source)
    if not data.strip():
        raise TextmineError("empty file", source)
    src = source or f"<{fmt}>"
    return _checked(_load(fmt, src, data), lambda: _simplified_load(fmt, src, data))


def _checked(doc: Document, again: Callable[[], Document | None] | None = None) -> Document:
    """Every format gets the text limit (TEXTMINE_MAX_TEXT_CHARS): later stages are not linear in size.

    Then the script: every pattern is simplified, so a traditional-script document is converted here,
    before any matching. ``again`` loads a simplified copy of the same input (the loaders have
    simplified patterns too); a simplified document is returned as it is (see textmine.script).
    """
    from ..script import is_traditional, merge_traditional, normalize_document

    check_document(doc)
    traditional = is_traditional(doc.text)
    if traditional and again is not None:
        try:
            simplified = again()
        except TextmineError:
            simplified = None  # the copy did not load: convert the printed load's blocks instead
        if simplified is not None:
            check_document(simplified)
            return merge_traditional(doc, simplified, converted_whole=doc.format != "docx")
    return normalize_document(doc, traditional=traditional)


def _simplified_load(fmt: str, path: str, data: bytes) -> Document | None:
    """Load a simplified copy of a traditional file: text formats re-encoded as UTF-8 with a BOM (which
    overrides a declared charset), Word with its text runs converted; None for PDF (its blocks are
    converted after loading)."""
    from ..script import simplified_docx, to_simplified

    if fmt == "docx":
        copy = simplified_docx(data)
    elif fmt == "html":
        from .html import decode_html

        copy = b"\xef\xbb\xbf" + to_simplified(decode_html(path, data)).encode("utf-8")
    elif fmt in ("txt", "md"):
        from .text import decode

        copy = b"\xef\xbb\xbf" + to_simplified(decode(data, path)).encode("utf-8")
    else:
        return None
    return _load(fmt, path, copy)


def _looks_like_text(s: str) -> bool:
    """A string is raw report text (not a path) when it has a newline, is long, or is not a file."""
    if "\n" in s or len(s) > 1000:
        return True
    if os.path.exists(s):
        return False
    return Path(s).suffix.lower() not in FORMATS and Path(s).suffix.lower() != ".doc"
