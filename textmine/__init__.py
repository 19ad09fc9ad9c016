"""textmine: text mining for Chinese government information-disclosure annual reports.

Heavy parts (pandas, scikit-learn, spaCy, pdfplumber, jieba) load only when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import TextmineError

__version__ = "0.1.0"

__all__ = ["TextmineError", "load_report", "load_document", "Report", "Corpus", "ThemeClassifier", "__version__"]

_LAZY = {
    "load_report": ("textmine.report", "load_report"),
    "Report": ("textmine.report", "Report"),
    "load_document": ("textmine.loaders", "load_document"),
    "Corpus": ("textmine.corpus", "Corpus"),
    "ThemeClassifier": ("textmine.themes.estimator", "ThemeClassifier"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .corpus import Corpus
    from .loaders import load_document
    from .report import Report, load_report
    from .themes.estimator import ThemeClassifier


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        mod, attr = _LAZY[name]
        value = getattr(importlib.import_module(mod), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'textmine' has no attribute {name!r}")
