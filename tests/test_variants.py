"""Other renderings of the same report give the same record (issue #13).

Each clean report (the seed in ../shared and the team's sample reports in corpus/) is parsed, re-laid
by a renderer of ``tests/support/variants.py`` (crawler dump, one line, inline headings, …) into a .txt
file, parsed again, and the two records are compared value by value: section keys and bounds, meta,
every table cell (a cell the flat-table solver calls ambiguous may be absent, never different), and the
statements with their roles.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT, SEED
from support.variants import crawler_dump, inline_headings, one_line, pieces, table_lines, to_text

import textmine
from textmine.document import Paragraph
from textmine.errors import TextmineError
from textmine.tables.derived import derive

CORPUS = ROOT / "corpus"
REPORTS = ["seed"] + sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".txt", ".md", ".html"))


def _path(name: str) -> Path:
    if name == "seed":
        if not SEED.exists():
            pytest.skip("the seed report lives in ../shared (absent on a fresh clone)")
        return SEED
    return CORPUS / name


@cache
def _clean(name: str):
    return textmine.load_report(str(_path(name)), themes=False)


def _facts(report) -> tuple[str, str, str]:
    m = report.meta
    return m.get("title") or "", m.get("published") or "2024-01-20", m.get("agency") or ""


VARIANTS = {
    "crawler": lambda r: crawler_dump(to_text(pieces(r)), *_facts(r), style=0),
    "crawler-chrome-lines": lambda r: crawler_dump(to_text(pieces(r)), *_facts(r), style=1),
    "crawler-one-line": lambda r: crawler_dump(one_line(pieces(r), " ", "glued"), *_facts(r), style=1),
    "crawler-glued-spaced-cells": lambda r: crawler_dump(one_line(pieces(r), "", "spaced"), *_facts(r), style=2),
    "one-line-spaced-cells": lambda r: one_line(pieces(r), " ", "spaced"),
    "one-line-glued": lambda r: one_line(pieces(r), "", "glued"),
    "inline-run-in": lambda r: inline_headings(pieces(r), "runin", r.meta.get("agency") or "", "2024年1月5日"),
    "inline-run-in-odd-numbers": lambda r: inline_headings(pieces(r), "runin-odd", r.meta.get("agency") or "",
                                                           "2024年1月5日"),
    "crawler-inline-run-in": lambda r: crawler_dump(inline_headings(pieces(r), "runin", r.meta.get("agency") or "",
                                                                    "2024年1月5日"), *_facts(r), style=2),
    "inline-odd-numbers": lambda r: inline_headings(pieces(r), "odd", r.meta.get("agency") or "", "2024年1月5日"),
}


_CELLS_AT_END = re.compile(r"[\d０-９.\-—]+$")


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def _section_text(sec) -> str:
    """A section's text, whitespace-free, its tables with each merged cell once (as a page prints it)."""
    return _norm("".join(b.text if isinstance(b, Paragraph) else "".join(table_lines(b.rows, "glued"))
                         for b in sec.blocks))


def _cells(tables: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for k, v in (tables or {}).items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_cells(v, path + "."))
        else:
            out[path] = v
    return out


@pytest.mark.parametrize("variant", list(VARIANTS))
@pytest.mark.parametrize("name", REPORTS)
def test_variant_same_record(name: str, variant: str, tmp_path: Path) -> None:
    clean = _clean(name)
    path = tmp_path / f"{Path(name).stem}-{variant}.txt"
    path.write_text(VARIANTS[variant](clean), encoding="utf-8")
    got = textmine.load_report(str(path), themes=False)

    assert list(got.sections) == list(clean.sections), "section keys"
    for key, sec in clean.sections.items():
        a, b = _section_text(sec), _section_text(got.sections[key])
        assert b[:15] == a[:15], f"{key} starts differently"
        # a section ending in a table ends in its cells, compared one by one below
        a, b = _CELLS_AT_END.sub("", a), _CELLS_AT_END.sub("", b)
        assert b[-15:] == a[-15:], f"{key} ends differently"
    for field in ("agency", "year", "template"):
        assert got.meta.get(field) == clean.meta.get(field), f"meta.{field}"

    want, have = _cells(clean.tables), _cells(got.tables)
    fixed = _cells(derive(clean.tables))  # what the form's sums give the cells printed blank
    ambiguous = [f["where"] for f in got.validation if f.get("rule") == "table"]
    for cell, value in want.items():
        if value is None and cell in fixed and have.get(cell) == fixed[cell]:
            # a printed blank (None) that a one-line dump loses altogether: the digit runs are then cut
            # by the form's arithmetic, which gives the cell the value it fixes, never another
            continue
        if "spaced-cells" in variant or variant in ("crawler", "crawler-chrome-lines", "inline-run-in", "inline-odd-numbers"):
            # cells kept apart (spaces or a Word-export grid): nothing is ambiguous, every cell is read
            assert have.get(cell) == value, f"table cell {cell}"
        elif cell in have:
            assert have[cell] == value, f"table cell {cell}"
        else:
            assert any(cell == w or cell.startswith(w + ".") for w in ambiguous), f"table cell {cell} lost"
    extra = set(have) - set(want)
    assert not extra, f"cells the clean rendering does not have: {sorted(extra)[:5]}"

    assert [s.role for s in got.statements] == [s.role for s in clean.statements], "statements and roles"


# ---------------------------------------------------------------------------------------------------------
# Excerpts and non-reports


def test_excerpt_of_section_five(tmp_path: Path) -> None:
    clean = _clean("feixi-agriculture-2022.txt")
    ps = [p for p in pieces(clean) if p.key == "problems"]
    assert ps, "the sample report has a problems section"
    path = tmp_path / "excerpt.txt"
    path.write_text(crawler_dump(one_line(ps, " "), "存在的主要问题及改进情况", "2023-01-10", "某某局"),
                    encoding="utf-8")
    got = textmine.load_report(str(path), themes=False)
    assert "problems" in got.sections
    assert got.to_dict()["meta"]["completeness"] == pytest.approx(1 / 6, abs=0.01)
    assert got.statements


NON_REPORTS = {
    "navigation": "首页 > 政务公开 > 政府信息公开年报\n2023年度报告 2022年度报告 2021年度报告\n上一页 下一页 共3页\n"
                  "网站地图 联系我们 版权所有：某某县人民政府 技术支持：某某网络公司\n",
    "error": "404 您访问的页面不存在或已被删除\n请检查网址是否正确，或返回首页继续浏览。\n3秒后自动跳转到首页\n",
    "prose": "春天来了，河边的柳树发出了新芽。孩子们在田野里奔跑，风筝飞得很高很高。"
             "傍晚时分，炊烟袅袅升起，村庄渐渐安静下来。老人坐在门前，讲着从前的故事。\n" * 3,
}


@pytest.mark.parametrize("kind", list(NON_REPORTS))
def test_non_report_refused(kind: str, tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.txt"
    path.write_text(NON_REPORTS[kind], encoding="utf-8")
    with pytest.raises(TextmineError) as err:
        textmine.load_report(str(path), themes=False)
    assert "\n" not in str(err.value) and "not a government information disclosure annual report" in str(err.value)


def test_crawler_dump_of_404_refused(tmp_path: Path) -> None:
    path = tmp_path / "dump-404.txt"
    path.write_text(crawler_dump(NON_REPORTS["error"].replace("\n", " "), "2023年政府信息公开工作年度报告",
                                 "2024-01-20", "某某县人民政府办公室"), encoding="utf-8")
    with pytest.raises(TextmineError) as err:
        textmine.load_report(str(path), themes=False)
    assert "\n" not in str(err.value)
