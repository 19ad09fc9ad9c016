"""What the human output of ``textmine parse`` and ``stats`` shows: headline figures, findings in plain
words, and text fitted to a terminal width counted in display columns (a CJK character takes two).

The CLI prints what these functions return; they never print.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

__all__ = ["HEADLINE", "WIDTH", "display_width", "headline", "plain_findings", "wrap"]

WIDTH = 80  # no line of the human output is wider (in display columns)

_DENIED = ["denied_state_secret", "denied_prohibited_by_law", "denied_security_stability",
           "denied_third_party_rights", "denied_internal_affairs", "denied_process_info",
           "denied_enforcement_files", "denied_administrative_query"]
# key, the form's own label, and the (table, row, column) cells whose sum is the figure.
HEADLINE: list[tuple[str, str, list[tuple[str, str, str]]]] = [
    ("new", "本年新收申请", [("requests", "new", "total")]),
    ("carried_over", "上年结转", [("requests", "carried_over", "total")]),
    ("total_processed", "本年办结（办理结果总计）", [("requests", "total_processed", "total")]),
    ("carried_forward", "结转下年度继续办理", [("requests", "carried_forward", "total")]),
    ("granted", "予以公开", [("requests", "granted", "total")]),
    ("partially_granted", "部分公开", [("requests", "partially_granted", "total")]),
    ("denied", "不予公开", [("requests", r, "total") for r in _DENIED]),
    ("review", "行政复议", [("appeals", "review", "total")]),
    ("litigation", "行政诉讼", [("appeals", "litigation_direct", "total"),
                             ("appeals", "litigation_after_review", "total")]),
]


def headline(rec: dict) -> list[dict]:
    """The headline figures of a record: ``{key, label, value, derived}`` per figure the tables have.
    ``value`` is None when a cell was printed blank and the form's arithmetic does not fix it; ``derived``
    is True when a blank cell's derived value (the record's ``derived``) went into it."""
    tables, derived = rec.get("tables") or {}, rec.get("derived") or {}
    out = []
    for key, label, cells in HEADLINE:
        values, used, missing = [], False, False
        for t, r, c in cells:
            row = (tables.get(t) or {}).get(r)
            if row is None or c not in row:
                continue  # a row the report does not have (or the reading did not find)
            v = row[c]
            if v is None:
                v = ((derived.get(t) or {}).get(r) or {}).get(c)
                used = used or v is not None
                missing = missing or v is None
            values.append(v)
        if values:
            out.append({"key": key, "label": label, "value": None if missing else sum(values), "derived": used})
    return out


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide and full-width characters count 2, combining marks 0."""
    return sum(0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text)


def wrap(text: str, width: int = WIDTH, indent: str = "", first: str = "") -> list[str]:
    """``text`` cut into lines of at most ``width`` display columns (CJK text has no spaces to break at:
    a line breaks between any two characters, and at a space when there is one near the end)."""
    lines: list[str] = []
    line, col = first, display_width(first)
    for ch in " ".join(text.split()):
        w = display_width(ch)
        if col + w > width:
            cut = line.rfind(" ")
            if cut > len(indent) and line[cut + 1:].isascii() and display_width(line[cut:]) <= 20:  # a word
                lines.append(line[:cut])
                line = indent + line[cut + 1:]
            else:
                lines.append(line.rstrip())
                line = indent
            col = display_width(line)
            if ch == " ":
                continue
        line += ch
        col += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


def plain_findings(findings: Iterable[dict], width: int = WIDTH) -> list[str]:
    """Each finding as its message in words, with what kind of check it is, wrapped to ``width``."""
    kinds = {"R1": "table 3 columns", "R2": "table 3 results", "R3": "table 3 rows", "R4": "table 4",
             "R5": "text against tables", "R6": "across years", "table": "reading the table", "ocr": "OCR"}
    out = []
    for f in findings:
        kind = kinds.get(f.get("rule"), f.get("rule") or "check")
        head = f"- {'error' if f.get('severity') == 'error' else 'note'} ({kind}, {f.get('rule')}): "
        out += wrap(str(f.get("message") or ""), width, indent="    ", first=head)
    return out
