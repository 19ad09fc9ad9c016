"""The one error type for user errors, and how a file name or reason is shown on a terminal."""

from __future__ import annotations

import unicodedata


def shown(text: object) -> str:
    """``text`` safe to print and to store as UTF-8: a byte of a non-UTF-8 file name (kept by Python as a
    lone surrogate, e.g. a GBK name from a zip made on Chinese Windows) as ``\\xb9``, and control and
    format characters (ESC sequences that would drive the terminal, bidi overrides that reorder it,
    newlines that fake a second message) as ``\\x1b`` / ``\\u202e``. Other text is unchanged."""
    s = str(text)
    if s.isprintable() and s.isascii():
        return s
    out = []
    for ch in s:
        cp = ord(ch)
        if 0xDC80 <= cp <= 0xDCFF:  # surrogateescape: the raw byte
            out.append(f"\\x{cp - 0xDC00:02x}")
        elif unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            out.append(f"\\x{cp:02x}" if cp < 0x100 else f"\\u{cp:04x}" if cp < 0x10000 else f"\\U{cp:08x}")
        else:
            out.append(ch)
    return "".join(out)


class TextmineError(Exception):
    """A problem with the user's input (bad file, unknown format, not a report, ...).

    The CLI prints ``str(error)`` on one line and exits non-zero; it never shows a traceback
    for this type. The path in that line is :func:`shown` (``path`` keeps it as given, to open).
    """

    def __init__(self, message: str, path: str | None = None) -> None:
        self.path = path
        self.reason = message
        super().__init__(shown(f"{path}: {message}" if path else message))
