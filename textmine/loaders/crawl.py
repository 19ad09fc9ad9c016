"""Crawler text dumps: the header block a site crawler writes, and the site chrome around the article.

A dump looks like ``标题: …`` / ``发布时间: …`` / ``发布机构: …`` lines, a ``==== 正文 ====`` rule, then the
page text — often the whole article on one line, with the breadcrumb, share bar and markup residue of
the page around it. The vocabulary lives in ``data/crawl.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..errors import TextmineError
from ..resources import load_yaml


@dataclass(frozen=True)
class _Rules:
    keys: tuple[str, ...]
    min_keys: int
    rule: re.Pattern[str]
    notes: tuple[re.Pattern[str], ...]
    lead_chars: int
    tail_chars: int
    lead_end: re.Pattern[str]
    lead: tuple[re.Pattern[str], ...]
    tail: tuple[re.Pattern[str], ...]
    anywhere: re.Pattern[str]
    anywhere_words: tuple[str, ...]


@cache
def _rules() -> _Rules:
    cfg = load_yaml("crawl.yaml")
    try:
        head = cfg["header"]
        return _Rules(
            keys=tuple(head["keys"]),
            min_keys=int(head["min_keys"]),
            rule=re.compile(head["rule"]),
            notes=tuple(re.compile(p) for p in head["notes"]),
            lead_chars=int(cfg["lead_chars"]),
            tail_chars=int(cfg["tail_chars"]),
            lead_end=re.compile("|".join(f"(?:{p})" for p in cfg["lead_end"])),
            lead=tuple(re.compile(p) for p in cfg["lead"]),
            tail=tuple(re.compile(p) for p in cfg["tail"]),
            anywhere=re.compile("|".join(f"(?:{p})" for p in cfg["anywhere"]), re.S),
            anywhere_words=_words_named(cfg["anywhere"], cfg["anywhere_words"]),
        )
    except (KeyError, TypeError, ValueError, re.error) as exc:  # a broken data file is our bug, said plainly
        raise TextmineError(f"data/crawl.yaml is invalid: {exc}") from None


def _words_named(patterns: list[str], words: list[str]) -> tuple[str, ...]:
    if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
        raise ValueError("anywhere_words must be a list of words")
    for p in patterns:
        if not any(w in p for w in words):
            raise ValueError(f"anywhere pattern {p!r} names none of anywhere_words")
    return tuple(words)


_FIELD = re.compile(r"^\s*([\u4e00-\u9fff]{2,6})\s*[:：]\s?(.*)$")


def split_header(text: str) -> tuple[dict[str, str], str] | None:
    """(header fields, body) of a crawler dump, or None when ``text`` does not open with a header block."""
    rules = _rules()
    lines = text.split("\n", 40)
    fields: dict[str, str] = {}
    for i, line in enumerate(lines[:40]):
        if rules.rule.match(line):
            if sum(1 for k in fields if k in rules.keys) < rules.min_keys:
                return None
            body = "\n".join(lines[i + 1:]) if i + 1 < len(lines) else ""
            return fields, body
        if not line.strip() or any(p.search(line) for p in rules.notes):
            continue
        m = _FIELD.match(line)
        if not m:
            return None  # a header is nothing but fields up to its rule
        fields[m.group(1)] = m.group(2).strip()
    return None


def strip_chrome(body: str) -> str:
    """Remove markup residue everywhere and the page chrome before and after the article text."""
    rules = _rules()
    if any(w in body for w in rules.anywhere_words):
        body = rules.anywhere.sub(" ", body)
    lead = body[: rules.lead_chars]
    ends = list(rules.lead_end.finditer(lead))
    # Everything before the end of the share bar is breadcrumb and buttons, but only when what is cut
    # holds no sentence of the report (a section heading or a 。 would mean the bar sits mid-text).
    if ends and not re.search(r"。|[一二三四五六]、\S{0,12}情况", lead[: ends[-1].start()]):
        body = body[ends[-1].end():]
    else:
        head = body[: rules.lead_chars]
        for p in rules.lead:
            head = p.sub(" ", head)
        body = head + body[rules.lead_chars:]
    cut = max(0, len(body) - rules.tail_chars)
    tail = body[cut:]
    # Repeat until nothing changes: each removal can bare another end-anchored item
    # (``附件下载 【打印】【关闭】`` ends with 附件下载 only once the buttons are gone).
    prev = None
    while prev != tail:
        prev = tail
        for p in rules.tail:
            tail = p.sub(" ", tail).rstrip()
    return (body[:cut] + tail).strip()


def header_meta(fields: dict[str, str]) -> dict[str, str]:
    """Header fields as the page-level facts the metadata stage reads (``Document.extra``)."""
    out = {k: v for k, v in fields.items() if v}
    if out.get("发布时间") and "发布日期" not in out:
        out["发布日期"] = out["发布时间"]
    return out
