"""Segment a document into the canonical sections of the annual report form.

Headings are found by pattern (data/sections.yaml), scored by how well their title and number fit a
section, and the best ordered assignment of headings to sections is chosen (dynamic programming),
so a body heading that merely mentions 主动公开 cannot steal the section from the real heading.
Sections whose heading is lost are inferred from content: the standard tables for sections 2–4, and
problem or fee wording for sections 5 and 6.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .document import Block, Document, Paragraph, Table
from .errors import TextmineError
from .resources import load_yaml
from .textutil import cn_number, searcher

_NUMBERING = re.compile(
    r"^\s*(?:"
    r"(?P<cn>[一二三四五六七八九十]{1,3})\s*(?:[、.．，,:：]\s*|\s+)"
    r"|(?P<ar>\d{1,2})\s*(?:[、．，,:：]\s*|\.(?!\d)\s*|\s+)"
    r"|[（(]\s*(?P<pcn>[一二三四五六七八九十]{1,3})\s*[)）]\s*"
    r"|[（(]\s*(?P<par>\d{1,2})\s*[)）]\s*"
    r"|第(?P<ord>[一二三四五六七八九十]{1,3})(?:部分|章|节)\s*[、，,:：]?\s*"
    r")"
)
_SUBHEAD = re.compile(r"^\s*(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]|\d{1,2}\s*[.．、](?!\d)"
                      r"|[一二三四五六七八九十]{1,2}、(?=[^。；]{2,25}$))")
_TABLE_SECTIONS = ("proactive", "requests", "appeals")
_DATE_LINE = re.compile(r"^\s*(?:(?:19|20)\d{2}|[二〇零一两]{4})\s*年\s*[\d一二三四五六七八九十〇零]{1,3}\s*月"
                        r"\s*[\d一二三四五六七八九十〇零]{1,3}\s*日\s*$|^\s*20\d{2}[-./]\d{1,2}[-./]\d{1,2}\s*$")
# "（联系人：…，联系电话：…）" after the signature.
_CONTACT_LINE = re.compile(r"^\s*[（(]?\s*(?:联系人|联系电话|联系方式|联系地址|电话|邮箱)[：:][^。]{0,80}[）)]?\s*$")


@dataclass(frozen=True)
class Numbering:
    number: int | None
    style: str  # cn "一、", arabic "5、", paren_cn "（一）", paren_ar "（5）", ordinal "第一部分", none
    rest: str


def split_numbering(text: str) -> Numbering:
    m = _NUMBERING.match(text)
    if not m:
        return Numbering(None, "none", text.strip())
    rest = text[m.end():].strip()
    for group, style in (("cn", "cn"), ("ar", "arabic"), ("pcn", "paren_cn"), ("par", "paren_ar"), ("ord", "ordinal")):
        val = m.group(group)
        if val:
            num = int(val) if val.isdigit() else cn_number(val)
            return Numbering(num, style, rest)
    return Numbering(None, "none", text.strip())


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    inferred: bool = False  # True when the heading was lost and the boundary came from content
    confidence: float = 1.0  # how surely this is the section: heading score, lower when inferred

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def subsections(self) -> list[dict]:
        """Subsection headings ((一)…, 1.…) with the text under each (narrative sections only)."""
        subs: list[dict] = []
        if self.key in _TABLE_SECTIONS:
            return subs
        for b in self.blocks:
            if isinstance(b, Paragraph) and _SUBHEAD.match(b.text):
                title = b.text
                m = re.match(r"^(.{2,40}?[。：:])(.+)$", title)
                if m:  # run-in heading: "（一）主动公开情况。2024年，…"
                    title = m.group(1)
                if len(title) <= 45:
                    subs.append({"title": title.rstrip("。：:"), "text": b.text})
                    continue
            if subs:
                subs[-1]["text"] += "\n" + b.text
        return subs

    def to_dict(self) -> dict:
        d = {"title": self.title, "text": self.text}
        subs = [s["title"] for s in self.subsections]
        if subs:
            d["subsections"] = subs
        if self.inferred:
            d["inferred"] = True
        d["confidence"] = self.confidence
        return d


@dataclass
class Segmentation:
    front: list[Block]  # title and preamble before section one
    sections: dict[str, Section]
    back: list[Block]  # signature and date after the last section


@dataclass(frozen=True)
class _Candidate:
    index: int  # block index where the section starts (the heading block)
    end: int  # first block index after the heading (a heading may span two blocks)
    key: str
    score: float
    title: str


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    """One search for any of ``patterns``, tried only where one can start (textutil.skipping)."""
    return searcher("|".join(f"(?:{p})" for p in patterns))[0] if patterns else None


def _unanchored(patterns: list[str]) -> re.Pattern[str] | None:
    """Every pattern with its ``^``/``$`` anchors dropped, in one alternation: it finds a match in any
    text some prefix of which a pattern matches. None when a pattern has a construct for which dropping
    the anchors would not widen it (a negated class, a lookaround, another anchor): no shortcut then."""
    if any(c in p for p in patterns for c in ("[^", "(?=", "(?!", "(?<", "\\A", "\\Z", "\\b", "\\B", "\\^", "\\$")):
        return None
    return _alternation([p.replace("^", "").replace("$", "") for p in patterns])


@lru_cache(maxsize=1)
def _rules() -> dict:
    cfg = load_yaml("sections.yaml")
    compiled = {}
    for key, spec in cfg["sections"].items():
        compiled[key] = {
            "strong": [re.compile(p) for p in spec["strong"]],
            "weak": [re.compile(p) for p in spec["weak"]],
            # One alternation per list: the same yes/no as any() over the list, in one search.
            "strong_any": _alternation(spec["strong"]),
            "weak_any": _alternation(spec["weak"]),
            "numbers": set(spec["numbers"]),
            "canonical": spec["canonical"],
        }
    every = [p for spec in cfg["sections"].values() for p in spec["strong"] + spec["weak"]]
    return {
        # Every title pattern with its anchors dropped: a title no pattern matches anywhere inside
        # ``rest`` cannot match as a prefix of it either (see _inline_title).
        "unanchored": _unanchored(every),
        # Every strong pattern in one alternation: a title it does not match names no section outright.
        "strong_any": _alternation([p for spec in cfg["sections"].values() for p in spec["strong"]]),
        "title_any": _alternation(every),  # ... and every pattern: a title it does not match has no reading
        "order": cfg["order"],
        "orders": [cfg["order"], *cfg.get("alternative_orders", [])],
        "merge": dict(cfg.get("merge", {})),
        "back": set(cfg.get("back", [])),
        "sections": compiled,
        "problems_content": re.compile(cfg["problems_content"]),
        # Each back_start pattern with the back_start_words it names (see _back_start).
        "back_start_named": tuple((p, tuple(w for w in _back_start_words(cfg) if w in p))
                                  for p in cfg.get("back_start", [])),
        "back_start_compiled": {},  # alternations of the subsets of patterns met so far
        "other_content": re.compile(cfg["other_content"]),
    }


def _back_start_words(cfg: dict) -> tuple[str, ...]:
    words = cfg.get("back_start_words", [])
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise TextmineError("data/sections.yaml: back_start_words must be a list of words")
    for p in cfg.get("back_start", []):
        if not any(w in p for w in words):
            raise TextmineError(f"data/sections.yaml: back_start pattern {p!r} names none of back_start_words")
    return tuple(words)


def _back_start(text: str) -> re.Pattern[str] | None:
    """The alternation of the back_start patterns that name a word ``text`` holds (every match of a pattern
    contains a word it names), in their order; None when there is none. The patterns try every position
    of a paragraph: one common word (附, 印发) must not send a paragraph through all of them."""
    rules = _rules()
    which = tuple(i for i, (_, named) in enumerate(rules["back_start_named"]) if any(w in text for w in named))
    if not which:
        return None
    compiled = rules["back_start_compiled"]
    if which not in compiled:
        compiled[which] = re.compile("|".join(f"(?:{rules['back_start_named'][i][0]})" for i in which))
    return compiled[which]


def _score_heading(text: str) -> tuple[tuple[str, float, str], ...]:
    """Candidate (key, score, title) readings of one heading-like line."""
    return () if len(text) > 60 else _score_short_line(text)


@lru_cache(maxsize=8192)  # a report tries the same short lines many times (alone, joined, as glued prefixes)
def _score_short_line(text: str) -> tuple[tuple[str, float, str], ...]:
    num = split_numbering(text)
    title = num.rest.rstrip("。．.:：；; ")
    if not title or len(title) > 36:
        return ()
    # A line of running text with a sentence inside is not a heading.
    if re.search(r"[。；;]", title) or (len(title) > 22 and "，" in title):
        return ()
    out = []
    rules = _rules()
    if rules["title_any"] is None or rules["title_any"].search(title) is None:
        return ()
    for key, spec in rules["sections"].items():
        if num.style in ("paren_cn", "paren_ar") and (key in rules["merge"] or key in rules["back"]):
            continue  # （二）下一步打算 is a subsection of the problems part, never a part of its own
        base = 0.0
        if spec["strong_any"] is not None and spec["strong_any"].search(title):
            base = 10.0
        elif spec["weak_any"] is not None and spec["weak_any"].search(title):
            base = 4.0
        if not base:
            continue
        if num.style == "paren_cn":  # （一）… is the subsection style
            base -= 8
        elif num.style == "paren_ar":
            base -= 2
        elif num.style == "none":
            base -= 1.5
        if num.number is not None:
            # Some reports restart numbering at the tables: a strong title survives a wrong number.
            base += 3 if num.number in spec["numbers"] else (-1 if base >= 10 else -3)
        base -= max(0, len(title) - len(spec["canonical"]) - 6) * 0.3
        if base > 0:
            out.append((key, base, text.strip()))
    return tuple(out)


_INLINE_MARK = re.compile(r"(?<![一二三四五六七八九十])([一二三四五六七八九十]{1,2})\s*[、.．]\s*")
# Where a glued heading title ends: at a break, or right after its first title word.
_TITLE_STOP = re.compile(r"[\s\d。，,；;：:（(！？!?“”\"<《]")
_TITLE_END = re.compile(r"情况|事项|措施|举措|思路|打算|概述|概况|附表|统计表")
_BOUNDARY = set("。；;：:！？!?）)」”\"》 \u3000") | set("0123456789") | set("０１２３４５６７８９")  # cells: ASCII or full-width



_BARE_MARK = re.compile(r"(?:(?<=[。；！？])|^)([一二三四五六七八九十])(?=[\u4e00-\u9fff])(?![是要则])")

# A part numbered in Arabic digits ("5、存在的主要问题…") glued into a line: after a break or right after
# the digit run of a flattened table (the single digit before 、 is the number, not a cell).
_ARABIC_MARK = re.compile(r"(?:(?<=[\s。；！？）)\d])|^)(\d)\s*[、．.](?!\d)\s*")
# What every match of the three marks contains (see _split_paragraph).
_NUMERALS = "一二三四五六七八九十"
_INLINE_ANY = re.compile(r"[一二三四五六七八九十]\s*[、.．]")
_BARE_ANY = re.compile(r"[。；！？][一二三四五六七八九十]")
_ARABIC_ANY = re.compile(r"\d\s*[、．.]")


def _inline_title(rest: str, marker: str) -> tuple[str, float] | None:
    """The section-heading title that opens ``rest`` (text right after a glued ``一、``), with its score."""
    strong_hit: tuple[int, float] | None = None
    weak_hit: tuple[int, float] | None = None
    stop = _TITLE_STOP.search(rest, 1, 36)  # the loop below ends at the first stop (its title[-1])
    longest = stop.start() + 1 if stop else min(36, len(rest))
    unanchored = _rules()["unanchored"]
    strong_any = _rules()["strong_any"]

    def may_read(length: int) -> bool:  # a prefix in which no title pattern occurs has no reading
        return unanchored is None or unanchored.search(rest, 0, length) is not None

    if not may_read(longest):
        return None
    # Titles end before the first stop. may_read only turns true as the prefix grows (the unanchored
    # patterns have no lookaround or anchor), so the first length it holds for is found by bisection.
    last = stop.start() if stop else longest
    first, hi = 2, last + 1
    while first < hi:
        mid = (first + hi) // 2
        if may_read(mid):
            hi = mid
        else:
            first = mid + 1
    for length in range(first, last + 1):
        title = rest[:length]
        if weak_hit is not None and (strong_any is None or strong_any.search(title) is None):
            continue  # only a strong reading can still change the outcome, and none matches
        readings = _score_heading(marker + title)
        if readings:
            key, score, _ = max(readings, key=lambda r: r[1])
            strong = _rules()["sections"][key]["strong_any"]
            if strong is not None and strong.search(title):
                strong_hit = (length, score)
                break  # the shortest title that names its section outright
            if weak_hit is None and score >= 5:
                weak_hit = (length, score)
    best = strong_hit or weak_hit
    if best is None:
        return None
    length, score = best
    ahead = rest[length:length + 16]
    stop = _TITLE_STOP.search(ahead)
    ahead = ahead[: stop.start()] if stop else ahead
    end = _TITLE_END.search(ahead)
    if end and not rest[length - 2:length].endswith(("情况", "事项", "措施", "概述")):
        length += end.end()
    return rest[:length], score


def _split_paragraph(text: str) -> list[str]:
    """Cut a paragraph before every section heading glued into it (``…公开。二、主动公开政府信息情况第…``)
    and after the heading's title, so each heading is a line of its own."""
    cuts: list[tuple[int, int]] = []
    # Each mark pattern opens with a lookbehind, which makes the engine try every position; the plain
    # patterns before them find in one fast scan whether a paragraph holds a mark at all.
    for m in _INLINE_MARK.finditer(text) if _INLINE_ANY.search(text) else ():
        if m.start() == 0 and not cuts:
            pass
        elif m.start() > 0 and text[m.start() - 1] not in _BOUNDARY and not re.match(r"[\u4e00-\u9fff]", text[m.start() - 1]):
            continue
        found = _inline_title(text[m.end():], m.group(0))
        if not found:
            continue
        title, score = found
        strong_prev = m.start() == 0 or text[m.start() - 1] in _BOUNDARY
        if not strong_prev and score < 9:
            continue  # glued to a word (…收费三、…): only a heading that names its section outright
        cuts.append((m.start(), m.end() + len(title)))
    bare = text[:1] in _NUMERALS or _BARE_ANY.search(text) is not None
    for m in _BARE_MARK.finditer(text) if bare else ():  # "。一总体情况2020年，…": the numeral's 、 lost
        found = _inline_title(text[m.end():], m.group(1) + "、")
        if found and found[1] >= 9:
            cuts.append((m.start(), m.end() + len(found[0])))
    for m in _ARABIC_MARK.finditer(text) if _ARABIC_ANY.search(text) else ():  # "…总计1100 5、政府信息公开工作存在的主要问题…"
        found = _inline_title(text[m.end():], m.group(1) + "、")
        if found and found[1] >= 12:  # a part number only with its own section's number and title
            cuts.append((m.start(1), m.end() + len(found[0])))
    back_start = _back_start(text)
    for m in ([] if back_start is None or back_start.match(text) else back_start.finditer(text)):
        if m.start() > 0 and (text[m.start() - 1] in _BOUNDARY or text[m.start() - 1] == "日"):
            cuts.append((m.start(), m.start()))
            break
    if not cuts:
        return [text]
    cuts.sort()
    out: list[str] = []
    pos = 0
    for start, end in cuts:
        if start < pos:
            continue
        head = text[start:end]
        bare = _BARE_MARK.match(head)
        if bare:
            head = bare.group(1) + "、" + head[bare.end():]
        out += [text[pos:start], head]
        pos = end
    out.append(text[pos:])
    return [t.strip() for t in out if t.strip()]


