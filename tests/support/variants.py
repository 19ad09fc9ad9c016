"""Layout variants of a clean report, rendered at test time (issue #13).

Each renderer takes the pieces of a parsed clean report (``pieces(report)``: front matter, section
headings, paragraphs, tables and back matter in reading order) or a text, and writes the same report
the way other sites and crawlers print it: a crawler dump with a header block and page chrome, the
whole page on one line (with or without the spaces where paragraphs were, tables flattened into label
+ digit runs), headings run into their first sentence or numbered oddly, a signature glued to the last
sentence and a contact line after it. Nothing here copies report text: it only re-lays what it is given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from textmine.document import Paragraph, Table


@dataclass(frozen=True)
class Piece:
    kind: str  # "front", "heading", "para", "table", "back"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    key: str = ""  # section key for headings and section text


def pieces(report) -> list[Piece]:
    """The clean report in reading order, headings marked (from its segmentation)."""
    seg = report.segmentation
    out: list[Piece] = []

    def add(blocks, kind, key=""):
        for b in blocks:
            if isinstance(b, Table):
                out.append(Piece("table", rows=b.rows, key=key))
            elif isinstance(b, Paragraph):
                out.append(Piece(kind, b.text, key=key))

    add(seg.front, "front")
    for key, sec in seg.sections.items():
        if sec.title:
            out.append(Piece("heading", sec.title, key=key))
        add(sec.blocks, "para", key)
    add(seg.back, "back")
    return out


_NUM = re.compile(r"^-?\d+(?:\.\d+)?$")


def _value_cells(row: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(label cells, value cells) of a table row; an empty cell among the values prints as 0."""
    labels = [c.strip() for c in row if c.strip() and not _NUM.match(c.strip())]
    at = [i for i, c in enumerate(row) if _NUM.match(c.strip())]
    if not at:
        return labels, []
    lo = 0 if not labels else at[0]  # a row of values only: its leading empty cells are zeros too
    values = [c.strip() or "0" for c in row[lo:at[-1] + 1] if not c.strip() or _NUM.match(c.strip())]
    return labels, values


def _unspan(rows) -> list[tuple[str, ...]]:
    """Rows with the copies of a merged cell blanked out, as a page prints it once: equal neighbours
    in a label, or equal values under the copies of a merged header (``本年处理决定数量`` over three
    columns, so ``行政许可 2615 2615 2615`` is one cell of 2615)."""
    out: list[tuple[str, ...]] = []
    spanned: list[bool] = []
    for row in rows:
        cells = list(row)
        now = [False] * len(cells)
        for i in range(1, len(cells)):
            same = cells[i].strip() and cells[i] == row[i - 1]
            numeric = bool(_NUM.match(cells[i].strip()))
            if same and (not numeric or (i < len(spanned) and spanned[i])):
                now[i] = True
        out.append(tuple("" if now[i] else c for i, c in enumerate(cells)))
        spanned = now
    return out


def table_lines(rows, cells: str = "tabs") -> list[str]:
    """A table as text: ``tabs`` (a Word export: one tab-led cell per line, blank line between rows),
    ``glued`` (label then all cells run together) or ``spaced`` (single spaces between cells)."""
    out: list[str] = []
    if cells == "tabs":
        for row in rows:
            out += ["\t" + c for c in row] + [""]
        return out
    for row in _unspan(rows):
        labels, values = _value_cells(row)
        if cells == "glued":
            out.append("".join(labels) + "".join(values))
        else:
            out.append(" ".join(labels + values))
    return [x for x in out if x]


def to_text(ps: list[Piece], cells: str = "tabs") -> str:
    """The clean layout: one paragraph a line, tables as Word-export cells."""
    lines: list[str] = []
    for p in ps:
        if p.kind == "table":
            lines += [""] + table_lines(p.rows, cells) + [""]
        else:
            lines.append(p.text)
    return "\n".join(lines) + "\n"


def one_line(ps: list[Piece], sep: str = " ", cells: str = "glued") -> str:
    """The whole report on one line, ``sep`` where paragraph breaks were (``""``: headings glued,
    ``…公开。二、主动公开政府信息情况第二十条…``), tables flattened into label + digit runs."""
    parts: list[str] = []
    for p in ps:
        if p.kind == "table":
            parts.append(sep.join(table_lines(p.rows, cells)) if sep else
                         "".join(table_lines(p.rows, cells)))
        else:
            parts.append(p.text)
    return sep.join(parts) + "\n"


_MARK = re.compile(r"^([一二三四五六七八九十]{1,2})\s*[、.．]\s*")
_DIGIT_MARK = re.compile(r"^(\d)\s*[、.．]\s*")
_CN_DIGIT = "一二三四五六七八九"


