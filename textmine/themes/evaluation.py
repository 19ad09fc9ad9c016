"""Evaluation of theme coding: per-theme precision/recall/F1, the confusion of errors, and a comparison
of backends (the scikit-learn ThemeClassifier, spaCy's textcat, the rule tagger) on the same folds."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sklearn.base import BaseEstimator, clone

from .codebook import OTHER, Codebook, CodebookLike, resolve_codebook
from .estimator import ThemeClassifier
from .labels import as_texts, label_metrics, normalise_gold
from .rule_tagger import RuleTagger

NONE = "(none)"


def _confusion(gold: list[list[str]], pred: list[list[str]], labels: list[str]) -> pd.DataFrame:
    """Counts over wrong statements: rows = gold themes missed, columns = themes predicted in their place.

    ``(none)`` as a column: a missed gold theme with no wrong prediction beside it; as a row: a wrong
    prediction with no missed gold theme beside it.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g or [OTHER]), set(p or [OTHER])
        missed, extra = sorted(gs - ps), sorted(ps - gs)
        for m in missed or [NONE]:
            for e in extra or [NONE]:
                if (m, e) != (NONE, NONE):
                    counts[(m, e)] += 1
    axis = labels + [NONE]
    frame = pd.DataFrame(0, index=pd.Index(axis, name="gold"), columns=pd.Index(axis, name="predicted"))
    for (m, e), c in counts.items():
        frame.loc[m, e] = c
    return frame


@dataclass
class EvalReport:
    """Per-theme precision/recall/F1, averages, confusion of errors; optionally a backend comparison."""

    backend: str
    mode: str  # "held-out", "cv-5", or "rules" (no training involved)
    n: int
    per_theme: pd.DataFrame
    micro: dict[str, float]
    macro: dict[str, float]
    exact_match: float
    confusion: pd.DataFrame
    errors: pd.DataFrame
    seconds: float = 0.0
    comparison: pd.DataFrame | None = None
    backends: dict[str, EvalReport] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"backend": self.backend, "mode": self.mode, "n": self.n, "micro_precision": self.micro["precision"],
                "micro_recall": self.micro["recall"], "micro_f1": self.micro["f1"], "macro_f1": self.macro["f1"],
                "exact_match": self.exact_match, "seconds": round(self.seconds, 2)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: everything except the error list's texts is numbers and theme ids."""
        conf = self.confusion
        pairs = [{"gold": g, "predicted": p, "count": int(conf.loc[g, p])}
                 for g in conf.index for p in conf.columns if conf.loc[g, p]]
        out = {**self.summary(), "micro": self.micro, "macro": self.macro,
               "per_theme": [{"theme": t, **{k: (float(v) if k in ("precision", "recall", "f1") else int(v))
                                             for k, v in row.items()}}
                             for t, row in self.per_theme.to_dict("index").items()],
               "confusion": pairs,
               "errors": self.errors.to_dict("records")}
        if self.comparison is not None:
            out["comparison"] = self.comparison.reset_index().to_dict("records")
            out["backends"] = {k: v.to_dict() for k, v in self.backends.items() if v is not self}
        return out

    def __str__(self) -> str:
        head = (f"{self.backend} ({self.mode}, n={self.n}): micro P/R/F1 {self.micro['precision']:.3f}/"
                f"{self.micro['recall']:.3f}/{self.micro['f1']:.3f}, macro F1 {self.macro['f1']:.3f}")
        body = self.per_theme.to_string(float_format=lambda v: f"{v:.3f}")
        comp = "" if self.comparison is None else "\n\n" + self.comparison.to_string(float_format=lambda v: f"{v:.3f}")
        return f"{head}\n{body}{comp}"


def _report(backend: str, mode: str, texts: list[str], gold: list[list[str]], pred: list[list[str]],
            labels: list[str], seconds: float) -> EvalReport:
    m = label_metrics(gold, pred, labels)
    wrong = [i for i, (g, p) in enumerate(zip(gold, pred, strict=True)) if set(g) != set(p)]
    errors = pd.DataFrame({"index": wrong, "text": [texts[i] for i in wrong], "gold": [gold[i] for i in wrong],
                           "predicted": [pred[i] for i in wrong]}, columns=["index", "text", "gold", "predicted"])
    return EvalReport(backend, mode, len(texts), m["per_theme"], m["micro"], m["macro"], m["exact_match"],
                      _confusion(gold, pred, labels), errors, seconds)


def _is_spacy(model: Any) -> bool:
    return type(model).__module__.startswith("spacy") and hasattr(model, "pipe_names")


