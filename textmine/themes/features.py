"""Features of statements: TF-IDF over character n-grams and jieba word n-grams, vectorised in numpy.

:class:`ThemeVectorizer` is the public face (a scikit-learn transformer); the estimator uses the same
:class:`NgramTfidf` core (``ngrams.py``, numpy only), whose fitted state is plain arrays so a model
saves without pickle.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

from .ngrams import JiebaSegmenter, NgramTfidf, jieba_segmenter

__all__ = ["JiebaSegmenter", "NgramTfidf", "ThemeVectorizer", "jieba_segmenter"]


class ThemeVectorizer(TransformerMixin, BaseEstimator):
    """The statement features as a scikit-learn transformer: texts in, sparse TF-IDF rows out.

    The same features :class:`textmine.themes.ThemeClassifier` learns from, usable in any scikit-learn
    pipeline (``get_feature_names_out``: ``c:`` character n-grams, ``w:`` jieba word n-grams).
    """

    def __init__(self, *, char_ngrams: tuple[int, int] | None = (1, 3), word_ngrams: tuple[int, int] | None = (1, 2),
                 min_df: int = 2, sublinear_tf: bool = True) -> None:
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf

    def fit(self, X: Iterable[str], y: Any = None) -> ThemeVectorizer:
        from .labels import as_texts

        self.tfidf_ = NgramTfidf(self.char_ngrams, self.word_ngrams, self.min_df, self.sublinear_tf).fit(as_texts(X))
        self.n_features_out_ = self.tfidf_.n_features
        return self

    def transform(self, X: Iterable[str]) -> sparse.csr_matrix:
        from sklearn.utils.validation import check_is_fitted

        from .labels import as_texts

        check_is_fitted(self, "tfidf_")
        return self.tfidf_.transform(as_texts(X))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self, "tfidf_")
        return np.asarray(self.tfidf_.feature_names(), dtype=object)
