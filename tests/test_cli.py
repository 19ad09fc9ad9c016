"""The command line: help, one-line errors without tracebacks, the JSON record, the shared contract check."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT, SEED, SHARED, needs_shared

COMMANDS = ["parse", "stats", "validate", "recurring", "export", "import-labels", "train", "evaluate"]


def run(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textmine", *args], capture_output=True, text=True, cwd=cwd,
                          input=stdin, timeout=300)


def test_help_lists_every_command():
    p = run("--help")
    assert p.returncode == 0
    for c in COMMANDS:
        assert c in p.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(command):
    p = run(command, "--help")
    assert p.returncode == 0 and "usage: textmine " + command in p.stdout


def _bad_files(tmp: Path) -> dict[str, Path]:
    files = {}
    (tmp / "empty.txt").write_bytes(b"")
    files["empty"] = tmp / "empty.txt"
    (tmp / "random.txt").write_bytes(bytes(range(256)) * 8)
    files["binary"] = tmp / "random.txt"
    (tmp / "trunc.docx").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00")
    files["zip"] = tmp / "trunc.docx"
    with zipfile.ZipFile(tmp / "other.docx", "w") as z:
        z.writestr("content.xml", "<a/>")
    files["word/document.xml"] = tmp / "other.docx"
    (tmp / "report.xyz").write_text("一、总体情况", encoding="utf-8")
    files["unsupported file type"] = tmp / "report.xyz"
    (tmp / "story.txt").write_text("从前有座山，山里有座庙。\n庙里有个老和尚在讲故事。\n", encoding="utf-8")
    files["not a government information disclosure annual report"] = tmp / "story.txt"
    (tmp / "fake.pdf").write_bytes(b"%PDF-1.7\n%garbage with no objects\n")
    files["PDF"] = tmp / "fake.pdf"
    files["no such file"] = tmp / "missing.txt"
    (tmp / "adir.txt").mkdir()
    files["directory"] = tmp / "adir.txt"
    return files


def test_bad_input_gives_one_line_and_nonzero_exit(tmp_path):
    for reason, path in _bad_files(tmp_path).items():
        p = run("parse", str(path))
        assert p.returncode == 1, (reason, p.stdout, p.stderr)
        assert "Traceback" not in p.stderr
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1, (reason, p.stderr)
        assert lines[0].startswith("textmine: error: ") and path.name in lines[0]
        assert reason.lower() in lines[0].lower(), (reason, lines[0])


def test_parse_raw_text_from_stdin():
    text = "\n".join(["青松县数据资源管理局2023年政府信息公开工作年度报告", "一、总体情况", "本年度工作平稳。",
                      "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                      "五、存在的主要问题及改进情况", "一是公开意识还不够强。", "六、其他需要报告的事项", "无。"])
    p = run("parse", "-", "--json", stdin=text)
    assert p.returncode == 0, p.stderr
    rec = json.loads(p.stdout)
    assert rec["format"] == "text" and rec["source"] is None
    assert rec["meta"]["agency"] == "青松县数据资源管理局" and rec["meta"]["year"] == 2023
    assert list(rec["sections"]) == ["overview", "proactive", "requests", "appeals", "problems", "other"]


def test_stats_of_the_bundled_sample_corpus():
    """`textmine stats` with no folder: the 16 fictional sample reports of corpus/ (tools/sample_corpus/)."""
    p = run("stats", "--no-store", "--json")
    assert p.returncode == 0, p.stderr
    s = json.loads(p.stdout)
    assert s["documents"] == 16 and s["agencies"] == 4 and s["failed"] == []
    assert s["years"] == {"2018": 1, "2020": 1, "2021": 3, "2022": 4, "2023": 4, "2024": 3}
    assert s["formats"] == {"docx": 4, "html": 4, "pdf": 4, "txt": 4}


@needs_shared
def test_parse_json_record_of_the_seed():
    p = run("parse", str(SEED), "--json")
    assert p.returncode == 0, p.stderr
    rec = json.loads(p.stdout)
    assert rec["format"] == "txt"
    assert rec["meta"]["agency"] == "昌乐县自然资源和规划局"
    assert rec["meta"]["region"] == {"province": "山东省", "city": "潍坊市", "county": "昌乐县"}
    assert rec["sections"]["problems"]["title"] == "5、政府信息公开工作存在的主要问题及改进情况"
    assert [s["role"] for s in rec["statements"]] == ["rectification"] * 2 + ["problem"] * 3 + ["measure"] * 3


@needs_shared
def test_parse_human_summary():
    p = run("parse", str(SEED))
    assert p.returncode == 0, p.stderr
    assert "昌乐县自然资源和规划局" in p.stdout and "rectification" in p.stdout


@needs_shared
def test_shared_contract_check():
    p = subprocess.run([sys.executable, str(SHARED / "checks" / "contract.py")], capture_output=True, text=True,
                       cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "contract ok" in p.stdout


def test_train_then_evaluate_held_out(tmp_path):
    train = tmp_path / "train.jsonl"
    lines = (ROOT / "textmine" / "data" / "themes" / "train.jsonl").read_text(encoding="utf-8").splitlines()
    train.write_text("\n".join(lines[:300]) + "\n", encoding="utf-8")
    model = tmp_path / "m.npz"
    p = run("train", str(train), "-o", str(model), "--json")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["statements"] == 300 and model.exists()
    p = run("evaluate", str(ROOT / "textmine" / "data" / "themes" / "eval.jsonl"), "--model", str(model), "--json")
    assert p.returncode == 0, p.stderr
    rep = json.loads(p.stdout)
    themes = {r["theme"] for r in rep["per_theme"]} if isinstance(rep["per_theme"], list) else set(rep["per_theme"])
    assert {"staffing", "requests", "security"} <= themes
    assert 0.5 < rep["micro"]["f1"] <= 1.0


def test_train_rejects_labels_outside_the_codebook(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "人员不足。", "themes": ["staffng"]}, ensure_ascii=False) + "\n", encoding="utf-8")
    p = run("train", str(bad), "-o", str(tmp_path / "m.npz"))
    assert p.returncode == 1 and "Traceback" not in p.stderr and "staffng" in p.stderr


def test_recurring_json_has_evidence_null_model_timeline_and_reports():
    p = run("recurring", "--no-store", "--json", "--strata", "year")
    assert p.returncode == 0, p.stderr
    rep = json.loads(p.stdout)
    assert {"recurring", "unkept_promises", "repeated_text", "timeline", "reports"} <= set(rep)
    r = rep["recurring"][0]
    assert {"agency", "theme", "role", "years", "statements", "observed", "expected", "p_value"} <= set(r)
    assert r["evidence"] and all(e["file"] and e["statement_id"] for e in r["evidence"])
    assert {e["year"] for e in r["evidence"]} == set(r["years"])
    u = rep["unkept_promises"][0]
    assert u["status"] in ("kept", "unkept", "unclear") and {e["side"] for e in u["evidence"]} == {"a", "b"}
    assert {"doc_id", "file", "statement_id"} <= set(rep["repeated_text"][0]["a"])
    assert set(rep["timeline"][0]) >= {"agency_id", "agency", "year", "theme", "role", "n"}
    assert len(rep["reports"]) == 16 and set(rep["reports"][0]) >= {"doc_id", "agency_id", "year", "reuse_share",
                                                                    "cross_agency_share"}


def test_recurring_rejects_unknown_strata_in_one_line(tmp_path):
    p = run("recurring", str(tmp_path), "--strata", "year,region")
    assert p.returncode == 1 and "Traceback" not in p.stderr
    assert p.stderr.strip().splitlines() == ["textmine: error: --strata takes year, level and era, not 'year,region'"]
