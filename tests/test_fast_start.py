"""A parse starts fast: no scikit-learn, scipy, pandas, jieba or spaCy import on the way; the numpy
prediction scores exactly as scipy's sparse product did; the user cache builds once and maps after."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from textmine.cache import cache_dir, cached_arrays

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "corpus" / "wuhu-city-gov-2024.txt"
HEAVY = ("sklearn", "scipy", "pandas", "jieba", "spacy", "pyarrow", "joblib")


def test_parse_with_themes_imports_none_of_the_heavy_libraries():
    code = ("import sys, io, contextlib, json\n"
            "from textmine.cli import main\n"
            "buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf):\n"
            f"    assert main(['parse', {str(SAMPLE)!r}, '--json']) == 0\n"
            "rec = json.loads(buf.getvalue())\n"
            "print(json.dumps({'themes': [s['themes'] for s in rec['statements']],\n"
            "                  'modules': sorted({m.split('.')[0] for m in sys.modules})}))\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert out["themes"] and all(out["themes"])  # themes were tagged, by the model path
    assert not [m for m in HEAVY if m in out["modules"]]


def test_numpy_prediction_is_scipys_sparse_product_to_the_last_bit():
    from textmine.themes import ThemeClassifier
    from textmine.themes.linear import LinearThemes, decision, shipped_linear
    from textmine.themes.training import load_labeled

    texts = load_labeled(str(ROOT / "textmine" / "data" / "themes" / "eval.jsonl"))["text"].tolist()[:300]
    texts += ["", "2023年12月31日。", "政策解读不够深入；回应关切不及时！"]
    clf = ThemeClassifier.pretrained()
    S, starts = clf._sentence_features(texts)  # scipy CSR rows of every sentence
    sparse_d = np.maximum.reduceat(np.asarray(S @ clf.coef_.T, dtype=np.float64) + clf.intercept_, starts, axis=0)
    coef_t = np.ascontiguousarray(clf.coef_.T)
    assert np.array_equal(decision(clf.vectorizer_, coef_t, clf.intercept_, texts, True), sparse_d)
    shipped = shipped_linear()
    assert isinstance(shipped, LinearThemes)
    assert np.array_equal(shipped.proba_matrix(texts), clf._proba(texts))


def test_cache_builds_once_then_maps_and_a_new_key_rebuilds(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path))
    built = []

    def build():
        built.append(1)
        return {"a": np.arange(5, dtype=np.int64), "b": np.array([1.5, -np.inf])}

    first = cached_arrays("demo", "k1", build)
    again = cached_arrays("demo", "k1", build)
    assert len(built) == 1 and isinstance(again["a"], np.memmap)
    assert np.array_equal(first["a"], again["a"]) and np.array_equal(again["b"], [1.5, -np.inf])
    with pytest.raises(ValueError):
        again["a"][0] = 7  # read-only: a process cannot corrupt the shared copy
    cached_arrays("demo", "k2", build)
    assert len(built) == 2 and {p.name for p in tmp_path.iterdir()} == {"demo-k1", "demo-k2"}


def test_cache_switched_off_or_unwritable_builds_in_memory(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", "")
    assert cache_dir() is None
    a = cached_arrays("demo", "k", lambda: {"x": np.ones(3)})
    assert not isinstance(a["x"], np.memmap) and not a["x"].flags.writeable
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(blocker / "sub"))
    assert np.array_equal(cached_arrays("demo", "k", lambda: {"x": np.ones(3)})["x"], np.ones(3))


def test_jieba_segmenter_from_a_fresh_cache_cuts_like_jieba(tmp_path, monkeypatch):
    import jieba

    from textmine.themes.ngrams import JiebaSegmenter, _jieba_arrays

    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path))
    _jieba_arrays()  # builds the entry
    mapped = _jieba_arrays()
    assert isinstance(mapped["dict_keys"], np.memmap)
    assert [d.name.split("-")[0] for d in tmp_path.iterdir()] == ["jieba"]
    t = "进一步加强政府信息公开工作，提升政务公开标准化规范化水平"
    assert JiebaSegmenter(mapped).cut(t) == [w for w in jieba.lcut(t, HMM=False) if w != "，"]
