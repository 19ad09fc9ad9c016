"""HTML pages: find the report body among the site chrome; tables with rowspan/colspan become grids."""

from __future__ import annotations

import re

from ..document import Block, Document, Paragraph, make_table
from ..errors import TextmineError
from ..textutil import clean_line, is_page_number, tighten
from .text import decode

_CHROME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|foot|header|head-|topbar|sidebar|share|login|search|copyright|"
    r"position|location|dqwz|bottom|toolbar|related|xgxx|print",
    re.I,
)
_DROP_TAGS = ["script", "style", "noscript", "iframe", "nav", "footer", "header", "aside", "form", "button",
              "select", "svg", "object", "embed", "template"]
_BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "td", "th", "tr",
               "blockquote", "pre", "dd", "dt", "ul", "ol", "center", "body", "main", "font", "table", "tbody"}
# Words of the form's section headings: a container holding many of them holds the report.
_SIGNAL = re.compile(r"总体情况|主动公开|依申请|行政复议|存在的主要问题|改进|其他需要报告|年度报告|勾稽关系")
_META_LABELS = ("发布机构", "公开日期", "发布日期", "成文日期", "索引号", "名称", "标题", "发文机关", "单位")


def _grid(table) -> list[list[str]]:
    """Expand rowspan/colspan: a merged cell's text is repeated in every grid position it covers."""
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            try:
                rs = max(1, min(int(cell.get("rowspan", 1) or 1), 500))
                cs = max(1, min(int(cell.get("colspan", 1) or 1), 100))
            except ValueError:
                rs = cs = 1
            text = clean_line(" ".join(cell.stripped_strings))
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), text)
            c += cs
    if not grid:
        return []
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def _score(el) -> float:
    text = el.get_text(" ", strip=True)
    return len(_SIGNAL.findall(text)) * 200 + len(text) * 0.01


def _body(soup):
    """The smallest element that still holds nearly all of the report's signal."""
    body = soup.body or soup
    best = body
    best_signal = len(_SIGNAL.findall(body.get_text(" ", strip=True)))
    if best_signal == 0:
        return body
    while True:
        children = [c for c in best.find_all(True, recursive=False) if c.name not in ("script", "style")]
        nxt = None
        for child in children:
            sig = len(_SIGNAL.findall(child.get_text(" ", strip=True)))
            if sig >= 0.8 * best_signal and sig >= 3:
                nxt = child
                break
        if nxt is None:
            return best
        best = nxt


def _walk(el, blocks: list[Block], buf: list[str]) -> None:
    from bs4 import NavigableString, Tag

    for node in el.children:
        if isinstance(node, NavigableString):
            if type(node).__name__ in ("Comment", "Doctype", "ProcessingInstruction", "CData"):
                continue
            buf.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        if node.name == "br":
            _flush(blocks, buf)
            continue
        if node.name == "table":
            _flush(blocks, buf)
            if node.find("table"):  # a layout table: its cells are containers
                _walk(node, blocks, buf)
            else:
                rows = [r for r in _grid(node) if any(r)]
                if len(rows) == 1 and sum(1 for c in rows[0] if c) == 1:
                    blocks.append(Paragraph(tighten(next(c for c in rows[0] if c))))
                elif rows:
                    blocks.append(make_table(rows))
            continue
        if node.name in _BLOCK_TAGS:
            _flush(blocks, buf)
            _walk(node, blocks, buf)
            _flush(blocks, buf)
        else:
            _walk(node, blocks, buf)


def _flush(blocks: list[Block], buf: list[str]) -> None:
    if not buf:
        return
    text = clean_line("".join(buf))
    buf.clear()
    for line in text.split("\n"):
        line = clean_line(line)
        if line and not is_page_number(line):
            blocks.append(Paragraph(tighten(re.sub(r"\s{2,}", " ", line))))


def _page_meta(soup) -> dict[str, str]:
    extra: dict[str, str] = {}
    if soup.title and soup.title.string:
        extra["html_title"] = clean_line(soup.title.string)
    for m in soup.find_all("meta"):
        name = (m.get("name") or "").lower()
        if name in ("articletitle", "pubdate", "contentsource", "publishdate", "firstpublishedtime"):
            extra[name] = clean_line(m.get("content") or "")
    text = soup.get_text("\n", strip=True)
    for label in _META_LABELS:
        mm = re.search(rf"(?m)^{label}\s*(?:[：:]\s*\n?|\n)\s*([^\n]{{2,60}})$", text)
        if mm:
            extra.setdefault(label, clean_line(mm.group(1)))
    return extra


def parse_html(html: str, source: str | None = None) -> Document:
    from bs4 import BeautifulSoup

    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as exc:  # lxml rejects some byte soup outright
        raise TextmineError(f"cannot parse HTML ({exc.__class__.__name__})", source) from None
    extra = _page_meta(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    total = len(_SIGNAL.findall(soup.get_text(" ", strip=True)))
    for tag in soup.find_all(True):
        if tag.attrs is None or tag.decomposed:
            continue
        ident = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        # Chrome by its name, unless it holds most of the report (some sites call the body "content-head").
        if ident.strip() and _CHROME.search(ident) and len(_SIGNAL.findall(tag.get_text(" ", strip=True))) < 0.5 * total:
            tag.decompose()
    body = _body(soup)
    blocks: list[Block] = []
    buf: list[str] = []
    _walk(body, blocks, buf)
    _flush(blocks, buf)
    return Document(blocks, source=source, format="html", extra=extra)


def _sniff_charset(data: bytes) -> str | None:
    m = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def load_html(path: str, data: bytes) -> Document:
    cs = _sniff_charset(data)
    text = None
    if cs and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        cs = {"gb2312": "gb18030", "gbk": "gb18030", "utf8": "utf-8"}.get(cs, cs)
        try:
            text = data.decode(cs)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text = decode(data, path)
    if not re.search(r"<\s*(html|body|p|div|table|br|span|h\d)\b", text[:200000], re.I):
        raise TextmineError("not an HTML document", path)
    return parse_html(text, source=path)
