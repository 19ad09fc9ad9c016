"""A printed blank cell is missing, never 0: null in the record, NA in frames, NA in `stats`; the form's
arithmetic offers its value apart, in ``derived`` and ``value_derived``, never in place of ``value``."""

from __future__ import annotations

import json

import pytest
from conftest import needs_shared, real
from support.synth import default_report, render

import textmine
from textmine.cli import main
from textmine.tables import parse_number
from textmine.tables.derived import derive
from textmine.tables.form import cell_value
from textmine.validate import check_report

HEAD = ["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


def _blank_report(fmt: str) -> bytes:
    """The synthetic report with a table 3 whose 予以公开 row has a blank 总计 (the team's numbers)."""
    r = default_report()
    rows = [HEAD,
            ["一、本年新收政府信息公开申请数量", "8", "1", "", "", "", "", "9"],
            ["二、上年结转政府信息公开申请数量", "2", "", "", "", "", "", "2"],
            ["（一）予以公开", "6", "1", "", "", "", "", ""],
            ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "1", "", "", "", "", "", "1"],
            ["1.本机关不掌握相关政府信息", "2", "", "", "", "", "", "2"],
            ["（七）总计", "9", "1", "", "", "", "", "10"],
            ["四、结转下年度继续办理", "1", "", "", "", "", "", "1"]]
    r.sections[2] = (r.sections[2][0], [("table", rows)])
    return render(r, fmt)


def test_a_blank_cell_is_none_and_a_mark_of_none_is_zero() -> None:
    assert cell_value("") is None and cell_value(" \u3000\xa0") is None and cell_value(None) is None
    assert cell_value("0") == 0 and cell_value("—") == 0 and cell_value("/") == 0 and cell_value("12") == 12
    assert parse_number("") == 0  # layout code still sees a blank as a cell


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_blank_total_is_null_in_the_record_with_its_derived_value(tmp_path, fmt) -> None:
    path = tmp_path / f"blank.{fmt}"
    path.write_bytes(_blank_report(fmt))
    rec = textmine.load_report(path, themes=False).to_dict()
    granted = rec["tables"]["requests"]["granted"]
    assert granted["total"] is None and granted["natural_person"] == 6 and granted["research_institution"] is None
    assert json.loads(json.dumps(rec))["tables"]["requests"]["granted"]["total"] is None  # null in JSON
    assert rec["derived"]["requests"]["granted"]["total"] == 7
    # The printed total 9 = 8 + 1 fixes the blank parts of row `new` at 0 (counts are never negative).
    assert rec["derived"]["requests"]["new"]["research_institution"] == 0
    assert rec["tables"]["requests"]["new"]["research_institution"] is None
    # A blank is not a violation: no R3 finding for the blank 总计; R1 holds with blank parts as none.
    assert not [f for f in rec["validation"] if f["rule"] in ("R1", "R2", "R3")], rec["validation"]


def test_frames_and_stats_keep_the_blank_missing(tmp_path, capsys) -> None:
    (tmp_path / "blank.html").write_bytes(_blank_report("html"))
    corpus = textmine.Corpus.from_dir(tmp_path, store=False)
    t = corpus.table("requests")
    cell = t[(t["row"] == "granted") & (t["column"] == "total")].iloc[0]
    assert cell["value"] is textmine_na() and cell["value_derived"] == 7 and bool(cell["derived"]) is True
    printed = t[(t["row"] == "granted") & (t["column"] == "natural_person")].iloc[0]
    assert printed["value"] == 6 and printed["value_derived"] == 6 and not bool(printed["derived"])
    assert str(t["value"].dtype) == "Int64"
    from textmine.stats import corpus_stats

    year = corpus_stats(corpus)["table_totals"][0]
    assert year["requests_granted"] is None and year["blank_cells"] == {"requests_granted": 1}
    assert year["requests_received"] == 9
    assert main(["stats", str(tmp_path), "--no-store"]) == 0
    row = [ln for ln in capsys.readouterr().out.splitlines() if "2023" in ln and ln.count("│") == 8]
    assert row and row[0].split("│")[4].strip() == "NA" and row[0].split("│")[3].strip() == "9"


def textmine_na():
    import pandas as pd

    return pd.NA


def test_rules_on_blanks() -> None:
    cols = ["natural_person", "commercial_enterprise", "research_institution", "public_interest_org",
            "legal_service_org", "other_org", "total"]

    def row(*v):
        return dict(zip(cols, v, strict=True))

    req = {"new": row(5, None, None, None, None, None, 5), "carried_over": row(None, None, None, None, None, None, None),
           "granted": row(3, None, None, None, None, None, None), "total_processed": row(3, None, None, None, None, None, 3),
           "carried_forward": row(2, None, None, None, None, None, 2)}
    assert check_report({"requests": req}, {}) == []  # blanks everywhere, nothing inconsistent
    req["granted"]["total"] = 4  # a printed total that disagrees is still found
    # R3 (3 + blanks ≠ 4) and R2 (the total column: 4 ≠ the printed 3) both see the printed 4
    assert [(f["rule"], f["expected"], f["found"]) for f in check_report({"requests": req}, {})] == [
        ("R2", 4, 3), ("R3", 3, 4)]
    app = {"review": {"upheld": None, "corrected": 1, "other": None, "pending": None, "total": None}}
    assert check_report({"appeals": app}, {}) == []
    assert derive({"appeals": app}) == {"appeals": {"review": {"total": 1}}}


@needs_shared
def test_shanghai_2019_granted_total_is_missing_not_zero(tmp_path, capsys) -> None:
    """The 予以公开 row of this report has an empty 总计 cell; its applicant columns add up to 272."""
    src = real("shanghai-gov-office_2019")
    rec = textmine.load_report(src, themes=False).to_dict()
    granted = rec["tables"]["requests"]["granted"]
    assert granted["total"] is None
    applicants = sum(v for k, v in granted.items() if k != "total" and v is not None)
    assert applicants == 272 and rec["derived"]["requests"]["granted"]["total"] == 272
    assert not [f for f in rec["validation"] if f["rule"] == "R3"]  # the blank is not a violation
    (tmp_path / src.name).write_bytes(src.read_bytes())
    corpus = textmine.Corpus.from_dir(tmp_path, store=False)
    t = corpus.table("requests")
    cell = t[(t["row"] == "granted") & (t["column"] == "total")].iloc[0]
    assert cell["value"] is textmine_na() and cell["value_derived"] == 272 and bool(cell["derived"])
    assert main(["stats", str(tmp_path), "--no-store", "--json"]) == 0
    year = json.loads(capsys.readouterr().out)["table_totals"][0]
    assert year["year"] == 2019 and year["requests_granted"] is None and year["requests_granted"] != 0
    assert year["requests_received"] == 859 and year["blank_cells"]["requests_granted"] == 1
    assert main(["stats", str(tmp_path), "--no-store"]) == 0
    row = [ln for ln in capsys.readouterr().out.splitlines() if "2019" in ln and ln.count("│") == 8]
    assert row and row[0].split("│")[4].strip() == "NA" and row[0].split("│")[3].strip() == "859"