def _renumber(title: str, style: str) -> str:
    m = _MARK.match(title) or _DIGIT_MARK.match(title)
    if not m:
        return title
    num = m.group(1)
    if num.isdigit():
        num = _CN_DIGIT[int(num) - 1]
    sep = {"space": " ", "fullstop": "．", "dot": ".", "comma": "、"}[style]
    return num + sep + title[m.end():]


def inline_headings(ps: list[Piece], mode: str = "runin", agency: str = "", date: str = "") -> str:
    """Headings run into their first sentence (``runin``: ``一、总体情况2023年，本局…``), numbered
    oddly on lines of their own (``odd``: ``一 总体情况``, ``二．…``) or both (``runin-odd``); the signature is glued to the
    last sentence (``…工作。 某某局 2024年1月5日``) and a contact line follows it."""
    lines: list[str] = []
    pending: str | None = None
    n_head = 0
    body = [p for p in ps if p.kind != "back"]
    back = [p.text for p in ps if p.kind == "back"]
    for p in body:
        if p.kind == "heading":
            if mode == "runin":
                pending = p.text
            elif mode == "runin-odd":
                pending = _renumber(p.text, ("space", "fullstop", "dot")[n_head % 3])
            else:
                style = ("space", "fullstop", "dot")[n_head % 3]
                lines.append(_renumber(p.text, style))
            n_head += 1
            continue
        if p.kind == "table":
            if pending is not None:
                lines.append(pending)
                pending = None
            lines += [""] + table_lines(p.rows, "tabs") + [""]
            continue
        if pending is not None:
            lines.append(pending + p.text)
            pending = None
        else:
            lines.append(p.text)
    if pending is not None:
        lines.append(pending)
    sig = " ".join(back) if back else " ".join(x for x in (agency, date) if x)
    k = max(i for i, x in enumerate(lines) if x.strip())
    lines[k] = lines[k] + (" " + sig if sig else "")
    lines.append("（联系人：王某某，电话：0000-1234567）")
    return "\n".join(lines) + "\n"


_HEADERS = (  # which header keys a crawler writes, and its rule line
    (("标题", "发布时间", "文号", "发布机构", "栏目", "原文链接"), "==========  正文  =========="),
    (("标题", "发布日期", "发布机构", "来源"), "=====正文====="),
    (("标题", "索引号", "发布机构", "成文日期", "发布日期", "主题分类"), "-------- 正文 --------"),
)
_STYLE_SHEET = ("Normal 0 7.8 磅 0 2 false false false EN-US ZH-CN X-NONE MicrosoftInternetExplorer4 "
                "/* Style Definitions */ table.MsoNormalTable {mso-style-name:普通表格; mso-style-parent:\"\"; "
                "font-size:10.5pt; font-family:\"Times New Roman\";} ")


def crawler_dump(text: str, title: str, date: str, organ: str, style: int = 0) -> str:
    """``text`` as a site crawler saves the page: a header block (keys and rule vary with ``style``),
    breadcrumb, font-size switch and share bar before the article, Word style-sheet residue at its
    start, ``<!--[if !supportLists]-->`` before list items, 附件下载 and 【打印】【关闭】 after it."""
    keys, rule = _HEADERS[style % len(_HEADERS)]
    values = {"标题": title, "发布时间": f"{date} 09:30:00", "发布日期": date, "文号": "", "发布机构": organ,
              "栏目": "政府信息公开年报", "原文链接": "http://www.example.gov.cn/xxgk/ndbg/t2024.html",
              "来源": organ, "索引号": "000000000/2024-00001", "成文日期": date, "主题分类": "综合政务"}
    head = "\n".join(f"{k}: {values[k]}" for k in keys) + "\n" + rule + "\n"
    chrome = ["当前位置：首页 > 政务公开 > 政府信息公开年报 > 正文", title,
              f"发布时间：{date}", "字号：大 中 小", "打印", "关闭", "分享到：微信 微博 QQ空间", "全真版 文字版"]
    lead = (" " if style % 2 == 0 else "\n").join(chrome)
    residue = "<!--[if !supportLists]-->"
    body = re.sub(r"(?:^|(?<=[\s。]))(?=[（(][一二三四五六七八九十][)）]|\d[.．、](?!\d))",
                  residue + "<!--[endif]-->", text, flags=re.M)
    tail = "附件下载 【打印】【关闭】"
    sep = " " if "\n" not in text.strip() else "\n"
    return head + lead + sep + _STYLE_SHEET + body.strip() + sep + tail + "\n"
