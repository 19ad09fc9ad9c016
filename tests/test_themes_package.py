"""The theme stage as a package: its face, the scikit-learn contract of its parts, the spaCy Pipe idiom,
the old module paths, and a theme added by a codebook entry alone."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

import textmine.themes as themes
from textmine.resources import data_path
from textmine.themes import OTHER, RuleTagger, ThemeClassifier, ThemeVectorizer, parse_codebook, read_labeled


@pytest.fixture(scope="module")
def small() -> tuple[list[str], list[list[str]]]:
    part = read_labeled(data_path("themes/train.jsonl")).iloc[::4]
    return part["text"].tolist(), part["themes"].tolist()


@pytest.fixture(scope="module")
def fitted(small) -> ThemeClassifier:
    return ThemeClassifier(inner_cv=2).fit(*small)


def test_the_face_exports_what_it_lists() -> None:
    for name in themes.__all__:
        assert getattr(themes, name) is not None, name


def test_importing_the_face_loads_neither_sklearn_nor_spacy() -> None:
    code = "import sys, textmine.themes; print('sklearn' in sys.modules, 'spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_old_module_paths_still_work() -> None:
    import textmine.classifier as old
    import textmine.codebook
    import textmine.rules
    import textmine.spacy_themes

    assert old.ThemeClassifier is ThemeClassifier and old.evaluate is themes.evaluate
    assert textmine.rules.RuleTagger is RuleTagger
    assert textmine.codebook.load_codebook is themes.load_codebook
    assert textmine.spacy_themes.make_themes_component is themes.make_themes_component


def test_indicator_output_feeds_sklearn_metrics(fitted: ThemeClassifier, small) -> None:
    texts, gold = small
    assert list(fitted.classes_) == fitted.themes_
    Y, P = fitted.binarize(gold), fitted.predict_indicator(texts)
    assert Y.shape == P.shape == (len(texts), len(fitted.classes_)) and set(np.unique(P)) <= {0, 1}
    # The indicator rows say what predict() says, in classes_ order ("other" = no column set).
    for row, labels in zip(P, fitted.predict(texts), strict=True):
        assert [t for t, v in zip(fitted.classes_, row, strict=True) if v] == sorted(
            [t for t in labels if t != OTHER], key=fitted.themes_.index)
    assert 0.5 < f1_score(Y, P, average="micro") <= 1.0
    assert fitted.predict_indicator([]).shape == (0, len(fitted.classes_))


def test_theme_vectorizer_is_a_sklearn_transformer(small) -> None:
    texts, gold = small
    vec = ThemeVectorizer(min_df=2).fit(texts)
    X = vec.transform(texts[:5])
    assert X.shape == (5, len(vec.get_feature_names_out()))
    y = ["staffing" in g for g in gold]
    pipe = make_pipeline(ThemeVectorizer(), LinearSVC()).fit(texts, y)
    assert pipe.predict(texts[:3]).shape == (3,)


def test_model_round_trips_through_bytes(fitted: ThemeClassifier, small) -> None:
    again = ThemeClassifier.from_bytes(fitted.to_bytes())
    assert again.predict(small[0][:20]) == fitted.predict(small[0][:20])


def test_spacy_component_follows_the_pipe_idiom(fitted: ThemeClassifier, tmp_path) -> None:
    import spacy

    path = fitted.save(tmp_path / "m.npz")
    nlp = spacy.blank("zh")
    pipe = nlp.add_pipe("textmine_themes", config={"model": str(path)})
    assert "doc.cats" in nlp.get_pipe_meta("textmine_themes").assigns
    docs = [nlp.make_doc("网站栏目更新不及时。"), nlp.make_doc("无。")]
    scores = pipe.predict(docs)
    assert isinstance(scores, pd.DataFrame) and len(scores) == 2
    pipe.set_annotations(docs, scores)
    assert [d._.themes for d in docs] == fitted.predict([d.text for d in docs])
    other = spacy.blank("zh")
    other.add_pipe("textmine_themes", config={"model": str(path)}).from_bytes(pipe.to_bytes())
    text = "信息公开工作人员多为兼职，业务培训不足。"
    assert other(text).cats == pytest.approx(nlp(text).cats)


def test_a_new_theme_is_one_codebook_entry() -> None:
    """Extension without code: a theme added to the codebook YAML is tagged by the rule tagger and
    learnt by the classifier."""
    extra = themes.load_codebook().text + """
  archives:
    zh: 档案管理
    definition: Keeping the records of disclosure.
    cues:
      - {pattern: 档案, weight: 1.0}
"""
    cb = parse_codebook(extra, "with-archives")
    assert "archives" in cb.theme_ids
    assert "archives" in RuleTagger(cb).predict(["政府信息公开档案管理不规范。"])[0]


def test_all_lists_exactly_the_lazy_names() -> None:
    assert themes.__all__ == sorted(themes._NAMES)
