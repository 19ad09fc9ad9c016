"""HTML pages: find the report body among the site chrome; tables with rowspan/colspan become grids."""

from __future__ import annotations

import re
from itertools import islice

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


# The tree is lxml's (the libxml2 HTML parser), walked by the functions below. Its strings are made
# those a BeautifulSoup tree over the same parser holds, which the loader was first written on: a
# string of ASCII blanks only is one newline or space outside <pre>/<textarea>, and text under these
# tags is not page text (get_text and the signal count skip it; the walk keeps <rt>/<rp> text).
_ASCII_BLANKS = str.maketrans("", "", "\x20\n\t\x0c\r")
_PRESERVE = frozenset({"pre", "textarea"})
_CONTAINERS = frozenset({"rt", "rp", "style", "script", "template"})
_REMOVED = "textmine-removed"  # stands where a dropped element was: its tail stays a string of its own
_DOCUMENT = "textmine-document"  # the node above the top-level elements


def _is_element(node) -> bool:
    return isinstance(node.tag, str)


def _normalise_blanks(root) -> None:
    """Collapse strings of ASCII blanks only (see above), in one pass over the tree. Only strings that
    change are set (lxml refuses to set a string with control characters, which a page can hold)."""
    def fix(s: str | None, preserve: bool) -> str | None:
        if s and not preserve and s.isspace() and not s.translate(_ASCII_BLANKS):  # isspace(): fast no
            return "\n" if "\n" in s else " "
        return None

    pre = root.tag in _PRESERVE
    if _is_element(root) and (t := fix(root.text, pre)) is not None:
        root.text = t
    stack = [(root, pre)]
    while stack:
        el, pre = stack.pop()
        for child in el:
            if (t := fix(child.tail, pre)) is not None:
                child.tail = t
            if _is_element(child):
                inner = pre or child.tag in _PRESERVE
                if (t := fix(child.text, inner)) is not None:
                    child.text = t
                stack.append((child, inner))


def _events(root, boring: bool | None = None):
    """("open", el, boring), ("text", s, boring), ("close", el, boring) under ``root`` in document order
    (its own tail excluded); ``boring``: the string is under one of _CONTAINERS."""
    if boring is None:
        boring = root.tag in _CONTAINERS or any(a.tag in _CONTAINERS for a in root.iterancestors())
    yield "open", root, boring
    if _is_element(root) and root.text:
        yield "text", root.text, boring
    stack = [(root, boring, iter(root))]
    while stack:
        el, b, children = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            yield "close", el, b
            if stack and el.tail:
                yield "text", el.tail, stack[-1][1]
            continue
        cb = b or child.tag in _CONTAINERS
        yield "open", child, cb
        if _is_element(child) and child.text:
            yield "text", child.text, cb
        stack.append((child, cb, iter(child) if _is_element(child) else iter(())))


def _strings(el) -> list[str]:
    """The page text strings under ``el``, stripped, empty ones left out (bs4's ``stripped_strings``).

    lxml's ``itertext`` walks the same strings in the same order in C (comments' and processing
    instructions' own text left out, their tails kept), but does not know _CONTAINERS: under one,
    every string is boring; with some inside, a copy with them emptied (tails kept) is walked.
    """
    if _under_container(el):
        return []
    if next(el.iter(*_CONTAINERS), None) is not None:
        el = _emptied(el)
    return _itertext(el)


def _itertext(el) -> list[str]:
    return [t for s in el.itertext() if (t := s.strip())]


def _under_container(el) -> bool:
    return el.tag in _CONTAINERS or next(el.iterancestors(*_CONTAINERS), None) is not None


def _clear_of_containers(el) -> bool:
    """No _CONTAINERS element at, above or below ``el``: no string under it is boring."""
    return not _under_container(el) and next(el.iter(*_CONTAINERS), None) is None


def _emptied(el):
    """A copy of ``el`` whose _CONTAINERS elements hold nothing (their tails stay: text after them)."""
    import copy

    clone = copy.deepcopy(el)
    for c in list(clone.iter(*_CONTAINERS)):
        for child in list(c):
            c.remove(child)
        c.text = None
    return clone


def _get_text(el, sep: str) -> str:
    return sep.join(_strings(el))


def _string(el) -> str | None:
    """The element's one child string (through a single child element), else None (bs4's ``.string``)."""
    kids: list = [el.text] if el.text else []
    for c in el:
        kids += [c, c.tail] if c.tail else [c]
    if len(kids) != 1:
        return None
    k = kids[0]
    if isinstance(k, str):
        return k
    return _string(k) if _is_element(k) else k.text


def _first(root, *tags: str):
    return next(root.iter(*tags), None)


