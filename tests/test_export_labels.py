"""Labels are never invented: model output goes where the tools keep pre-annotations, and import-labels
reads back only what an annotator reviewed (Label Studio JSON and JSON-MIN, doccano)."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT

from textmine.errors import TextmineError
from textmine.export import export_statements, import_labels, read_labels


@pytest.fixture(scope="module")
def statements():
    return pd.DataFrame([
        {"doc_id": "d1", "statement_id": "s1", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "problem",
         "themes": ["staffing"], "scores": {"staffing": 0.9}, "text": "专职人员只有一名。", "subsection": None},
        {"doc_id": "d1", "statement_id": "s2", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "measure",
         "themes": ["interpretation", "platforms"], "scores": {"interpretation": 0.8, "platforms": 0.7},
         "text": "多做图解，办好网站专栏。", "subsection": None},
        {"doc_id": "d2", "statement_id": "s1", "agency": "乙局", "agency_id": "y", "year": 2024, "role": "problem",
         "themes": [], "scores": {}, "text": "其他方面还有差距。", "subsection": None},
    ])


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textmine", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)


def test_label_studio_puts_the_model_in_predictions_only(tmp_path, statements):
    out = tmp_path / "ls.json"
    export_statements(statements, "label-studio", out)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    assert all("annotations" not in t for t in tasks)
    assert tasks[0]["predictions"][0]["result"][0]["value"]["choices"] == ["staffing"]
    # Never reviewed: predictions without annotations are no labels at all.
    assert read_labels(out)["labeled"] == 0 and read_labels(out)["skipped"] == 3


def test_unreviewed_doccano_export_imports_as_nothing(tmp_path, statements):
    out = tmp_path / "dc.jsonl"
    export_statements(statements, "doccano", out)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert [r["label"] for r in rows] == [[], [], []]
    assert rows[1]["meta"]["predicted"] == ["interpretation", "platforms", "role:measure"]
    assert import_labels(out) == []
    res = read_labels(out)
    assert (res["labeled"], res["skipped"], res["format"]) == (0, 3, "doccano")


def test_prefilled_doccano_export_has_labels(tmp_path, statements):
    out = tmp_path / "dc.jsonl"
    export_statements(statements, "doccano", out, prefill=True)
    rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0]["label"] == ["staffing", "role:problem"] and rows[0]["meta"]["prefilled"] is True
    # The third statement had no theme: prefilled with its role only, it still has no theme label.
    assert import_labels(out) == [{"text": "专职人员只有一名。", "themes": ["staffing"], "role": "problem"},
                                  {"text": "多做图解，办好网站专栏。", "themes": ["interpretation", "platforms"],
                                   "role": "measure"}]


def test_an_empty_label_list_is_not_other(tmp_path):
    f = tmp_path / "dc.jsonl"
    f.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in [
        {"text": "甲", "label": []}, {"text": "乙", "label": ["other"]}, {"text": "丙", "label": ["role:problem"]},
    ]), encoding="utf-8")
    assert import_labels(f) == [{"text": "乙", "themes": ["other"]}]


def test_label_studio_annotation_beats_prediction(tmp_path, statements):
    out = tmp_path / "ls.json"
    export_statements(statements, "label-studio", out)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    tasks[1]["annotations"] = [{"result": [{"from_name": "themes", "to_name": "text", "type": "choices",
                                            "value": {"choices": ["platforms"]}}]}]
    tasks[2]["annotations"] = [{"result": [], "was_cancelled": True}]
    tasks[0]["annotations"] = [{"result": []}]  # submitted with nothing chosen: no label, not "other"
    out.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    assert import_labels(out) == [{"text": "多做图解，办好网站专栏。", "themes": ["platforms"]}]


def test_json_min_round_trip(tmp_path, statements):
    """Label Studio's JSON-MIN: one flat record per annotated task, the task's data fields beside each
    control's value (one choice as a string, several as a list or {"choices": [...]})."""
    out = tmp_path / "ls.json"
    export_statements(statements, "label-studio", out)
    tasks = json.loads(out.read_text(encoding="utf-8"))
    chosen = [("staffing", "problem"), (["interpretation", "platforms"], "measure"), ({"choices": ["other"]}, None)]
    flat = []
    for i, (task, (themes, role)) in enumerate(zip(tasks, chosen), 1):
        rec = {**task["data"], "id": i, "annotator": 1, "annotation_id": 100 + i, "themes": themes,
               "created_at": "2026-01-05T10:00:00Z", "updated_at": "2026-01-05T10:00:00Z", "lead_time": 3.5}
        if role:
            rec["role"] = role
        flat.append(rec)
    flat.append({"text": "无人标注。", "id": 9})  # a task nobody annotated
    f = tmp_path / "min.json"
    f.write_text(json.dumps(flat, ensure_ascii=False), encoding="utf-8")
    res = read_labels(f, tmp_path / "labeled.jsonl")
    assert res["format"] == "label-studio-min" and (res["labeled"], res["skipped"]) == (3, 1)
    assert res["rows"] == [{"text": "专职人员只有一名。", "themes": ["staffing"], "role": "problem"},
                           {"text": "多做图解，办好网站专栏。", "themes": ["interpretation", "platforms"],
                            "role": "measure"},
                           {"text": "其他方面还有差距。", "themes": ["other"]}]
    from textmine.themes import load_labeled

    back = load_labeled(tmp_path / "labeled.jsonl")
    assert back["themes"].tolist() == [["staffing"], ["interpretation", "platforms"], ["other"]]


@pytest.mark.parametrize("content", ['{"hello": 1}', '[1, 2, 3]', '[{"image": "a.png"}]', "[]", "not json at all",
                                     '{"text": "甲", "label": []}\n{"foo": 1}'])
def test_unknown_json_is_an_error(tmp_path, content):
    f = tmp_path / "what.json"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(TextmineError):
        import_labels(f)


def test_unknown_json_cli_one_line_error(tmp_path):
    f = tmp_path / "what.json"
    f.write_text('{"hello": [1, 2]}', encoding="utf-8")
    p = run("import-labels", str(f), "-o", str(tmp_path / "out.jsonl"))
    assert p.returncode == 1
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
    assert p.stderr.startswith("textmine: error: ") and "not a Label Studio" in p.stderr and not (tmp_path / "out.jsonl").exists()


def test_import_labels_cli_reports_skipped(tmp_path, statements):
    out = tmp_path / "dc.jsonl"
    export_statements(statements, "doccano", out, prefill=True)
    p = run("import-labels", str(out), "-o", str(tmp_path / "labeled.jsonl"))
    assert p.returncode == 0, p.stderr
    assert "2 labeled statements" in p.stderr and "1 unreviewed skipped" in p.stderr
    assert len((tmp_path / "labeled.jsonl").read_text(encoding="utf-8").splitlines()) == 2
