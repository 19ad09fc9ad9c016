"""Weak supervision (a classifier trained on the rule tagger's labels, and how far the two agree) and
active learning (the statements the model is least sure about, for a coder to label next)."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from .codebook import OTHER, CodebookLike, resolve_codebook
from .estimator import ThemeClassifier
from .labels import as_texts, label_metrics
from .rule_tagger import RuleTagger


@dataclass
class AgreementReport:
    """How far the classifier trained on rule labels agrees with the rules."""

    mode: str  # "cv-5": model predictions out of fold; "in-sample" when cv < 2
    per_theme: pd.DataFrame  # theme: rules, model, both, agreement, kappa, f1
    overall: dict[str, float]
    disagreements: pd.DataFrame  # text, rules, model

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "overall": self.overall,
                "per_theme": [{"theme": t, **{k: (None if isinstance(v, float) and math.isnan(v) else v)
                                              for k, v in row.items()}}
                              for t, row in self.per_theme.to_dict("index").items()],
                "disagreements": self.disagreements.to_dict("records")}


def self_train(unlabeled_texts: Iterable[str], codebook: CodebookLike = None, *, cv: int = 5,
               random_state: int = 0, **params: Any) -> tuple[ThemeClassifier, AgreementReport]:
    """Label statements with the rule tagger, train a ThemeClassifier on them, report rules/model agreement.

    Agreement is measured on out-of-fold predictions (``cv`` folds), so it says how well the model
    generalises the rules rather than how well it memorises them. ``params`` go to ThemeClassifier.
    """
    from sklearn.metrics import cohen_kappa_score
    from sklearn.model_selection import KFold

    texts = as_texts(unlabeled_texts)
    cb = resolve_codebook(codebook)
    rule_labels = RuleTagger(cb).predict(texts)
    template = ThemeClassifier(codebook=cb, random_state=random_state, **params)
    if cv and cv >= 2 and len(texts) >= cv:
        pred: list[list[str]] = [[] for _ in texts]
        for tr, te in KFold(cv, shuffle=True, random_state=random_state).split(texts):
            m = clone(template).fit([texts[i] for i in tr], [rule_labels[i] for i in tr])
            for i, p in zip(te, m.predict([texts[i] for i in te]), strict=True):
                pred[i] = p
        mode = f"cv-{cv}"
        model = clone(template).fit(texts, rule_labels)
    else:
        model = clone(template).fit(texts, rule_labels)
        pred, mode = model.predict(texts), "in-sample"
    rows = []
    for t in cb.labels:
        r = np.array([t in ls for ls in rule_labels])
        m = np.array([t in ls for ls in pred])
        both = int((r & m).sum())
        f1 = 2 * both / (r.sum() + m.sum()) if r.sum() + m.sum() else float("nan")
        kappa = float(cohen_kappa_score(r, m)) if len(set(r.tolist()) | set(m.tolist())) > 1 else float("nan")
        rows.append({"theme": t, "rules": int(r.sum()), "model": int(m.sum()), "both": both,
                     "agreement": float((r == m).mean()) if len(r) else float("nan"), "kappa": kappa, "f1": f1})
    per = pd.DataFrame(rows).set_index("theme")
    metrics = label_metrics(rule_labels, pred, cb.labels)
    overall = {"statements": len(texts), "rule_labeled": sum(ls != [OTHER] for ls in rule_labels),
               "exact_match": metrics["exact_match"], "micro_f1": metrics["micro"]["f1"],
               "mean_kappa": float(np.nanmean(per["kappa"])) if per["kappa"].notna().any() else float("nan")}
    dis = [i for i, (a, b) in enumerate(zip(rule_labels, pred, strict=True)) if set(a) != set(b)]
    disagreements = pd.DataFrame({"index": dis, "text": [texts[i] for i in dis],
                                  "rules": [rule_labels[i] for i in dis], "model": [pred[i] for i in dis]},
                                 columns=["index", "text", "rules", "model"])
    return model, AgreementReport(mode, per, overall, disagreements)


def uncertain(model: Any, texts: Iterable[str], n: int = 50) -> pd.DataFrame:
    """The ``n`` statements the model is least sure about, for a coder to label next.

    Uncertainty is the smallest distance between a theme's probability and that theme's decision
    threshold: a statement with some theme right at its threshold could go either way. Columns:
    position (in ``texts``), text, theme (the undecided one), probability, threshold, margin, predicted.
    """
    texts_l = as_texts(texts)
    if not texts_l:
        return pd.DataFrame(columns=["position", "text", "theme", "probability", "threshold", "margin", "predicted"])
    proba = model.predict_proba(texts_l)
    themes = [c for c in proba.columns if c != OTHER]
    P = proba[themes].to_numpy()
    thr = np.asarray(getattr(model, "thresholds_", np.full(len(themes), 0.5)), dtype=float)
    dist = np.abs(P - thr[None, :])
    j = dist.argmin(axis=1)
    rows = np.arange(len(texts_l))
    margin = dist[rows, j]
    pred = model.predict(texts_l)
    frame = pd.DataFrame({"position": rows, "text": texts_l, "theme": [themes[k] for k in j],
                          "probability": P[rows, j], "threshold": thr[j], "margin": margin, "predicted": pred})
    if isinstance(texts, pd.Series):
        frame.index = texts.index
    return frame.sort_values(["margin", "position"], kind="stable").head(n)
