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
from .resources import load_yaml

_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
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
_ORG_SUFFIX = re.compile(r"(?:局|委|委员会|办|办公室|政府|厅|部|院|署|街道|镇|乡|中心|处|会|所|管委会|管理委员会)$")


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN.get(s[1:], 0)
    if "十" in s:
        a, b = s.split("十", 1)
        return _CN.get(a, 0) * 10 + (_CN.get(b, 0) if b else 0)
    return _CN.get(s, 0)


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
            num = int(val) if val.isdigit() else _cn_number(val)
            return Numbering(num, style, rest)
    return Numbering(None, "none", text.strip())


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    inferred: bool = False  # True when the heading was lost and the boundary came from content

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


@lru_cache(maxsize=1)
def _rules() -> dict:
    cfg = load_yaml("sections.yaml")
    compiled = {}
    for key, spec in cfg["sections"].items():
        compiled[key] = {
            "strong": [re.compile(p) for p in spec["strong"]],
            "weak": [re.compile(p) for p in spec["weak"]],
            "numbers": set(spec["numbers"]),
            "canonical": spec["canonical"],
        }
    return {
        "order": cfg["order"],
        "sections": compiled,
        "problems_content": re.compile(cfg["problems_content"]),
        "other_content": re.compile(cfg["other_content"]),
    }


def _score_heading(text: str) -> list[tuple[str, float, str]]:
    """Candidate (key, score, title) readings of one heading-like line."""
    if len(text) > 60:
        return []
    num = split_numbering(text)
    title = num.rest.rstrip("。．.:：；; ")
    if not title or len(title) > 36:
        return []
    # A line of running text with a sentence inside is not a heading.
    if re.search(r"[。；;]", title) or (len(title) > 22 and "，" in title):
        return []
    out = []
    for key, spec in _rules()["sections"].items():
        base = 0.0
        if any(p.search(title) for p in spec["strong"]):
            base = 10.0
        elif any(p.search(title) for p in spec["weak"]):
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
    return out


def _candidates(blocks: list[Block]) -> list[_Candidate]:
    cands: list[_Candidate] = []
    for i, b in enumerate(blocks):
        if not isinstance(b, Paragraph):
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
        if _DATE_LINE.match(t) or (len(t) <= 30 and _ORG_SUFFIX.search(t) and not re.search(r"[，。；：]", t)):
            k -= 1
            continue
        break
    return blocks[:k], blocks[k:]


def segment(doc: Document) -> Segmentation:
    """Split a document into front matter, canonical sections and back matter."""
    blocks = doc.blocks
    order = _rules()["order"]
    path = _best_path(_candidates(blocks), order)
    starts: dict[str, tuple[int, int, str]] = {c.key: (c.index, c.end, c.title) for c in path}
    inferred = _infer(blocks, starts, order)
    if not starts:
        return Segmentation(list(blocks), {}, [])
    ordered = sorted(starts.items(), key=lambda kv: kv[1][0])
    sections: dict[str, Section] = {}
    for n, (key, (_start, body, title)) in enumerate(ordered):
        end = ordered[n + 1][1][0] if n + 1 < len(ordered) else len(blocks)
        sections[key] = Section(key, title, list(blocks[body:end]), inferred=inferred.get(key, False))
    front = list(blocks[: ordered[0][1][0]])
    last = sections[ordered[-1][0]]
    last.blocks, back = _split_back(last.blocks)
    # Overview heading lost: what follows the preamble is the overview.
    if "overview" not in sections and front:
        pre_end = _preamble_end(front)
        if pre_end < len(front):
            sections = {"overview": Section("overview", "", front[pre_end:], inferred=True), **sections}
            front = front[:pre_end]
    return Segmentation(front, sections, back)


def _preamble_end(front: list[Block]) -> int:
    """Index after the title and preamble paragraphs (条例, 统计期限, contact details)."""
    end = 0
    for i, b in enumerate(front):
        if isinstance(b, Paragraph) and (
            re.search(r"条例|统计(?:期限|时限|时间|周期)|年度报告|如对.{0,10}(?:疑问|问题)|联系", b.text) or i < 2
        ):
            end = i + 1
    return end
