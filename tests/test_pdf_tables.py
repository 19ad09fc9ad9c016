"""Ruled tables straight from pdfium (textmine.loaders.pdf_tables) against pdfplumber's lattice finder.

pdfplumber's ``find_tables()`` + ``extract()`` is the reference, computed here on every page: same tables,
bboxes within 2 pt, same cell texts once newlines and the spaces between CJK characters are dropped
(pdfplumber joins a cell's lines with "\\n", pdfium_tables joins them with nothing).
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from conftest import REAL, ROOT, needs_shared
from support import synth

from textmine.loaders import pdf_tables
from textmine.loaders.pdf_tables import PdfTable, find_tables

logging.getLogger("pdfminer").setLevel(logging.ERROR)

REAL_PDFS = ["huaian-city-gov_2024", "hongze-district-gov_2023", "hongze-district-gov_2024"]
CORPUS_PDFS = sorted((ROOT / "corpus").glob("*.pdf"))
CJK = "[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
W, H = 595, 842


def norm(s: str | None) -> str:
    s = (s or "").replace("\n", "")
    s = re.sub(rf"(?<={CJK})\s+(?={CJK})", "", s)
    return re.sub(r"\s+", " ", s).strip()


def reference(data: bytes) -> list[list[dict]]:
    """pdfplumber's tables per page: bbox, row boxes and normalised rows."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            out.append([{"bbox": t.bbox, "row_bboxes": [r.bbox for r in t.rows],
                         "rows": [[norm(c) for c in row] for row in t.extract()]} for t in page.find_tables()])
    return out


def ours(data: bytes) -> list[list[PdfTable]]:
    doc = pdfium.PdfDocument(data)
    try:
        return [find_tables(doc[i]) for i in range(len(doc))]
    finally:
        doc.close()


def close(a, b, tol: float = 2.0) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b, strict=True))


def mismatches(ref: dict, got: PdfTable) -> set[tuple[int, int]]:
    """Cells whose text differs; asserts the grid itself (shape, boxes) agrees."""
    assert close(ref["bbox"], got.bbox), (ref["bbox"], got.bbox)
    assert len(got.row_bboxes) == len(ref["row_bboxes"])
    assert all(close(a, b) for a, b in zip(ref["row_bboxes"], got.row_bboxes))
    assert [len(r) for r in got.rows] == [len(r) for r in ref["rows"]]
    return {(ri, ci) for ri, (ra, rb) in enumerate(zip(ref["rows"], got.rows))
            for ci, (a, b) in enumerate(zip(ra, rb)) if a != norm(b)}


def assert_same(data: bytes) -> list[list[PdfTable]]:
    """Every page: the same tables as pdfplumber, cell for cell; no text lost."""
    refs, gots = reference(data), ours(data)
    assert len(refs) == len(gots)
    for pno, (ref_page, got_page) in enumerate(zip(refs, gots), start=1):
        assert len(got_page) == len(ref_page), f"page {pno}"
        for ref, got in zip(ref_page, got_page):
            bad = mismatches(ref, got)
            assert not bad, f"page {pno}: " + "; ".join(
                f"{ref['rows'][r][c]!r} != {got.rows[r][c]!r}" for r, c in sorted(bad))
            assert got.lost_text_cells == []
    return gots


def is_subsequence(short: str, long: str) -> bool:
    it = iter(long)
    return all(ch in it for ch in short)


# --- real reports ------------------------------------------------------------------------------


@needs_shared
@pytest.mark.parametrize("name", REAL_PDFS)
def test_real_reports_match_pdfplumber(name: str) -> None:
    path = next(p for p in REAL.glob("*.pdf") if name in p.name)
    pages = assert_same(path.read_bytes())
    tables = [t for page in pages for t in page]
    # Tables 2, 3 and 4 of the standard form are all there (table 3 split over two pages).
    assert any(r[0] == "信息内容" for t in tables for r in t.rows)
    assert sum(1 for t in tables if len(t.rows[0]) == 10) == 2
    assert any(len(t.rows[0]) == 15 for t in tables)


