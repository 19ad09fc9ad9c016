"""PDF with a text layer: reading-order lines joined into paragraphs, ruled tables kept as rows.

Uses pdfplumber (pdfminer) for character positions: a line that reaches the right margin and is
followed by a line that starts at the left margin is a hard wrap inside a paragraph. Page numbers
and running headers (the same line at the top or bottom of most pages) are dropped.
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter

from ..document import Block, Document, Paragraph, Table, make_table
from ..errors import TextmineError
from ..textutil import PARA_START, clean_line, is_page_number, tighten
from .limits import MAX_PDF_PAGES, check_pdf_streams
from .pdf_lines import Line as _Line  # shared with the OCR reader
from .pdf_ocr import ScanReader, needs_ocr


def is_heading_like(text: str) -> bool:
    return bool(PARA_START.match(text))




def _inside(obj, boxes) -> bool:
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return any(x0 - 1 <= cx <= x1 + 1 and t - 1 <= cy <= b + 1 for x0, t, x1, b in boxes)


def _trimmed(rows: list[list[str]]) -> tuple[int, int, list[list[str]]] | None:
    """Cut the one-cell prose rows a page frame drags into a "table" off both ends.

    Returns (first kept row, end of kept rows, kept non-empty rows), or None when no data table remains.
    """
    lo, hi = 0, len(rows)
    while lo < hi and _prose_row(rows[lo]):
        lo += 1
    while hi > lo and _prose_row(rows[hi - 1]):
        hi -= 1
    kept = [r for r in rows[lo:hi] if any(r)]
    if len(kept) >= 2 and max(sum(1 for c in r if c) for r in kept) >= 2:
        return lo, hi, kept
    return None


def _page_items(page, pno: int) -> list[tuple[float, object]]:
    """Lines and tables of one page through pdfplumber (the slow path), with their top coordinates."""
    items: list[tuple[float, object]] = []
    boxes = []
    try:
        found = page.find_tables()
    except Exception:  # pdfplumber can choke on odd vector graphics; text still extracts
        found = []
    for t in found:
        rows = [[clean_line(c or "").replace("\n", "") for c in r] for r in t.extract()]
        cut = _trimmed(rows)
        if cut is None:
            continue
        lo, hi, kept = cut
        x0, top, x1, bottom = t.bbox
        if 0 < lo < len(t.rows):
            top = t.rows[lo].bbox[1]
        if 0 < hi < len(t.rows):
            bottom = t.rows[hi - 1].bbox[3]
        boxes.append((x0, top, x1, bottom))
        items.append((top, make_table(kept, page=pno)))
    text_page = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes)) if boxes else page
    for ln in text_page.extract_text_lines(layout=False, strip=True, return_chars=True):
        text = clean_line(ln["text"])
        if not text:
            continue
        sizes = [c.get("size", 0) for c in ln.get("chars", [])] or [0]
        items.append((ln["top"], _Line(text, ln["x0"], ln["x1"], ln["top"], ln["bottom"], pno, max(sizes))))
    items.sort(key=lambda it: it[0])
    return items


def _pdfium_page_items(page, textpage, pno: int) -> list[tuple[float, object]] | None:
    """Lines and ruled tables of one page through pdfium (the fast path); None when a table cell lost text
    that only pdfplumber can read (see pdf_tables.lost_text_cells)."""
    from .pdf_tables import find_tables

    items: list[tuple[float, object]] = []
    boxes = []
    for t in find_tables(page, textpage):
        if t.lost_text_cells:
            return None
        cut = _trimmed([[clean_line(c) for c in r] for r in t.rows])
        if cut is None:
            continue
        lo, hi, kept = cut
        x0, top, x1, bottom = t.bbox
        if 0 < lo < len(t.row_bboxes):
            top = t.row_bboxes[lo][1]
        if 0 < hi < len(t.row_bboxes):
            bottom = t.row_bboxes[hi - 1][3]
        boxes.append((x0, top, x1, bottom))
        items.append((top, make_table(kept, page=pno)))
    items.extend(_pdfium_lines(page, textpage, pno, boxes))
    return items


_TABLE_HEAD = re.compile(r"第二十条|信息内容|勾稽|申请人情况|行政复议|行政诉讼|本年|自然人")


def _prose_row(row: list[str]) -> bool:
    """A row with a single filled cell of running text (or nothing): not part of the data table."""
    filled = [c for c in row if c]
    if not filled:
        return True
    return len(filled) == 1 and len(filled[0]) >= 6 and not _TABLE_HEAD.search(filled[0])


def _running_lines(pages: list[list[tuple[float, object]]]) -> set[str]:
    """Texts that recur at the top or bottom of at least half of the pages (headers, footers)."""
    if len(pages) < 2:
        return set()
    seen: Counter[str] = Counter()
    for items in pages:
        lines = [it for _, it in items if isinstance(it, _Line)]
        edge = {re.sub(r"\d+", "#", ln.text) for ln in lines[:2] + lines[-2:]}
        seen.update(edge)
    need = len(pages) if len(pages) < 4 else max(3, len(pages) // 2)
    return {t for t, n in seen.items() if n >= need and not is_heading_like(t)}


_TABLE_TEXT = re.compile(r"第二十条|本年新收|勾稽|信息内容|结果维持|复议后起诉|本年度办理结果")
_NUMERIC_LINE = re.compile(r"(?:\s+[\d０-９.,]+){3,}\s*$")


def _pdfium_lines(page, textpage, pno: int, exclude: list[tuple[float, float, float, float]]) -> list[tuple[float, _Line]]:
    """Text lines of a page from pdfium, in top-left coordinates; lines inside ``exclude`` boxes dropped."""
    height = page.get_size()[1]
    text = textpage.get_text_range()
    out: list[tuple[float, _Line]] = []
    pos = 0
    for raw in text.split("\r\n"):
        start = pos
        pos += len(raw) + 2
        stripped = raw.strip()
        if not stripped:
            continue
        a = start + (len(raw) - len(raw.lstrip()))
        b = start + len(raw.rstrip()) - 1
        # Loose boxes span the font's ascent and descent: their height is the font size, not the glyph's.
        l0, b0, _r0, t0 = textpage.get_charbox(a, loose=True)
        _l1, b1, r1, t1 = textpage.get_charbox(b, loose=True)
        top, bottom = height - max(t0, t1), height - min(b0, b1)
        if exclude:
            cx, cy = (l0 + r1) / 2, (top + bottom) / 2
            if any(x0 - 1 <= cx <= x1 + 1 and y0 - 1 <= cy <= y1 + 1 for x0, y0, x1, y1 in exclude):
                continue
        line = clean_line(stripped)
        if line:
            out.append((top, _Line(line, l0, r1, top, bottom, pno, round(t0 - b0, 1))))
    return out


def _needs_tables(page, text: str) -> bool:
    """Ruled tables are looked for only on pages with vector paths and table wording (the slow path)."""
    if not (_TABLE_TEXT.search(text) or len(_NUMERIC_LINE.findall(text.replace("\r\n", "\n"))) >= 2):
        return False
    import pypdfium2.raw as pdfium_c

    return any(True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2))


def parse_pdf(data: bytes, source: str | None = None) -> Document:
    """Text lines and ruled tables from pdfium (fast); pdfplumber only for a page whose table text pdfium
    cannot read completely."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
        n_pages = len(pdf)
    except Exception as exc:
        raise TextmineError(f"cannot read PDF ({exc.__class__.__name__}: damaged or not a PDF)", source) from None
    if n_pages > MAX_PDF_PAGES:
        pdf.close()
        raise TextmineError(f"PDF has {n_pages} pages, over the {MAX_PDF_PAGES}-page limit", source)
    pages: list[list[tuple[float, object]]] = []
    plumber = None
    scan = ScanReader(source)
    try:
        for i in range(n_pages):
            page = pdf[i]
            textpage = page.get_textpage()
            try:
                text = textpage.get_text_range()
                items = scan.read(page, i + 1, text) if needs_ocr(page, text) else None
                if items is None:  # a text page, or no OCR engine: the text layer, whatever it holds
                    items = _pdfium_page_items(page, textpage, i + 1) if _needs_tables(page, text) else \
                        _pdfium_lines(page, textpage, i + 1, [])
            finally:
                textpage.close()
                page.close()
            if items is None:  # the rare page only pdfplumber reads completely
                if plumber is None:
                    logging.getLogger("pdfminer").setLevel(logging.ERROR)
                    import pdfplumber

                    plumber = pdfplumber.open(io.BytesIO(data))
                items = _page_items(plumber.pages[i], i + 1)
            pages.append(items)
        if plumber is not None:
            # Closing re-reads the pages in pdfplumber: keep it inside the error handling.
            plumber.close()
            plumber = None
    except TextmineError:
        raise
    except Exception as exc:
        raise TextmineError(f"cannot read PDF page ({exc.__class__.__name__})", source) from None
    finally:
        if plumber is not None:
            try:
                plumber.close()
            except Exception:
                pass
        pdf.close()
    if not any(isinstance(it, _Line) or isinstance(it, Table) for items in pages for _, it in items):
        raise TextmineError(scan.empty_reason(), source)
    running = _running_lines(pages)
    lines_and_tables: list[object] = []
    for items in pages:
        for _, it in sorted(items, key=lambda x: x[0]):
            if isinstance(it, _Line):
                if is_page_number(it.text) or re.sub(r"\d+", "#", it.text) in running:
                    continue
            lines_and_tables.append(it)
    doc = Document(_paragraphs(lines_and_tables), source=source, format="pdf")
    scan.annotate(doc)
    return doc


