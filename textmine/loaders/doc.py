"""Word 97–2003 ``.doc`` (and ``.wps`` saved as a Word binary), read with olefile, pure Python.

The main text is found through the piece table (the CLX in the ``0Table``/``1Table`` stream, located by
the FIB at the start of ``WordDocument``): pieces are UTF-16 or 8-bit (cp1252) runs in CP order, and
the first ``ccpText`` characters are the body (footnotes, headers and footers follow it and are
dropped). Paragraph properties from the PAPX pages tell table paragraphs (``sprmPFInTable``) and row
ends (``sprmPFTtp``) apart from cell ends, which share the ``\\x07`` mark; ``sprmTDefTable`` gives cell
boundaries and vertical merges, so merged cells expand like the .docx loader's. Fields keep only their
result (``\\x13 instruction \\x14 result \\x15``).
"""

from __future__ import annotations

import struct
from bisect import bisect_right
from dataclasses import dataclass, field

from ..document import Block, Document, Paragraph, make_table
from ..errors import TextmineError
from ..textutil import clean_line, is_page_number, tighten
from .limits import MAX_TEXT_CHARS

_FIELD_BEGIN, _FIELD_SEP, _FIELD_END = "\x13", "\x14", "\x15"
# Characters that stand for objects (pictures, footnote references, annotations): no text.
_DROP = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08\x1f"), None) | {0x1E: "-", 0x09: " ", 0x0C: "\n",
                                                                          0x0B: "\n"}
_SPRM_IN_TABLE, _SPRM_TTP, _SPRM_TDEF, _SPRM_HUGE = 0x2416, 0x2417, 0xD608, 0x6646
_SPRM_LONG = (0xD608, 0xC615)  # operand length in two bytes (see [MS-DOC] 2.6.4 and POI)


@dataclass
class _Props:
    in_table: bool = False
    ttp: bool = False
    bounds: list[int] = field(default_factory=list)  # cell edges in twips (sprmTDefTable rgdxaCenter)
    vmerge: list[bool] = field(default_factory=list)  # cell continues the one above


def _damaged(path: str, why: str) -> TextmineError:
    return TextmineError(f"damaged .doc ({why})", path)


def _sprms(grpprl: bytes):
    """(opcode, operand) pairs of a property list; a truncated list ends early."""
    pos = 0
    while pos + 2 <= len(grpprl):
        op = struct.unpack_from("<H", grpprl, pos)[0]
        pos += 2
        spra = op >> 13
        if spra == 6:
            if op in _SPRM_LONG:
                if pos + 2 > len(grpprl):
                    return
                size = struct.unpack_from("<H", grpprl, pos)[0] - 1
                pos += 2
            else:
                if pos >= len(grpprl):
                    return
                size = grpprl[pos]
                pos += 1
        else:
            size = (1, 1, 2, 4, 2, 2, 0, 3)[spra]
        yield op, grpprl[pos:pos + size]
        pos += size


def _props(grpprl: bytes, data: bytes) -> _Props:
    p = _Props()
    for op, arg in _sprms(grpprl):
        if op == _SPRM_HUGE and len(arg) == 4:
            # sprmPHugePapx: properties too long for the page (table rows) live in the Data stream.
            at = struct.unpack("<I", arg)[0]
            if at + 2 <= len(data):
                size = struct.unpack_from("<H", data, at)[0]
                grpprl = data[at + 2:at + 2 + size]
                return _props(grpprl, b"")
        if op == _SPRM_IN_TABLE and arg:
            p.in_table = bool(arg[0])
        elif op == _SPRM_TTP and arg:
            p.ttp = bool(arg[0])
        elif op == _SPRM_TDEF and arg:
            n = arg[0]
            if 1 + 2 * (n + 1) <= len(arg):
                p.bounds = list(struct.unpack_from(f"<{n + 1}h", arg, 1))
                tcs = 1 + 2 * (n + 1)
                # TC80: tcgrf's bits 5-6 are vertMerge; 1 = merged with the cell above.
                p.vmerge = [tcs + 20 * i + 2 <= len(arg) and
                            (struct.unpack_from("<H", arg, tcs + 20 * i)[0] >> 5) & 3 == 1 for i in range(n)]
    return p


