"""Extending the rules without touching validate.py's code: a per-report rule and a cross-year rule are
each one RULES entry (a loader: tests/test_loader_table.py; a theme, one codebook entry:
tests/test_themes_package.py). Each test registers its rule and takes it out again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from textmine import validate
from textmine.corpus import Corpus
from textmine.findings import finding
from textmine.report import load_report
from textmine.validate import Rule

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SAMPLE = CORPUS / "wuhu-city-gov-2024.txt"
FEIXI = ["feixi-agriculture-2021.docx", "feixi-agriculture-2022.txt", "feixi-agriculture-2023.pdf"]


@pytest.fixture
def feixi(tmp_path: Path) -> Path:
    folder = tmp_path / "feixi"
    folder.mkdir()
    for name in FEIXI:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def test_a_per_report_rule_is_one_registry_entry(monkeypatch) -> None:
    def r99(tables: dict, texts: dict) -> list[dict]:
        new = ((tables.get("requests") or {}).get("new") or {}).get("total")
        return [finding("R99", "requests.new.total", f"toy rule: {new} new requests", None, new,
                        severity="warning")] if new is not None else []

    monkeypatch.setitem(validate.RULES, "R99", Rule("R99", "report", r99, description="a toy rule"))
    report = load_report(SAMPLE, themes=False)
    toy = [f for f in report.validation if f["rule"] == "R99"]
    assert toy == [{"rule": "R99", "severity": "warning", "where": "requests.new.total",
                    "message": "toy rule: 112 new requests", "expected": None, "found": 112}]
    assert "R99" in set(Corpus.from_records([report.to_dict()]).findings["rule"])


def test_a_cross_year_rule_gets_the_same_full_input_from_corpus_and_ingest(monkeypatch, feixi: Path,
                                                                          tmp_path: Path) -> None:
    from textmine.ingest import ingest

    seen: list[list[dict]] = []

    def r98(records: list[dict]) -> list[dict]:
        seen.append(sorted(records, key=lambda r: r["doc_id"]))
        years = sorted(r["meta"]["year"] for r in records)
        return [finding("R98", "sections", f"toy cross-year rule over {years}", None, len(records),
                        severity="warning", doc_id=records[0]["doc_id"], agency_id=records[0]["agency_id"])]

    monkeypatch.setitem(validate.RULES, "R98", Rule("R98", "corpus", r98, needs=("meta", "sections")))
    corpus = Corpus.from_dir(feixi, store=False, workers=1, progress=False)
    fin = corpus.findings
    assert fin[fin["rule"] == "R98"]["message"].tolist() == ["toy cross-year rule over [2021, 2022, 2023]"]
    res = ingest(feixi, store=tmp_path / "s.duckdb", workers=1, progress=False)
    assert res["reports"] == 3
    from_corpus, from_ingest = seen
    assert from_corpus == from_ingest  # the same records, the same keys, the same values
    assert {"doc_id", "source", "agency_id", "meta", "sections", "tables"} <= set(from_corpus[0])
    assert from_corpus[0]["sections"]  # whole sections: what the rule said it needs