def _paragraphs(items: list[object]) -> list[Block]:
    lines = [it for it in items if isinstance(it, _Line)]
    if not lines:
        return [it for it in items if isinstance(it, Table)]
    # Body text margins: the most common left edge and the far right edge of full lines.
    lefts = Counter(round(ln.x0) for ln in lines)
    left = lefts.most_common(1)[0][0]
    char_w = Counter(round(ln.size) for ln in lines).most_common(1)[0][0] or 12
    rights = sorted(ln.x1 for ln in lines)
    right = rights[int(len(rights) * 0.95) - 1] if len(rights) > 1 else rights[0]
    blocks: list[Block] = []
    cur: _Line | None = None
    buf: list[str] = []

    def flush() -> None:
        if buf:
            blocks.append(Paragraph(tighten("".join(buf)), page=cur.page if cur else None))
            buf.clear()

    for it in items:
        if isinstance(it, Table):
            flush()
            cur = None
            blocks.append(it)
            continue
        ln = it
        starts_new = (
            cur is None
            or cur.x1 < right - 1.5 * char_w  # previous line stopped short: paragraph ended
            or ln.x0 > left + 1.2 * char_w  # indented first line of a new paragraph
            or bool(PARA_START.match(ln.text))
            or max(ln.size, cur.size) > 1.18 * max(0.1, min(ln.size, cur.size))  # a heading in another size
        )
        if starts_new:
            flush()
        sep = " " if buf and re.search(r"[A-Za-z0-9]$", buf[-1]) and re.match(r"[A-Za-z]", ln.text) else ""
        buf.append(sep + ln.text)
        cur = ln
    flush()
    return blocks


def load_pdf(path: str, data: bytes) -> Document:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise TextmineError("not a PDF file (no %PDF header)", path)
    check_pdf_streams(data, path)  # pdfium inflates a content stream whole: bound it first
    return parse_pdf(data, source=path)
