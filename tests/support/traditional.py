"""Traditional-script (繁體) copies of report files, made on the fly with OpenCC s2t.

Used by tests/test_script.py: each copy keeps the format and the layout of its source and changes
only the script of the text, the way a traditional-script re-publication of a report does.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

# The text runs of a Word document (w:t, not w:tbl or w:tab); attributes and styles stay as they are.
_WT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")


@cache
def _opencc(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_traditional(text: str, config: str = "s2t") -> str:
    """``text`` in traditional script: OpenCC standard forms (s2t), or Taiwan (s2tw) or HK (s2hk) forms."""
    return _opencc(config).convert(text)


def traditional_bytes(data: bytes, fmt: str) -> bytes:
    """The bytes of the same file in traditional script (txt, md and html as UTF-8, docx rebuilt)."""
    if fmt == "docx":
        return _docx(data)
    return to_traditional(data.decode("utf-8")).encode("utf-8")


def _docx(data: bytes) -> bytes:
    from textmine.script import convert_docx

    return convert_docx(data, to_traditional)


def write_traditional(src: Path, dest_dir: Path) -> Path:
    """A traditional-script copy of the report file ``src`` in ``dest_dir`` (same name)."""
    fmt = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".docx": "docx"}[src.suffix.lower()]
    dest = dest_dir / src.name
    dest.write_bytes(traditional_bytes(src.read_bytes(), fmt))
    return dest
