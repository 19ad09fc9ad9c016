"""What the CLI prints comes from one API call each: validation_report, require_reports, train_model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from textmine.corpus import Corpus
from textmine.errors import TextmineError
from textmine.resources import data_path
from textmine.themes import ThemeClassifier, train_model

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def test_validation_report_is_what_validate_json_prints(tmp_path: Path) -> None:
    corpus = Corpus.from_files([CORPUS / "feixi-agriculture-2022.txt", CORPUS / "wuhu-city-gov-2024.txt"])
    rep = corpus.validation_report()
    assert [r["doc_id"] for r in rep["reports"]] == corpus.documents["doc_id"].tolist()
    assert sum(len(r["findings"]) for r in rep["reports"]) == len(corpus.findings)
    assert sum(rep["summary"].values()) == len(corpus.findings) and rep["failed"] == []
    assert rep["summary"] == {"R5": 1}  # feixi 2022: section 1 says 9 requests were received, table 3 says 8
    json.dumps(rep, default=str)


def test_the_empty_corpus_policy(tmp_path: Path) -> None:
    with pytest.raises(TextmineError, match=r"no report files \(\.txt \.docx \.pdf \.html \.md \.doc\) found"):
        Corpus.from_dir(tmp_path, store=False).require_reports()
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    with pytest.raises(TextmineError, match=r"no report could be read \(1 failed; first: .*broken\.docx"):
        Corpus.from_dir(tmp_path, store=False, workers=1).require_reports()


def test_train_model_fits_saves_and_summarises(tmp_path: Path) -> None:
    lines = data_path("themes/train.jsonl").read_text(encoding="utf-8").splitlines()[::6]
    labeled = tmp_path / "l.jsonl"
    labeled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = train_model(labeled, tmp_path / "m", cv=2)
    assert out["model"] == str(tmp_path / "m.npz") and out["statements"] == len(lines)
    assert 0 <= out["cross_validated_micro_f1"] <= 1
    assert ThemeClassifier.load(out["model"]).themes_ == out["themes"]
    with pytest.raises(TextmineError, match="no such file"):
        train_model(tmp_path / "missing.jsonl", tmp_path / "x.npz")