def _papx_runs(word: bytes, table: bytes, data: bytes, fc: int, lcb: int) -> tuple[list[int], list[tuple[int, _Props]]]:
    """Paragraph property runs from the PAPX FKP pages: (sorted run starts, [(run end, props)])."""
    runs: list[tuple[int, int, _Props]] = []
    n = (lcb - 4) // 8
    plc = table[fc:fc + lcb]
    if n <= 0 or len(plc) < lcb:
        return [], []
    for pn in struct.unpack_from(f"<{n}I", plc, 4 * (n + 1)):
        page = word[(pn & 0x3FFFFF) * 512:(pn & 0x3FFFFF) * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for i in range(crun):
            off = page[4 * (crun + 1) + 13 * i] * 2
            props = _Props()
            if off:
                cb = page[off]
                start, size = (off + 1, 2 * cb - 1) if cb else (off + 2, 2 * page[off + 1])
                props = _props(page[start + 2:start + size], data)  # skip the 2-byte style index
            runs.append((fcs[i], fcs[i + 1], props))
    runs.sort(key=lambda r: r[0])
    return [r[0] for r in runs], [(r[1], r[2]) for r in runs]


def _pieces(table: bytes, fc_clx: int, lcb_clx: int, path: str) -> list[tuple[int, int, int, bool]]:
    """(cp start, cp end, byte offset, compressed) of each piece, from the CLX's Pcdt."""
    clx = table[fc_clx:fc_clx + lcb_clx]
    pos = 0
    while pos < len(clx) and clx[pos] == 1:  # Prc: property modifiers, skipped
        pos += 3 + struct.unpack_from("<h", clx, pos + 1)[0]
    if pos >= len(clx) or clx[pos] != 2:
        raise _damaged(path, "no piece table")
    lcb = struct.unpack_from("<I", clx, pos + 1)[0]
    n = (lcb - 4) // 12
    plc = clx[pos + 5:pos + 5 + lcb]
    if n <= 0 or len(plc) < lcb:
        raise _damaged(path, "truncated piece table")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for i in range(n):
        fc = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * i + 2)[0]
        compressed = bool(fc & 0x40000000)
        fc &= 0x3FFFFFFF
        out.append((cps[i], cps[i + 1], fc // 2 if compressed else fc, compressed))
    return out


def _paragraphs(word: bytes, pieces, ccp: int, starts, runs) -> list[tuple[str, str, _Props]]:
    """Body paragraphs as (text, end mark, props) in order, field instructions removed."""
    out: list[tuple[str, str, _Props]] = []
    buf: list[str] = []
    fields: list[bool] = []  # one entry per open field: True while in its instruction part
    for cp0, cp1, off, compressed in pieces:
        if cp0 >= ccp:
            break
        cp1 = min(cp1, ccp)
        width = 1 if compressed else 2
        raw = word[off:off + (cp1 - cp0) * width]
        text = raw.decode("cp1252", "replace") if compressed else raw.decode("utf-16-le", "replace")
        for i, ch in enumerate(text):
            if ch == _FIELD_BEGIN:
                fields.append(True)
            elif ch == _FIELD_SEP and fields:
                fields[-1] = False
            elif ch == _FIELD_END and fields:
                fields.pop()
            elif ch in "\r\x07":
                fc = off + i * width
                j = bisect_right(starts, fc) - 1
                props = runs[j][1] if j >= 0 and fc < runs[j][0] else _Props()
                out.append(("".join(buf), ch, props))
                buf.clear()
            elif not any(fields):
                buf.append(ch)
    if buf:
        out.append(("".join(buf), "\r", _Props()))
    return out


def _grid(rows: list[tuple[list[str], _Props]]) -> list[list[str]]:
    """Cells on a common column grid: a wide cell repeats over the columns it spans, a vertically
    merged cell repeats the text above it (as the .docx loader does)."""
    edges: list[int] = []
    for cells, p in rows:
        if len(p.bounds) == len(cells) + 1:
            for b in p.bounds:
                if not any(abs(b - e) <= 30 for e in edges):  # 30 twips: the same edge, drawn twice
                    edges.append(b)
    edges.sort()
    grid: list[list[str]] = []
    for cells, p in rows:
        if len(p.bounds) != len(cells) + 1 or len(edges) > 200:
            grid.append(cells)
            continue
        row: list[str] = []
        for i, text in enumerate(cells):
            span = sum(1 for e in edges if p.bounds[i] - 30 < e < p.bounds[i + 1] - 30) or 1
            col = len(row)
            if i < len(p.vmerge) and p.vmerge[i] and grid and col < len(grid[-1]) and not text:
                text = grid[-1][col]
            row.extend([text] * span)
        grid.append(row)
    return grid


def _blocks(paras: list[tuple[str, str, _Props]]) -> list[Block]:
    blocks: list[Block] = []
    rows: list[tuple[list[str], _Props]] = []
    cells: list[str] = []
    cell: list[str] = []

    def flush_table() -> None:
        grid = [r for r in _grid(rows) if any(r)]
        if grid:
            blocks.append(make_table(grid))
        rows.clear()

    for text, mark, props in paras:
        text = text.translate(_DROP)
        if mark == "\x07" and props.ttp:  # the row-end mark closes a row of cells
            rows.append((cells[:], props))
            cells.clear()
        elif mark == "\x07":
            cell.append(text)
            cells.append("".join(c for c in (clean_line(t) for t in "\n".join(cell).split("\n")) if c))
            cell.clear()
        elif props.in_table:
            cell.append(text)
        else:
            if rows or cells:
                if cells:
                    rows.append((cells[:], _Props()))
                    cells.clear()
                flush_table()
            for line in text.split("\n"):
                line = clean_line(line)
                if line and not is_page_number(line):
                    blocks.append(Paragraph(tighten(line)))
    if cells:
        rows.append((cells, _Props()))
    if rows:
        flush_table()
    return blocks


def _fib(word: bytes, path: str) -> tuple[str, int, int, int, int, int]:
    """(table stream name, ccpText, fcClx, lcbClx, fcPlcfBtePapx, lcbPlcfBtePapx) from the FIB."""
    if len(word) < 154 or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise _damaged(path, "no Word file information block")
    nfib, flags = struct.unpack_from("<H", word, 2)[0], struct.unpack_from("<H", word, 10)[0]
    if flags & 0x0100:
        raise TextmineError("encrypted .doc (password-protected); open it in Word and save it without a "
                            "password", path)
    if nfib < 101:
        raise TextmineError(f"Word 6/95 .doc (nFib {nfib}) is not supported; save it as .docx", path)
    pos = 32
    csw = struct.unpack_from("<H", word, pos)[0]
    pos += 2 + 2 * csw
    cslw = struct.unpack_from("<H", word, pos)[0]
    lw = pos + 2
    pos = lw + 4 * cslw
    cb = struct.unpack_from("<H", word, pos)[0]
    fclcb = pos + 2
    if cslw < 4 or cb < 34 or fclcb + 8 * 34 > len(word):
        raise _damaged(path, "short file information block")
    ccp = struct.unpack_from("<i", word, lw + 12)[0]
    fc_clx, lcb_clx = struct.unpack_from("<II", word, fclcb + 8 * 33)
    fc_papx, lcb_papx = struct.unpack_from("<II", word, fclcb + 8 * 13)
    return ("1Table" if flags & 0x0200 else "0Table"), ccp, fc_clx, lcb_clx, fc_papx, lcb_papx


def _streams(path: str, data: bytes) -> tuple[bytes, bytes, bytes, tuple]:
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception as exc:
        raise _damaged(path, f"{exc.__class__.__name__}: not a readable compound file") from None
    with ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise TextmineError("encrypted Word document (password-protected); save it without a password", path)
        if not ole.exists("WordDocument"):
            raise TextmineError("not a Word binary document (no WordDocument stream; an old WPS or Excel "
                                "file?)", path)
        word = ole.openstream("WordDocument").read()
        fib = _fib(word, path)
        if not ole.exists(fib[0]):
            raise _damaged(path, f"no {fib[0]} stream")
        table = ole.openstream(fib[0]).read()
        extra = ole.openstream("Data").read() if ole.exists("Data") else b""
    return word, table, extra, fib


def load_doc(path: str, data: bytes) -> Document:
    """A Word 97–2003 binary document (.doc, .wps); a .docx or HTML page saved under that name is read as
    what it is (government sites serve both as .doc)."""
    if data[:2] == b"PK":
        from .docx import load_docx

        return load_docx(path, data)
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype html", b"<?xml")) or b"<html" in head:
        from .html import load_html

        return load_html(path, data)
    if head.startswith(b"{\\rtf"):
        raise TextmineError("an RTF file, not a Word binary .doc; save it as .docx", path)
    if data[:8] != b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise TextmineError("not a Word .doc file (no compound file header: damaged or another format)", path)
    try:
        word, table, extra, (_, ccp, fc_clx, lcb_clx, fc_papx, lcb_papx) = _streams(path, data)
    except TextmineError:
        raise
    except Exception as exc:  # olefile on a mangled sector chain: OSError, struct.error, IndexError, ...
        raise _damaged(path, f"{exc.__class__.__name__} in its compound file") from None
    if ccp < 0 or (MAX_TEXT_CHARS > 0 and ccp > 4 * MAX_TEXT_CHARS):
        raise TextmineError(f"the document holds {ccp} characters of text, over the limit "
                            "(raise TEXTMINE_MAX_TEXT_CHARS to allow it)", path)
    try:
        pieces = _pieces(table, fc_clx, lcb_clx, path)
        starts, runs = _papx_runs(word, table, extra, fc_papx, lcb_papx)
        paras = _paragraphs(word, pieces, ccp, starts, runs)
        if not any(mark == "\x07" for _, mark, _ in paras) and any("\t" in t for t, _, _ in paras):
            # No Word tables but tab-laid text (a text export opened in Word): the text loader knows
            # those layouts (tab-separated rows, one cell a line).
            from .text import parse_text

            keep_tabs = {k: v for k, v in _DROP.items() if k != 0x09}
            blocks = parse_text("\n".join(t.translate(keep_tabs) for t, _, _ in paras), path, "doc").blocks
        else:
            blocks = _blocks(paras)
    except TextmineError:
        raise
    except (struct.error, IndexError, ValueError, OverflowError, RecursionError) as exc:
        why = "a record runs past its stream" if isinstance(exc, struct.error) else exc.__class__.__name__
        raise _damaged(path, f"{why} in its tables") from None
    if not blocks:
        raise TextmineError("the .doc holds no text", path)
    return Document(blocks, source=path, format="doc")
