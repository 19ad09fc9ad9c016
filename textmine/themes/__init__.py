"""The theme stage: section-5 statements → codebook themes and scores.

One module per concern (each importable on its own):

- ``codebook``: the themes as validated YAML data (``data/codebook.yaml``, or your own file);
- ``rule_tagger``: the explainable rule tagger (weighted cues and guards of the codebook);
- ``labels``: theme lists from people and files, indicator matrices, precision/recall/F1;
- ``ngrams``: jieba segmentation and the TF-IDF core in numpy (``NgramTfidf``, ``jieba_segmenter``);
- ``features``: ``ThemeVectorizer``, the TF-IDF features (a scikit-learn transformer);
- ``linear``: the fitted linear model predicting in numpy, and the shipped model from the cache;
- ``estimator``: ``ThemeClassifier`` and the model shipped in the package;
- ``evaluation``: ``evaluate`` (held-out, cross-validated, backend comparison);
- ``active``: weak supervision (``self_train``) and uncertainty sampling (``uncertain``);
- ``spacy_component``: the ``textmine_themes`` spaCy pipe and a spaCy textcat backend;
- ``training``: ``train_model``, what ``textmine train`` does;
- ``stage``: ``tag_statements``, the step the report pipeline calls.

Names load on first use, so ``import textmine.themes`` stays cheap (no scikit-learn, no spaCy).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

# name -> submodule: the public face of the theme stage.
_NAMES = {
    "OTHER": "codebook", "Codebook": "codebook", "Theme": "codebook", "Cue": "codebook", "Guard": "codebook",
    "load_codebook": "codebook", "parse_codebook": "codebook", "resolve_codebook": "codebook",
    "RuleTagger": "rule_tagger", "RuleResult": "rule_tagger",
    "parse_themes": "labels", "read_labeled": "labels", "label_matrix": "labels", "label_metrics": "labels",
    "ThemeVectorizer": "features", "jieba_segmenter": "ngrams",
    "ThemeClassifier": "estimator", "PRETRAINED_PARAMS": "estimator", "PRETRAINED_FILE": "estimator",
    "TRAIN_FILE": "estimator", "build_pretrained": "estimator", "clear_pretrained_cache": "estimator",
    "training_digest": "estimator",
    "EvalReport": "evaluation", "evaluate": "evaluation",
    "AgreementReport": "active", "self_train": "active", "uncertain": "active",
    "ThemesComponent": "spacy_component", "make_themes_component": "spacy_component",
    "train_spacy_textcat": "spacy_component", "textcat_predict": "spacy_component",
    "load_labeled": "training", "train_model": "training",
    "classify": "stage", "get_classifier": "stage", "tag_statements": "stage",
    "CalibratedThemes": "calibration", "shipped_calibrated": "calibration", "cross_validate": "calibration",
    "fit_thresholds": "calibration",
}

# Explicit, for readers and linters; a test checks it lists exactly the names above.
__all__ = ["AgreementReport", "CalibratedThemes", "Codebook", "Cue", "EvalReport", "Guard", "OTHER", "PRETRAINED_FILE",
           "PRETRAINED_PARAMS", "RuleResult", "RuleTagger", "TRAIN_FILE", "Theme", "ThemeClassifier",
           "ThemeVectorizer", "ThemesComponent", "build_pretrained", "classify", "clear_pretrained_cache", "cross_validate",
           "evaluate", "fit_thresholds", "get_classifier", "jieba_segmenter", "label_matrix", "label_metrics", "load_codebook",
           "load_labeled", "make_themes_component", "parse_codebook", "parse_themes", "read_labeled",
           "resolve_codebook", "self_train", "shipped_calibrated", "tag_statements", "textcat_predict", "train_model",
           "train_spacy_textcat", "training_digest", "uncertain"]

if TYPE_CHECKING:  # pragma: no cover
    from .active import AgreementReport, self_train, uncertain
    from .calibration import CalibratedThemes, cross_validate, fit_thresholds, shipped_calibrated
    from .codebook import OTHER, Codebook, Cue, Guard, Theme, load_codebook, parse_codebook, resolve_codebook
    from .estimator import (
        PRETRAINED_FILE,
        PRETRAINED_PARAMS,
        TRAIN_FILE,
        ThemeClassifier,
        build_pretrained,
        clear_pretrained_cache,
        training_digest,
    )
    from .evaluation import EvalReport, evaluate
    from .features import ThemeVectorizer
    from .labels import label_matrix, label_metrics, parse_themes, read_labeled
    from .ngrams import jieba_segmenter
    from .rule_tagger import RuleResult, RuleTagger
    from .spacy_component import ThemesComponent, make_themes_component, textcat_predict, train_spacy_textcat
    from .stage import classify, get_classifier, tag_statements
    from .training import load_labeled, train_model


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