def _remove(el) -> None:
    """Drop ``el`` and what it holds; the text after it stays, a string of its own (the element is
    emptied and renamed in place, so its tail is never set again)."""
    if el.getparent() is None:
        return
    for child in list(el):
        el.remove(child)
    el.text = None
    el.attrib.clear()
    el.tag = _REMOVED


def _span(cell, name: str, cap: int) -> int:
    if name not in cell.attrib:
        return 1
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
    rows = [tr for tr in table.iter("tr") if tr is not table and _first_table_above(tr) is table]
    budget = limits.MAX_TABLE_CELLS
    n_rows = n_cols = 0
    # A table with no boring container in it or around it: each cell's strings are lxml's itertext.
    plain = _clear_of_containers(table)
    for r, tr in enumerate(rows):
        c = 0
        for cell in (x for x in tr if x.tag in ("td", "th")):
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
            strings = _itertext(cell) if plain else _strings(cell)
            text = clean_line(" ".join(strings))
            for dr in range(rs):
                for dc in range(cs):
                    grid.setdefault((r + dr, c + dc), text)
            c += cs
    if not grid:
        return []
    n_rows = max(r for r, _ in grid) + 1
    n_cols = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(n_cols)] for r in range(n_rows)]


def _first_table_above(el):
    return next(el.iterancestors("table"), None)


def _signal_counts(root) -> dict:
    """Signal words under every element of ``root`` (by element), in one pass over the tree.

    Equal to counting in each element's text joined with spaces: no signal word holds a space, so
    none spans two strings. Counting element by element instead costs size times depth, which a
    deeply nested page turns into hours.
    """
    if _clear_of_containers(root):
        return _signal_counts_plain(root)
    return _signal_counts_by_events(root)


def _signal_counts_by_events(root) -> dict:
    """:func:`_signal_counts` by the event walk, which knows which strings are boring."""
    counts: dict = {}
    entered: list[int] = []
    total = 0
    for kind, x, boring in _events(root):
        if kind == "open":
            entered.append(total)
        elif kind == "close":
            counts[x] = total - entered.pop()
        elif not boring:
            total += len(_SIGNAL.findall(x))
    return counts


def _signal_counts_plain(root) -> dict:
    """:func:`_signal_counts` when no string under ``root`` is boring: each node counts its own text,
    its tail counts for its parent, and subtree sums are added up from the last node to the first
    (lxml's ``iter`` is document order: every node after its parent)."""
    nodes = list(root.iter())
    counts = dict.fromkeys(nodes, 0)
    for node in nodes:
        if _is_element(node) and node.text:
            counts[node] += len(_SIGNAL.findall(node.text))
        if node is not root and node.tail:
            counts[node.getparent()] += len(_SIGNAL.findall(node.tail))
    for node in reversed(nodes):
        if node is not root:
            counts[node.getparent()] += counts[node]
    return counts


def _children(el) -> list:
    return [c for c in el if _is_element(c) and c.tag != _REMOVED]


def _body(root):
    """The smallest element that still holds nearly all of the report's signal."""
    body = _first(root, "body")
    body = root if body is None else body
    counts = _signal_counts(body)
    best = body
    best_signal = counts[body]
    if best_signal == 0:
        return body
    while True:
        children = [c for c in _children(best) if c.tag not in ("script", "style")]
        nxt = None
        for child in children:
            sig = counts.get(child, 0)
            if sig >= 0.8 * best_signal and sig >= 3:
                nxt = child
                break
        if nxt is None:
            return best
        best = nxt


def _walk(el, blocks: list[Block], buf: list[str], source: str | None = None) -> None:
    """Blocks in document order. Iterative (an explicit stack): nesting depth must not hit Python's
    recursion limit. A block element flushes the running paragraph on entry and on exit."""
    budget = limits.CellBudget(source)  # many tables each under the per-table limit
    if el.text:
        buf.append(el.text)
    stack = [(el, iter(_kids(el)), False)]
    while stack:
        parent, children, flush_after = stack[-1]
        node = next(children, None)
        if node is None:
            stack.pop()
            if flush_after:
                _flush(blocks, buf)
            if stack and parent.tail:
                buf.append(parent.tail)
            continue
        if not _is_element(node) or node.tag == "br" or node.tag == _REMOVED:
            if _is_element(node) and node.tag == "br":
                _flush(blocks, buf)
            if node.tail:
                buf.append(node.tail)
            continue
        if node.tag == "table" and node.find(".//table") is None:
            _flush(blocks, buf)
            rows = [r for r in _grid(node, source, budget) if any(r)]
            if len(rows) == 1 and sum(1 for c in rows[0] if c) == 1:
                blocks.append(Paragraph(tighten(next(c for c in rows[0] if c))))
            elif rows:
                blocks.append(make_table(rows))
            if node.tail:
                buf.append(node.tail)
            continue
        if node.tag == "table":  # a layout table: its cells are containers
            _flush(blocks, buf)
            flush = False
        else:
            flush = node.tag in _BLOCK_TAGS
            if flush:
                _flush(blocks, buf)
        if node.text:
            buf.append(node.text)
        stack.append((node, iter(_kids(node)), flush))