@needs_shared
def test_vertical_writing_label_lands_in_its_merged_cell() -> None:
    # The 三、本年度办理结果 label of table 3 is set in a vertical CID font with a scaled text
    # matrix; pdfium's loose char boxes for it are 20x too large and must not be used.
    path = next(p for p in REAL.glob("*.pdf") if "hongze-district-gov_2024" in p.name)
    doc = pdfium.PdfDocument(path)
    table = max(find_tables(doc[2]), key=lambda t: len(t.rows))
    labels = [r[0] for r in table.rows if r[0]]
    assert "三、本年度办理结果" in labels
    assert all(not r[1].startswith(("三", "本年", "办理", "结果")) for r in table.rows)


# --- corpus PDFs (reportlab, tables drawn as one rect per cell, built-in STSong-Light) -----------


@pytest.mark.parametrize("path", CORPUS_PDFS, ids=[p.stem for p in CORPUS_PDFS])
def test_corpus_pdfs_match_pdfplumber_except_flagged_cells(path: Path) -> None:
    data = path.read_bytes()
    refs, gots = reference(data), ours(data)
    for ref_page, got_page in zip(refs, gots, strict=True):
        assert len(got_page) == len(ref_page)
        for ref, got in zip(ref_page, got_page):
            bad = mismatches(ref, got)
            # Wrapped header cells end in a one-character line ("持", "正"): a single CJK glyph of a
            # non-embedded font has a zero-width box in pdfium, whose text layer then skips it. Those
            # cells, and only those, are flagged, and what is left is the reference minus those glyphs.
            assert bad == set(got.lost_text_cells)
            for r, c in bad:
                assert is_subsequence(norm(got.rows[r][c]), ref["rows"][r][c])
    assert len(CORPUS_PDFS) == 4


# --- synthetic PDFs ------------------------------------------------------------------------------


def _canvas():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, pagesize=(W, H))


Cell = tuple[int, int, int, int, "str | list[str]"]


