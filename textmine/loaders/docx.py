"""Word .docx: paragraphs and tables in body order, merged cells expanded from the XML."""

from __future__ import annotations

import posixpath

from ..document import Block, Document, Paragraph, make_table
from ..errors import TextmineError
from ..textutil import clean_line, is_page_number, tighten
from .limits import CellBudget, check_document, check_xml_member, check_zip, open_zip, safe_xml

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


_TEXT_TAGS = (_W + "t", _W + "tab", _W + "br", _W + "cr")


def _text(el) -> str:
    parts: list[str] = []
    for node in el.iter(*_TEXT_TAGS):  # lxml skips the other nodes (runs, properties) in C
        tag = node.tag
        if tag == _W + "t":
            parts.append(node.text or "")
        elif tag == _W + "tab":
            parts.append(" ")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
    return "".join(parts)


def _cell_text(tc) -> str:
    paras = [clean_line(_text(p)) for p in tc.iter(_W + "p")]
    return "".join(p for p in paras if p)


def _child(el, tag: str):
    """``el.find(tag)`` for a plain tag: lxml's find parses the path on every call, iterchildren filters in C."""
    return next(el.iterchildren(tag), None)


def _count(value: str | None, default: int, cap: int = 100) -> int:
    """A span or skip count from the XML: junk reads as the default, huge values are capped (a
    hostile gridSpan of a billion would otherwise allocate a billion cells)."""
    try:
        n = int(value) if value is not None else default
    except ValueError:
        return default
    return max(0, min(n, cap))


def _table_rows(tbl, budget: CellBudget) -> list[list[str]]:
    """Grid of a w:tbl: gridSpan repeats a cell to the right, vMerge continues the cell above. Every
    cell filled is taken from the document's ``budget`` first."""
    grid: list[list[str]] = []
    for tr in tbl.iterchildren(_W + "tr"):
        row: list[str] = []
        trpr = _child(tr, _W + "trPr")
        before = _child(trpr, _W + "gridBefore") if trpr is not None else None
        if before is not None:
            skip = _count(before.get(_W + "val"), 0)
            budget.take(skip)
            row.extend([""] * skip)
        for tc in tr.iterchildren(_W + "tc"):
            tcpr = _child(tc, _W + "tcPr")
            span = 1
            vmerge = None
            if tcpr is not None:
                gs = _child(tcpr, _W + "gridSpan")
                if gs is not None:
                    span = max(1, _count(gs.get(_W + "val"), 1))
                vm = _child(tcpr, _W + "vMerge")
                if vm is not None:
                    vmerge = vm.get(_W + "val", "continue")
            budget.take(span)
            col = len(row)
            if vmerge == "continue" and grid and col < len(grid[-1]):
                text = grid[-1][col]
            else:
                text = _cell_text(tc)
            row.extend([text] * span)
        grid.append(row)
    return grid


def _body_blocks(body, budget: CellBudget) -> list[Block]:
    blocks: list[Block] = []
    for el in body:
        if el.tag == _W + "p":
            for line in _text(el).split("\n"):
                line = clean_line(line)
                if line and not is_page_number(line):
                    blocks.append(Paragraph(tighten(line)))
        elif el.tag == _W + "tbl":
            rows = [r for r in _table_rows(el, budget) if any(r)]
            if len(list(el.iter(_W + "tbl"))) > 1:
                # A table holding tables: treat its own cells as containers (only its own: walking
                # every nested cell at every level repeats text and grows exponentially with depth).
                for tr in el.findall(_W + "tr"):
                    for tc in tr.findall(_W + "tc"):
                        blocks.extend(_body_blocks(tc, budget))
            elif rows:
                blocks.append(make_table(rows))
        elif el.tag == _W + "sdt":
            content = el.find(_W + "sdtContent")
            if content is not None:
                blocks.extend(_body_blocks(content, budget))
    return blocks


_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_STRICT_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _main_part(zf, path: str):
    """The main document part, as the package relationships name it (OPC): usually
    ``word/document.xml``, but converters and WPS also write ``word/document2.xml`` and the like."""
    name = "word/document.xml"
    try:
        rels = zf.getinfo("_rels/.rels")
    except KeyError:
        rels = None
    if rels is not None and rels.file_size < 1 << 20:
        try:
            with zf.open(rels) as fh:
                xml = fh.read(rels.file_size + 1)
        except Exception as exc:  # bad CRC, cut deflate stream
            raise TextmineError(f"damaged .docx ({exc.__class__.__name__}: corrupt or truncated)", path) from None
        for rel in safe_xml(xml, path):
            if rel.get("Type") in (_OFFICE_DOCUMENT, _STRICT_DOCUMENT) and rel.get("TargetMode") != "External":
                name = posixpath.normpath((rel.get("Target") or name).lstrip("/"))
                break
    try:
        return zf.getinfo(name)
    except KeyError:
        raise TextmineError(f"not a .docx file (no {name})", path) from None


def load_docx(path: str, data: bytes) -> Document:
    zf = open_zip(data, path)
    with zf:
        check_zip(zf, path)
        info = _main_part(zf, path)
        check_xml_member(info, path)
        try:
            # Read no more than the stated size: zipfile's read() inflates a member in one call, however
            # far past its stated size the data goes; read(n) inflates at most n bytes.
            with zf.open(info) as fh:
                xml = fh.read(info.file_size + 1)
        except Exception as exc:  # truncated or corrupted members (bad CRC, cut deflate stream)
            raise TextmineError(f"damaged .docx ({exc.__class__.__name__}: corrupt or truncated)", path) from None
        if len(xml) != info.file_size:
            raise TextmineError("damaged .docx (document.xml is shorter than stated: truncated download?)", path)
    root = safe_xml(xml, path)
    body = root.find(_W + "body")
    if body is None:
        raise TextmineError("damaged .docx (document has no body)", path)
    doc = Document(_body_blocks(body, CellBudget(path)), source=path, format="docx")
    check_document(doc)
    return doc
