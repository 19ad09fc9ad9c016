"""The human output: `parse` shows the headline figures beside the form's labels and the findings in
words, `stats` lists the agencies; no line is wider than 80 columns (a CJK character counts 2)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from textmine.cli import main
from textmine.summary import display_width, headline, plain_findings, wrap

ROOT = Path(__file__).resolve().parents[1]
TRUTH = {f["file"]: f for f in json.loads((ROOT / "tests" / "fixtures" / "sample_corpus_truth.json")
                                          .read_text(encoding="utf-8"))["files"]}


def _truth_figures(name: str) -> dict[str, int]:
    req, app = TRUTH[name]["tables"]["requests"], TRUTH[name]["tables"]["appeals"]
    return {"new": req["new"]["total"], "carried_over": req["carried_over"]["total"],
            "total_processed": req["total_processed"]["total"], "carried_forward": req["carried_forward"]["total"],
            "granted": req["granted"]["total"], "partially_granted": req["partially_granted"]["total"],
            "denied": sum(v["total"] for k, v in req.items() if k.startswith("denied_")),
            "review": app["review"]["total"],
            "litigation": app["litigation_direct"]["total"] + app["litigation_after_review"]["total"]}


def _rows(out: str) -> dict[str, tuple[str, str]]:
    """key -> (label, value) of the headline table in the printed output."""
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 3 and cells[1] in _truth_figures("wuhu-city-gov-2024.txt"):
            rows[cells[1]] = (cells[0], cells[2])
    return rows


def test_display_width_counts_cjk_as_two() -> None:
    assert display_width("abc") == 3 and display_width("予以公开") == 8 and display_width("（七）总计") == 10
    lines = wrap("表3" * 60 + " the end of a long English sentence", 30, indent="  ")
    assert all(display_width(x) <= 30 for x in lines) and lines[-1].endswith("sentence")


@pytest.mark.parametrize("name", ["wuhu-city-gov-2024.txt", "feixi-agriculture-2022.txt", "anhui-ecology-env-2023.html"])
def test_parse_shows_the_headline_figures(name: str, capsys) -> None:
    assert main(["parse", str(ROOT / "corpus" / name), "--no-themes"]) == 0
    out = capsys.readouterr().out
    rows = _rows(out)
    want = _truth_figures(name)
    assert {k: int(v) for k, (_, v) in rows.items()} == want
    assert rows["new"][0] == "本年新收申请" and rows["granted"][0] == "予以公开" and rows["review"][0] == "行政复议"
    assert max(display_width(line) for line in out.splitlines()) <= 80


def test_parse_says_findings_in_words(capsys) -> None:
    assert main(["parse", str(ROOT / "corpus" / "feixi-agriculture-2022.txt"), "--no-themes"]) == 0
    out = capsys.readouterr().out
    text = " ".join(line.strip() for line in out.split("consistency findings (1)")[1].splitlines()[:4])
    assert "error (text against tables, R5): The text says 9 for new" in text
    assert "the table says 8." in text
    assert max(display_width(line) for line in out.splitlines()) <= 80


def test_headline_marks_blank_and_derived_figures() -> None:
    rec = {"tables": {"requests": {"granted": {"natural_person": 3, "total": None},
                                   "new": {"total": None}}},
           "derived": {"requests": {"granted": {"total": 3}}}}
    got = {f["key"]: (f["value"], f["derived"]) for f in headline(rec)}
    assert got == {"granted": (3, True), "new": (None, False)}
    lines = plain_findings([{"rule": "R3", "severity": "error", "message": "说" * 100}], 40)
    assert len(lines) == 7 and all(display_width(x) <= 40 for x in lines)  # 6 + 5 × 18 + 4 characters


def test_stats_lists_agencies_within_80_columns(capsys) -> None:
    assert main(["stats", str(ROOT / "corpus"), "--no-store"]) == 0
    out = capsys.readouterr().out
    # One agency under two names: the 2018 report's 肥西县农业局 is today's 肥西县农业农村局 (listed under
    # the name most of its reports use).
    counts = Counter({"肥西县农业局": "肥西县农业农村局"}.get(a, a) for a in (f["meta"]["agency"] for f in TRUTH.values()))
    listed = {}
    for line in out.split("agencies")[2].split("reports by year")[0].splitlines():
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if len(cells) == 2 and cells[1].isdigit():
            listed[cells[0]] = int(cells[1])
    assert listed == dict(counts) and listed["肥西县农业农村局"] == 5
    assert max(display_width(line) for line in out.splitlines()) <= 80
    assert main(["stats", str(ROOT / "corpus"), "--no-store", "--json"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert {a["agency"]: a["reports"] for a in st["agency_reports"]} == dict(counts)
