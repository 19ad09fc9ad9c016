"""Resource limits for untrusted files: sizes, zip bombs, XML entity expansion, HTML nesting, tables.

Reports come from crawlers: truncated downloads, error pages, archives built to explode. Every limit
here turns such a file into a :class:`TextmineError` naming the file and the limit, before the costly
step (inflating, parsing, expanding) happens. Each limit is read from its environment variable when it
is used (``limit(name)``, or ``limits.MAX_FILE_MB``); a value of 0 (or less) switches that limit off.
The README section "Limits of untrusted input" lists them.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import struct
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from ..errors import TextmineError

if TYPE_CHECKING:  # pragma: no cover
    from ..document import Document


def _env_number(name: str, default: float) -> float:
    """A limit from the environment; a malformed value falls back to the default (with a warning)
    rather than breaking every import of textmine."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw)
    except ValueError:
        warnings.warn(f"{name}={raw!r} is not a number; using the default {default:g}", stacklevel=2)
        return default


# Name -> (environment variable, default, what it bounds): the table in the README, as data.
LIMITS: dict[str, tuple[str, float, str]] = {
    "MAX_FILE_MB": ("TEXTMINE_MAX_FILE_MB", 100, "size of any input file"),
    "MAX_TEXT_MB": ("TEXTMINE_MAX_TEXT_MB", 1, "size of a .txt or .md file (a report is 20-200 KB of text)"),
    "MAX_HTML_MB": ("TEXTMINE_MAX_HTML_MB", 20, "size of an .html file (markup, styles and scripts included)"),
    "MAX_TEXT_CHARS": ("TEXTMINE_MAX_TEXT_CHARS", 300_000,
                       "characters of text in one document (later stages grow faster than linearly)"),
    "MAX_UNZIPPED_MB": ("TEXTMINE_MAX_UNZIPPED_MB", 200,
                        "total uncompressed size of a .docx, from the zip directory, before inflating"),
    "MAX_XML_MB": ("TEXTMINE_MAX_XML_MB", 30, "uncompressed size of the document XML inside a .docx"),
    "MAX_PDF_PAGES": ("TEXTMINE_MAX_PDF_PAGES", 300, "pages of a PDF"),
    "MAX_HTML_DEPTH": ("TEXTMINE_MAX_HTML_DEPTH", 512, "nesting depth of HTML elements"),
    "MAX_HTML_ELEMENTS": ("TEXTMINE_MAX_HTML_ELEMENTS", 200_000,
                          "elements of an HTML page (each costs about 1 KB once parsed)"),
    "MAX_TABLE_CELLS": ("TEXTMINE_MAX_TABLE_CELLS", 200_000,
                        "cells of one HTML table after expanding rowspan/colspan"),
    "MAX_DOCUMENT_CELLS": ("TEXTMINE_MAX_DOCUMENT_CELLS", 500_000,
                           "table cells of one document, all tables together, after expanding merged cells "
                           "(a report has a few hundred)"),
    "FILE_TIMEOUT": ("TEXTMINE_FILE_TIMEOUT", 120, "seconds one file may take in a batch"),
    "MAX_WORKER_MEMORY_MB": ("TEXTMINE_MAX_WORKER_MEMORY_MB", 2048,
                             "resident memory of one batch worker process"),
    "MAX_MODEL_MB": ("TEXTMINE_MAX_MODEL_MB", 500,
                     "uncompressed size of a theme model file's arrays, from its zip directory, before inflating"),
    "OCR_PAGE_TIMEOUT": ("TEXTMINE_OCR_PAGE_TIMEOUT", 30, "seconds OCR of one scanned PDF page may take"),
}

_INTS = {"MAX_TEXT_CHARS", "MAX_PDF_PAGES", "MAX_HTML_DEPTH", "MAX_HTML_ELEMENTS", "MAX_TABLE_CELLS",
         "MAX_DOCUMENT_CELLS"}


