"""Renderers of a sample Report into every format: txt, html, docx and pdf (deterministic bytes)."""

from __future__ import annotations

import datetime as _dt
import io
import zipfile

from sample_model import Grid, Report, body_text, expand

# ---------------------------------------------------------------------------------------------------------
# Renderers


def render_txt(r: Report) -> str:
    """Word saved as plain text: paragraphs one per line, table cells one per tab-led line, a blank line
    after each row (continued vertical merges leave an empty cell, horizontal merges leave none)."""
    lines = list(r.title) + [""] + list(r.preamble)
    for _key, heading, body in r.sections:
        lines.append(heading)
        for item in body:
            if isinstance(item, tuple):
                lines += _txt_table(r.grid(item[1]), r.style)
                lines.append("")
            else:
                lines.append(body_text(item))
    lines += ["", "", " " * 26 + r.signature, " " * 26 + r.date, ""]
    return "\n".join(lines)


def _txt_table(grid: Grid, style: dict) -> list[str]:
    slots, _ = expand(grid)
    out = []
    for row in slots:
        for slot in row:
            if slot is None:
                continue
            cell, origin, col_origin = slot
            if origin:
                text = cell.text
                # Word wraps a long header cell onto a line of its own (as in real exports).
                wrap = style.get("wrap_cells", {}).get(text)
                out.append("\t" + (text if wrap is None else text[:wrap] + "\n" + text[wrap:]))
            elif col_origin:
                out.append("\t")
        out.append("")
    return out


def render_html(r: Report) -> str:
    page_title = "".join(r.title)
    art = [f"<div class='title'><h1>{t}</h1></div>" for t in r.title]
    art += [f"<p style='text-indent:2em'>{p}</p>" for p in r.preamble]
    for _key, heading, body in r.sections:
        art.append(f"<p><strong>{heading}</strong></p>")
        for item in body:
            if isinstance(item, tuple):
                art.append(_html_table(r.grid(item[1])))
            else:
                art.append(f"<p style='text-indent:2em'>{body_text(item)}</p>")
    art.append(f"<p style='text-align:right'>{r.signature}</p>")
    art.append(f"<p style='text-align:right'>{r.date}</p>")
    site = r.style["site"]
    return "\n".join([
        "<!DOCTYPE html>",
        "<html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<meta name='ArticleTitle' content='{page_title}'>",
        f"<meta name='PubDate' content='{r.published} 09:30'>",
        f"<meta name='ContentSource' content='{site['owner']}'>",
        f"<title>{page_title}_{site['name']}</title>",
        "<link rel='stylesheet' href='/css/article.css'>",
        "<script>var _navIndex = 3; function printPage(){window.print();}</script>",
        "</head><body>",
        "<div class='header'><div class='topbar'><a href='/'>无障碍浏览</a> | <a href='/login'>登录</a></div>",
        f"<div class='logo'>{site['name']}</div>",
        "<ul class='nav'><li><a href='/'>首页</a></li><li><a href='/zwgk/'>政务公开</a></li>"
        "<li><a href='/zmhd/'>政民互动</a></li><li><a href='/bsfw/'>办事服务</a></li></ul></div>",
        "<div class='breadcrumb'>当前位置：<a href='/'>首页</a> &gt; <a href='/zwgk/'>政务公开</a> &gt; "
        "政府信息公开年报</div>",
        "<div class='main'>",
        "<div class='sidebar'><h3>信息公开目录</h3><ul><li>信息公开指南</li><li>信息公开制度</li>"
        "<li>法定主动公开内容</li><li>政府信息公开年报</li></ul></div>",
        "<div class='content'>",
        "<table class='xxgk-meta'><tr><td>索引号：</td><td>" + site["index"] + "</td><td>信息分类：</td>"
        "<td>政府信息公开年报</td></tr><tr><td>发布机构：</td><td>" + site["owner"] + "</td><td>公开日期：</td>"
        f"<td>{r.published}</td></tr></table>",
        "<div class='article' id='zoom'>",
        *art,
        "</div>",
        "<div class='share'>分享到：微信 微博</div>",
        "<div class='print'><a href='javascript:printPage()'>【打印本页】</a> <a href='javascript:window.close()'>"
        "【关闭窗口】</a></div>",
        "</div></div>",
        f"<div class='footer'><p>主办单位：{site['owner']}</p><p>网站标识码：{site['code']} "
        "皖ICP备00000000号</p></div>",
        "</body></html>",
        "",
    ])