def _backend_of(model: Any) -> str:
    if model is None or isinstance(model, (BaseEstimator, str, Path)):
        return "sklearn"
    if isinstance(model, RuleTagger):
        return "rules"
    if _is_spacy(model):
        return "spacy"
    if hasattr(model, "predict"):
        return "sklearn"
    raise TypeError(f"cannot evaluate a {type(model).__name__}: expected a ThemeClassifier, RuleTagger or spaCy nlp")


def _fitted(model: Any) -> bool:
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
        return True
    except Exception:  # NotFittedError, or an estimator without fitted attributes
        return False


def evaluate(texts: Iterable[str], gold: Iterable[Any], model: Any = None, cv: int = 5, *,
             backends: Sequence[str] | None = None, codebook: CodebookLike = None, random_state: int = 0,
             spacy_iter: int = 15) -> EvalReport:
    """Per-theme precision, recall, F1 and support; micro and macro averages; a confusion of errors.

    ``model``: a fitted ThemeClassifier (or the path of a saved one), a RuleTagger or a spaCy ``nlp``
    from :func:`textmine.themes.train_spacy_textcat` is evaluated held-out on ``texts``; an unfitted
    estimator, or None (a default ThemeClassifier), is cross-validated with ``cv`` shuffled folds.
    ``backends`` (any of "sklearn", "spacy", "rules") compares backends on the same folds: the report
    is the first backend's, with ``comparison`` (one row per backend) and ``backends`` filled in.
    """
    from sklearn.model_selection import KFold

    texts = as_texts(texts)
    if isinstance(model, (str, Path)):
        model = ThemeClassifier.load(model)
    # A fitted model or a tagger brings its own codebook; otherwise the one given (or the bundled one).
    own = getattr(model, "codebook_", None) or getattr(model, "codebook", None)
    cb = resolve_codebook(codebook if codebook is not None or not isinstance(own, Codebook) else own)
    gold_l = normalise_gold(gold, cb)
    if len(gold_l) != len(texts):
        raise ValueError(f"{len(texts)} statements but {len(gold_l)} gold theme lists")
    names = list(backends) if backends else [_backend_of(model)]
    unknown = [b for b in names if b not in ("sklearn", "spacy", "rules")]
    if unknown:
        raise ValueError(f"unknown backend(s) {unknown}; choose from sklearn, spacy, rules")

    def run(name: str) -> EvalReport:
        t0 = time.perf_counter()
        given = model if model is not None and _backend_of(model) == name else None
        if name == "rules":
            tagger = given if given is not None else RuleTagger(cb)
            return _report("rules", "rules", texts, gold_l, tagger.predict(texts), cb.labels,
                           time.perf_counter() - t0)
        if name == "spacy":
            from .spacy_component import textcat_predict, train_spacy_textcat

            if given is not None:
                return _report("spacy", "held-out", texts, gold_l, textcat_predict(given, texts), cb.labels,
                               time.perf_counter() - t0)
            fit = lambda tr: train_spacy_textcat([texts[i] for i in tr], [gold_l[i] for i in tr],  # noqa: E731
                                                 n_iter=spacy_iter, codebook=cb, seed=random_state)
            predict = textcat_predict
        else:
            if given is not None and _fitted(given):
                return _report("sklearn", "held-out", texts, gold_l, given.predict(texts), cb.labels,
                               time.perf_counter() - t0)
            template = given if given is not None else ThemeClassifier(codebook=cb, random_state=random_state)
            fit = lambda tr: clone(template).fit([texts[i] for i in tr], [gold_l[i] for i in tr])  # noqa: E731
            predict = lambda m, xs: m.predict(xs)  # noqa: E731
        if not cv or cv < 2:
            raise ValueError("cross-validation needs cv >= 2 (or pass a fitted model)")
        # The same shuffled folds for every backend (same random_state), so their scores compare.
        folds = list(KFold(cv, shuffle=True, random_state=random_state).split(texts))
        pred: list[list[str]] = [[] for _ in texts]
        for tr, te in folds:
            fitted = fit(tr)
            for i, p in zip(te, predict(fitted, [texts[i] for i in te]), strict=True):
                pred[i] = p
        return _report(name, f"cv-{len(folds)}", texts, gold_l, pred, cb.labels, time.perf_counter() - t0)

    reports = {name: run(name) for name in names}
    main = reports[names[0]]
    if len(names) > 1:
        main.comparison = pd.DataFrame([r.summary() for r in reports.values()]).set_index("backend")
        main.backends = reports
    return main