def _kids(el) -> list:
    return list(el)


def _flush(blocks: list[Block], buf: list[str]) -> None:
    if not buf:
        return
    text = clean_line("".join(buf))
    buf.clear()
    for line in text.split("\n"):
        line = clean_line(line)
        if line and not is_page_number(line):
            blocks.append(Paragraph(tighten(re.sub(r"\s{2,}", " ", line))))


def _page_meta(root) -> dict[str, str]:
    extra: dict[str, str] = {}
    title = _first(root, "title")
    title_text = _string(title) if title is not None else None
    if title_text:
        extra["html_title"] = clean_line(title_text)
    for m in root.iter("meta"):
        name = (m.get("name") or "").lower()
        if name in ("articletitle", "pubdate", "contentsource", "publishdate", "firstpublishedtime"):
            extra[name] = clean_line(m.get("content") or "")
    text = _get_text(root, "\n")
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
    that builds the tree, before the tree is built."""
    if limits.MAX_HTML_DEPTH <= 0 and limits.MAX_HTML_ELEMENTS <= 0:
        return
    from lxml import etree

    parser = etree.HTMLParser(target=_ShapeProbe(limits.MAX_HTML_DEPTH, limits.MAX_HTML_ELEMENTS))
    try:
        parser.feed(html)
        parser.close()
    except _TooBig as exc:
        raise TextmineError(str(exc), source) from None
    except Exception:  # the tree parser reports what it cannot read
        return


def _error_page(root, signal: int) -> str | None:
    """The heading of an HTTP error or block page, when the page has no report in it."""
    if signal >= 3:
        return None
    title = _first(root, "title")
    heads = [_get_text(title, " ") if title is not None else ""]
    heads += [_get_text(h, " ") for h in islice(root.iter("h1", "h2"), 3)]
    body = _first(root, "body")
    heads.append(" ".join(_get_text(root if body is None else body, " ").split())[:200])
    for head in heads:
        if head and _ERROR_PAGE.search(head):
            return clean_line(head)[:60]
    return None


def _parse_tree(html: str, source: str | None):
    """The lxml tree of the page under one document node (None for a page with no element at all)."""
    from lxml import etree

    parser = etree.HTMLParser()
    try:
        parser.feed(html[1:] if html.startswith("\ufeff") else html)
        root = parser.close()
    except etree.XMLSyntaxError:  # nothing to build a tree of
        return None
    except Exception as exc:  # lxml rejects some byte soup outright
        raise TextmineError(f"cannot parse HTML ({exc.__class__.__name__})", source) from None
    if root is None:
        return None
    # A second <html> (pages pasted together) is a second top-level element: all go under one node.
    doc = etree.Element(_DOCUMENT)
    for el in [*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings()]:
        doc.append(el)
    return doc


def _drop_chrome(root, counts: dict, total: int) -> None:
    """Remove site chrome by its id or class, top down (what is inside a removed element goes with it)."""
    stack = list(reversed(_children(root)))
    while stack:
        el = stack.pop()
        ident = " ".join([el.get("id") or "", *(el.get("class") or "").split()])
        # Chrome by its name, unless it holds most of the report (some sites call the body "content-head").
        # Counts from before the loop stay right: an element's subtree is untouched until it is visited.
        if ident.strip() and _CHROME.search(ident) and counts.get(el, 0) < 0.5 * total:
            _remove(el)
            continue
        stack.extend(reversed(_children(el)))


def parse_html(html: str, source: str | None = None) -> Document:
    limits.check_html_size(source, len(html))
    _check_shape(html, source)
    root = _parse_tree(html, source)
    blocks: list[Block] = []
    extra: dict[str, str] = {}
    if root is not None:
        _normalise_blanks(root)
        extra = _page_meta(root)
        for el in list(root.iter(*_DROP_TAGS)):
            if el is not root:
                _remove(el)
        counts = _signal_counts(root)
        total = counts[root]
        error = _error_page(root, total)
        if error:
            raise TextmineError(f"an error page, not a report ({error!r}); download it again", source)
        _drop_chrome(root, counts, total)
        buf: list[str] = []
        _walk(_body(root), blocks, buf, source)
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
