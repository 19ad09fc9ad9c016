"""A scanned PDF page as the PDF loader's lines and tables, from OCR boxes (see :mod:`.ocr`).

Lines: boxes whose vertical centres lie within half a text height of each other form a row; boxes of a
row closer than two character heights are one line. Tables: the area between ruling lines (rules
drawn across a third of the page, no more than a few lines apart). Its rows are the baselines of its
boxes; its columns are the x-positions of the cell edges (vertical rules found in the bitmap, checked
row by row so that a merged cell spans the grid columns under it, as the .docx loader repeats it), or
the x-positions of its number boxes when the table has no vertical rules. In a ruled row, a box that
runs across a cell edge (detection joins neighbouring narrow cells' numbers, "0 | 0" as "00") is cut at
the edge, and a cell holding ink but no box (a lone "0" is what detection misses most) is recognised on
its own. Each number comes from its own box; one read with a confidence under ``LOW_CONFIDENCE`` becomes ``?`` plus an ``ocr`` finding,
so the table parser reports the row instead of trusting the digit.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from .ocr import LOW_CONFIDENCE, Box, is_number, number_text, table_bands


@dataclass
class PageRead:
    """What OCR made of one page: (top, line or table) items, every box's confidence, findings."""

    items: list[tuple[float, object]] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    cell_reads: int = 0


def _rows(boxes: list[Box], height: float) -> list[list[Box]]:
    """Boxes grouped by baseline, top to bottom, each row left to right."""
    rows: list[list[Box]] = []
    for b in sorted(boxes, key=lambda b: b.cy):
        if rows and abs(b.cy - statistics.fmean(x.cy for x in rows[-1])) <= height / 2:
            rows[-1].append(b)
        else:
            rows.append([b])
    return [sorted(r, key=lambda b: b.x0) for r in rows]


def _lines(boxes: list[Box], height: float, pno: int) -> list[tuple[float, object]]:
    from .pdf_lines import Line as _Line

    out: list[tuple[float, object]] = []
    for row in _rows(boxes, height):
        parts = [[row[0]]]
        for b in row[1:]:
            if b.x0 - parts[-1][-1].x1 < 2 * height:
                parts[-1].append(b)
            else:
                parts.append([b])
        for part in parts:
            top, bottom = min(b.top for b in part), max(b.bottom for b in part)
            # One size for body lines: box heights jitter by a few points, which the paragraph joiner
            # would take for a change of font; a heading box is clearly taller.
            size = round(bottom - top) if bottom - top > 1.3 * height else round(height)
            out.append((top, _Line("".join(b.text for b in part), part[0].x0, part[-1].x1, top, bottom, pno,
                                   float(size))))
    return out


def _edges(img, scale: float, top: float, bottom: float, height: float) -> list[tuple[int, int]]:
    """Candidate vertical rules in a table band: pixel columns with an unbroken dark run taller than a
    text box (a glyph's stroke is shorter)."""
    from .ocr import dark, longest_runs

    band = dark(img[int(top * scale):int(bottom * scale) + 1], 1)
    if band.size == 0:
        return []
    cols = longest_runs(band, axis=0) >= max(4, 1.1 * height * scale)
    out: list[tuple[int, int]] = []
    for x, on in enumerate(cols.tolist()):
        if on and out and x - out[-1][1] <= 2:
            out[-1] = (out[-1][0], x)
        elif on:
            out.append((x, x))
    return out


def _row_edges(img, scale: float, edges, y0: float, y1: float) -> list[float]:
    """The vertical rules that cross the whole row span [y0, y1] (points), as x in points."""
    from .ocr import dark

    strip = dark(img[int(y0 * scale):max(int(y0 * scale) + 1, int(y1 * scale))], 1)
    out = []
    for a, b in edges:
        if strip[:, a:b + 1].any(axis=1).mean() >= 0.9:
            out.append((a + b) / 2 / scale)
    return out


def _cell_text(boxes: list[Box]) -> str:
    return "".join(b.text for b in sorted(boxes, key=lambda b: (round(b.cy / 4), b.x0)))


def _split(row: list[Box], cuts: list[float], height: float) -> list[Box]:
    """Boxes that run across a vertical rule of their row cut at it: detection joins the numbers of two
    narrow neighbouring cells ("0 | 0" read as one box "00"); each character goes to the side its
    position in the box (characters of a box are about equally wide) falls on."""
    out: list[Box] = []
    for b in row:
        inner = [c for c in cuts if b.x0 + height / 4 < c < b.x1 - height / 4]
        if not inner or len(b.text) < 2:
            out.append(b)
            continue
        w = (b.x1 - b.x0) / len(b.text)
        parts: dict[int, list[int]] = {}
        for i in range(len(b.text)):
            parts.setdefault(sum(c <= b.x0 + (i + 0.5) * w for c in inner), []).append(i)
        for idx in parts.values():
            out.append(Box("".join(b.text[i] for i in idx), b.x0 + idx[0] * w, b.top, b.x0 + (idx[-1] + 1) * w,
                           b.bottom, b.conf))
    return out


