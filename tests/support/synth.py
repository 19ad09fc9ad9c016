"""A small synthetic report (the team's own wording) rendered into every supported format.

Used by the loader and section tests: each renderer takes the same logical report, so a test can
assert that every format yields the same paragraphs, tables and sections.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

TITLE_AGENCY = "青松县数据资源管理局"
YEAR = 2023


@dataclass
class SynthReport:
    title: str = f"{TITLE_AGENCY}{YEAR}年政府信息公开工作年度报告"
    preamble: str = ("本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限为2023年1月1日至2023年12月31日。"
                     "如对本报告有疑问，请与本局办公室联系。")
    # (heading, [paragraphs or ("table", rows)])
    sections: list[tuple[str, list]] = field(default_factory=list)
    signature: str = TITLE_AGENCY
    date: str = "2024年1月20日"


PROACTIVE_ROWS = [
    ["第二十条第（一）项", "", "", ""],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "0", "0", "0"],
    ["行政规范性文件", "3", "1", "12"],
]


def default_report(headings: dict[str, str] | None = None) -> SynthReport:
    h = {
        "overview": "一、总体情况",
        "proactive": "二、主动公开政府信息情况",
        "requests": "三、收到和处理政府信息公开申请情况",
        "appeals": "四、政府信息公开行政复议、行政诉讼情况",
        "problems": "五、存在的主要问题及改进情况",
        "other": "六、其他需要报告的事项",
    }
    h.update(headings or {})
    r = SynthReport()
    r.sections = [
        (h["overview"], [
            "2023年，本局围绕数据开放和政务公开年度任务，稳步推进各项公开工作，公开质量持续提高。",
            "（一）主动公开",
            "全年通过门户网站发布各类政府信息412条，其中政策文件19件，工作动态233条。",
            "（二）依申请公开",
            "全年收到政府信息公开申请9件，已全部按期答复。",
        ]),
        (h["proactive"], [("table", PROACTIVE_ROWS)]),
        (h["requests"], [("table", [
            ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
            ["一、本年新收政府信息公开申请数量", "8", "1", "0", "0", "0", "0", "9"],
            ["二、上年结转政府信息公开申请数量", "0", "0", "0", "0", "0", "0", "0"],
        ])]),
        (h["appeals"], ["本年度未发生因政府信息公开引起的行政复议和行政诉讼。"]),
        (h["problems"], [
            "（一）存在的主要问题",
            "一是部分股室对公开工作重视不够，信息报送不够主动；二是政策解读形式比较单调。",
            "（二）改进措施",
            "下一步，本局将加强业务培训，丰富图表和短视频等解读形式。",
        ]),
        (h["other"], ["本年度未收取信息处理费。"]),
    ]
    return r


def paragraphs_of(r: SynthReport) -> list[str]:
    out = [r.title, r.preamble]
    for heading, body in r.sections:
        out.append(heading)
        out.extend(x for x in body if isinstance(x, str))
    out += [r.signature, r.date]
    return out


# --- renderers ---------------------------------------------------------------------------------------

def to_text(r: SynthReport) -> str:
    """Word-to-text style: one paragraph per line, tables flattened one tab-led cell per line."""
    lines = [r.title, "", r.preamble]
    for heading, body in r.sections:
        lines.append(heading)
        for item in body:
            if isinstance(item, str):
                lines.append(item)
            else:
                for row in item[1]:
                    lines.extend("\t" + c for c in row)
                    lines.append("")
                lines.append("")
    lines += ["", "                    " + r.signature, r.date, ""]
    return "\n".join(lines)


def to_markdown(r: SynthReport) -> str:
    lines = [f"# {r.title}", "", r.preamble, ""]
    for heading, body in r.sections:
        lines += [f"## {heading}", ""]
        for item in body:
            if isinstance(item, str):
                lines += [item, ""]
            else:
                rows = item[1]
                lines.append("| " + " | ".join(rows[0]) + " |")
                lines.append("|" + "---|" * len(rows[0]))
                lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
                lines.append("")
    lines += [r.signature, "", r.date]
    return "\n".join(lines)


def _html_table(rows: list[list[str]]) -> str:
    """Merge a first row that is one label followed by blanks into a colspan cell."""
    out = ["<table border='1'>"]
    for row in rows:
        if row[0] and not any(row[1:]):
            out.append(f"<tr><td colspan='{len(row)}'>{row[0]}</td></tr>")
        else:
            out.append("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def to_html(r: SynthReport, charset: str = "utf-8") -> str:
    body = [f"<h1>{r.title}</h1>", f"<p>{r.preamble}</p>"]
    for heading, sec in r.sections:
        body.append(f"<p><strong>{heading}</strong></p>")
        for item in sec:
            body.append(f"<p>{item}</p>" if isinstance(item, str) else _html_table(item[1]))
    body.append(f"<p style='text-align:right'>{r.signature}</p><p style='text-align:right'>{r.date}</p>")
    return (
        f"<!DOCTYPE html><html><head><meta charset='{charset}'><title>{r.title}</title>"
        "<script>var x = '一、总体情况';</script><style>.a{}</style></head><body>"
        "<div class='header'><a href='/'>首页</a> <a href='/zwgk'>政务公开</a> 网站导航 登录</div>"
        "<div class='breadcrumb'>当前位置：首页 &gt; 政务公开 &gt; 年度报告</div>"
        "<div class='content'><div class='article' id='zoom'>" + "\n".join(body) + "</div></div>"
        "<div class='footer'>主办单位：青松县人民政府办公室 版权所有 网站标识码 0000000000</div>"
        "</body></html>"
    )


def to_docx(r: SynthReport, merge_first_row: bool = True) -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(r.title)
    d.add_paragraph(r.preamble)
    for heading, sec in r.sections:
        d.add_paragraph(heading)
        for item in sec:
            if isinstance(item, str):
                d.add_paragraph(item)
                continue
            rows = item[1]
            t = d.add_table(rows=len(rows), cols=len(rows[0]))
            for i, row in enumerate(rows):
                for j, c in enumerate(row):
                    t.cell(i, j).text = c
            for i, row in enumerate(rows):
                if merge_first_row and row[0] and not any(row[1:]):
                    a = t.cell(i, 0)
                    merged = a.merge(t.cell(i, len(row) - 1))
                    merged.text = row[0]
    d.add_paragraph(r.signature)
    d.add_paragraph(r.date)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


_ROW_H = 20  # height of a table row in the synthetic PDF


def _pdf_take(pdfmetrics: Any, text: str, avail: float, font: str, size: float) -> str:
    """The longest prefix that fits the line (digits are narrower than Chinese characters)."""
    n = 0
    while n < len(text) and pdfmetrics.stringWidth(text[: n + 1], font, size) <= avail:
        n += 1
    return text[: max(n, 1)]


def _pdf_table(c: Any, font: str, rows: list[list[str]], y0: float, left: float) -> float:
    """A ruled table drawn down from ``y0``; returns its height."""
    col_w = (595 - 2 * left) / len(rows[0])
    for i, row in enumerate(rows):
        y = y0 - i * _ROW_H
        for j, cell in enumerate(row):
            c.rect(left + j * col_w, y - _ROW_H, col_w, _ROW_H)
            # Shrink the font so a long label stays inside its cell.
            c.setFont(font, min(8.0, (col_w - 4) / max(1, len(cell))))
            c.drawString(left + j * col_w + 2, y - 14, cell)
    return _ROW_H * len(rows)


def to_pdf(r: SynthReport, chars_per_line: int = 28, header: str | None = "青松县数据资源管理局政务公开") -> bytes:
    """A4 pages with hard-wrapped lines, page numbers '- n -', an optional running header, ruled tables."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    size, lead, left, top, bottom = 14, 22, 72, 770, 90
    state = {"y": top, "page": 1}

    def new_page() -> None:
        c.setFont(font, 10)
        c.drawCentredString(297, 40, f"- {state['page']} -")
        c.showPage()
        state["page"] += 1
        state["y"] = top
        start_page()

    def start_page() -> None:
        if header:
            c.setFont(font, 9)
            c.drawString(left, 805, header)
        c.setFont(font, size)

    def line(text: str, indent: int = 0) -> None:
        if state["y"] < bottom:
            new_page()
        c.drawString(left + indent, state["y"], text)
        state["y"] -= lead

    max_w = chars_per_line * size

    def take(text: str, avail: float) -> str:
        return _pdf_take(pdfmetrics, text, avail, font, size)

    def para(text: str, first_indent: bool = True) -> None:
        indent = 2 * size if first_indent else 0
        first = take(text, max_w - indent)
        line(first, indent)
        rest = text[len(first):]
        while rest:
            chunk = take(rest, max_w)
            # Typesetting never starts a line with closing punctuation: it hangs on the line before.
            while len(chunk) < len(rest) and rest[len(chunk)] in "。，；：、）”":
                chunk = rest[: len(chunk) + 1]
            line(chunk)
            rest = rest[len(chunk):]

    def table(rows: list[list[str]]) -> None:
        if state["y"] - _ROW_H * len(rows) < bottom:
            new_page()
        y0 = state["y"] + 14
        state["y"] = y0 - _pdf_table(c, font, rows, y0, left) - lead
        c.setFont(font, size)

    start_page()
    line(r.title[: chars_per_line], 0)
    if len(r.title) > chars_per_line:
        line(r.title[chars_per_line:], 0)
    para(r.preamble)
    for heading, sec in r.sections:
        line(heading)
        for item in sec:
            if isinstance(item, str):
                para(item, first_indent=not item.startswith("（"))
            else:
                table(item[1])
    line(r.signature, 200)
    line(r.date, 200)
    c.setFont(font, 10)
    c.drawCentredString(297, 40, f"- {state['page']} -")
    c.showPage()
    c.save()
    return buf.getvalue()


def render(r: SynthReport, fmt: str) -> bytes:
    """The report as the bytes of a file in ``fmt`` (txt, md, html, docx, pdf)."""
    if fmt == "txt":
        return to_text(r).encode("utf-8")
    if fmt == "md":
        return to_markdown(r).encode("utf-8")
    if fmt == "html":
        return to_html(r).encode("utf-8")
    if fmt == "docx":
        return to_docx(r)
    return to_pdf(r)
