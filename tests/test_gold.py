"""End-to-end evaluation against gold folders, two-coder agreement, and the calibrated theme tagger."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from textmine.errors import TextmineError
from textmine.gold import agreement, agreement_files, cohen_kappa, evaluate_gold, krippendorff_alpha, overlap

FIXTURES = Path(__file__).parent / "fixtures" / "coders"
SHARED = Path(__file__).resolve().parents[2] / "shared"
REAL_GOLD = SHARED / "real-dev" / "gold"

# A short report written for this test, in the form of the 2021 template.
REPORT = """某县文化和旅游局2023年政府信息公开工作年度报告
一、总体情况
2023年，本局认真落实条例要求，主动公开政府信息120条。
五、存在的主要问题及改进情况
（一）存在的主要问题
一是部分科室主动公开意识不强，信息发布不够及时。二是信息公开工作人员多为兼职，业务能力有待提升。
（二）改进措施
一是加强业务培训，提升工作人员业务能力。二是下一步将把政务公开纳入年度绩效考核，定期通报。
六、其他需要报告的事项
本年度未收取信息处理费。
"""
GOLD = [
    {"text": "一是部分科室主动公开意识不强", "role": "problem", "themes": ["awareness", "timeliness"], "optional": []},
    {"text": "二是信息公开工作人员多为兼职", "role": "problem", "themes": ["staffing"], "optional": []},
    {"text": "一是加强业务培训，提升工作人员", "role": "measure", "themes": ["staffing"], "optional": []},
    {"text": "二是下一步将把政务公开纳入年度", "role": "measure", "themes": ["oversight"], "optional": []},
]


def _folder(tmp_path: Path, gold: list[dict]) -> Path:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "county-culture-2023.txt").write_text(REPORT, encoding="utf-8")
    gdir = tmp_path / "data" / "gold"
    gdir.mkdir(parents=True)
    (gdir / "county-culture-2023.json").write_text(json.dumps(
        {"file": "reports/county-culture-2023.txt", "meta": {"year": 2023}, "statements": gold},
        ensure_ascii=False), encoding="utf-8")
    return gdir


def test_gold_folder_scores_units_roles_and_themes(tmp_path: Path) -> None:
    rep = evaluate_gold(_folder(tmp_path, GOLD), n_boot=50)
    assert (rep.documents, rep.parsed) == (1, 1)
    assert rep.rates["statements"] == 4
    assert rep.rates["stmt_found"] == 1.0 and rep.rates["role"] == 1.0
    got = {m.gold_text: set(m.pred_themes) for m in rep.matched}
    assert "staffing" in got["二是信息公开工作人员多为兼职"] and "oversight" in got["二是下一步将把政务公开纳入年度"]
    assert rep.rates["theme_f1"] >= 0.75
    d = rep.to_dict()
    assert set(d["rates"]) >= {"stmt_found", "role", "stmt_exact", "theme_f1"}
    assert {r["theme"] for r in d["per_theme"]} >= {"staffing", "oversight"}


def test_a_wrong_role_and_a_missing_statement_are_counted(tmp_path: Path) -> None:
    gold = [dict(g) for g in GOLD]
    gold[0]["role"] = "measure"
    gold.append({"text": "网站栏目设置不合理，群众查找困难", "role": "problem", "themes": ["platforms"], "optional": []})
    rep = evaluate_gold(_folder(tmp_path, gold), n_boot=20)
    assert rep.rates["stmt_found"] == 4 / 5
    assert rep.rates["role"] == 3 / 4
    assert "platforms" not in rep.confusion.index  # a statement not found is not a theme confusion


def test_gold_folder_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(TextmineError, match="no gold files"):
        evaluate_gold(tmp_path)
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(TextmineError, match="not a gold file"):
        evaluate_gold(tmp_path)


def test_overlap_rule_of_the_scorer() -> None:
    assert overlap("一是部分科室", "部分科室对主动公开") == 0.0 or overlap("部分科室", "一是部分科室对") == 1.0
    assert overlap("政策解读形式单一", "政策解读形式较为单一") >= 0.6


def test_kappa_and_alpha_against_hand_computed_values() -> None:
    a = [True, True, False, False, True, False]
    b = [True, False, False, False, True, True]
    assert cohen_kappa(a, b) == pytest.approx(cohen_kappa_score(a, b))
    # Krippendorff's α by hand: 6 units, 2 disagreements; values 6×True, 6×False (n = 12).
    # D_o = 4/12, D_e = (144 − 72) / (12·11) = 72/132 → α = 1 − (4/12)/(72/132) = 1 − 0.6111 = 0.3889
    assert krippendorff_alpha(a, b) == pytest.approx(1 - (4 / 12) / (72 / 132))
    assert krippendorff_alpha(["x", "y"], ["x", "y"]) == 1.0


def test_agreement_of_two_coder_files() -> None:
    res = agreement_files(FIXTURES / "coder_a.jsonl", FIXTURES / "coder_b.jsonl")
    assert res["statements"] == 6 and res["only_in_second"] == 1 and res["only_in_first"] == 0
    assert res["exact_agreement"] == pytest.approx(4 / 6, abs=1e-4)
    assert res["kappa"]["staffing"] == 1.0 and res["kappa"]["interpretation"] == 1.0
    # timeliness: A has it on statements 1 and 4, B on 4 only.
    assert res["kappa"]["timeliness"] == pytest.approx(cohen_kappa_score([1, 0, 0, 1, 0, 0], [0, 0, 0, 1, 0, 0]), abs=1e-4)
    assert 0 < res["alpha"] < 1


def test_agreement_needs_shared_statements() -> None:
    with pytest.raises(TextmineError):
        agreement([["a"]], [["a"], ["b"]])


def test_cli_evaluate_gold_folder_and_against(tmp_path: Path) -> None:
    gdir = _folder(tmp_path, GOLD)
    out = subprocess.run([sys.executable, "-m", "textmine", "evaluate", str(gdir), "--json", "--bootstrap", "20"],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rec = json.loads(out.stdout)
    assert rec["rates"]["stmt_found"] == 1.0 and "theme_f1" in rec["intervals"]
    out = subprocess.run([sys.executable, "-m", "textmine", "evaluate", str(gdir), "--json", "--bootstrap", "20",
                          "--grouped", "(county)"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    grouped = json.loads(out.stdout)["grouped"]
    assert (grouped["statements"], grouped["matched"], grouped["groups"]) == (4, 4, 1)
    lo, hi = grouped["grouped_cv"]["stmt_exact_interval"]
    assert 0.0 <= lo <= grouped["grouped_cv"]["stmt_exact"] <= hi <= 1.0
    out = subprocess.run([sys.executable, "-m", "textmine", "evaluate", str(FIXTURES / "coder_a.jsonl"),
                          "--against", str(FIXTURES / "coder_b.jsonl"), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["statements"] == 6


def test_calibrated_tagger_decides_by_rules_or_model() -> None:
    from textmine.themes import CalibratedThemes, shipped_calibrated

    tagger = shipped_calibrated()
    assert set(tagger.classes_) >= {"staffing", "coverage", "platforms"}
    texts = ["信息公开工作人员多为兼职，业务能力有待提升。", "今天的会议在三楼召开。"]
    preds = tagger.predict(texts)
    assert "staffing" in preds[0] and preds[1] == ["other"]
    ind = tagger.predict_indicator(texts)
    assert ind.shape == (2, len(tagger.classes_)) and ind[1].sum() == 0
    # Thresholds that no score reaches switch a theme off.
    off = CalibratedThemes()
    off.thresholds_ = {t: (float("inf"), float("inf")) for t in tagger.classes_}
    assert off.predict(texts) == [["other"], ["other"]]


@pytest.mark.skipif(not REAL_GOLD.is_dir(), reason="../shared/real-dev/gold is not there")
def test_real_dev_theme_f1_grouped_and_end_to_end() -> None:
    from textmine.gold import grouped_report

    summary, _ = grouped_report(REAL_GOLD)  # thresholds fitted on the other agencies only
    assert summary["grouped_cv"]["f1"] >= 0.85
    lo, hi = summary["grouped_cv"]["f1_interval"]
    assert lo <= summary["grouped_cv"]["f1"] <= hi
    assert summary["statements"] == 307 and summary["matched"] >= 0.95 * 307
    assert summary["grouped_cv"]["stmt_exact"] >= 0.75
    rep = evaluate_gold(REAL_GOLD, n_boot=50)
    assert rep.rates["theme_f1"] >= 0.85
    assert rep.rates["stmt_found"] >= 0.95 and rep.rates["role"] >= 0.95
    assert np.isfinite(rep.intervals["theme_f1"]).all()
