"""Section 5 (存在的主要问题及改进情况) as a list of statements, each with one role.

The unit and the roles are those of codebook.md: one enumerated point (一是/1./（一）/第一，/首先…) or,
outside enumerations, one sentence; roles ``problem``, ``measure`` and ``rectification``.

Everything a researcher may want to change — page-number patterns, enumeration markers, sub-heading
titles, lead-in patterns, role cue words and their weights, the generic words ignored when linking
measures to problems — lives in ``data/statement_rules.yaml``; this module only applies it:

1. clean the paragraphs (stray page numbers out, paragraphs cut by a page break joined again);
2. take sub-heading lines out (they set the role of what follows, year-aware);
3. cut each paragraph into enumeration items and, outside items, sentences; lead-ins are set aside as
   context and carry the role they announce;
4. give each statement a role (sub-heading > lead-in > cue words > the role before);
5. link measures to the problems they answer (parallel numbering, else shared key words).

Words for one-character cues (将, 拟, 已) and for the key-word links are jieba's, as spaCy's Chinese
tokenizer gives them (``wordcut.words``); jieba's dictionary loads once, lazily, on first need.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from ..textutil import cn_number
from .rules import ROLES, _load_rules, _Rules  # noqa: F401  (ROLES is public here too)
from .wordcut import words as _words

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
_TERMINATORS = "。！？；!?;"
_CLOSERS = "”’」』）)\"'"
_OPENERS = {"“": "”", "《": "》", "（": "）", "(": ")", "「": "」", "『": "』"}
_SPACE_RUN = re.compile(r"\s+")
_SENTENCE_MARK = re.compile("[" + re.escape("".join(_OPENERS) + "".join(_OPENERS.values()) + _TERMINATORS) + "]")
_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff，。；：、！？])\s+(?=[\u3400-\u9fff“《（])")
_SPACE_BEFORE_PUNCT = re.compile(r"\s+(?=[，。；：！？、）》”’」])|(?<=[（《“‘「])\s+")


@dataclass
class Statement:
    """One statement of section 5."""

    id: str  # "s1", "s2", … in document order
    role: str  # problem | measure | rectification
    text: str  # the statement without its enumeration marker
    subsection: str | None = None  # the sub-heading it sits under
    order: int = 0  # 1-based position in document order
    answers: list[str] = field(default_factory=list)  # measures: ids of the problems they answer
    marker: str | None = None  # "一是", "1.", "（一）" … when the statement is an enumerated point
    number: int | None = None  # the number of that marker (一是 -> 1)
    lead_in: str | None = None  # the lead-in that introduced it ("主要表现在："), context only
    # Filled in later by the theme classifier (textmine.themes.tag_statements).
    themes: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    # The text as printed when the report was converted on load (traditional script); else None.
    original_text: str | None = None
    # [start, end) of the statement in its section's text (``Section.text``), when it could be found.
    span: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        # Not asdict(): it deep-copies every value (most of a record's build time); the mutable ones are copied.
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["answers"], d["themes"], d["scores"] = list(self.answers), list(self.themes), dict(self.scores)
        if d["original_text"] is None:
            del d["original_text"]  # the record of a simplified report stays as it was
        d["span"] = list(self.span) if self.span else None
        # The order of the JSON record in docs/record.md first, then the extra fields.
        first = ("id", "role", "text", "themes", "scores")
        return {**{k: d[k] for k in first}, **{k: v for k, v in d.items() if k not in first}}


# --------------------------------------------------------------------------------------------------
# Markers


@dataclass(frozen=True)
class _Marker:
    style: str
    num: int | None  # None: "最后", continues whatever list runs
    start: int
    end: int
    text: str


def _marker_number(style: str, raw: str, rules: _Rules) -> int | None:
    if style == "sequence" or raw in rules.sequence_words:
        val = rules.sequence_words.get(raw)
        return val if isinstance(val, int) else None
    if raw in _CIRCLED:
        return _CIRCLED.index(raw) + 1
    raw = raw.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    return int(raw) if raw.isdigit() else cn_number(raw)


def _prev_char(text: str, i: int) -> str:
    """The character before position i, skipping spaces and closing quotes (""): paragraph start)."""
    j = i - 1
    while j >= 0 and (text[j].isspace() or text[j] in _CLOSERS):
        j -= 1
    return text[j] if j >= 0 else ""


def _candidates(text: str, rules: _Rules) -> list[_Marker]:
    """Every place a marker could open an item (not yet checked against the running list)."""
    found: dict[int, _Marker] = {}
    for style in rules.styles:
        for m in style.pattern.finditer(text):
            if m.start() in found or m.end() == m.start():
                continue
            prev = _prev_char(text, m.start())
            ok = prev == "" or (
                style.after in ("sentence", "clause") and prev in _TERMINATORS + "：:"
            ) or (style.after == "clause" and prev in "，,")
            if not ok:
                continue
            num = _marker_number(style.name, m.group("num"), rules)
            if num == 0:
                continue
            found[m.start()] = _Marker(style.name, num, m.start(), m.end(), m.group(0).strip())
    return [found[k] for k in sorted(found)]


def _starts_with_marker(text: str, rules: _Rules) -> bool:
    return any(c.start == 0 for c in _candidates(text, rules))


# --------------------------------------------------------------------------------------------------
# Sub-headings


@dataclass(frozen=True)
class _Subheading:
    text: str
    role: str | None
    rest: str  # a run-in first sentence: "（一）存在的主要问题。各科室…" -> "各科室…"


_GLUED_ITEM = re.compile(r"(?=[一二三四五六七八九十]是|\d{1,2}\s*[.．、](?!\d)|[（(]\d{1,2}[)）]|首先|其一)")


def _subheading(text: str, rules: _Rules, year: int | None) -> _Subheading | None:
    m = rules.sub_number.match(text)
    start = m.end() if m else 0
    body = text[start:]
    options = [(body, "")]
    run_in = re.match(rf"^([^。：:；;]{{1,{rules.sub_max}}}[。：:])(.+)$", body)
    # A run-in heading needs its number ("（一）存在的主要问题。各科室…"); a bare "主要问题：一是…" is a lead-in.
    if run_in and m and m.end() > 0:
        options.append((run_in.group(1), run_in.group(2)))
    # A heading glued to its first item: "（一）存在的主要问题一是…", "（二）改进措施1.进一步…".
    glued = _GLUED_ITEM.search(body[: rules.sub_max + 4])
    if glued and m and m.end() > 0 and glued.start() >= 2:
        options.append((body[: glued.start()], body[glued.start():]))
    for head, rest in options:
        title = re.sub(r"\s+", "", head).rstrip("。：:；;，,")
        if not title or len(title) > rules.sub_max:
            continue
        for role, rx in rules.for_year(year)["subheadings"]:
            if rx.match(title):
                shown = (text[:start] + head).strip().rstrip("。：:；;，,").strip()
                return _Subheading(shown, _year_adjusted(role, title, year, rules), rest.strip())
    return None


def _year_adjusted(role: str | None, title: str, year: int | None, rules: _Rules) -> str | None:
    """A sub-heading naming an earlier year's problems is rectification; one naming a later year, plans."""
    if year is None:
        return role
    years = [int(y) for y in re.findall(r"(\d{4})\s*年", title)]
    if not years:
        return role
    y = years[0]
    if y < year and role in ("problem", None) and re.search(r"问题|不足|短板|差距", title):
        return rules.earlier_year_problem_role
    if y > year:
        return rules.later_year_role
    return role


