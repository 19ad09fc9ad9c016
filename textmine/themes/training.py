"""Training a theme model from a labeled file: what ``textmine train`` does, as one API call."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import TextmineError
from .codebook import CodebookLike
from .estimator import PRETRAINED_PARAMS, ThemeClassifier
from .labels import read_labeled


def load_labeled(path: str | os.PathLike) -> pd.DataFrame:
    """Labeled statements of a file (see :func:`read_labeled`); an error when missing or empty."""
    if not os.path.exists(path):
        raise TextmineError("no such file", str(path))
    df = read_labeled(path)
    if df.empty:
        raise TextmineError("no labeled statements in the file", str(path))
    return df


def train_model(labeled: str | os.PathLike, output: str | os.PathLike, *, codebook: CodebookLike = None,
                cv: int = 0) -> dict[str, Any]:
    """Fit a ThemeClassifier (the shipped model's parameters) on a labeled file and save it to ``output``.

    Returns the summary ``textmine train --json`` prints: model path, statements, themes and, with
    ``cv`` >= 2, the cross-validated micro-F1 of the same settings.
    """
    from .evaluation import evaluate

    df = load_labeled(labeled)
    params = dict(PRETRAINED_PARAMS)
    if codebook:
        params["codebook"] = codebook
    texts, themes = df["text"].tolist(), df["themes"].tolist()
    clf = ThemeClassifier(**params).fit(texts, themes)
    out = clf.save(output)
    summary: dict[str, Any] = {"model": str(Path(out)), "statements": int(len(df)), "themes": list(clf.themes_)}
    if cv:
        rep = evaluate(texts, themes, cv=cv, codebook=codebook)
        summary["cross_validated_micro_f1"] = round(float(rep.micro["f1"]), 4)
    return summary
