"""The rules of section-5 statements, compiled from ``data/statement_rules.yaml`` (or your own file)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import TextmineError
from ..resources import data_path, file_mtime, safe_yaml

ROLES = ("problem", "measure", "rectification")
_PLACEHOLDERS = {"<<cn>>": "[一二三四五六七八九十]{1,3}", "<<num>>": "[0-9０-９]{1,2}"}
_YEAR_KEYS = ("<<year>>", "<<prev_year>>", "<<next_year>>")




@dataclass(frozen=True)
class _Style:
    name: str
    pattern: re.Pattern[str]
    after: str  # paragraph | sentence | clause


@dataclass
class _Rules:
    page_para: re.Pattern[str]
    page_inline: re.Pattern[str]
    para_end: re.Pattern[str]
    styles: list[_Style]
    sequence_words: dict[str, int | str]
    title_max: int
    sub_number: re.Pattern[str]
    sub_max: int
    sub_rules: list[tuple[str | None, str]]  # pattern text; compiled per year
    earlier_year_problem_role: str
    later_year_role: str
    colon_leadins: list[tuple[re.Pattern[str], str | None]]
    sentence_leadins: list[tuple[re.Pattern[str], str | None]]
    scope_break: re.Pattern[str]
    turn_to_measures: re.Pattern[str]
    neutral: list[re.Pattern[str]]
    default_role: str
    cues: dict[str, list[dict[str, Any]]]
    link_min_shared: int
    generic_words: frozenset[str]
    _per_year: dict[int | None, dict[str, Any]] = field(default_factory=dict)

    def for_year(self, year: int | None) -> dict[str, Any]:
        """Sub-heading rules and role cues with the year placeholders filled in (cached per year)."""
        if year not in self._per_year:
            subs = []
            for role, pat in self.sub_rules:
                rx = _fill_year(pat, year)
                if rx is not None:
                    subs.append((role, rx))
            cues: dict[str, list[tuple[str, Any, int]]] = {}
            for role, items in self.cues.items():
                compiled: list[tuple[str, Any, int]] = []
                for item in items:
                    if "token" in item:
                        compiled.append(("token", str(item["token"]), int(item.get("w", 1))))
                    else:
                        rx = _fill_year(str(item["re"]), year)
                        if rx is not None:
                            compiled.append(("re", rx, int(item.get("w", 1))))
                cues[role] = compiled
            self._per_year[year] = {"subheadings": subs, "cues": cues}
        return self._per_year[year]


def _expand(pattern: str, fragments: dict[str, str] | None = None) -> str:
    for key, val in {**_PLACEHOLDERS, **{f"<<{k}>>": v for k, v in (fragments or {}).items()}}.items():
        pattern = pattern.replace(key, val)
    return pattern


def _fill_year(pattern: str, year: int | None) -> re.Pattern[str] | None:
    if any(k in pattern for k in _YEAR_KEYS):
        if year is None:
            return None
        pattern = (pattern.replace("<<prev_year>>", str(year - 1)).replace("<<next_year>>", str(year + 1))
                   .replace("<<year>>", str(year)))
    return re.compile(pattern)


def _compile(cfg: dict[str, Any]) -> _Rules:
    frags = {k: _expand(v) for k, v in cfg["subheading"].get("fragments", {}).items()}
    styles = [_Style(s["name"], re.compile(_expand(s["pattern"])), s.get("after", "sentence"))
              for s in cfg["enumeration"]]
    for s in styles:
        if "num" not in s.pattern.groupindex:
            raise ValueError(f"enumeration style {s.name!r} has no (?P<num>…) group")
    leadins = cfg["lead_in"]
    cues = cfg["cues"]
    unknown = set(cues) - set(ROLES)
    if unknown:
        raise ValueError(f"cues for unknown roles: {sorted(unknown)}")
    return _Rules(
        page_para=re.compile(cfg["page_number"]["paragraph"]),
        page_inline=re.compile(cfg["page_number"]["inline"]),
        para_end=re.compile(cfg["paragraph_end"]),
        styles=styles,
        sequence_words=dict(cfg.get("sequence_words", {})),
        title_max=int(cfg.get("title_max_chars", 30)),
        sub_number=re.compile(_expand(cfg["subheading"]["number"])),
        sub_max=int(cfg["subheading"].get("max_chars", 40)),
        sub_rules=[(r.get("role"), _expand(r["pattern"], frags)) for r in cfg["subheading"]["rules"]],
        earlier_year_problem_role=cfg["subheading"].get("earlier_year_problem_role", "rectification"),
        later_year_role=cfg["subheading"].get("later_year_role", "measure"),
        colon_leadins=[(re.compile(_expand(r["pattern"])), r.get("role")) for r in leadins.get("colon", [])],
        sentence_leadins=[(re.compile(_expand(r["pattern"])), r.get("role")) for r in leadins.get("sentence", [])],
        scope_break=re.compile(cfg["scope_break"]),
        turn_to_measures=re.compile(cfg["turn_to_measures"]),
        neutral=[re.compile(p) for p in cfg.get("neutral", [])],
        default_role=cfg.get("default_role", "problem"),
        cues={role: list(items or []) for role, items in cues.items()},
        link_min_shared=int(cfg.get("link_min_shared", 1)),
        generic_words=frozenset(str(w) for w in cfg.get("link_generic_words", [])),
    )


@lru_cache(maxsize=8)
def _load_rules_cached(path: str, mtime: float) -> _Rules:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            cfg = safe_yaml(fh)
        return _compile(cfg)
    except OSError as exc:
        raise TextmineError(f"cannot read statement rules ({exc.strerror})", path) from None
    except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError, re.error) as exc:
        raise TextmineError(f"bad statement rules file: {exc.__class__.__name__}: {exc}", path) from None


def _load_rules(rules: str | Path | None) -> _Rules:
    path = Path(rules) if rules is not None else data_path("statement_rules.yaml")
    return _load_rules_cached(str(path), file_mtime(path, "statement rules"))