def limit(name: str) -> float:
    """The value of limit ``name`` now: the environment is read on every use, so a limit set after
    import counts. A value set on this module (``limits.MAX_TEXT_CHARS = 300``, as tests do) wins."""
    if name in globals():
        return globals()[name]
    var, default, _ = LIMITS[name]
    value = _env_number(var, default)
    if name == "MAX_PDF_PAGES":
        return int(value) or 10**9  # 0 switches it off: no PDF has that many pages
    return int(value) if name in _INTS else value


def __getattr__(name: str) -> float:
    # limits.MAX_FILE_MB and the others: read when used, never copied at import.
    if name in LIMITS:
        return limit(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_MB = 1024 * 1024
# Word writes a few dozen zip entries (a few hundred with many images); the central directory of a
# zip is parsed in full by zipfile before anything can be checked, so its size is bounded first.
_MAX_ZIP_DIRECTORY = 4 * _MB


def _over(value: float, limit: float) -> bool:
    return limit > 0 and value > limit


def _limit_hint(var: str) -> str:
    return f"raise {var} to allow it"


def check_size(path: str, size: int, size_limit: str | None = None) -> None:
    """Refuse a file over the size limit, and over its format's own limit ``size_limit`` (the LOADERS
    table names it: text and HTML files have tighter ones, all of their bytes being text to parse,
    where a PDF or DOCX is mostly fonts and pictures)."""
    if _over(size, limit('MAX_FILE_MB') * _MB):
        raise TextmineError(f"file is {size / _MB:.1f} MB, over the {limit('MAX_FILE_MB'):g} MB limit "
                            f"({_limit_hint('TEXTMINE_MAX_FILE_MB')})", path)
    if size_limit == "MAX_TEXT_MB" and _over(size, limit('MAX_TEXT_MB') * _MB):
        raise TextmineError(f"text file is {size / _MB:.1f} MB, over the {limit('MAX_TEXT_MB'):g} MB limit for .txt/.md "
                            f"(several reports in one file? {_limit_hint('TEXTMINE_MAX_TEXT_MB')})", path)
    if size_limit == "MAX_HTML_MB":
        check_html_size(path, size)
    elif size_limit not in (None, "MAX_TEXT_MB") and _over(size, limit(size_limit) * _MB):
        var = LIMITS[size_limit][0]
        raise TextmineError(f"file is {size / _MB:.1f} MB, over the {limit(size_limit):g} MB limit "
                            f"({_limit_hint(var)})", path)


_KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a directory"}


def open_regular(path: str | os.PathLike) -> BinaryIO:
    """Open ``path`` for reading only when it is a regular file (after symlinks). A FIFO would block the
    open or the read for ever, /dev/zero never ends: both must be refused before anything reads them.
    O_NONBLOCK keeps the open of a FIFO from waiting for a writer; the check is on the opened file, so a
    file swapped after a stat cannot slip through. Raises OSError (``strerror`` names the kind)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise OSError(errno.EINVAL, f"{kind}, not a regular file", str(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        # An interrupt (a batch's time budget) can land inside fdopen after the file object took the fd
        # and closed it: a second close must not turn the interrupt into a cached "cannot read file".
        with contextlib.suppress(OSError):
            os.close(fd)
        raise


def read_capped(path: str, size_limit: str | None = None) -> bytes:
    """The bytes of a regular file, never more than its limits allow: the size is checked on the opened
    file, and the read stops one byte past the limit (a file that grows while it is read, or lies about
    its size, is refused like one that was too big)."""
    try:
        with open_regular(path) as fh:
            check_size(path, os.fstat(fh.fileno()).st_size, size_limit)
            caps = [limit("MAX_FILE_MB")] + ([limit(size_limit)] if size_limit else [])
            cap = min((c for c in caps if c > 0), default=0)
            data = fh.read(int(cap * _MB) + 1) if cap else fh.read()
    except OSError as exc:
        raise TextmineError(f"cannot read file ({exc.strerror or exc.__class__.__name__})", path) from None
    check_size(path, len(data), size_limit)
    return data


def check_html_size(path: str | None, size: int) -> None:
    if _over(size, limit('MAX_HTML_MB') * _MB):
        raise TextmineError(f"HTML file is {size / _MB:.1f} MB, over the {limit('MAX_HTML_MB'):g} MB limit "
                            f"({_limit_hint('TEXTMINE_MAX_HTML_MB')})", path)


def check_document(doc: Document) -> None:
    """Refuse a loaded document with more text than a report has. Segmentation and table parsing
    grow faster than linearly with it (a file of 300 reports run together takes minutes and gigabytes),
    so this bounds every later stage. Loaders call it on what they return."""
    n = 0
    for block in doc.blocks:
        rows = getattr(block, "rows", None)
        n += sum(len(c) for row in rows for c in row) if rows is not None else len(block.text)
    if _over(n, limit('MAX_TEXT_CHARS')):
        raise TextmineError(f"the document holds {n} characters of text, over the {limit('MAX_TEXT_CHARS')} limit "
                            f"(a report has a few thousand to about 100,000; several reports in one file? "
                            f"{_limit_hint('TEXTMINE_MAX_TEXT_CHARS')})", doc.source)


class CellBudget:
    """The table cells a document may still fill, all its tables together: many tables each under the
    per-table limit (or a few with huge merged-cell spans) would otherwise grow without bound. A loader
    makes one per document and ``take``s each row's cells before filling them."""

    def __init__(self, source: str | None) -> None:
        self.total = limit("MAX_DOCUMENT_CELLS")
        self.left = self.total
        self.source = source

    def take(self, n: int) -> None:
        self.left -= n
        if self.total > 0 and self.left < 0:
            raise TextmineError(f"the tables of the document expand to more than {self.total} "
                                f"cells (merged cells repeated?); refused "
                                f"({_limit_hint('TEXTMINE_MAX_DOCUMENT_CELLS')})", self.source)


def _zip_directory_size(data: bytes) -> int | None:
    """Size of the central directory from the end record (zip64 aware), or None when there is none."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65535))
    if at < 0 or at + 22 > len(data):
        return None
    size = struct.unpack_from("<L", data, at + 12)[0]
    if size == 0xFFFFFFFF:
        loc = data.rfind(b"PK\x06\x07", max(0, at - 20), at)
        if loc >= 0 and loc + 20 <= len(data):
            rec = struct.unpack_from("<Q", data, loc + 8)[0]
            if rec + 56 <= len(data) and data[rec:rec + 4] == b"PK\x06\x06":
                size = struct.unpack_from("<Q", data, rec + 40)[0]
    return size


def open_zip(data: bytes, path: str) -> zipfile.ZipFile:
    """Open an archive from bytes after bounding the directory zipfile would read in full."""
    import io

    size = _zip_directory_size(data)
    if size is not None and size > _MAX_ZIP_DIRECTORY:
        raise TextmineError(f"archive directory is {size / _MB:.0f} MB (far more entries than a Word "
                            "document has); refused", path)
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # BadZipFile, and for a mangled directory NotImplementedError, struct.error, …
        raise TextmineError("not a .docx file (not a zip archive, or a truncated one)", path) from None


def check_zip(zf: zipfile.ZipFile, path: str) -> None:
    """Refuse archives that would inflate beyond the limit, before inflating anything.

    The sizes come from the zip directory, which can lie: members are then read with ``read(n)``
    for the stated size n (zipfile's deflate reader inflates at most n bytes per call), so a lying
    entry gives a CRC error, not a memory blow-up. The bzip2 and LZMA readers have no such output
    bound, and Word never writes them: refused.
    """
    total = 0
    for info in zf.infolist():
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TextmineError(f"archive entry {info.filename!r} uses a compression Word never writes "
                                f"(method {info.compress_type}); refused", path)
        total += info.file_size
    if _over(total, limit('MAX_UNZIPPED_MB') * _MB):
        raise TextmineError(
            f"archive would inflate to {total / _MB:.0f} MB, over the {limit('MAX_UNZIPPED_MB'):g} MB limit "
            f"(a zip bomb? {_limit_hint('TEXTMINE_MAX_UNZIPPED_MB')})", path)


def check_model_zip(source: Any, where: str) -> None:
    """A model file (.npz: a zip of arrays) from elsewhere is bounded before numpy inflates it: stored or
    deflated members only, their stated sizes within the limit. zipfile inflates a member no further
    than its stated size (a member that lies fails its CRC), so the stated sizes are the bound."""
    try:
        zf = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise TextmineError("model file not found", where) from None
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, struct.error) as exc:
        raise TextmineError(f"not a textmine theme model ({exc.__class__.__name__}: not an .npz archive)",
                            where) from None
    with zf:
        infos = zf.infolist()
    if len(infos) > 1000:
        raise TextmineError(f"not a textmine theme model ({len(infos)} members)", where)
    total = 0
    for info in infos:
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise TextmineError(f"model member {info.filename!r} uses compression method {info.compress_type}; "
                                "refused", where)
        total += info.file_size
    if _over(total, limit("MAX_MODEL_MB") * _MB):
        raise TextmineError(f"model arrays would inflate to {total / _MB:.0f} MB, over the "
                            f"{limit('MAX_MODEL_MB'):g} MB limit ({_limit_hint('TEXTMINE_MAX_MODEL_MB')})", where)
    if hasattr(source, "seek"):
        source.seek(0)


def check_xml_member(info: zipfile.ZipInfo, path: str) -> None:
    """The document XML becomes an in-memory tree several times its size: bound it on its own."""
    if _over(info.file_size, limit('MAX_XML_MB') * _MB):
        raise TextmineError(f"{info.filename} is {info.file_size / _MB:.0f} MB uncompressed, over the "
                            f"{limit('MAX_XML_MB'):g} MB limit ({_limit_hint('TEXTMINE_MAX_XML_MB')})", path)


def safe_xml(data: bytes, path: str, *, allow_doctype: bool = False) -> Any:
    """Parse XML with entity expansion, DTD loading and network access off.

    Office XML never has a DOCTYPE; one that declares entities is an attack (billion laughs, external
    entities), so by default a document with one is refused; entities are never expanded either way.
    libxml2's own limits stay on (no ``huge_tree``): nesting depth 256, text nodes of 10 MB, entity
    amplification.
    """
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "amplification" in (exc.msg or "").lower():
            raise TextmineError("the document XML declares entities that expand enormously "
                                "(a billion-laughs attack?); refused", path) from None
        raise TextmineError(f"damaged XML inside the file ({exc.msg})", path) from None
    except (ValueError, MemoryError) as exc:
        raise TextmineError(f"damaged XML inside the file ({exc.__class__.__name__})", path) from None
    if not allow_doctype and root.getroottree().docinfo.doctype:
        raise TextmineError("the document XML declares a DOCTYPE (an entity expansion attack?); refused", path)
    return root


def check_pdf_streams(data: bytes, path: str | None) -> None:
    """Refuse a PDF whose streams would decode past the limit (a decompression bomb), before a PDF
    library inflates them whole into memory: every filter and filter chain is applied by a decoder that
    stops at the budget (``pdf_streams``), so the check costs the budget, not the bomb."""
    from .pdf_streams import Bomb, inflated_size

    budget = limit('MAX_UNZIPPED_MB') * _MB
    if budget <= 0:
        return
    try:
        inflated_size(data, int(budget))
    except Bomb:
        raise TextmineError(f"PDF streams would inflate to more than {limit('MAX_UNZIPPED_MB'):g} MB "
                            f"(a decompression bomb? {_limit_hint('TEXTMINE_MAX_UNZIPPED_MB')})", path) from None


@contextmanager
def deadline(seconds: float, error: type[BaseException]) -> Iterator[None]:
    """Raise ``error`` after ``seconds`` (SIGALRM between Python bytecodes; main thread on Unix only,
    elsewhere no limit). An outer deadline that would fire first is left alone; one that would fire later
    is re-armed for its remaining time afterwards (a page's OCR budget inside a file's budget)."""
    import signal
    import threading
    import time

    if not seconds or not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return
    outer, _ = signal.getitimer(signal.ITIMER_REAL)
    if outer and outer <= seconds:
        yield
        return

    def on_alarm(signum, frame):
        raise error()

    start = time.monotonic()
    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer:
            signal.setitimer(signal.ITIMER_REAL, max(0.001, outer - (time.monotonic() - start)))
