"""Loaders: one per file format, all returning a :class:`textmine.document.Document`."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..document import Document
from ..errors import TextmineError
from .limits import check_document, check_size

FORMATS = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf", ".html": "html", ".htm": "html",
           ".shtml": "html", ".xhtml": "html", ".md": "md", ".markdown": "md",
           ".doc": "doc", ".wps": "doc"}


def _loader(fmt: str) -> Callable[[str, bytes], Document]:
    if fmt == "txt":
        from .text import load_txt
        return load_txt
    if fmt == "docx":
        from .docx import load_docx
        return load_docx
    if fmt == "pdf":
        from .pdf import load_pdf
        return load_pdf
    if fmt == "html":
        from .html import load_html
        return load_html
    if fmt == "doc":
        from .doc import load_doc
        return load_doc
    from .markdown import load_md
    return load_md


def format_of(path: str | os.PathLike) -> str:
    """The format key of a path by its extension, or TextmineError for an unsupported one."""
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise TextmineError(f"unsupported file type {ext or '(no extension)'!r}; "
                            "expected .txt, .docx, .doc, .pdf, .html, .md", str(path))
    return FORMATS[ext]


def load_document(path_or_text: str | os.PathLike) -> Document:
    """Load a report file (by extension) or, for a string that is not a path, raw report text."""
    if isinstance(path_or_text, str) and _looks_like_text(path_or_text):
        from .text import parse_text
        if not path_or_text.strip():
            raise TextmineError("empty text")
        # Lone surrogates (from broken decoders upstream) would crash the tokenizers later on.
        text = path_or_text.encode("utf-8", "replace").decode("utf-8")
        return _checked(parse_text(text, source=None, fmt="text"))
    path = str(path_or_text)
    fmt = format_of(path)
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        raise TextmineError(f"cannot open file ({exc.strerror or exc.__class__.__name__})", path) from None
    if os.path.isdir(path):
        raise TextmineError("is a directory, not a report file", path)
    check_size(path, size)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise TextmineError(f"cannot read file ({exc.strerror or exc.__class__.__name__})", path) from None
    if not data.strip():
        raise TextmineError("empty file", path)
    return _checked(_loader(fmt)(path, data))


def load_bytes(data: bytes, fmt: str, source: str | None = None) -> Document:
    """Load in-memory bytes of a known format (``txt``, ``docx``, ``pdf``, ``html``, ``md``)."""
    if fmt not in set(FORMATS.values()):
        raise TextmineError(f"unknown format {fmt!r}", source)
    if not data.strip():
        raise TextmineError("empty file", source)
    return _checked(_loader(fmt)(source or f"<{fmt}>", data))


def _checked(doc: Document) -> Document:
    """Every format gets the text limit (TEXTMINE_MAX_TEXT_CHARS): later stages are not linear in size."""
    check_document(doc)
    return doc


def _looks_like_text(s: str) -> bool:
    """A string is raw report text (not a path) when it has a newline, is long, or is not a file."""
    if "\n" in s or len(s) > 1000:
        return True
    if os.path.exists(s):
        return False
    return Path(s).suffix.lower() not in FORMATS and Path(s).suffix.lower() != ".doc"
