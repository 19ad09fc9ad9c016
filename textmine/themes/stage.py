"""The theme stage of the pipeline: statements → themes and scores, with a shared, lazily loaded model."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=4)
def _model(path: str | None):
    from .estimator import ThemeClassifier

    return ThemeClassifier.pretrained() if path is None else ThemeClassifier.load(path)


def get_classifier(model: Any = None) -> Any:
    """``None`` → the shipped tagger (codebook cues or the shipped model, thresholds calibrated on real
    statements: see ``calibration``); a path → a saved model; an object with predict_proba → itself."""
    if model is None:
        from .calibration import shipped_calibrated

        return shipped_calibrated()
    if isinstance(model, str):
        return _model(model)
    if hasattr(model, "predict_proba"):
        return model
    return _model(str(model))


def classify(texts: Sequence[str], model: Any = None) -> list[tuple[list[str], dict[str, float]]]:
    """(themes, scores) for each text; scores are the model's probabilities of the predicted themes."""
    if not texts:
        return []
    clf = get_classifier(model)
    if hasattr(clf, "predict_with_scores"):  # the calibrated tagger gives its decision scores itself
        return clf.predict_with_scores(list(texts))
    if hasattr(clf, "predict_with_proba"):  # one pass for both
        labels, proba = clf.predict_with_proba(list(texts))
    else:
        labels, proba = clf.predict(list(texts)), clf.predict_proba(list(texts))
    out = []
    for i, themes in enumerate(labels):
        row = proba.iloc[i]
        scores = {t: round(float(row[t]), 4) for t in themes if t in row.index}
        out.append((list(themes), scores))
    return out


def tag_statements(statements: Sequence[Any], classifier: Any = None) -> None:
    """Set ``themes`` and ``scores`` on each statement in place."""
    for st, (themes, scores) in zip(statements, classify([s.text for s in statements], classifier)):
        st.themes = themes
        st.scores = scores