def draw_table(c, x0: float, top: float, widths: list[float], heights: list[float], cells: list[Cell],
               mode: str = "rect") -> None:
    """A ruled table with its upper-left corner at (x0, top) in PDF coordinates.

    cells: (row, col, rowspan, colspan, text or list of lines). mode "rect" draws one rectangle per
    cell, "lines" the grid as line segments (none inside a merged cell), "thin" those segments as
    thin filled rectangles (as Word does).
    """
    xs = [x0 + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [top - sum(heights[:i]) for i in range(len(heights) + 1)]
    c.setLineWidth(0.6)
    owner = {}
    for cell in cells:
        r, k, rs, cs, _ = cell
        for rr in range(r, r + rs):
            for kk in range(k, k + cs):
                owner[(rr, kk)] = cell
    if mode == "rect":
        for r, k, rs, cs, _ in cells:
            c.rect(xs[k], ys[r + rs], xs[k + cs] - xs[k], ys[r] - ys[r + rs])
    else:
        segs = [(xs[k], ys[r], xs[k + 1], ys[r]) for r in range(len(heights) + 1) for k in range(len(widths))
                if owner.get((r - 1, k)) is None or owner.get((r - 1, k)) is not owner.get((r, k))]
        segs += [(xs[k], ys[r], xs[k], ys[r + 1]) for k in range(len(widths) + 1) for r in range(len(heights))
                 if owner.get((r, k - 1)) is None or owner.get((r, k - 1)) is not owner.get((r, k))]
        for xa, ya, xb, yb in segs:
            if mode == "lines":
                c.line(xa, ya, xb, yb)
            elif ya == yb:
                c.rect(xa - 0.25, ya - 0.25, xb - xa + 0.5, 0.5, stroke=0, fill=1)
            else:
                c.rect(xa - 0.25, yb - 0.25, 0.5, ya - yb + 0.5, stroke=0, fill=1)
    for r, k, rs, _cs, text in cells:
        lines = text if isinstance(text, list) else [text] if text else []
        y = (ys[r] + ys[r + rs]) / 2 + len(lines) * 5 - 8
        for ln in lines:
            # Single Latin letters in Helvetica: pdfium measures those (see the lost-text test).
            c.setFont("Helvetica" if len(ln) == 1 and ln.isascii() else "STSong-Light", 8)
            c.drawString(xs[k] + 3, y, ln)
            y -= 10


MERGED: list[Cell] = [
    (0, 0, 2, 1, "信息内容"), (0, 1, 1, 3, "申请人情况"),
    (1, 1, 1, 1, "自然人"), (1, 2, 1, 1, "法人"), (1, 3, 1, 1, "总计"),
    (2, 0, 1, 1, "本年新收"), (2, 1, 1, 1, "12"), (2, 2, 1, 1, "3"), (2, 3, 1, 1, "15"),
    (3, 0, 2, 1, ["A", "B", "C"]), (3, 1, 1, 1, "Total 12"), (3, 2, 1, 1, "其中"), (3, 3, 1, 1, ""),
    (4, 1, 1, 3, ["合计说明", "文字两行"]),
]
MERGED_ROWS = [
    ["信息内容", "申请人情况", "", ""],
    ["", "自然人", "法人", "总计"],
    ["本年新收", "12", "3", "15"],
    ["ABC", "Total 12", "其中", ""],
    ["", "合计说明文字两行", "", ""],
]


@pytest.mark.parametrize("mode", ["rect", "lines", "thin"])
def test_merged_cells_in_every_drawing_style(mode: str) -> None:
    buf, c = _canvas()
    c.setFont("STSong-Light", 12)
    c.drawString(72, 760, "表格上方的一段说明文字")
    draw_table(c, 72, 700, [150, 100, 100, 100], [24, 20, 20, 36, 20], MERGED, mode)
    c.showPage()
    c.save()
    [[table]] = assert_same(buf.getvalue())
    assert table.rows == MERGED_ROWS
    assert close(table.bbox, (72, 142, 522, 262))
    # Merged cells: one box in the top-left grid position, None where it extends.
    assert table.cells[0][1] is not None and table.cells[0][2] is None and table.cells[1][0] is None


def test_table_split_over_two_pages_and_pages_without_tables() -> None:
    buf, c = _canvas()
    head: list[Cell] = [(0, 0, 1, 1, "项目"), (0, 1, 1, 1, "本年数量"), (0, 2, 1, 1, "上年数量")]
    first = head + [(r, k, 1, 1, f"第{r}项" if k == 0 else str(r * 10 + k)) for r in range(1, 9) for k in range(3)]
    draw_table(c, 80, 400, [200, 100, 100], [20] * 9, first)
    c.showPage()
    rest = [(r - 9, k, 1, 1, f"第{r}项" if k == 0 else str(r * 10 + k)) for r in range(9, 14) for k in range(3)]
    draw_table(c, 80, 780, [200, 100, 100], [20] * 5, rest, mode="lines")
    c.setFont("STSong-Light", 12)
    c.drawString(80, 600, "表格之后的正文，不在任何表格里。")
    c.showPage()
    # No table: running text, one framed box (a single cell), lone horizontal rules.
    c.setFont("STSong-Light", 12)
    c.drawString(80, 700, "这一页只有正文和一个文本框。")
    c.rect(70, 500, 400, 120)
    c.drawString(80, 560, "框里的文字")
    c.line(70, 780, 520, 780)
    c.line(70, 60, 520, 60)
    c.showPage()
    c.save()
    pages = assert_same(buf.getvalue())
    assert [len(p) for p in pages] == [1, 1, 0]
    assert pages[0][0].rows[0] == ["项目", "本年数量", "上年数量"]
    assert pages[0][0].rows[-1] == ["第8项", "81", "82"]
    assert pages[1][0].rows[0] == ["第9项", "91", "92"]
    assert len(pages[1][0].rows) == 5


def test_table_inside_a_scaled_form_xobject() -> None:
    buf, c = _canvas()
    c.beginForm("grid")
    draw_table(c, 0, 100, [80, 80, 80], [25, 25, 25],
               [(r, k, 1, 1, f"格{r}{k}号") for r in range(3) for k in range(3)], mode="lines")
    c.endForm()
    for dx, dy, scale in [(100, 500, 1.25), (100, 200, 1.0)]:
        c.saveState()
        c.translate(dx, dy)
        c.scale(scale, scale)
        c.doForm("grid")
        c.restoreState()
    c.showPage()
    c.save()
    [[upper, lower]] = assert_same(buf.getvalue())
    assert upper.rows == lower.rows == [[f"格{r}{k}号" for k in range(3)] for r in range(3)]
    assert close(upper.bbox, (100, 842 - 625, 400, 842 - 531.25))


def test_single_cjk_glyph_of_a_builtin_font_is_flagged_as_lost() -> None:
    buf, c = _canvas()
    cells: list[Cell] = [(0, 0, 1, 1, "是否公开"), (0, 1, 1, 1, "是"), (1, 0, 1, 1, "备注"), (1, 1, 1, 1, "X")]
    draw_table(c, 72, 700, [120, 120], [24, 24], cells)
    c.showPage()
    c.save()
    [[ref]] = reference(buf.getvalue())
    [[got]] = ours(buf.getvalue())
    assert ref["rows"] == [["是否公开", "是"], ["备注", "X"]]
    # Older pdfium builds drop a lone CJK glyph of a builtin font (pypdfium2 4.x); newer ones read it.
    # Either way it is never lost silently: read, or the cell is flagged.
    if got.rows[0][1] == "是":
        assert got.rows == [["是否公开", "是"], ["备注", "X"]] and got.lost_text_cells == []
    else:
        assert got.rows == [["是否公开", ""], ["备注", "X"]]
        assert got.lost_text_cells == [(0, 1)]


def _handmade_pdf(content: bytes, page_attrs: bytes = b"", pages_attrs: bytes = b"") -> bytes:
    """A one-page PDF written by hand: media box only on the page tree node if the page lacks one."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 " + pages_attrs + b">>",
            b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> "
            + page_attrs + b">>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_inherited_media_box_lines_curves_and_unpainted_paths() -> None:
    rules = b" ".join(b"100 %d m 400 %d l" % (y, y) for y in (700, 680, 660, 640))
    rules += b" " + b" ".join(b"%d 640 m %d 700 l" % (x, x) for x in (100, 250, 400))
    content = (
        b"0.5 w " + rules + b" S "
        # A filled curve shape and a diagonal: no cells from them.
        + b"450 650 m 470 690 490 690 510 650 c f 450 600 m 550 500 l S "
        # Unpainted and clip-only rectangles are not drawn: no edges.
        + b"100 300 300 200 re n q 100 300 300 200 re W n Q "
        + b"BT /F1 9 Tf 110 686 Td (Name) Tj 150 0 Td (Count) Tj -150 -20 Td (alpha) Tj 150 0 Td (12) Tj "
        + b"-150 -20 Td (beta gamma) Tj 150 0 Td (3 4) Tj ET"
    )
    data = _handmade_pdf(content, pages_attrs=b"/MediaBox [0 0 612 792] ")
    [[table]] = assert_same(data)
    assert table.rows == [["Name", "Count"], ["alpha", "12"], ["beta gamma", "3 4"]]
    assert close(table.bbox, (100, 92, 400, 152))


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_turned_page_geometry(rotation: int) -> None:
    buf, c = _canvas()
    draw_table(c, 100, 700, [80, 80, 80], [25, 25, 25],
               [(r, k, 1, 1, f"格{r}{k}") for r in range(3) for k in range(3)])
    c.setPageRotation(rotation)
    c.showPage()
    c.save()
    [[ref]] = reference(buf.getvalue())
    [[got]] = ours(buf.getvalue())
    mismatches(ref, got)  # boxes and grid shape as pdfplumber's page as displayed
    if rotation == 180:  # upside-down text is still read along its line
        assert [[norm(x) for x in r] for r in got.rows] == ref["rows"]


def test_synthetic_report_pdf() -> None:
    pages = assert_same(synth.to_pdf(synth.default_report()))
    rows = [t.rows for page in pages for t in page]
    assert synth.PROACTIVE_ROWS[-1] in [r for t in rows for r in t]
    assert any(r[0] == "一、本年新收政府信息公开申请数量" and r[-1] == "9" for t in rows for r in t)


def test_point_reader_fallback_and_given_textpage(monkeypatch: pytest.MonkeyPatch) -> None:
    data = CORPUS_PDFS[0].read_bytes()
    doc = pdfium.PdfDocument(data)
    page = doc[1]
    fast = find_tables(page)
    # The public-API path for path points gives the same tables as reading pdfium's array directly.
    monkeypatch.setattr(pdf_tables, "_SEG_LAYOUT_OK", False)
    assert find_tables(page) == fast
    # A text page passed in is used and left open for the caller.
    textpage = page.get_textpage()
    assert find_tables(page, textpage) == fast
    assert textpage.count_chars() > 0
    assert len(fast) == 2 and fast[0].rows[0][0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
