"""The bundled sample corpus (corpus/*, written by tools/sample_corpus/generate.py) parsed against its ground truth.

The truth (tests/fixtures/sample_corpus_truth.json) is written by the generator from the same data as
the files, independently of the parser: metadata, section keys, every table value, the planted
inconsistencies (R1, R3, R5, R6) and the statements of section 5 with role and themes.

A case that fails because of a known parser bug is marked xfail(strict=True) with the bug in its reason,
so that fixing the bug turns the test red until the mark is removed: the truth is never bent.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
GENERATOR = ROOT / "tools" / "sample_corpus" / "generate.py"
TRUTH_PATH = ROOT / "tests" / "fixtures" / "sample_corpus_truth.json"
TRUTH = json.loads(TRUTH_PATH.read_text(encoding="utf-8"))
FILES = {f["file"]: f for f in TRUTH["files"]}

# Known parser bugs: (test name, file) -> reason, each marked xfail(strict=True). None open now.
KNOWN_BUGS: dict[tuple[str, str], str] = {}
RULES_PER_REPORT = ("R1", "R2", "R3", "R4", "R5")


def _params(test: str) -> list:
    out = []
    for name in FILES:
        reason = KNOWN_BUGS.get((test, name))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


@cache
def record(name: str) -> dict:
    import textmine

    return textmine.load_report(CORPUS / name).to_dict()


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


# ---------------------------------------------------------------------------------------------------------
# The corpus itself


def test_corpus_covers_the_brief() -> None:
    files = TRUTH["files"]
    assert len(files) >= 12
    agencies = {f["meta"]["agency"] for f in files}
    assert len(agencies) >= 4
    assert len({f["meta"]["year"] for f in files}) >= 3
    formats = [f["format"] for f in files]
    for fmt in ("txt", "docx", "html", "pdf"):
        assert formats.count(fmt) >= 2, fmt
    templates = [f["meta"]["template"] for f in files]
    assert "legacy" in templates and "2019" in templates
    planted = {p["rule"] for f in files for p in f["planted"]}
    assert {"R1", "R3", "R5", "R6"} <= planted
    for f in files:
        assert (CORPUS / f["file"]).is_file(), f["file"]


def test_corpus_holds_only_the_generated_reports() -> None:
    """corpus/ is the team's fictional sample reports and nothing else: no third-party report (the seed and the
    real reports are read from ../shared at test time, never copied here)."""
    from textmine.batch import find_reports

    assert sorted(p.name for p in find_reports(CORPUS)) == sorted(FILES)
    assert len(FILES) == 16


def _generator():
    spec = importlib.util.spec_from_file_location("corpus_generate", GENERATOR)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up while the class is built
    try:
        spec.loader.exec_module(mod)
    finally:
        del sys.modules[spec.name]
    return mod


def test_generator_reproduces_the_files() -> None:
    """The files on disk are what generate.py writes now (no hand edits, no stale output), and twice the same."""
    pytest.importorskip("reportlab")
    pytest.importorskip("docx")
    gen = _generator()
    reports = gen.build()
    gen.self_check(reports)
    first = gen.render_all(reports)
    second = gen.render_all(gen.build())
    assert first == second, "generate.py is not deterministic"
    assert gen.truth_text(reports) == TRUTH_PATH.read_text(encoding="utf-8")
    for name, data in first.items():
        disk = (CORPUS / name).read_bytes()
        if name.endswith((".txt", ".html")):
            assert data == disk, name
        elif name.endswith(".docx"):
            import zipfile

            xml = [zipfile.ZipFile(io.BytesIO(b)).read("word/document.xml") for b in (data, disk)]
            assert xml[0] == xml[1], name
        else:  # PDF bytes depend on the reportlab version: compare the text layer
            import pypdfium2

            texts = []
            for b in (data, disk):
                pdf = pypdfium2.PdfDocument(b)
                texts.append([pdf[i].get_textpage().get_text_range() for i in range(len(pdf))])
            assert texts[0] == texts[1], name


# ---------------------------------------------------------------------------------------------------------
# Per file: metadata, sections, tables, validation, statements


@pytest.mark.parametrize("name", _params("meta"))
def test_meta(name: str) -> None:
    meta, want = record(name)["meta"], FILES[name]["meta"]
    assert (meta["agency"], meta["year"], meta["template"]) == (want["agency"], want["year"], want["template"])
    assert meta["published"] == want["published"]


@pytest.mark.parametrize("name", _params("region"))
def test_region(name: str) -> None:
    assert record(name)["meta"]["region"] == FILES[name]["meta"]["region"]


@pytest.mark.parametrize("name", _params("sections"))
def test_sections(name: str) -> None:
    rec, want = record(name), FILES[name]
    assert list(rec["sections"]) == want["sections"]
    titles = {k: _norm(s["title"]) for k, s in rec["sections"].items()}
    assert titles == {k: _norm(h) for k, h in want["headings"].items()}
    assert not [k for k, s in rec["sections"].items() if s.get("inferred")]


def _diff(got, want, path: str = "") -> list[str]:
    if isinstance(got, dict) and isinstance(want, dict):
        out = []
        for k in sorted(set(got) | set(want)):
            if k not in got:
                out.append(f"{path}.{k} missing")
            elif k not in want:
                out.append(f"{path}.{k} unexpected: {got[k]!r}")
            else:
                out += _diff(got[k], want[k], f"{path}.{k}")
        return out
    if got != want or type(got) is not type(want):
        return [f"{path}: got {got!r}, expected {want!r}"]
    return []


@pytest.mark.parametrize("name", _params("tables"))
def test_tables(name: str) -> None:
    rec = record(name)
    assert _diff(rec["tables"], FILES[name]["tables"]) == []
    # Every table was read in full: no parser warnings about unreadable rows.
    assert [f for f in rec["validation"] if f["rule"] == "table"] == []


@pytest.mark.parametrize("name", _params("validation"))
def test_validation_finds_the_planted_errors_only(name: str) -> None:
    found = {(f["rule"], f["where"]) for f in record(name)["validation"]
             if f["rule"] in RULES_PER_REPORT and f["severity"] == "error"}
    planted = {(p["rule"], p["where"]) for p in FILES[name]["planted"] if p["rule"] in RULES_PER_REPORT}
    assert found == planted


def test_r6_across_years() -> None:
    from textmine.validate import check_corpus

    records = []
    for name in FILES:
        rec = dict(record(name))
        rec["doc_id"] = name
        records.append(rec)
    found = {(f["doc_id"], f["where"]) for f in check_corpus(records) if f["rule"] == "R6"}
    planted = {(name, p["where"]) for name, f in FILES.items() for p in f["planted"] if p["rule"] == "R6"}
    assert planted and found == planted
    prev = {p["previous"] for f in FILES.values() for p in f["planted"] if p["rule"] == "R6"}
    assert {f["previous_doc_id"] for f in check_corpus(records) if f["rule"] == "R6"} == prev


@pytest.mark.parametrize("name", _params("statements"))
def test_statements(name: str) -> None:
    got = [(s["role"], _norm(s["text"])[:10]) for s in record(name)["statements"]]
    want = [(s["role"], _norm(s["start"])) for s in FILES[name]["statements"]]
    assert len(got) == len(want)
    assert [r for r, _ in got] == [r for r, _ in want]
    assert [t for _, t in got] == [t for _, t in want]


def test_theme_agreement() -> None:
    """Themes of the shipped classifier against the truth, micro-averaged F1 over (statement, theme) pairs
    of the statements whose segmentation matches; the classifier is trained elsewhere, so only the overall
    agreement is asserted."""
    tp = fp = fn = 0
    aligned = 0
    for name, f in FILES.items():
        got = record(name)["statements"]
        want = f["statements"]
        if [_norm(s["text"])[:10] for s in got] != [_norm(s["start"]) for s in want]:
            continue
        for s, t in zip(got, want, strict=True):
            p, g = set(s["themes"]), set(t["themes"])
            tp += len(p & g)
            fp += len(p - g)
            fn += len(g - p)
            aligned += 1
    total = sum(len(f["statements"]) for f in FILES.values())
    assert aligned >= 0.9 * total
    f1 = 2 * tp / (2 * tp + fp + fn)
    # The shipped thresholds are fitted on real reports, not on these fictional ones (0.801 with the first
    # calibration, 0.796 since the oversight threshold was refitted on real-dev, #14): the bar guards against
    # a broken tagger, not a theme-by-theme tuning to the team's own texts.
    assert f1 >= 0.78, f"micro-F1 of themes {f1:.3f} over {aligned} statements"