# --------------------------------------------------------------------------------------------------
# Cleaning


def _normalize(text: str, rules: _Rules) -> str:
    text = rules.page_inline.sub("", text)
    text = re.sub(r"[ \t\u3000\u00a0]+", " ", text).strip()
    # A space between two Chinese characters is layout (where a page number stood), not text.
    text = _CJK_GAP.sub("", text)
    return _SPACE_BEFORE_PUNCT.sub("", text)


def _is_title_item(text: str, rules: _Rules) -> bool:
    """A paragraph that is only a marker and a short title ("1.加强队伍建设。")."""
    cands = [c for c in _candidates(text, rules) if c.start == 0]
    if not cands:
        return False
    title = text[cands[0].end:]
    return 0 < len(title) <= rules.title_max and not re.search(r"[。！？；!?;：:].", title) \
        and not title.endswith(("；", ";", "：", ":"))


_SENTENCE_GAP = re.compile(r"(?<=[。；！？!?;])\s*(?=\S)")


def _split_subheadings(text: str, rules: _Rules, year: int | None) -> list[str]:
    """Cut a paragraph before each sub-heading that follows a sentence end inside it
    ("…加强。（二）改进措施。2023年，…", "…等问题。下一步整改措施：…"): the sub-heading sets the role of what
    follows, so it must open a paragraph."""
    cuts = [m.end() for m in _SENTENCE_GAP.finditer(text)
            if m.end() < len(text) and _subheading(text[m.end():m.end() + 80], rules, year) is not None]
    if not cuts:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _clean_paragraphs(paragraphs: Sequence[str], rules: _Rules, year: int | None) -> list[str]:
    paras = []
    for p in paragraphs:
        t = _normalize(str(p), rules)
        if t and not rules.page_para.match(t):
            paras.extend(_split_subheadings(t, rules, year))

    def opens(t: str) -> bool:
        return _starts_with_marker(t, rules) or _subheading(t, rules, year) is not None

    out: list[str] = []
    for k, t in enumerate(paras):
        if out:
            prev = out[-1]
            if not opens(t) and _subheading(prev, rules, year) is None:
                cut = not rules.para_end.search(prev)
                # "1.加强队伍建设。" + its body in the next paragraph (and then the next item, or the end):
                # one statement.
                titled = (_is_title_item(prev, rules) and (k + 1 == len(paras) or opens(paras[k + 1]))
                          and not rules.scope_break.match(t) and not rules.turn_to_measures.match(t)
                          and not _leadin_role(t, rules)[0])
                if cut or titled:
                    sep = " " if re.search(r"[A-Za-z0-9]$", prev) and re.match(r"[A-Za-z0-9]", t) else ""
                    out[-1] = prev + sep + t
                    continue
        out.append(t)
    return out