def _grid_row(row: list[Box], cuts: list[float], grid: list[float]) -> list[list[Box]]:
    """The boxes of one row placed on the table grid; a cell between two rules of this row covers every
    grid column between them (the same boxes repeated, as a merged cell is expanded)."""
    cells: list[list[Box]] = [[] for _ in range(len(grid) - 1)]
    for i in range(len(cuts) - 1):
        inside = [b for b in row if cuts[i] <= (b.x0 + b.x1) / 2 < cuts[i + 1]]
        for j in range(len(grid) - 1):
            if cuts[i] - 1 <= grid[j] and grid[j + 1] <= cuts[i + 1] + 1:
                cells[j] = inside
    return cells


def _number_columns(rows: list[list[Box]], height: float) -> list[float]:
    """Cell edges of a table without vertical rules: midpoints between the columns of number boxes."""
    centres = sorted((b.x0 + b.x1) / 2 for r in rows for b in r if is_number(b.text))
    cols: list[list[float]] = []
    for c in centres:
        if cols and c - cols[-1][-1] <= 1.5 * height:
            cols[-1].append(c)
        else:
            cols.append([c])
    mids = [statistics.fmean(c) for c in cols]
    if not mids:
        return []
    first = min(b.x0 for r in rows for b in r) - 1
    last = max(b.x1 for r in rows for b in r) + 1
    return [first] + [(a + b) / 2 for a, b in zip(mids, mids[1:])] + [last] if len(mids) > 1 else \
        [first, (first + mids[0]) / 2, last]


def _cell(boxes: list[Box], pno: int, read: PageRead) -> str:
    text = _cell_text(boxes)
    if not boxes or not is_number(text):
        return text
    conf = min(b.conf for b in boxes)
    if conf < LOW_CONFIDENCE:
        read.findings.append({**_finding(pno, f"table cell read as {text!r} with confidence {conf:.2f}; "
                                               "not trusted"), "found": text})
        return "?"
    return number_text(text)


def _between_rules(rows: list[list[Box]], rules: list[float], span: tuple[float, float]):
    """Box rows grouped by the pair of horizontal rules they lie between (a cell with two lines of text
    is one table row), each with that pair's y-range."""
    from bisect import bisect_right

    edges = sorted(set([span[0]] + rules + [span[1]]))
    out: list[tuple[list[Box], float, float]] = []
    last = -1
    for row in rows:
        k = min(max(1, bisect_right(edges, row[0].cy)), len(edges) - 1)
        if k == last:
            out[-1][0].extend(row)
        else:
            out.append((list(row), edges[k - 1], edges[k]))
        last = k
    return out


MAX_CELL_READS = 400  # per page: cells read one by one when detection missed them (a few ms each)


def _missed(row: list[Box], img, scale: float, cuts: list[float], y0: float, y1: float, read: PageRead) -> list[Box]:
    """Boxes for the cells of a ruled row that hold ink but no detected box, each recognised on its own."""
    from .ocr import read_cell

    out: list[Box] = []
    pad = 3 / scale  # the vertical rules themselves stay out of the crop
    for a, b in zip(cuts, cuts[1:]):
        if read.cell_reads >= MAX_CELL_READS or any(a <= (x.x0 + x.x1) / 2 < b for x in row):
            continue
        read.cell_reads += 1
        box = read_cell(img, scale, a + pad, y0, b - pad, y1)
        if box is not None and is_number(box.text):  # a label's detection is not what fails
            out.append(box)
            read.confidences.append(box.conf)
    return out


def _table(boxes: list[Box], img, scale: float, span: tuple[float, float], rules: list[float], height: float,
           pno: int, read: PageRead) -> list[list[str]]:
    rows = _between_rules(_rows(boxes, height), rules, span)
    edges = _edges(img, scale, span[0], span[1], height)
    grid = sorted((a + b) / 2 / scale for a, b in edges) if len(edges) >= 3 else \
        _number_columns([r for r, _, _ in rows], height)
    if len(grid) < 2:
        return [[_cell_text(r)] for r, _, _ in rows]
    out: list[list[str]] = []
    pad = 3 / scale  # keep the horizontal rules themselves out of the row's span
    for row, y0, y1 in rows:
        cuts = _row_edges(img, scale, edges, y0 + pad, y1 - pad) if len(edges) >= 3 else grid
        cuts = sorted(set([grid[0]] + cuts + [grid[-1]]))
        if len(edges) >= 3:
            row = _split(row, cuts, height)
            row = row + _missed(row, img, scale, cuts, y0 + pad, y1 - pad, read)
        out.append([_cell(c, pno, read) for c in _grid_row(row, cuts, grid)])
    return out


