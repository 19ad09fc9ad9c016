"""The labeled theme data (textmine/data/themes/*.jsonl): format, labels, balance and separation.

The classifier trains on train.jsonl and is scored on eval.jsonl, so these tests guard the contract the
classifier relies on (codebook ids, one role, ``other`` alone) and the properties that make eval a fair
held-out set (no shared or near-identical texts).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from textmine.codebook import load_codebook
from textmine.resources import data_path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

THEMES = ["awareness", "institutions", "oversight", "staffing", "timeliness", "coverage", "standardization",
          "interpretation", "engagement", "requests", "platforms", "accessibility", "security"]
ROLES = {"problem", "measure", "rectification"}
# (per theme, other) label counts required by the brief for each file
MINIMUMS = {"train": (70, 50), "eval": (20, 15)}


def _read(name: str) -> list[dict]:
    path = data_path(f"themes/{name}.jsonl")
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            assert line.strip(), f"{name}.jsonl line {n} is blank"
            rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="module")
def data() -> dict[str, list[dict]]:
    return {name: _read(name) for name in MINIMUMS}


def _normalise(text: str) -> str:
    # Drop enumeration prefixes and punctuation so "一是X。" and "1.X；" count as the same statement.
    text = re.sub(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]是|第[一二三四五六]，|首先，|其次，|\d+[.、．])",
                  "", text.strip())
    return re.sub(r"[\s，。；：、！？,.;:!?\"“”（）()]", "", text)


@pytest.mark.parametrize("name", list(MINIMUMS))
def test_rows_follow_the_contract(data: dict[str, list[dict]], name: str) -> None:
    for n, row in enumerate(data[name], 1):
        where = f"{name}.jsonl line {n}"
        assert set(row) == {"text", "role", "themes"}, where
        assert isinstance(row["text"], str) and row["text"] == row["text"].strip(), where
        # real statements run to ~200 characters when a titled item carries several clauses
        assert 10 <= len(row["text"]) <= 200, where
        assert row["role"] in ROLES, where
        themes = row["themes"]
        assert isinstance(themes, list) and 1 <= len(themes) <= 4, where
        assert len(set(themes)) == len(themes), where
        assert set(themes) <= set(THEMES) | {"other"}, where
        assert themes == ["other"] or "other" not in themes, f"{where}: 'other' must stand alone"


@pytest.mark.parametrize("name", list(MINIMUMS))
def test_files_are_utf8_without_ascii_escapes(name: str) -> None:
    raw = data_path(f"themes/{name}.jsonl").read_bytes().decode("utf-8")
    assert "\\u" not in raw  # written with ensure_ascii=False, readable in any editor
    assert raw.endswith("\n")


def test_theme_ids_match_the_bundled_codebook() -> None:
    assert load_codebook().theme_ids == THEMES


@pytest.mark.parametrize("name", list(MINIMUMS))
def test_minimum_counts_per_theme_and_other(data: dict[str, list[dict]], name: str) -> None:
    per_theme, per_other = MINIMUMS[name]
    counts = Counter(t for row in data[name] for t in row["themes"])
    short = {t: counts[t] for t in THEMES if counts[t] < per_theme}
    assert not short, f"{name}: themes below {per_theme}: {short}"
    assert counts["other"] >= per_other


@pytest.mark.parametrize("name", list(MINIMUMS))
def test_every_theme_has_every_role(data: dict[str, list[dict]], name: str) -> None:
    by_theme: dict[str, Counter] = {t: Counter() for t in THEMES + ["other"]}
    for row in data[name]:
        for t in row["themes"]:
            by_theme[t][row["role"]] += 1
    for theme, roles in by_theme.items():
        total = sum(roles.values())
        # real section 5 is ~47 / 51 / 2 % (problem / measure / rectification); the older team lines carry
        # more rectifications. Each role must still carry a real share of every theme, not a token line.
        assert roles["problem"] >= 0.3 * total, (name, theme, roles)
        assert roles["measure"] >= 0.25 * total, (name, theme, roles)
        assert roles["rectification"] >= 0.02 * total, (name, theme, roles)


@pytest.mark.parametrize("name", list(MINIMUMS))
def test_overall_role_and_multilabel_shares(data: dict[str, list[dict]], name: str) -> None:
    rows = data[name]
    roles = Counter(row["role"] for row in rows)
    assert 0.38 <= roles["problem"] / len(rows) <= 0.55
    assert 0.35 <= roles["measure"] / len(rows) <= 0.55
    assert 0.03 <= roles["rectification"] / len(rows) <= 0.20
    # real statements carry 1.47 themes on average, many with 3-4 (issue #14)
    multi = sum(len(row["themes"]) > 1 for row in rows) / len(rows)
    assert 0.25 <= multi <= 0.65, f"{name}: multi-label share {multi:.0%}"


@pytest.mark.parametrize("name", list(MINIMUMS))
def test_no_duplicates_within_a_file(data: dict[str, list[dict]], name: str) -> None:
    texts = [_normalise(row["text"]) for row in data[name]]
    dups = [t for t, c in Counter(texts).items() if c > 1]
    assert not dups, dups


def test_no_text_shared_between_train_and_eval(data: dict[str, list[dict]]) -> None:
    train = {row["text"] for row in data["train"]}
    assert not train & {row["text"] for row in data["eval"]}
    # also after removing enumeration prefixes and punctuation
    train_norm = {_normalise(t) for t in train}
    assert not train_norm & {_normalise(row["text"]) for row in data["eval"]}


def _bigrams(text: str) -> set[str]:
    t = _normalise(text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def test_eval_is_not_a_paraphrase_of_train(data: dict[str, list[dict]]) -> None:
    # Character-bigram Jaccard: reworded copies of a train line score well above 0.5.
    train = [_bigrams(row["text"]) for row in data["train"]]
    close = []
    for row in data["eval"]:
        e = _bigrams(row["text"])
        best = max(len(e & t) / len(e | t) for t in train)
        if best > 0.5:
            close.append((round(best, 2), row["text"]))
    assert not close, close


def test_labels_are_learnable_by_a_plain_baseline(data: dict[str, list[dict]]) -> None:
    # Inconsistent labels show up as a low held-out score even for a simple model; the real classifier is
    # expected to do better than this floor.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    mlb = MultiLabelBinarizer(classes=THEMES + ["other"])
    y_train = mlb.fit_transform([row["themes"] for row in data["train"]])
    y_eval = mlb.transform([row["themes"] for row in data["eval"]])
    model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True),
                          OneVsRestClassifier(LinearSVC(C=0.5, class_weight="balanced")))
    model.fit([row["text"] for row in data["train"]], y_train)
    predicted = model.predict([row["text"] for row in data["eval"]])
    assert f1_score(y_eval, predicted, average="micro") >= 0.8


def _real_report_texts() -> list[str]:
    texts = []
    for path in sorted((SHARED / "real").glob("*")) + sorted((SHARED / "seed").glob("*")):
        if path.suffix == ".tsv":
            continue
        if path.suffix == ".pdf":
            pdfium = pytest.importorskip("pypdfium2")
            doc = pdfium.PdfDocument(str(path))
            texts.append("".join(page.get_textpage().get_text_range() for page in doc))
        else:
            texts.append(path.read_text(encoding="utf-8", errors="ignore"))
    return texts


@pytest.mark.skipif(not (SHARED / "real").is_dir(), reason="real reports live in ../shared, absent here")
def test_no_sentence_copied_from_real_reports_or_codebook_examples(data: dict[str, list[dict]]) -> None:
    # Every statement is written by us: no 20-character run may coincide with a real report
    # (fixed names such as the title of the regulation are shorter than that) or with the codebook.
    window = 20
    sources = _real_report_texts()
    codebook = SHARED / "spec" / "codebook.md"
    if codebook.exists():
        sources.append(codebook.read_text(encoding="utf-8"))
    runs = set()
    for text in sources:
        flat = re.sub(r"\s+", "", text)
        runs.update(flat[i:i + window] for i in range(len(flat) - window + 1))
    copied = []
    for row in data["train"] + data["eval"]:
        flat = re.sub(r"\s+", "", row["text"])
        if any(flat[i:i + window] in runs for i in range(len(flat) - window + 1)):
            copied.append(row["text"])
    assert not copied, copied