# --------------------------------------------------------------------------------------------------
# Sentences and lead-ins


def _sentences(text: str) -> list[str]:
    """Split at 。！？； outside quotes and brackets; closing quotes stay with their sentence."""
    out: list[str] = []
    depth: list[str] = []
    start = 0
    n = len(text)
    m = _SENTENCE_MARK.search(text)  # only quotes, brackets and sentence ends change anything
    while m:
        i = m.start()
        # An unbalanced quote must not swallow the rest of the paragraph.
        if depth and i - start > 300:
            depth.clear()
        ch = text[i]
        if ch in _OPENERS:
            depth.append(_OPENERS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch in _TERMINATORS and not depth:
            j = i + 1
            while j < n and (text[j] in _CLOSERS or text[j] in _TERMINATORS):
                j += 1
            out.append(text[start:j])
            start = j
            m = _SENTENCE_MARK.search(text, j)
            continue
        m = _SENTENCE_MARK.search(text, i + 1)
    if start < n:
        out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _leadin_role(text: str, rules: _Rules) -> tuple[bool, str | None]:
    """Is this whole sentence a framing lead-in (no claim of its own)? And the role it announces."""
    for rx, role in rules.colon_leadins:
        if rx.search(text):
            return True, role
    for rx, role in rules.sentence_leadins:
        if rx.search(text):
            return True, role
    return False, None


def _split_colon(sentence: str, rules: _Rules) -> tuple[str | None, str | None, str]:
    """("…主要是：", role, "个别部门…") when a lead-in colon opens the sentence's real content."""
    for m in re.finditer(r"[：:]", sentence):
        head = sentence[: m.end()]
        if _depth_ok(head):
            for rx, role in rules.colon_leadins:
                if rx.search(head):
                    return head, role, sentence[m.end():].strip()
    return None, None, sentence


def _depth_ok(s: str) -> bool:
    """No quote or bracket left open in s."""
    depth: list[str] = []
    for ch in s:
        if ch in _OPENERS:
            depth.append(_OPENERS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
    return not depth


def _is_break(sentence: str, item_so_far: str, rules: _Rules, year: int | None) -> bool:
    """Does this sentence end the enumeration item it stands in? A lead-in colon or a turn to the answers
    does; "下一步，…" does only after an item that reads as a problem."""
    if rules.scope_break.match(sentence) or _split_colon(sentence, rules)[0] is not None:
        return True
    # A framing sentence ("2021年，我局…也仍存在一些不足之处。") opens a new part, whatever the item was.
    if _leadin_role(sentence, rules)[0]:
        return True
    return bool(rules.turn_to_measures.match(sentence)) and _cue_role(item_so_far, rules, year) == "problem"


def _first_break(sents: list[str], rules: _Rules, year: int | None) -> int | None:
    """Index of the first sentence after the item's first one that ends the item."""
    for i in range(1, len(sents)):
        if _is_break(sents[i], "".join(sents[:i]), rules, year):
            return i
    return None


# --------------------------------------------------------------------------------------------------
# Units: what a paragraph is cut into


@dataclass
class _Unit:
    kind: str  # subheading | leadin | statement | para_end
    text: str
    role: str | None = None  # subheading / lead-in: the role announced
    marker: _Marker | None = None
    list_id: int | None = None
    number: int | None = None
    breaks_scope: bool = False


@dataclass
class _ListState:
    """Running enumerations: a stack of (style, list id, last number), outermost first."""

    stack: list[list[Any]] = field(default_factory=list)
    next_id: int = 0

    def reset(self) -> None:
        self.stack.clear()

    def accept(self, c: _Marker, open_style: str | None, nested_ok: bool = False) -> tuple[int, int] | None:
        """(list id, item number) of this marker, or None when it is plain text here."""
        level = next((i for i, (style, _, _) in enumerate(self.stack) if style == c.style), None)
        if c.num == 1:
            if open_style is not None and open_style != c.style and not nested_ok:
                return None  # a list nested inside an item's text stays part of that item
            if level is not None:
                del self.stack[level:]
            self.next_id += 1
            self.stack.append([c.style, self.next_id, 1])
            return self.next_id, 1
        if level is None:
            return None
        entry = self.stack[level]
        # A repeated number (一是…三是…三是…) is a typo of the next one, not text.
        if c.num is None or c.num in (entry[2] + 1, entry[2]):
            del self.stack[level + 1:]
            entry[2] = entry[2] + 1 if c.num is None else c.num
            return entry[1], entry[2]
        return None


def _free_text(text: str, rules: _Rules, runs_into_marker: bool) -> list[_Unit]:
    """Text outside enumeration items: sentences, lead-ins among them."""
    units: list[_Unit] = []
    sents = _sentences(text)
    for k, s in enumerate(sents):
        last = k == len(sents) - 1
        head, role, rest = _split_colon(s, rules)
        if head is not None:
            units.append(_Unit("leadin", head, role=role))
            if not rest:
                continue
            s = rest
        is_leadin, role = _leadin_role(s, rules)
        ends_open = s[-1] not in _TERMINATORS + _CLOSERS
        if is_leadin or (last and runs_into_marker and (ends_open or s.endswith(("：", ":")))):
            units.append(_Unit("leadin", s, role=role))
        else:
            breaks = bool(rules.scope_break.match(s) or rules.turn_to_measures.match(s))
            units.append(_Unit("statement", s, breaks_scope=breaks))
    return units


def _is_title(text: str) -> bool:
    """A short heading-like stretch: at most one sentence, ≤ 40 characters, or one ending in a colon."""
    t = text.strip()
    if t.endswith(("：", ":")):
        return len(t) <= 80
    inner = re.findall(r"[。！？；!?;]", t[:-1])
    return 0 < len(t) <= 40 and not inner


def _paragraph_units(text: str, rules: _Rules, lists: _ListState, year: int | None) -> list[_Unit]:
    cands = _candidates(text, rules)
    valid: list[tuple[_Marker, tuple[int, int]]] = []
    nested: set[int] = set()  # indexes into valid of markers that open a list inside an item's title
    open_style: str | None = None
    last_end = 0
    for c in cands:
        if open_style is not None and valid:
            if _first_break(_sentences(text[last_end:c.start]), rules, year) is not None:
                open_style = None
        # "（一）提高认识一是…二是…": the item is only a title over sub-points, which are the units.
        title_only = open_style is not None and valid and _is_title(text[last_end:c.start])
        pos = lists.accept(c, open_style, nested_ok=bool(title_only))
        if pos is not None:
            if title_only and c.num == 1 and c.style != open_style:
                nested.add(len(valid))
            valid.append((c, pos))
            open_style = c.style
            last_end = c.end
    if not valid:
        return _free_text(text, rules, runs_into_marker=False)
    units = _free_text(text[: valid[0][0].start], rules, runs_into_marker=True) if valid[0][0].start else []
    for k, (c, (list_id, number)) in enumerate(valid):
        end = valid[k + 1][0].start if k + 1 < len(valid) else len(text)
        body = text[c.end:end]
        # A turn to the answers inside the item ("…。针对上述问题，下一步…：") ends the item.
        sents = _sentences(body)
        cut = _first_break(sents, rules, year)
        if cut is not None:
            tail_start = body.find(sents[cut], sum(len(x) for x in sents[:cut]))
            item, tail = body[:tail_start], body[tail_start:]
        else:
            item, tail = body, ""
        if k + 1 in nested:  # a title over nested sub-points: context, like a sub-heading
            units.append(_Unit("leadin", item.strip(), role=None))
            continue
        units.append(_Unit("statement", item.strip(), marker=c, list_id=list_id, number=number))
        if tail:
            units.extend(_free_text(tail, rules, runs_into_marker=k + 1 < len(valid)))
    return units


# --------------------------------------------------------------------------------------------------
# Roles


def _cue_scores(text: str, rules: _Rules, year: int | None) -> dict[str, int]:
    for rx in rules.neutral:
        text = rx.sub(lambda m: "　" * len(m.group(0)), text)
    cues = rules.for_year(year)["cues"]
    words: set[str] | None = None
    scores = {}
    for role, items in cues.items():
        total = 0
        for kind, val, w in items:
            if kind == "re":
                hit = val.search(text) is not None
            else:
                if val not in text:
                    continue
                if words is None:
                    words = set(_words(text))
                hit = val in words
            if hit:
                total += w
        scores[role] = total
    return scores


def _cue_role(text: str, rules: _Rules, year: int | None) -> str | None:
    scores = _cue_scores(text, rules, year)
    best = max(scores.values(), default=0)
    if best <= 0:
        return None
    winners = [r for r, s in scores.items() if s == best]
    return winners[0] if len(winners) == 1 else None


# --------------------------------------------------------------------------------------------------
# Links


def _key_words(text: str, rules: _Rules) -> set[str]:
    return {w for w in _words(text) if len(w) >= 2 and _CJK.search(w) and w not in rules.generic_words}


def _link(statements: list[Statement], list_ids: list[int | None], rules: _Rules) -> None:
    by_list: dict[int, list[int]] = {}
    for i, lid in enumerate(list_ids):
        if lid is not None:
            by_list.setdefault(lid, []).append(i)

    def clean_list(idx: list[int], role: str) -> bool:
        return all(statements[i].role == role for i in idx) and \
            [statements[i].number for i in idx] == list(range(1, len(idx) + 1))

    problem_lists = [idx for idx in by_list.values() if clean_list(idx, "problem")]
    linked: set[int] = set()
    for idx in by_list.values():
        if not clean_list(idx, "measure"):
            continue
        before = [p for p in problem_lists if p[-1] < idx[0]]
        if before and len(before[-1]) == len(idx):
            for mi, pi in zip(idx, before[-1], strict=True):
                statements[mi].answers = [statements[pi].id]
                linked.add(mi)
    problems = [i for i, s in enumerate(statements) if s.role == "problem"]
    if not problems:
        return
    for i, s in enumerate(statements):
        if s.role != "measure" or i in linked:
            continue
        earlier = [p for p in problems if p < i]
        # A measure with a title sentence ("深化公众参与。制订…") is matched on its title first: the title
        # is where a report repeats the problem's key phrase; the body drifts into detail.
        sents = _sentences(s.text)
        tries = [sents[0], s.text] if len(sents) > 1 else [s.text]
        for part in tries:
            mine = _key_words(part, rules)
            scored = [(len(mine & _key_words(statements[p].text, rules)), p) for p in earlier]
            best = max((n for n, _ in scored), default=0)
            if best >= max(rules.link_min_shared, 1):
                s.answers = [statements[p].id for n, p in scored if n == best]
                break


# --------------------------------------------------------------------------------------------------
# Public


def _strip_statement(text: str) -> str:
    return text.strip().rstrip("；;，,、 ").strip()


def _units(paragraphs: Sequence[str], r: _Rules, year: int | None) -> list[tuple[_Unit, str | None]]:
    """Sub-headings, lead-ins, statements and paragraph ends, each with the sub-heading it sits under."""
    lists = _ListState()
    units: list[tuple[_Unit, str | None]] = []
    subsection: str | None = None
    for para in _clean_paragraphs(paragraphs, r, year):
        sub = _subheading(para, r, year)
        if sub is not None:
            subsection = sub.text
            lists.reset()
            units.append((_Unit("subheading", sub.text, role=sub.role), subsection))
            para = sub.rest
            if not para:
                continue
        units.extend((u, subsection) for u in _paragraph_units(para, r, lists, year))
        units.append((_Unit("para_end", ""), subsection))
    return units


def extract_statements(paragraphs: Sequence[str], *, year: int | None = None,
                       rules: str | Path | None = None) -> list[Statement]:
    """The statements of section 5, in document order.

    ``paragraphs``: the body paragraphs of section 5 without its heading (for legacy reports with separate
    problem and measure sections, both, the second heading line included). ``year``: the report year, so
    that a sub-heading on last year's problems reads as rectification. ``rules``: another rules file in
    the format of ``data/statement_rules.yaml``.
    """
    if isinstance(paragraphs, str):
        paragraphs = paragraphs.splitlines()
    r = _load_rules(rules)
    units = _units(paragraphs, r, year)
    statements: list[Statement] = []
    list_ids: list[int | None] = []
    heading_role: str | None = None
    bound: str | None = None  # role announced by a lead-in, for the rest of its paragraph
    lead_text: str | None = None
    current: str | None = None
    # A lead-in's role holds for the rest of its paragraph; a lead-in that closes its paragraph
    # ("…以下工作：") also holds for the enumerated paragraphs that follow it.
    carry = False
    first_in_para = True
    prev_kind = ""
    for u, sub_text in units:
        if u.kind == "subheading":
            heading_role, bound, lead_text, carry = u.role, None, None, False
            if u.role:
                current = u.role
            first_in_para = True
            continue
        if u.kind == "para_end":
            carry = bound is not None and (prev_kind == "leadin" or carry)
            if not carry:
                bound, lead_text = None, None
            first_in_para, prev_kind = True, ""
            continue
        if first_in_para and carry and (u.kind != "statement" or u.marker is None):
            bound, lead_text, carry = None, None, False
        first_in_para, prev_kind = False, u.kind
        if u.kind == "leadin":
            role = _cue_role(u.text, r, year) or u.role or current
            bound, lead_text = role, u.text
            if heading_role is None and role:
                current = role
            continue
        text = _strip_statement(u.text)
        if not text or not _CJK.search(text):
            continue
        if u.breaks_scope:
            bound, lead_text = None, None
        if heading_role is not None:
            role = heading_role
        elif bound is not None:
            role = bound
        else:
            role = _cue_role(text, r, year) or current or r.default_role
        current = role
        n = len(statements) + 1
        statements.append(Statement(
            id=f"s{n}", role=role, text=text, subsection=sub_text, order=n,
            marker=u.marker.text if u.marker else None,
            number=u.number,
            lead_in=lead_text,
        ))
        list_ids.append(u.list_id)
    _link(statements, list_ids, r)
    return statements


def locate(statements: Sequence[Statement], section_text: str) -> None:
    """Set each statement's ``span`` in the section text, searching forward in document order.

    Statements are cleaned (layout spaces out), so the search skips white space in the section text;
    a statement not found keeps ``span = None``.
    """
    flat = _SPACE_RUN.sub("", section_text)
    # Index k of ``flat`` is k plus the white space before it in the text: the runs of white space, each
    # with the flat index it precedes and the spaces removed up to its end (runs are few; characters many).
    before: list[int] = []
    removed: list[int] = []
    for m in _SPACE_RUN.finditer(section_text):
        before.append(m.start() - (removed[-1] if removed else 0))
        removed.append((removed[-1] if removed else 0) + m.end() - m.start())

    def at(k: int) -> int:
        j = bisect.bisect_right(before, k)
        return k + (removed[j - 1] if j else 0)

    pos = 0
    for st in statements:
        needle = "".join(st.text.split())
        k = flat.find(needle, pos) if needle else -1
        if k < 0:
            k = flat.find(needle)  # out of order (a heading title joined to its body): search it all
        if k >= 0 and needle:
            st.span = (at(k), at(k + len(needle) - 1) + 1)
            pos = k + len(needle)