@lru_cache(maxsize=1)
def org_suffix() -> str:
    """The alternation of ``organisation_suffixes`` (data/sections.yaml), longest first."""
    names = load_yaml("sections.yaml")["organisation_suffixes"]
    if not names or not all(isinstance(n, str) and n for n in names):
        raise TextmineError("data/sections.yaml: organisation_suffixes must be a list of words")
    return "(?:" + "|".join(sorted(map(re.escape, names), key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def _org_line() -> re.Pattern[str]:
    return re.compile(org_suffix() + "$")


@lru_cache(maxsize=1)
def _signature() -> re.Pattern[str]:
    """A signature and date glued to the end of the last sentence."""
    return re.compile(
        r"(?:^|(?<=[\s。）)A-Za-z.]))(?P<org>[\u4e00-\u9fff（）()]{3,40}?" + org_suffix() + ")?"
        r"\s*(?P<date>(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[二〇零○一]{4}\s*年\s*[元一二三四五六七八九十]{1,3}\s*月"
        r"\s*[一二三四五六七八九十]{1,3}\s*日)(?P<rest>\s*(?:[（(][^）)]{0,80}[）)])?\s*)$")


def _split_signature(text: str) -> list[str]:
    """Set a signature and date glued to the last sentence (``…工作。 某某局 2024年1月5日``) apart."""
    m = _signature().search(text[-160:])
    if not m:
        return [text]
    start = len(text) - 160 + m.start() if len(text) > 160 else m.start()
    head = text[:start].strip()
    parts = [head] if head else []
    org = (m.group("org") or "").strip()
    if org:
        parts.append(org)
    parts.append(m.group("date").strip())
    if m.group("rest").strip():
        parts.append(m.group("rest").strip())
    return parts


def split_inline(blocks: list[Block]) -> list[Block]:
    """Blocks with glued section headings and signatures cut out of their paragraphs."""
    out: list[Block] = []
    for b in blocks:
        if isinstance(b, Paragraph) and len(b.text) > 12:
            pieces = [q for p in _split_paragraph(b.text) for q in _split_signature(p)]
            if len(pieces) > 1:
                out.extend(Paragraph(p, b.page) for p in pieces)
                continue
        out.append(b)
    return out


def _candidates(blocks: list[Block]) -> list[_Candidate]:
    cands: list[_Candidate] = []
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
            continue
        if i > 0 and (back_start := _back_start(b.text)) is not None and back_start.match(b.text):
            cands.append(_Candidate(i, i, "appendix", 10.0, ""))
            continue
        readings = _score_heading(b.text)
        # Headings split over two lines: "五、存在的主要问题及改进" + "情况".
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(nxt, Paragraph) and len(b.text) <= 30 and len(nxt.text) <= 20 and _NUMBERING.match(b.text):
            joined = _score_heading(b.text + nxt.text)
            best_single = max((s for _, s, _ in readings), default=0)
            # A short tail fragment ("情况") belongs to the heading even when the first line matches alone.
            tail = (len(nxt.text) <= 8 and not _NUMBERING.match(nxt.text) and not re.search(r"[。，；]", nxt.text)
                    and not re.search(r"(?:情况|事项|措施|问题|概述)[。：:]?$", b.text))
            for key, score, title in joined:
                if score > best_single + 0.5 or (tail and score >= best_single - 0.5):
                    cands.append(_Candidate(i, i + 2, key, score, title))
        cands.extend(_Candidate(i, i + 1, key, score, title) for key, score, title in readings)
    return cands


def _best_path(cands: list[_Candidate], order: list[str]) -> list[_Candidate]:
    """Highest-scoring choice of headings, increasing in both position and section order."""
    rank = {k: i for i, k in enumerate(order)}
    cands = sorted(cands, key=lambda c: (c.index, rank[c.key]))
    best: list[float] = []
    prev: list[int] = []
    for j, c in enumerate(cands):
        best.append(c.score)
        prev.append(-1)
        for i in range(j):
            p = cands[i]
            if p.end <= c.index and rank[p.key] < rank[c.key] and best[i] + c.score > best[j]:
                best[j] = best[i] + c.score
                prev[j] = i
    if not cands:
        return []
    j = max(range(len(cands)), key=lambda k: best[k])
    path = []
    while j >= 0:
        path.append(cands[j])
        j = prev[j]
    return path[::-1]


def classify_table(table: Table) -> str | None:
    """Which standard table this is: proactive (2), requests (3), appeals (4), or None."""
    text = table.text
    if re.search(r"自然人|本年新收|予以公开|不予公开|勾稽", text):
        return "requests"
    if re.search(r"第二十条|制发件数|行政许可|行政处罚|行政事业性收费|新制作数量", text):
        return "proactive"
    if re.search(r"行政复议|行政诉讼|复议后起诉|结果维持", text):
        return "appeals"
    return None


def _infer(blocks: list[Block], starts: dict[str, tuple[int, int, str]], order: list[str]) -> dict[str, bool]:
    """Add start positions for sections whose heading is lost, from the content. Returns inferred keys."""
    rules = _rules()
    inferred: dict[str, bool] = {}
    rank = {k: i for i, k in enumerate(order)}

    def bounds(key: str) -> tuple[int, int]:
        lo = max((s[1] for k, s in starts.items() if rank[k] < rank[key]), default=0)
        hi = min((s[0] for k, s in starts.items() if rank[k] > rank[key]), default=len(blocks))
        return lo, hi

    for key in ("proactive", "requests", "appeals"):
        if key in starts:
            continue
        lo, hi = bounds(key)
        for i in range(lo, hi):
            b = blocks[i]
            if isinstance(b, Table) and classify_table(b) == key:
                # The table's caption line, if one sits right before it, opens the section.
                j = i - 1 if i - 1 >= lo and isinstance(blocks[i - 1], Paragraph) and \
                    len(blocks[i - 1].text) <= 30 and not re.search(r"[。；]", blocks[i - 1].text) else i
                starts[key] = (j, j, "")
                inferred[key] = True
                break
    if "problems" not in starts and starts:
        lo, hi = bounds("problems")
        # Only after the last table section: problems come after the tables.
        last_table = max((i for i in range(lo, hi) if isinstance(blocks[i], Table)), default=lo - 1)
        for i in range(max(lo, last_table + 1), hi):
            b = blocks[i]
            if isinstance(b, Paragraph) and rules["problems_content"].search(b.text[:40]):
                starts["problems"] = (i, i, "")
                inferred["problems"] = True
                break
    if "other" not in starts and "problems" in starts:
        lo, hi = bounds("other")
        for i in range(lo, hi):
            b = blocks[i]
            if isinstance(b, Paragraph) and rules["other_content"].search(b.text[:30]):
                starts["other"] = (i, i, "")
                inferred["other"] = True
                break
    return inferred


def _split_back(blocks: list[Block]) -> tuple[list[Block], list[Block]]:
    """Peel the signature (agency name) and date lines off the end of the last section."""
    k = len(blocks)
    while k > 0:
        b = blocks[k - 1]
        if not isinstance(b, Paragraph):
            break
        t = b.text.strip()
        if _DATE_LINE.match(t) or _CONTACT_LINE.match(t) or (
                len(t) <= 30 and _org_line().search(t) and not re.search(r"[，。；：]", t)):
            k -= 1
            continue
        break
    return blocks[:k], blocks[k:]


def segment(doc: Document) -> Segmentation:
    """Split a document into front matter, canonical sections and back matter."""
    blocks = split_inline(doc.blocks)
    rules = _rules()
    cands = _candidates(blocks)
    path, order = max(((_best_path(cands, o), o) for o in rules["orders"]),
                      key=lambda po: sum(c.score for c in po[0]))
    starts: dict[str, tuple[int, int, str]] = {c.key: (c.index, c.end, c.title) for c in path}
    scores = {c.key: c.score for c in path}
    inferred = _infer(blocks, starts, order)
    if not starts:
        return Segmentation(list(blocks), {}, [])
    ordered = sorted(starts.items(), key=lambda kv: kv[1][0])
    sections: dict[str, Section] = {}
    back: list[Block] = []
    for n, (key, (start, body, title)) in enumerate(ordered):
        end = ordered[n + 1][1][0] if n + 1 < len(ordered) else len(blocks)
        if key in rules["back"]:
            back.extend(blocks[start:end])
            continue
        target = rules["merge"].get(key)
        if target and target in sections:
            # A separate 今后工作打算 part belongs to the problems section, its heading kept as a line.
            sections[target].blocks.extend(blocks[start:end])
            continue
        sections[target or key] = Section(target or key, title, list(blocks[body:end]),
                                          inferred=inferred.get(key, False),
                                          confidence=_confidence(scores.get(key), inferred.get(key, False)))
    front = list(blocks[: ordered[0][1][0]])
    if sections:
        last = sections[next(reversed(sections))]
        last.blocks, sig = _split_back(last.blocks)
        back = sig + back
    # Overview heading lost: what follows the preamble is the overview.
    if "overview" not in sections and front:
        front, part_one = _split_part_one(front)
        pre_end = part_one if part_one is not None else _preamble_end(front)
        if pre_end < len(front):
            sections = {"overview": Section("overview", "", front[pre_end:], inferred=True,
                                            confidence=_confidence(None, True)), **sections}
            front = front[:pre_end]
    return Segmentation(front, sections, back)


# The six sections of the form; completeness is the share of them a report has.
FORM_SECTIONS = ("overview", "proactive", "requests", "appeals", "problems", "other")
_FULL_SCORE = 13.0  # a strong title with the section's own number


def _confidence(score: float | None, inferred: bool) -> float:
    """0–1: a strong, rightly numbered heading is 1; a weak or misnumbered one less; inferred 0.4."""
    if inferred or score is None:
        return 0.4
    return round(min(1.0, max(0.3, score / _FULL_SCORE)), 2)


def completeness(sections: dict[str, Section]) -> float:
    """Share of the form's six sections present (fees counts for none of them)."""
    return round(sum(k in sections for k in FORM_SECTIONS) / len(FORM_SECTIONS), 3)


def _split_part_one(front: list[Block]) -> tuple[list[Block], int | None]:
    """Cut the preamble before a "一、" that follows a sentence end: part one of a report whose first
    heading is not a standard one (一、年度工作核心成效…). Returns the blocks and where part one starts."""
    out = list(front)
    for i, b in enumerate(out):
        if isinstance(b, Paragraph):
            m = re.search(r"(?<=[。）)])\s*一\s*、", b.text)
            if i > 0 and re.match(r"\s*一\s*、", b.text) and not m:  # the run-on line was already cut there
                return out, i
            if m and m.start() > 0:
                out[i:i + 1] = [Paragraph(b.text[: m.start()].strip(), b.page),
                                Paragraph(b.text[m.start():].strip(), b.page)]
                return out, i + 1
    return out, None


def _preamble_end(front: list[Block]) -> int:
    """Index after the title and preamble paragraphs (条例, 统计期限, contact details)."""
    end = 0
    for i, b in enumerate(front):
        if isinstance(b, Paragraph) and (
            re.search(r"条例|统计(?:期限|时限|时间|周期)|年度报告|如对.{0,10}(?:疑问|问题)|联系", b.text) or i < 2
        ):
            end = i + 1
    return end
