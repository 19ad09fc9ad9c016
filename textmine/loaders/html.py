"""HTML pages: find the report body among the site chrome; tables with rowspan/colspan become grids."""

from __future__ import annotations

import re

from ..document import Block, Document, Paragraph, make_table
from ..errors import TextmineError
from ..textutil import clean_line, is_page_number, tighten
from . import limits
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
# What a crawler brings home instead of the report: HTTP error pages, soft 404s, WAF challenges.
_ERROR_PAGE = re.compile(
    r"\b(?:40[0-9]|50[0-9])\b|not\s+found|forbidden|bad\s+gateway|service\s+unavailable|页面不存在|页面未找到|"
    r"找不到(?:页面|网页|您要)|(?:页面|网页|信息|文章)(?:已被?删除|已下线|已过期)|无法访问|访问出错|出错了|错误页面|"
    r"系统繁忙|访问被(?:拒绝|拦截)|安全验证|请开启\s*JavaScript",
    re.I,
)


def _span(cell, name: str, cap: int) -> int:
    try:
        return max(1, min(int(cell.get(name, 1) or 1), cap))
    except (ValueError, TypeError):
        return 1


def _grid(table, source: str | None = None, doc_budget: limits.CellBudget | None = None) -> list[list[str]]:
    """Expand rowspan/colspan: a merged cell's text is repeated in every grid position it covers.

    Spans multiply: a few hundred cells with big spans would fill billions of positions, so the
    expanded size is counted before anything is filled.
    """
    grid: dict[tuple[int, int], str] = {}
    rows = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    budget = limits.MAX_TABLE_CELLS
    n_rows = n_cols = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.find_all(["td", "th"], recursive=False):
            while (r, c) in grid:
                c += 1
            rs = _span(cell, "rowspan", 500)
            cs = _span(cell, "colspan", 100)
            n_rows, n_cols = max(n_rows, r + rs), max(n_cols, c + cs)
            if budget > 0 and (len(grid) + rs * cs > budget or n_rows * n_cols > budget):
                raise TextmineError(f"an HTML table expands to more than {budget} cells (rowspan/colspan); "
                                    "refused (raise TEXTMINE_MAX_TABLE_CELLS to allow it)", source)
            if doc_budget is not None:
                doc_budget.take(rs * cs)
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


def _signal_counts(root) -> dict[int, int]:
    """Signal words under every element of ``root`` (by ``id``), in one pass over the tree.

    Equal to counting in each element's ``get_text(" ", strip=True)``: the strings are the same,
    and no signal word holds a space, so none spans two strings. Counting element by element
    instead costs size times depth, which a deeply nested page turns into hours.
    """
    from bs4 import NavigableString, Tag

    types = root.interesting_string_types or (NavigableString,)
    wanted = (lambda t: t is types) if isinstance(types, type) else (lambda t: t in types)
    counts: dict[int, int] = {}
    total = 0
    stack = [(root, 0, iter(root.children))]
    while stack:
        el, entered, children = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            counts[id(el)] = total - entered
        elif isinstance(node, Tag):
            stack.append((node, total, iter(node.children)))
        elif isinstance(node, NavigableString) and wanted(type(node)):
            total += len(_SIGNAL.findall(node))
    return counts


def _body(soup):
    """The smallest element that still holds nearly all of the report's signal."""
    body = soup.body or soup
    counts = _signal_counts(body)
    best = body
    best_signal = counts[id(body)]
    if best_signal == 0:
        return body
    while True:
        children = [c for c in best.find_all(True, recursive=False) if c.name not in ("script", "style")]
        nxt = None
        for child in children:
            sig = counts.get(id(child), 0)
            if sig >= 0.8 * best_signal and sig >= 3:
                nxt = child
                break
        if nxt is None:
            return best
        best = nxt


def _walk(el, blocks: list[Block], buf: list[str], source: str | None = None) -> None:
    """Blocks in document order. Iterative (an explicit stack): nesting depth must not hit Python's
    recursion limit. A block element flushes the running paragraph on entry and on exit."""
    from bs4 import NavigableString, Tag

    budget = limits.CellBudget(source)  # many tables each under the per-table limit

    stack = [(iter(el.children), False)]
    while stack:
        children, flush_after = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if flush_after:
                _flush(blocks, buf)
            continue
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
                stack.append((iter(node.children), False))
            else:
                rows = [r for r in _grid(node, source, budget) if any(r)]
                if len(rows) == 1 and sum(1 for c in rows[0] if c) == 1:
                    blocks.append(Paragraph(tighten(next(c for c in rows[0] if c))))
                elif rows:
                    blocks.append(make_table(rows))
            continue
        if node.name in _BLOCK_TAGS:
            _flush(blocks, buf)
            stack.append((iter(node.children), True))
        else:
            stack.append((iter(node.children), False))


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
        # Runs of blanks are matched possessively: with plain \s* a label followed by a long run of
        # whitespace backtracks quadratically.
        mm = re.search(rf"(?m)^{label}[^\S\n]*+(?:\n[^\S\n]*+)?(?:[：:][^\S\n]*+\n?|\n)[^\S\n]*+([^\n]{{2,60}})$",
                       text)
        if mm:
            extra.setdefault(label, clean_line(mm.group(1)))
    return extra


class _TooBig(Exception):
    pass


