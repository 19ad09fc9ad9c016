"""Agency identity: the same agency across years and name variants gets one ``agency_id``.

The rule, in order:
1. A user mapping (``{name: agency_id}``) wins for any name it lists.
2. Otherwise the name is split into its place (the administrative divisions it starts with, completed
   from the gazetteer: 洪泽区 → 江苏省/淮安市/洪泽区) and its organ (人民政府, 发展和改革局, …).
3. The organ is normalised: abbreviations expanded (发改局 → 发展和改革局) and pre-reform names mapped
   to the current organ (环保局 → 生态环境局), both from ``data/agency_aliases.yaml``.
4. ``agency_id`` = "province/city/county|organ". So 洪泽区人民政府 and 淮安市洪泽区人民政府 are one agency;
   淮安市人民政府 and 淮安市人民政府办公室 are two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from .gazetteer import _patterns, _table, region_of
from .resources import load_yaml


@lru_cache(maxsize=1)
def _aliases() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    cfg = load_yaml("agency_aliases.yaml")
    abbr = sorted(cfg.get("abbreviations", {}).items(), key=lambda kv: -len(kv[0]))
    renamed = sorted(cfg.get("renamed", {}).items(), key=lambda kv: -len(kv[0]))
    return abbr, renamed


def _strip_place(name: str) -> str:
    """Remove the leading division names (上海市, 淮安市洪泽区, 洪泽区)."""
    _, by_name = _table()
    pat = _patterns()
    rest = name
    while True:
        name = pat.match(rest)
        if not name or not by_name.get(name):
            break
        rest = rest[len(name):]
    return rest


def organ_of(name: str) -> str:
    organ = _strip_place(re.sub(r"[（(].*?[)）]", "", name).strip())
    abbr, renamed = _aliases()
    for short, full in abbr:
        if organ == short or organ.endswith(short) and not organ.endswith(full):
            organ = organ[: len(organ) - len(short)] + full
            break
    for old, new in renamed:
        if organ.endswith(old) and not organ.endswith(new):
            organ = organ[: len(organ) - len(old)] + new
            break
    return organ or name


def agency_id(name: str | None, region: Mapping | None = None, mapping: Mapping[str, str] | None = None) -> str | None:
    """A stable identifier for an agency name (see the module docstring for the rule)."""
    if not name:
        return None
    if mapping and name in mapping:
        return mapping[name]
    region = region or region_of(name) or {}
    place = "/".join(v for v in (region.get("province"), region.get("city"), region.get("county")) if v)
    organ = organ_of(name)
    # Units under a county government named without their county (a township's 镇人民政府) keep their own place.
    return f"{place}|{organ}" if place else organ


def level_of(name: str | None, region: Mapping | None = None) -> str | None:
    """Administrative level of an agency: central, province, city, county, township — and whether a department."""
    if not name:
        return None
    region = region or {}
    if re.search(r"(?:镇|乡|街道)(?:人民政府|办事处)?(?:办公室)?$|街道办事处", name):
        return "township"
    if region.get("county"):
        return "county"
    if region.get("city") and region.get("city") != region.get("province"):
        return "city"
    if region.get("province"):
        return "province"
    if re.match(r"^(?:国务院|国家|中国|中华人民共和国)", name) or re.search(r"部$|总局$|署$", name):
        return "central"
    return None