def page_items(page, pno: int) -> PageRead:
    """OCR one pdfium page into the PDF loader's (top, _Line | Table) items."""
    from ..document import make_table
    from .ocr import read_page

    boxes, rules, img, scale = read_page(page)
    read = PageRead(confidences=[b.conf for b in boxes])
    if not boxes:
        return read
    height = statistics.median(b.bottom - b.top for b in boxes)
    rest = list(boxes)
    for top, bottom in table_bands(rules, img, scale, height):
        inside = [b for b in rest if top - 1 <= b.cy <= bottom + 1]
        if not inside:
            continue
        rest = [b for b in rest if b not in inside]
        tops = [y for y, _ in rules if top - 1 <= y <= bottom + 1]
        rows = [r for r in _table(inside, img, scale, (top, bottom), tops, height, pno, read) if any(r)]
        if rows:
            read.items.append((top, make_table(rows, page=pno)))
    read.items.extend(_lines(rest, height, pno))
    read.items.sort(key=lambda it: it[0])
    return read


def _cjk_share(text: str) -> float:
    chars = [c for c in text if not c.isspace()]
    return sum(1 for c in chars if "\u4e00" <= c <= "\u9fff") / len(chars) if chars else 0.0


def _image_share(page) -> float:
    """Share of the page area covered by image objects (a scan is one page-sized picture)."""
    import pypdfium2.raw as pdfium_c

    width, height = page.get_size()
    area = 0.0
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        left, bottom, right, top = (getattr(obj, "get_bounds", None) or obj.get_pos)()  # pypdfium2 5 | 4
        area += max(0.0, right - left) * max(0.0, top - bottom)
    return area / max(1.0, width * height)


def needs_ocr(page, text: str) -> bool:
    """A page to OCR: mostly a picture, with no text layer or one that is a scanner's garbage (a Chinese
    report page whose "text" is hardly Chinese: broken font encodings, Latin OCR of Chinese)."""
    body = "".join(text.split())
    if len(body) >= 20 and _cjk_share(body) >= 0.2:
        return False
    return _image_share(page) >= 0.3


class ScanReader:
    """The OCR side of one PDF: pages read, their confidences and findings (the engine loads once)."""

    def __init__(self, source: str | None) -> None:
        self.source = source
        self.pages = 0
        self.tried = 0
        self.skipped: list[int] = []
        self.confidences: list[float] = []
        self.findings: list[dict] = []

    def read(self, page, pno: int, text: str = "") -> list[tuple[float, object]] | None:
        """The page's items from OCR; None without the engine (the caller keeps the page's text layer)."""
        from ..errors import TextmineError
        from .ocr import available

        if not available():
            if not text.strip():
                self.skipped.append(pno)
            return None
        self.tried += 1
        try:
            got = page_items(page, pno)
        except TextmineError as exc:  # this page's own time limit: the other pages still count
            self.findings.append(_finding(pno, f"{exc.reason}; page skipped"))
            return []
        self.pages += 1
        self.confidences += got.confidences
        self.findings += got.findings
        return got.items

    def empty_reason(self) -> str:
        from .ocr import NO_ENGINE

        if self.tried:
            return "PDF has no text layer, and OCR found no text on its pages (a blank or picture-only scan?)"
        return NO_ENGINE

    def annotate(self, doc) -> None:
        """Record in ``doc`` that it was OCR'd, with the mean confidence, and what could not be trusted."""
        if self.pages:
            doc.extra["ocr"] = "true"
            doc.extra["ocr_pages"] = str(self.pages)
            doc.extra["ocr_confidence"] = f"{statistics.fmean(self.confidences or [0.0]):.3f}"
        if self.skipped:
            self.findings.append(_finding(self.skipped[0], f"{len(self.skipped)} page(s) without a text layer "
                                          'skipped: install the OCR extra (pip install "textmine[ocr]")'))
        doc.findings.extend(self.findings)


def _finding(pno: int, message: str) -> dict:
    return {"rule": "ocr", "severity": "warning", "where": f"page {pno}", "message": message,
            "expected": None, "found": None}