class _ShapeProbe:
    """lxml parser target that only counts elements and tracks their depth: no tree is built, and
    parsing stops as soon as a limit is passed."""

    def __init__(self, max_depth: int, max_elements: int) -> None:
        self.depth = self.elements = 0
        self.max_depth, self.max_elements = max_depth, max_elements

    def start(self, tag, attrib) -> None:
        self.depth += 1
        self.elements += 1
        if 0 < self.max_depth < self.depth:
            raise _TooBig(f"HTML elements nested more than {self.max_depth} deep; refused "
                          "(raise TEXTMINE_MAX_HTML_DEPTH to allow it)")
        if 0 < self.max_elements < self.elements:
            raise _TooBig(f"HTML page has more than {self.max_elements} elements; refused "
                          "(raise TEXTMINE_MAX_HTML_ELEMENTS to allow it)")

    def end(self, tag) -> None:
        self.depth -= 1

    def data(self, data) -> None:
        pass

    def close(self) -> None:
        return None


def _check_shape(html: str, source: str | None) -> None:
    """Refuse pages nested too deep or with too many elements, measured with the same libxml2 parser
    that builds the soup, before the soup (about 1 KB and 30 µs per element) is built."""
    if limits.MAX_HTML_DEPTH <= 0 and limits.MAX_HTML_ELEMENTS <= 0:
        return
    from lxml import etree

    parser = etree.HTMLParser(target=_ShapeProbe(limits.MAX_HTML_DEPTH, limits.MAX_HTML_ELEMENTS))
    try:
        parser.feed(html)
        parser.close()
    except _TooBig as exc:
        raise TextmineError(str(exc), source) from None
    except Exception:  # the soup parser reports what it cannot read
        return


def _error_page(soup, signal: int) -> str | None:
    """The heading of an HTTP error or block page, when the page has no report in it."""
    if signal >= 3:
        return None
    heads = [soup.title.get_text(" ", strip=True) if soup.title else ""]
    heads += [h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2"], limit=3)]
    body = soup.body or soup
    heads.append(" ".join(body.get_text(" ", strip=True).split())[:200])
    for head in heads:
        if head and _ERROR_PAGE.search(head):
            return clean_line(head)[:60]
    return None


def parse_html(html: str, source: str | None = None) -> Document:
    from bs4 import BeautifulSoup

    limits.check_html_size(source, len(html))
    _check_shape(html, source)
    try:
        soup = BeautifulSoup(html, "lxml")
    except Exception as exc:  # lxml rejects some byte soup outright
        raise TextmineError(f"cannot parse HTML ({exc.__class__.__name__})", source) from None
    extra = _page_meta(soup)
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    counts = _signal_counts(soup)
    total = counts[id(soup)]
    error = _error_page(soup, total)
    if error:
        raise TextmineError(f"an error page, not a report ({error!r}); download it again", source)
    for tag in soup.find_all(True):
        if tag.attrs is None or tag.__dict__.get("_decomposed"):  # no bs4 __getattr__ (a find)
            continue
        ident = " ".join([tag.get("id") or "", *(tag.get("class") or [])])
        # Chrome by its name, unless it holds most of the report (some sites call the body "content-head").
        # Counts from before the loop stay right: a tag's subtree is untouched until the tag is visited.
        if ident.strip() and _CHROME.search(ident) and counts.get(id(tag), 0) < 0.5 * total:
            tag.decompose()
    body = _body(soup)
    blocks: list[Block] = []
    buf: list[str] = []
    _walk(body, blocks, buf, source)
    _flush(blocks, buf)
    doc = Document(blocks, source=source, format="html", extra=extra)
    limits.check_document(doc)
    return doc


# Charset labels a page may declare, to the codec that reads them (WHATWG Encoding): a UTF-16 label
# found in bytes that could be scanned as ASCII is wrong by construction, so it means UTF-8; labels
# outside this list (codecs such as "unicode_escape" or "rot13" are no web encodings) are ignored.
_CHARSETS = {
    "utf-8": "utf-8", "utf8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8", "ucs-2": "utf-8",
    "gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030",
    "cp936": "gb18030", "euc-cn": "gb18030", "hz-gb-2312": "hz",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "x-x-big5": "big5hkscs", "cn-big5": "big5hkscs",
    "iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "windows-1252": "cp1252",
    "shift_jis": "shift_jis", "euc-jp": "euc_jp", "euc-kr": "euc_kr",
}


def _sniff_charset(data: bytes) -> str | None:
    m = re.search(rb"""charset\s*=\s*["']?([A-Za-z0-9_-]+)""", data[:4096])
    return m.group(1).decode("ascii", "ignore").lower() if m else None


def load_html(path: str, data: bytes) -> Document:
    limits.check_html_size(path, len(data))
    text = decode_html(path, data)
    if not re.search(r"<\s*(html|body|p|div|table|br|span|h\d)\b", text[:200000], re.I):
        raise TextmineError("not an HTML document", path)
    return parse_html(text, source=path)


def decode_html(path: str, data: bytes) -> str:
    """The page as text: its declared charset when it has one that decodes, else as any text file."""
    cs = _CHARSETS.get(_sniff_charset(data) or "")
    text = None
    if cs and not data.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        try:
            text = data.decode(cs)
        except (LookupError, UnicodeError, ValueError):  # unknown or non-text codecs ("idna", "zlib")
            text = None
    if text is None:
        text = decode(data, path)
    return text