def _html_table(grid: Grid) -> str:
    out = ["<table border='1' cellspacing='0' cellpadding='0' class='MsoNormalTable'>"]
    for row in grid:
        cells = []
        for cell in row:
            span = (f" rowspan='{cell.rs}'" if cell.rs > 1 else "") + (f" colspan='{cell.cs}'" if cell.cs > 1 else "")
            cells.append(f"<td{span}><p>{cell.text}</p></td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


FIXED_TIME = _dt.datetime(2024, 2, 1, 9, 0, 0)


def render_docx(r: Report) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = docx.Document()
    d.core_properties.author = r.signature
    d.core_properties.last_modified_by = r.signature
    d.core_properties.created = FIXED_TIME
    d.core_properties.modified = FIXED_TIME
    d.core_properties.revision = 1
    for t in r.title:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(t)
        run.bold = True
        run.font.size = Pt(18)
    for t in r.preamble:
        d.add_paragraph(t)
    for _key, heading, body in r.sections:
        p = d.add_paragraph()
        p.add_run(heading).bold = True
        for item in body:
            if isinstance(item, tuple):
                _docx_table(d, r.grid(item[1]))
            else:
                d.add_paragraph(body_text(item))
    for t in (r.signature, r.date):
        p = d.add_paragraph(t)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    buf = io.BytesIO()
    d.save(buf)
    return _fix_zip_times(buf.getvalue())


def _docx_table(d, grid: Grid) -> None:
    slots, n_cols = expand(grid)
    t = d.add_table(rows=len(slots), cols=n_cols)
    t.style = "Table Grid"
    for r, row in enumerate(slots):
        for c, slot in enumerate(row):
            if slot is None or not slot[1]:
                continue
            cell = slot[0]
            target = t.cell(r, c)
            if cell.rs > 1 or cell.cs > 1:
                target = target.merge(t.cell(r + cell.rs - 1, c + cell.cs - 1))
            target.text = cell.text


def _fix_zip_times(data: bytes) -> bytes:
    """python-docx stamps zip members with the current time: rewrite them with a fixed one."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# PDF geometry (points, A4)
PAGE_W, PAGE_H = 595.0, 842.0
MARGIN_L, MARGIN_R, TOP, BOTTOM = 72.0, 72.0, 770.0, 80.0
FONT = "STSong-Light"
CLOSERS = "，。、；：？！）》”’"
OPENERS = "（《“‘"
# Column widths per table (they must add up to the text width, 451 pt).
WIDTHS = {
    "proactive": [150, 100.33, 100.33, 100.34],
    "requests": [22, 70, 149, 30, 30, 30, 30, 30, 30, 30],
    "appeals": [30.06] * 14 + [30.16],
}


def render_pdf(r: Report) -> bytes:
    return _PdfWriter(r).write()


class _PdfWriter:
    """One report onto A4 pages: hard-wrapped lines, page numbers, ruled tables (split as Word does)."""

    size, lead = 11.0, 18.0  # body text
    cell_fs, cell_lh, pad = 7.5, 9.5, 3.0  # table cells

    def __init__(self, r: Report) -> None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont
        from reportlab.pdfgen import canvas

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.metrics = pdfmetrics
        self.r = r
        self.buf = io.BytesIO()
        # invariant=1: no creation date or random file id, so the bytes are reproducible.
        self.c = canvas.Canvas(self.buf, pagesize=(PAGE_W, PAGE_H), invariant=1)
        self.c.setTitle("".join(r.title))
        self.c.setAuthor(r.signature)
        self.text_w = PAGE_W - MARGIN_L - MARGIN_R
        self.y, self.page = TOP, 1
        self.header = r.style.get("pdf_header")

    def start_page(self) -> None:
        if self.header:
            self.c.setFont(FONT, 9)
            self.c.drawString(MARGIN_L, 805, self.header)
            self.c.line(MARGIN_L, 800, PAGE_W - MARGIN_R, 800)
        self.c.setFont(FONT, self.size)

    def end_page(self) -> None:
        self.c.setFont(FONT, 10.5)
        self.c.drawCentredString(PAGE_W / 2, 40, f"- {self.page} -")
        self.c.showPage()

    def new_page(self) -> None:
        self.end_page()
        self.page += 1
        self.y = TOP
        self.start_page()

    def take(self, text: str, avail: float, fs: float) -> str:
        """The longest prefix of ``text`` that fits ``avail`` points (digits are narrower than CJK)."""
        n = 0
        while n < len(text) and self.metrics.stringWidth(text[: n + 1], FONT, fs) <= avail:
            n += 1
        n = max(n, 1)
        # Line-breaking rules of Chinese typesetting: closing punctuation hangs at the end of the line,
        # an opening bracket or quote moves to the next one.
        if n < len(text) and text[n] in CLOSERS:
            n += 1
        elif 1 < n < len(text) and text[n - 1] in OPENERS:
            n -= 1
        return text[:n]

    def wrap(self, text: str, avail: float, fs: float) -> list[str]:
        out = []
        while text:
            chunk = self.take(text, avail, fs)
            out.append(chunk)
            text = text[len(chunk):]
        return out or [""]

    def line(self, text: str, x: float, fs: float | None = None, lh: float | None = None) -> None:
        if self.y < BOTTOM:
            self.new_page()
        self.c.setFont(FONT, self.size if fs is None else fs)
        self.c.drawString(x, self.y, text)
        self.y -= self.lead if lh is None else lh

    def para(self, text: str, indent: bool = True) -> None:
        ind = 2 * self.size if indent else 0
        first = self.take(text, self.text_w - ind, self.size)
        self.line(first, MARGIN_L + ind)
        for chunk in self.wrap(text[len(first):], self.text_w, self.size) if len(first) < len(text) else []:
            self.line(chunk, MARGIN_L)

    def row_heights(self, grid: Grid, widths: list[float]) -> list[float]:
        slots, n_cols = expand(grid)
        assert len(widths) == n_cols, (len(widths), n_cols)
        xs = [MARGIN_L + sum(widths[:i]) for i in range(n_cols + 1)]
        heights = [0.0] * len(slots)
        fs, lh, pad = self.cell_fs, self.cell_lh, self.pad
        for ri, row in enumerate(slots):  # row heights from the one-row cells
            for ci, slot in enumerate(row):
                if slot and slot[1] and slot[0].rs == 1:
                    w = xs[ci + slot[0].cs] - xs[ci]
                    heights[ri] = max(heights[ri], len(self.wrap(slot[0].text, w - 2 * pad, fs)) * lh + 2 * pad)
            heights[ri] = max(heights[ri], 15.0)
        for ri, row in enumerate(slots):  # tall merged cells (vertical labels) stretch their rows
            for ci, slot in enumerate(row):
                if slot and slot[1] and slot[0].rs > 1:
                    w = xs[ci + slot[0].cs] - xs[ci]
                    need = len(self.wrap(slot[0].text, w - 2 * pad, fs)) * lh + 2 * pad
                    have = sum(heights[ri: ri + slot[0].rs])
                    if need > have:
                        for k in range(ri, ri + slot[0].rs):
                            heights[k] += (need - have) / slot[0].rs
        return heights

    def table(self, grid: Grid, widths: list[float]) -> None:
        slots, n_cols = expand(grid)
        xs = [MARGIN_L + sum(widths[:i]) for i in range(n_cols + 1)]
        heights = self.row_heights(grid, widths)
        if self.y + self.size - sum(heights) < BOTTOM and not self.r.style.get("split_tables"):
            self.new_page()
        # Rows go onto pages in fragments (one fragment unless the table is allowed to break across pages,
        # as Word does: a merged cell cut by the break continues as an empty box on the next page).
        row = 0
        while row < len(slots):
            top = self.y + self.size
            end = row
            while end < len(slots) and top - sum(heights[row: end + 1]) >= BOTTOM - 20:
                end += 1
            if end == row:
                self.new_page()
                continue
            self.fragment(slots, xs, heights, row, end, top)
            self.y = top - sum(heights[row:end]) - self.lead
            row = end
            if row < len(slots):
                self.new_page()
        self.c.setFont(FONT, self.size)

    def fragment(self, slots: list, xs: list[float], heights: list[float], lo: int, hi: int, top: float) -> None:
        ys = {i: top - sum(heights[lo:i]) for i in range(lo, hi + 1)}
        self.c.setLineWidth(0.6)
        seen: set[int] = set()
        for ri in range(lo, hi):
            for ci, slot in enumerate(slots[ri]):
                if not slot or id(slot[0]) in seen or not slot[2]:
                    continue
                cell = slot[0]
                # The cell's first row on this page: its origin, or the fragment's first row when it is cut.
                if not slot[1] and ri != lo:
                    continue
                seen.add(id(cell))
                first = next(k for k in range(ri, -1, -1) if k == 0 or slots[k - 1][ci] is None
                             or slots[k - 1][ci][0] is not cell)
                last = first + cell.rs
                y0, y1 = ys[max(first, lo)], ys[min(last, hi)]
                x0, x1 = xs[ci], xs[ci + cell.cs]
                self.c.rect(x0, y1, x1 - x0, y0 - y1)
                if first < lo:
                    continue  # the text stays with the part on the page before
                self.cell_text(cell.text, x0, x1, y0, y1)

    def cell_text(self, text: str, x0: float, x1: float, y0: float, y1: float) -> None:
        fs, lh = self.cell_fs, self.cell_lh
        lines = self.wrap(text, x1 - x0 - 2 * self.pad, fs)
        self.c.setFont(FONT, fs)
        block = len(lines) * lh
        ty = (y0 + y1) / 2 + block / 2 - lh + 2
        for ln in lines:
            lw = self.metrics.stringWidth(ln, FONT, fs)
            self.c.drawString((x0 + x1) / 2 - lw / 2, ty, ln)
            ty -= lh

    def write(self) -> bytes:
        r = self.r
        self.start_page()
        for t in r.title:
            if self.y < BOTTOM:
                self.new_page()
            self.c.setFont(FONT, 18)
            self.c.drawCentredString(PAGE_W / 2, self.y, t)
            self.y -= 30
        self.y -= 6
        for p in r.preamble:
            self.para(p)
        for _key, heading, body in r.sections:
            first = body[0] if body else None
            if isinstance(first, tuple) and not r.style.get("split_tables"):  # keep a heading with its table
                need = self.lead + sum(self.row_heights(r.grid(first[1]), WIDTHS[first[1]]))
                if self.y - need < BOTTOM:
                    self.new_page()
            self.line(heading, MARGIN_L + (2 * self.size if r.style.get("indent_headings") else 0))
            for item in body:
                if isinstance(item, tuple):
                    self.table(r.grid(item[1]), WIDTHS[item[1]])
                else:
                    text = body_text(item)
                    self.para(text, indent=not text.startswith("（"))
        self.y -= self.lead
        for t in (r.signature, r.date):
            w = self.metrics.stringWidth(t, FONT, self.size)
            self.line(t, PAGE_W - MARGIN_R - w - 2 * self.size)
        self.end_page()
        self.c.save()
        return self.buf.getvalue()


RENDERERS = {"txt": render_txt, "html": render_html, "docx": render_docx, "pdf": render_pdf}
