"""``ThemeClassifier``, the trainable theme model, and the model shipped in the package.

``ThemeClassifier`` is a scikit-learn estimator: TF-IDF features of jieba word n-grams and character
n-grams (optionally the rule tagger's votes), one linear model per theme, Platt-calibrated on
out-of-fold scores of an inner cross-validation that also tunes one decision threshold per theme.

The fitted state is plain numpy arrays and vocabularies, never scikit-learn objects, so a model is saved
as a ``.npz`` file (no pickle) that loads under any scikit-learn version. The model shipped in the
package (``data/theme_model.npz``) is built by ``python -m textmine.classifier`` from the bundled
training data; :meth:`ThemeClassifier.pretrained` checks that it matches that data, its parameters and
the codebook's theme ids, and refits deterministically from them when it does not (or when the file
cannot be read).
"""

from __future__ import annotations

import copy
import io
import json
import logging
import zipfile
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator

from ..errors import TextmineError
from ..resources import data_path
from .codebook import OTHER, CodebookLike, load_codebook, parse_codebook, resolve_codebook
from .labels import as_texts, label_matrix, label_metrics, normalise_gold, read_labeled
from .linear import (
    PRETRAINED_FILE,
    PRETRAINED_PARAMS,
    TRAIN_FILE,
    decision,
    sentences,
    sigmoid,
    training_digest,
)
from .ngrams import NgramTfidf
from .rule_tagger import RuleTagger

MODEL_FORMAT = 1

log = logging.getLogger(__name__)
_sigmoid = sigmoid


