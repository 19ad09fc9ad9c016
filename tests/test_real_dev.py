"""Every labeled real report of ../shared/real-dev, file by file, against its gold (skips without ../shared).

The reports are crawler text dumps of one county site (2009–2025): header block, site chrome, the article on
one line, inline and old headings, tables flattened into digit runs. Their text stays in ../shared; these
tests read it at run time.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

import textmine
from textmine.gold import evaluate_gold, match_statements

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "real-dev" / "gold"
FILES = sorted(GOLD.glob("*.json")) if GOLD.is_dir() else []
needs_shared = pytest.mark.skipif(not FILES, reason="../shared/real-dev/gold is not there")


def _norm(s: str | None) -> str:
    return "".join(ch for ch in (s or "") if not ch.isspace())


@cache
def _parsed(name: str) -> tuple[dict, dict, list]:
    gold = json.loads((GOLD / name).read_text(encoding="utf-8"))
    report = textmine.load_report(SHARED.parent / gold["file"])
    return gold, report.to_dict(), list(report.statements)


@needs_shared
@pytest.mark.parametrize("name", [f.name for f in FILES])
def test_meta_sections_and_bounds(name: str) -> None:
    gold, rec, _ = _parsed(name)
    for key, want in gold["meta"].items():
        alts = want if isinstance(want, list) else [want]
        got = rec["meta"][key]
        assert got in alts or _norm(str(got)) in {_norm(str(a)) for a in alts}, (key, got, want)
    assert 0 < rec["meta"]["completeness"] <= 1
    for key in gold["sections"]:
        assert key in rec["sections"] and _norm(rec["sections"][key]["text"]), key
    for key, start in gold.get("section_starts", {}).items():
        assert _norm(start) in _norm(rec["sections"][key]["text"])[: len(_norm(start)) + 40], (key, start)
    for key, end in gold.get("section_ends", {}).items():
        assert _norm(end) in _norm(rec["sections"][key]["text"])[-(len(_norm(end)) + 40):], (key, end)


@needs_shared
@pytest.mark.parametrize("name", [f.name for f in FILES if json.loads(f.read_text(encoding="utf-8")).get("tables")])
def test_table_cells_are_right_or_absent(name: str) -> None:
    """Never a wrong number; a cell left absent only with a `table` finding naming its row."""
    gold, rec, _ = _parsed(name)
    flagged = {f["where"] for f in rec["validation"] if f["rule"] == "table"}
    missing = 0
    total = 0
    for table, rows in gold["tables"].items():
        for row, cols in rows.items():
            for col, want in cols.items():
                total += 1
                got = rec["tables"].get(table, {}).get(row, {}).get(col)
                if got is None:
                    missing += 1
                    assert any(w.startswith(f"{table}.{row}") for w in flagged), (table, row, col)
                else:
                    assert abs(float(got) - float(want)) < 1e-6, (table, row, col, got, want)
    assert missing <= 0.1 * total


@needs_shared
@pytest.mark.parametrize("name", [f.name for f in FILES])
def test_statements_found_with_their_roles(name: str) -> None:
    gold, _, statements = _parsed(name)
    matched = match_statements(gold["statements"], statements, name)
    found = [m for m in matched if m.pred_text is not None]
    # Per report at most one unit lost or mis-roled; the corpus-level rates are asserted below.
    assert len(matched) - len(found) <= 2
    assert sum(m.pred_role != m.gold_role for m in found) <= 3


@needs_shared
def test_corpus_rates() -> None:
    rep = evaluate_gold(GOLD, n_boot=50)
    assert rep.parsed == rep.documents == len(FILES)
    assert rep.rates["stmt_found"] >= 0.95
    assert rep.rates["role"] >= 0.95


@needs_shared
@pytest.mark.parametrize("name", [f.name for f in FILES])
def test_statement_spans_point_at_their_text(name: str) -> None:
    _, rec, statements = _parsed(name)
    text = rec["sections"].get("problems", {}).get("text", "")
    located = [s for s in statements if s.span]
    assert len(located) >= 0.9 * len(statements)
    for s in located:
        a, b = s.span
        assert _norm(text[a:b]) == _norm(s.text)
