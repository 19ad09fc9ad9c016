"""The fitted theme model's prediction in numpy alone, and the shipped model read from the user cache.

A fitted :class:`~textmine.themes.estimator.ThemeClassifier` is plain arrays: vocabularies, IDF
weights, one linear model per theme, Platt parameters. Predicting needs none of scikit-learn or scipy,
whose imports cost several times a report's parse, so prediction lives here: TF-IDF entries from
``ngrams.NgramTfidf.entries``, multiplied by the weights with the same floating-point operations in the
same order as scipy's sparse product (the scores are identical to the last bit), best sentence per
statement, sigmoid. The shipped model's arrays and its vocabulary hash tables are built once into the
user cache (``textmine/cache.py``) and memory-mapped from there.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cache import cached_arrays, file_identity, source_key
from ..resources import data_path
from .codebook import OTHER, load_codebook
from .ngrams import NgramTfidf

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

PRETRAINED_FILE = "theme_model.npz"
TRAIN_FILE = "themes/train.jsonl"
# The settings the shipped model is built with: linear SVM, C=0.5, n-grams seen at least twice had the
# best 5-fold cross-validated micro-F1 on train.jsonl among logreg/SVM, C, min_df and feature-block choices.
PRETRAINED_PARAMS: dict[str, Any] = {"char_ngrams": (1, 3), "word_ngrams": (1, 2), "min_df": 2, "C": 0.5,
                                     "loss": "svm", "class_weight": "balanced", "pool_sentences": True,
                                     "inner_cv": 5, "random_state": 0}
SENTENCE = re.compile(r"(?<=[。；！？!?;])")
_CACHE_FORMAT = 1  # bump when the arrays _model_arrays stores change


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def sentences(texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Every sentence of ``texts``, and the index where each text's sentences start (each text has one)."""
    out, starts = [], []
    for t in texts:
        starts.append(len(out))
        parts = [p for p in SENTENCE.split(t) if p.strip()]
        out.extend(parts or [t])
    return out, np.asarray(starts, dtype=np.int64)


def linear_scores(vectorizer: NgramTfidf, coef_t: np.ndarray, intercept: np.ndarray, texts: Sequence[str]
                  ) -> np.ndarray:
    """``features(texts) @ coef_t + intercept`` (coef_t: features x themes), as scipy's CSR product does
    it: per row, entries in column order, each ``value * weight`` added to a running float64 sum."""
    r, c, v = vectorizer.entries(texts)
    D = np.empty((len(texts), coef_t.shape[1]))
    for t in range(coef_t.shape[1]):  # bincount adds its weights in input order from 0.0, as add.at does, faster
        D[:, t] = np.bincount(r, weights=v * coef_t[c, t].astype(np.float64), minlength=len(texts))
    return D + intercept


def decision(vectorizer: NgramTfidf, coef_t: np.ndarray, intercept: np.ndarray, texts: Sequence[str],
             pool_sentences: bool) -> np.ndarray:
    """Linear scores per text and theme; with pooling, of the text's best-scoring sentence."""
    if not texts:
        return np.zeros((0, coef_t.shape[1]))
    if not pool_sentences:
        return linear_scores(vectorizer, coef_t, intercept, texts)
    parts, starts = sentences(texts)
    return np.maximum.reduceat(linear_scores(vectorizer, coef_t, intercept, parts), starts, axis=0)


class LinearThemes:
    """A fitted theme model's arrays, predicting in numpy (``proba_matrix``, ``predict_proba``)."""

    def __init__(self, themes: list[str], vectorizer: NgramTfidf, coef_t: np.ndarray, intercept: np.ndarray,
                 platt: np.ndarray, thresholds: np.ndarray, pool_sentences: bool, meta: dict[str, Any]) -> None:
        self.themes_ = themes
        self.vectorizer_ = vectorizer
        self.coef_t = coef_t
        self.intercept_ = intercept
        self.platt_ = platt
        self.thresholds_ = thresholds
        self.pool_sentences = pool_sentences
        self.meta_ = meta

    def proba_matrix(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probabilities, shape (n, themes), columns in ``themes_`` order."""
        D = decision(self.vectorizer_, self.coef_t, self.intercept_, list(texts), self.pool_sentences)
        return sigmoid(self.platt_[0] * D + self.platt_[1])

    def predict_proba(self, texts: Sequence[str]) -> pd.DataFrame:
        """As ``ThemeClassifier.predict_proba``: a column per theme, and ``other`` (no theme applies)."""
        import pandas as pd

        P = self.proba_matrix(texts)
        frame = pd.DataFrame(P, columns=self.themes_)
        frame[OTHER] = np.prod(1.0 - P, axis=1)
        return frame

    @classmethod
    def load(cls, path: str | Path) -> LinearThemes:
        """A model file written by ``ThemeClassifier.save``, through the cache (a plain read without it)."""
        key = source_key(_CACHE_FORMAT, *file_identity(path))
        a = cached_arrays("model", key, lambda: _model_arrays(path))
        meta = json.loads(bytes(a["meta"]).decode("utf-8"))
        params = dict(meta["params"])
        for k in ("char_ngrams", "word_ngrams"):
            if params.get(k) is not None:
                params[k] = tuple(params[k])
        return cls(list(meta["themes"]), NgramTfidf.from_arrays(params, a), a["coef_t"], a["intercept"],
                   a["platt"], a["thresholds"], bool(params.get("pool_sentences")), meta)


def _model_arrays(path: str | Path) -> dict[str, np.ndarray]:
    """What the cache keeps of a model file: the prediction arrays uncompressed, weights transposed
    (a row per feature: the look-up of a statement's features reads whole rows), and the hash tables."""
    with np.load(path, allow_pickle=False) as z:
        a = {k: z[k] for k in z.files if k != "word_names"}
    meta = json.loads(str(a.pop("meta")))
    params = dict(meta["params"])
    vec = NgramTfidf.from_arrays(params, a)
    coef = a.pop("coef")
    return {**a, **vec.table_arrays(), "coef_t": np.ascontiguousarray(coef.T),
            "meta": np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)}


def training_digest(train: Path, params: dict[str, Any]) -> str:
    """What the shipped model depends on: the training data, the parameters and the codebook's theme ids
    (its cues too, but only when the rule votes are features)."""
    cb = load_codebook()
    h = hashlib.sha256(train.read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode("utf-8"))
    h.update((cb.text if params.get("use_rules") else json.dumps(cb.theme_ids)).encode("utf-8"))
    return h.hexdigest()


@lru_cache(maxsize=1)
def shipped_linear() -> LinearThemes | None:
    """The shipped model for prediction, or None when it is not usable as shipped (stale against the
    bundled training data, unreadable, or using rule features): then ``ThemeClassifier.pretrained()``
    refits it, with scikit-learn."""
    train, shipped = data_path(TRAIN_FILE), data_path(PRETRAINED_FILE)
    try:
        model = LinearThemes.load(shipped)
    except (OSError, ValueError, KeyError):
        return None
    fresh = not train.is_file() or model.meta_.get("training_digest") == training_digest(train, PRETRAINED_PARAMS)
    if not fresh or model.meta_["params"].get("use_rules") or model.themes_ != load_codebook().theme_ids:
        return None
    return model