def _platt(d: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling with Platt's smoothed targets, as CalibratedClassifierCV(method='sigmoid') does."""
    from sklearn.linear_model import LogisticRegression

    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return 0.0, (-12.0 if pos == 0 else 12.0)
    t_pos, t_neg = (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0)
    t = np.where(y, t_pos, t_neg)
    x = np.concatenate([d, d]).reshape(-1, 1)
    lab = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    lr = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    lr.fit(x, lab, sample_weight=np.concatenate([t, 1.0 - t]))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def _best_threshold(p: np.ndarray, y: np.ndarray, min_positives: int) -> float:
    """The threshold maximising F1 on out-of-fold probabilities; 0.5 when too few positives to tell."""
    pos = int(y.sum())
    if pos < min_positives:
        return 0.5
    pred = p[:, None] >= _GRID[None, :]
    tp = (pred & y[:, None]).sum(axis=0)
    fp = pred.sum(axis=0) - tp
    f1 = 2 * tp / np.maximum(2 * tp + fp + (pos - tp), 1)
    best = np.flatnonzero(f1 >= f1.max() - 1e-9)
    return float(_GRID[best[len(best) // 2]])  # middle of the plateau: least sensitive to noise


class ThemeClassifier(BaseEstimator):
    """Multi-label theme classifier for section-5 statements (a scikit-learn estimator).

    Parameters
    ----------
    char_ngrams, word_ngrams : (lo, hi) or None
        Character n-grams and jieba word n-grams (words: at most bigrams); None switches a block off.
    min_df : int
        Drop n-grams seen in fewer training statements.
    sublinear_tf : bool
        1 + log(tf) instead of raw counts.
    C : float
        Inverse regularisation of each theme's linear model.
    loss : "svm" or "logreg"
        A linear SVM or logistic regression (both liblinear); both are Platt-calibrated afterwards.
    class_weight : "balanced" or None
    use_rules : bool
        Add the rule tagger's guarded scores (one per theme, squashed to [0, 1)) as features.
    rule_weight : float
        Scale of the rule features relative to the unit-norm text blocks.
    pool_sentences : bool
        Score each sentence of a statement and keep, per theme, its best sentence. Real statements are
        often a title plus explanation, or several claims; scored whole, a theme carried by one sentence
        is diluted by the others (on pairs of eval statements joined into one: micro-F1 0.77 whole,
        0.93 pooled; single statements unchanged).
    inner_cv : int
        Folds of the inner cross-validation whose out-of-fold scores calibrate the probabilities and tune
        the per-theme thresholds (< 2: no calibration, thresholds 0.5).
    min_positives : int
        A theme with fewer training positives keeps the 0.5 threshold.
    codebook : path, Codebook or None
        The codebook whose theme ids are the labels (None: the bundled one).
    random_state : int
    """

    def __init__(self, *, char_ngrams: tuple[int, int] | None = (1, 3),
                 word_ngrams: tuple[int, int] | None = (1, 2), min_df: int = 2, sublinear_tf: bool = True,
                 C: float = 0.5, loss: str = "svm", class_weight: str | None = "balanced",
                 use_rules: bool = False, rule_weight: float = 1.0, pool_sentences: bool = True, inner_cv: int = 5,
                 min_positives: int = 3, codebook: CodebookLike = None, random_state: int = 0) -> None:
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.C = C
        self.loss = loss
        self.class_weight = class_weight
        self.use_rules = use_rules
        self.rule_weight = rule_weight
        self.pool_sentences = pool_sentences
        self.inner_cv = inner_cv
        self.min_positives = min_positives
        self.codebook = codebook
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------------------
    def _base(self):
        if self.loss == "logreg":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=self.C, solver="liblinear", class_weight=self.class_weight)
        if self.loss == "svm":
            from sklearn.svm import LinearSVC

            return LinearSVC(C=self.C, class_weight=self.class_weight)
        raise ValueError(f"loss must be 'logreg' or 'svm', not {self.loss!r}")

    def _fit_linear(self, F: sparse.csr_matrix, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        W = np.zeros((Y.shape[1], F.shape[1]))
        b = np.zeros(Y.shape[1])
        for j in range(Y.shape[1]):
            y = Y[:, j]
            if y.all() or not y.any():
                b[j] = 12.0 if y.all() else -12.0  # a constant theme: no model to fit
                continue
            est = self._base().fit(F, y)
            W[j], b[j] = est.coef_.ravel(), float(est.intercept_[0])
        return W, b

    def _rule_features(self, texts: list[str]) -> sparse.csr_matrix:
        tagger = self._tagger()
        s = tagger.score_matrix(texts)
        return sparse.csr_matrix(self.rule_weight * s / (s + tagger.thresholds()[None, :]))

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        F = self.vectorizer_.transform(texts)
        if self.use_rules:
            F = sparse.hstack([F, self._rule_features(texts)], format="csr")
        return F

    def _sentence_features(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Features of every sentence, and the row where each statement's sentences start."""
        parts, starts = sentences(texts)  # every statement keeps at least one row
        return self._features(parts), starts

    def fit(self, X: Iterable[str], y: Iterable[Any]) -> ThemeClassifier:
        """Fit on statements ``X`` and their theme lists ``y`` (codebook ids; ``[]``/``["other"]`` = none)."""
        from sklearn.model_selection import KFold

        texts = as_texts(X)
        cb = resolve_codebook(self.codebook)
        self.themes_ = cb.theme_ids
        Y = label_matrix(y, self.themes_, cb)
        if len(texts) != len(Y):
            raise ValueError(f"{len(texts)} statements but {len(Y)} theme lists")
        if len(texts) < 2:
            raise ValueError("need at least two labeled statements")
        self.codebook_ = cb
        self.__dict__.pop("_rule_tagger", None)
        self.vectorizer_ = NgramTfidf(self.char_ngrams, self.word_ngrams, self.min_df, self.sublinear_tf).fit(texts)
        F = self._features(texts)
        W, b = self._fit_linear(F, Y)
        n_themes = len(self.themes_)
        a_, b_ = np.ones(n_themes), np.zeros(n_themes)
        thr = np.full(n_themes, 0.5)
        folds = min(self.inner_cv, len(texts))
        if folds >= 2:
            # Out-of-fold scores: what the model says about statements it has not seen. The vocabulary
            # is shared across folds (unsupervised), the linear models are not.
            D = np.zeros(Y.shape)
            S, starts = self._sentence_features(texts) if self.pool_sentences else (F, np.arange(len(texts)))
            owner = np.repeat(np.arange(len(texts)), np.diff(np.append(starts, S.shape[0])))
            for tr, te in KFold(folds, shuffle=True, random_state=self.random_state).split(texts):
                Wk, bk = self._fit_linear(F[tr], Y[tr])
                rows = np.flatnonzero(np.isin(owner, te))  # the sentences of the held-out statements
                D[te] = np.maximum.reduceat(S[rows] @ Wk.T + bk, np.searchsorted(rows, starts[te]), axis=0)
            for j in range(n_themes):
                a_[j], b_[j] = _platt(D[:, j], Y[:, j])
                thr[j] = _best_threshold(_sigmoid(a_[j] * D[:, j] + b_[j]), Y[:, j], self.min_positives)
        elif self.loss == "svm":
            a_[:] = 2.0  # a rough squash of hinge margins without held-out data to calibrate on
        # float32 weights: half the file size, and predictions identical before and after save/load.
        self.coef_ = W.astype(np.float32)
        self.intercept_ = b
        self.platt_ = np.vstack([a_, b_])
        self.thresholds_ = thr
        self.n_train_ = len(texts)
        return self

    # -- prediction --------------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this ThemeClassifier is not fitted yet; call fit() or use pretrained()")

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Linear scores, shape (n, n_themes), columns in ``themes_`` order (best sentence when pooling)."""
        self._check_fitted()
        texts = as_texts(X)
        if not texts:
            return np.zeros((0, len(self.themes_)))
        if not self.use_rules:  # the numpy product of linear.py, as the shipped model predicts
            return decision(self.vectorizer_, self._coef_t(), self.intercept_, texts, self.pool_sentences)
        if not self.pool_sentences:
            return np.asarray(self._features(texts) @ self.coef_.T, dtype=np.float64) + self.intercept_
        S, starts = self._sentence_features(texts)
        D = np.asarray(S @ self.coef_.T, dtype=np.float64) + self.intercept_
        return np.maximum.reduceat(D, starts, axis=0)

    def _coef_t(self) -> np.ndarray:
        cached = self.__dict__.get("_coef_t_cache")
        if cached is None or cached[0] is not self.coef_:  # fit() and load() rebind coef_
            cached = self.__dict__["_coef_t_cache"] = (self.coef_, np.ascontiguousarray(self.coef_.T))
        return cached[1]

    def _proba(self, texts: list[str]) -> np.ndarray:
        self._check_fitted()
        return _sigmoid(self.platt_[0] * self.decision_function(texts) + self.platt_[1])

    def predict_proba(self, X: Iterable[str]) -> pd.DataFrame:
        """Calibrated probability per theme id, plus ``other`` = probability that no theme applies.

        ``other`` is the product of (1 - p) over themes (themes treated as independent). The frame
        keeps the index of ``X`` when it is a pandas Series.
        """
        texts = as_texts(X)
        P = self._proba(texts)
        other = np.prod(1.0 - P, axis=1)
        index = X.index if isinstance(X, pd.Series) else None
        frame = pd.DataFrame(P, columns=self.themes_, index=index)
        frame[OTHER] = other
        return frame

    def _decide(self, P: np.ndarray) -> list[list[str]]:
        rows, cols = np.nonzero(P >= self.thresholds_)
        order = np.lexsort((-P[rows, cols], rows))  # by statement, then most probable first
        names = np.asarray(self.themes_, dtype=object)[cols[order]].tolist()
        out: list[list[str]] = []
        i = 0
        for k in np.bincount(rows, minlength=len(P)).tolist():
            out.append(names[i:i + k] if k else [OTHER])
            i += k
        return out

    def predict(self, X: Iterable[str]) -> list[list[str]]:
        """Theme ids per statement, most probable first; ``["other"]`` when no theme passes its threshold."""
        texts = as_texts(X)
        return self._decide(self._proba(texts)) if texts else []

    @property
    def classes_(self) -> np.ndarray:
        """The theme ids, in the column order of :meth:`predict_indicator` and :meth:`binarize`."""
        self._check_fitted()
        return np.asarray(self.themes_, dtype=object)

    def predict_indicator(self, X: Iterable[str]) -> np.ndarray:
        """0/1 matrix (n, n_themes), columns in ``classes_`` order; all 0 = ``other``. With
        :meth:`binarize` for the gold lists, scikit-learn's metrics apply directly:
        ``f1_score(clf.binarize(y), clf.predict_indicator(X), average="micro")``."""
        texts = as_texts(X)
        if not texts:
            return np.zeros((0, len(self.themes_)), dtype=np.int64)
        return (self._proba(texts) >= self.thresholds_).astype(np.int64)

    def binarize(self, y: Iterable[Any]) -> np.ndarray:
        """Theme lists as the 0/1 matrix of :meth:`predict_indicator` (checked against the codebook)."""
        self._check_fitted()
        return label_matrix(y, self.themes_, self.codebook_).astype(np.int64)

    def predict_with_proba(self, X: Iterable[str]) -> tuple[list[list[str]], pd.DataFrame]:
        """``predict`` and ``predict_proba`` from one pass over the features (half the work of both)."""
        proba = self.predict_proba(X)
        return (self._decide(proba[self.themes_].to_numpy()) if len(proba) else []), proba

    def top_features(self, theme: str, n: int = 15) -> pd.DataFrame:
        """The n-grams (``c:`` characters, ``w:`` jieba words, ``r:`` rule votes) that weigh most for a theme."""
        self._check_fitted()
        names = self.vectorizer_.feature_names()
        if self.use_rules:
            names += [f"r:{t}" for t in self.themes_]
        w = self.coef_[self.themes_.index(theme)]
        top = np.argsort(-w, kind="stable")[:n]
        return pd.DataFrame({"feature": [names[i] for i in top], "weight": w[top].astype(float)})

    def score(self, X: Iterable[str], y: Iterable[Any]) -> float:
        """Micro-averaged F1 over theme ids and ``other`` (so GridSearchCV needs no scorer)."""
        self._check_fitted()
        gold = normalise_gold(y, self.codebook_)
        return label_metrics(gold, self.predict(X), self.codebook_.labels)["micro"]["f1"]

    def _tagger(self):
        # Derived from the codebook, so not saved: rebuilt on first use after fit() or load().
        tagger = self.__dict__.get("_rule_tagger")
        if tagger is None:
            tagger = self.__dict__["_rule_tagger"] = RuleTagger(self.codebook_)
        return tagger

    # -- persistence -------------------------------------------------------------------------------------
    def _write(self, target: Any, meta: dict[str, Any]) -> None:
        params = self.get_params()
        params["codebook"] = None
        import sklearn

        from .. import __version__

        info = {
            "format": MODEL_FORMAT, "params": params, "themes": self.themes_, "n_train": self.n_train_,
            "codebook_fingerprint": self.codebook_.fingerprint, "codebook_text": self.codebook_.text,
            "codebook_source": self.codebook_.source, "versions": {"textmine": __version__,
                                                                   "scikit-learn": sklearn.__version__,
                                                                   "numpy": np.__version__},
            **meta,
        }
        arrays = self.vectorizer_.arrays()
        np.savez_compressed(target, meta=np.array(json.dumps(info, ensure_ascii=False)), coef=self.coef_,
                            intercept=self.intercept_, platt=self.platt_, thresholds=self.thresholds_, **arrays)

    def save(self, path: str | Path, **meta: Any) -> Path:
        """Write the fitted model to ``path`` (.npz: arrays and JSON, no pickle)."""
        self._check_fitted()
        p = Path(path)
        if p.suffix != ".npz":
            p = p.with_name(p.name + ".npz")  # np.savez would append it anyway; say so in the return value
        p.parent.mkdir(parents=True, exist_ok=True)
        self._write(p, meta)
        return p

    def to_bytes(self, **meta: Any) -> bytes:
        """The bytes :meth:`save` writes (for spaCy's ``to_bytes`` and other in-memory stores)."""
        self._check_fitted()
        buf = io.BytesIO()
        self._write(buf, meta)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ThemeClassifier:
        """A model from the bytes of :meth:`to_bytes` (or of a saved file)."""
        return cls._read(io.BytesIO(data), "<bytes>")

    @classmethod
    def load(cls, path: str | Path) -> ThemeClassifier:
        """Read a model written by :meth:`save`."""
        return cls._read(Path(path), str(path))

    @classmethod
    def _read(cls, source: Any, where: str) -> ThemeClassifier:
        from ..loaders.limits import check_model_zip

        check_model_zip(source, where)
        try:
            with np.load(source, allow_pickle=False) as z:
                a = {k: z[k] for k in z.files}
            info = json.loads(str(a.pop("meta")))
        except FileNotFoundError:
            raise TextmineError("model file not found", where) from None
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error) as exc:
            raise TextmineError(f"not a textmine theme model ({exc})", where) from None
        if not isinstance(info, dict):
            raise TextmineError("not a textmine theme model (its meta is not a mapping)", where)
        if info.get("format") != MODEL_FORMAT:
            raise TextmineError(f"model format {info.get('format')!r} is not supported (expected {MODEL_FORMAT})",
                                where)
        try:
            return cls._from_arrays(info, a)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise TextmineError(f"not a textmine theme model (damaged: {exc.__class__.__name__} {exc})", where) from None

    @classmethod
    def _from_arrays(cls, info: dict, a: dict[str, np.ndarray]) -> ThemeClassifier:
        bundled = load_codebook()
        if info["codebook_fingerprint"] == bundled.fingerprint:
            cb, cb_param = bundled, None
        else:
            cb = parse_codebook(info["codebook_text"], info.get("codebook_source"))
            cb_param = cb
        params = dict(info["params"])
        for key in ("char_ngrams", "word_ngrams"):
            if params.get(key) is not None:
                params[key] = tuple(params[key])
        params["codebook"] = cb_param
        model = cls(**params)
        model.themes_ = list(info["themes"])
        model.codebook_ = cb
        model.vectorizer_ = NgramTfidf.from_arrays(params, a)
        model.coef_ = a["coef"]
        model.intercept_ = a["intercept"]
        model.platt_ = a["platt"]
        model.thresholds_ = a["thresholds"]
        model.n_train_ = int(info.get("n_train", 0))
        model.meta_ = info
        return model

    @classmethod
    def pretrained(cls) -> ThemeClassifier:
        """The model shipped in the package (refitted from the bundled training data if it is stale)."""
        return copy.copy(_pretrained())  # shallow: fit()/set_params() rebind, never mutate shared arrays


def _fit_bundled() -> ThemeClassifier:
    train = data_path(TRAIN_FILE)
    if not train.is_file():
        raise TextmineError("the bundled training data is missing", str(train))
    df = read_labeled(train)
    return ThemeClassifier(**PRETRAINED_PARAMS).fit(df["text"].tolist(), df["themes"].tolist())


@lru_cache(maxsize=1)
def _pretrained() -> ThemeClassifier:
    train, shipped = data_path(TRAIN_FILE), data_path(PRETRAINED_FILE)
    digest = training_digest(train, PRETRAINED_PARAMS) if train.is_file() else None
    try:
        model = ThemeClassifier.load(shipped)
        if digest is None or model.meta_.get("training_digest") == digest:
            return model
        log.info("shipped theme model is older than the bundled training data; refitting")
    except TextmineError as exc:
        log.info("shipped theme model not usable (%s); refitting", exc)
    return _fit_bundled()


def clear_pretrained_cache() -> None:
    """Forget the shipped model loaded in this process (the next ``pretrained()`` reads or refits it)."""
    _pretrained.cache_clear()


def build_pretrained(out: str | Path | None = None) -> ThemeClassifier:
    """Fit the shipped model on the bundled training data and write it (default: into the package)."""
    model = _fit_bundled()
    model.save(out or data_path(PRETRAINED_FILE),
               training_digest=training_digest(data_path(TRAIN_FILE), PRETRAINED_PARAMS))
    _pretrained.cache_clear()
    return model
