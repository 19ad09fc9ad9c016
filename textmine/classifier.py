"""Old home of the theme classifier, kept so user code and ``python -m textmine.classifier`` keep working.

The code lives in :mod:`textmine.themes` (estimator, evaluation, active learning, labels, features).
"""

from __future__ import annotations

from .themes.active import AgreementReport, self_train, uncertain
from .themes.estimator import (
    MODEL_FORMAT,
    PRETRAINED_FILE,
    PRETRAINED_PARAMS,
    TRAIN_FILE,
    ThemeClassifier,
    build_pretrained,
)
from .themes.evaluation import NONE, EvalReport, evaluate
from .themes.labels import parse_themes, read_labeled

__all__ = ["AgreementReport", "EvalReport", "MODEL_FORMAT", "NONE", "PRETRAINED_FILE", "PRETRAINED_PARAMS",
           "TRAIN_FILE", "ThemeClassifier", "build_pretrained", "evaluate", "parse_themes", "read_labeled",
           "self_train", "uncertain"]

if __name__ == "__main__":  # python -m textmine.classifier [OUT]: rebuild the shipped model
    import sys

    from textmine.themes.estimator import build_pretrained as _build  # the package's class, not __main__'s

    built = _build(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"theme model: {built.n_train_} statements, {built.vectorizer_.n_features} features")
