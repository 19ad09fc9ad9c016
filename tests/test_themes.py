"""Theme coding of section-5 statements: codebook data, rule tagger, ThemeClassifier, evaluation, weak
supervision, active learning and the spaCy integration.

Sentences written inline are written for these tests. The worked examples are read from the codebook
spec in ../shared (skipped when it is absent); the labeled data is the bundled train/eval JSONL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from textmine.errors import TextmineError
from textmine.resources import data_path
from textmine.themes import (
    OTHER,
    PRETRAINED_FILE,
    PRETRAINED_PARAMS,
    TRAIN_FILE,
    EvalReport,
    RuleTagger,
    ThemeClassifier,
    clear_pretrained_cache,
    evaluate,
    jieba_segmenter,
    load_codebook,
    parse_codebook,
    parse_themes,
    read_labeled,
    self_train,
    training_digest,
    uncertain,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SPEC = SHARED / "spec" / "codebook.md"
THEMES = ["awareness", "institutions", "oversight", "staffing", "timeliness", "coverage", "standardization",
          "interpretation", "engagement", "requests", "platforms", "accessibility", "security"]


@pytest.fixture(scope="module")
def train() -> pd.DataFrame:
    return read_labeled(data_path("themes/train.jsonl"))


@pytest.fixture(scope="module")
def evalset() -> pd.DataFrame:
    return read_labeled(data_path("themes/eval.jsonl"))


@pytest.fixture(scope="module")
def small(train: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """Every third training statement: enough for each theme, fast to fit."""
    part = train.iloc[::3]
    return part["text"].tolist(), part["themes"].tolist()


@pytest.fixture(scope="module")
def fitted(small) -> ThemeClassifier:
    return ThemeClassifier(inner_cv=3).fit(*small)


def worked_examples() -> list[tuple[str, str, list[str]]]:
    rows = re.findall(r"^\| (\S[^|]*?) \| (problem|measure|rectification) \| ([a-z, ]+) \|$",
                      SPEC.read_text(encoding="utf-8"), re.M)
    return [(s, r, [t.strip() for t in th.split(",")]) for s, r, th in rows]


# ---------------------------------------------------------------------------------------------------
# Codebook as data


def test_bundled_codebook_has_the_spec_themes_with_cues_and_examples() -> None:
    cb = load_codebook()
    assert cb.theme_ids == THEMES
    assert cb.labels == THEMES + [OTHER]
    for t in cb.themes:
        assert t.zh and t.en and t.definition, t.id
        assert t.cues and all(c.weight > 0 for c in t.cues), t.id
        assert len(t.examples) >= 2, t.id
    assert cb.theme("security").zh == "保密审查与信息安全"
    assert set(cb.to_frame().index) == set(THEMES)


@pytest.mark.skipif(not SPEC.exists(), reason="the codebook spec lives in ../shared")
def test_codebook_ids_and_names_match_the_spec() -> None:
    spec = SPEC.read_text(encoding="utf-8")
    rows = {k: v for k, v in re.findall(r"^\| `([a-z]+)` \| ([^|]+?) \|", spec, re.M)
            if k not in ("problem", "measure", "rectification")}  # the roles table has the same layout
    cb = load_codebook()
    assert list(rows) == cb.theme_ids
    assert {t.id: t.zh for t in cb.themes} == rows


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "cb.yaml"
    p.write_text(text, encoding="utf-8")
    return p


MINI = """
threshold: 1.0
themes:
  housing:
    zh: 住房
    en: Housing
    definition: statements about housing information
    cues:
      - {pattern: '住房|保障房', weight: 1.0}
      - {pattern: '租赁', weight: 0.5}
    guards:
      - {pattern: '住房公积金', cues: ['住房|保障房'], factor: 0}
  roads:
    zh: 道路
    en: Roads
    cues:
      - {pattern: '道路|交通', weight: 1.0}
"""


def test_a_researchers_codebook_drives_the_rule_tagger(tmp_path: Path) -> None:
    path = _write(tmp_path, MINI)
    cb = load_codebook(path)
    assert cb.theme_ids == ["housing", "roads"] and cb.source == str(path)
    tagger = RuleTagger(path)  # every entry point takes a path
    assert tagger.tag("保障房分配信息公开不够及时。").themes == ["housing"]
    assert tagger.tag("住房公积金缴存比例调整。").themes == [OTHER]  # the guard vetoes the cue
    assert tagger.tag("住房公积金缴存比例调整。").guards == {"housing": ["住房公积金"]}
    assert tagger.tag("道路改造和保障房建设。").themes == ["housing", "roads"] or \
        set(tagger.tag("道路改造和保障房建设。").themes) == {"housing", "roads"}


@pytest.mark.parametrize("text, message", [
    ("themes: {a: {cues: [{pattern: '(unclosed', weight: 1}]}}", "bad regular expression"),
    ("themes: {a: {cues: [{pattern: 'x', weight: high}]}}", "expected a number"),
    ("themes: {a: {cues: [{pattern: 'x'}], guards: [{pattern: 'y', cues: [nope]}]}}", "does not have"),
    ("themes: {other: {cues: [{pattern: 'x'}]}}", "reserved"),
    ("themes: [a, b]", "non-empty 'themes' mapping"),
    ("themes: {a: {cues: [x: 1}", "not valid YAML"),
])
def test_bad_codebooks_are_user_errors_that_name_the_file(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TextmineError, match=message) as info:
        load_codebook(path)
    assert str(path) in str(info.value)


def test_missing_codebook_file_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(TextmineError, match="not found"):
        load_codebook(tmp_path / "none.yaml")


# ---------------------------------------------------------------------------------------------------
# Rule tagger


@pytest.mark.skipif(not SPEC.exists(), reason="the codebook spec lives in ../shared")
def test_rule_tagger_codes_the_worked_examples_of_the_spec() -> None:
    tagger = RuleTagger()
    examples = worked_examples()
    assert len(examples) == 10
    for text, _role, themes in examples:
        result = tagger.tag(text)
        assert set(result.themes) == set(themes), (text, result.explain())
        for theme in themes:  # every tag is explained by cues found in the statement
            assert result.fired[theme] and result.scores[theme] >= 1.0
            assert all(e in text for e in result.evidence[theme])


# Genre rules of the cue lexicon, each in a sentence written for this test: (text, must tag, must not tag).
GENRE_RULES = [
    ("坚持以公开为常态，切实保障群众的知情权、参与权、表达权和监督权。", set(), {"oversight"}),
    ("凡需要社会公众广泛知晓或者参与的事项一律主动公开。", set(), {"accessibility"}),
    ("政策解读方式较为单一，较少运用图表、短视频等数字化方式解读。", {"interpretation"}, {"platforms"}),
    ("在办事大厅设置信息公开受理窗口，专人接收申请。", {"requests"}, set()),
    ("对本部门工作动态及时予以公开。", {"timeliness"}, set()),
    ("主动公开的信息与群众的实际需求仍有一定差距。", {"coverage"}, set()),
    ("个别干部对条例理解不够深刻。", {"awareness"}, set()),
    ("窗口人员第一时间提供咨询服务。", set(), {"timeliness"}),
    ("组织干部学习新修订的条例，准确把握各项要求。", set(), {"standardization"}),
    ("分级分类抓好业务培训。", {"staffing"}, {"standardization"}),
    ("重大决策的公众参与程度不高。", {"engagement"}, set()),
    ("年内修订出台《本局政府信息公开工作规定》。", {"institutions"}, set()),
    ("个别申请的答复速度较慢。", {"requests"}, set()),
]


@pytest.mark.parametrize("text,must,must_not", GENRE_RULES)
def test_rule_tagger_genre_rules(text: str, must: set, must_not: set) -> None:
    result = RuleTagger().tag(text)
    assert must <= set(result.themes) and not (must_not & set(result.themes)), result.explain()


def test_rule_tagger_codes_the_codebooks_own_examples() -> None:
    tagger = RuleTagger()
    for ex in load_codebook().examples():
        assert set(tagger.tag(ex.text).themes) == set(ex.themes), (ex.text, tagger.tag(ex.text).explain())


def test_guards_turn_mere_mentions_down_and_say_so() -> None:
    tagger = RuleTagger()
    # 内容 is a coverage cue, but 内容更新 is about timeliness (worked example of the spec).
    r = tagger.tag("网站部分栏目内容更新缓慢，个别栏目长期未更新。")
    assert "coverage" not in r.themes and r.scores["coverage"] == 0
    assert any("更新" in g for g in r.guards["coverage"])
    # 及时回应 answers the public: engagement, not timeliness.
    r = tagger.tag("围绕群众关心的热点问题及时回应关切。")
    assert r.themes == ["engagement"]
    assert "timeliness" not in r.themes
    # 安全生产 is a subject, not information security.
    assert "security" not in tagger.tag("公开安全生产检查结果。").themes


def test_vague_statements_and_non_statements_are_other() -> None:
    tagger = RuleTagger()
    for text in ["政务信息公开透明度需要进一步提升。", "", "2023年1月1日", "主要表现在："]:
        r = tagger.tag(text)
        assert r.themes == [OTHER], (text, r.explain())


def test_rule_tagger_frame_and_matrix_line_up() -> None:
    tagger = RuleTagger()
    texts = ["组织开展业务培训，提升工作人员业务能力。", "严格落实保密审查制度。", "无。"]
    frame = tagger.tag_frame(texts)
    assert list(frame["text"]) == texts
    assert frame.loc[0, "themes"] == ["staffing"] and frame.loc[2, "themes"] == [OTHER]
    assert frame.loc[1, "security"] >= 1.0 and frame.loc[1, "staffing"] == 0
    assert set(THEMES) <= set(frame.columns) and {"fired", "guards"} <= set(frame.columns)
    m = tagger.score_matrix(texts)
    assert m.shape == (3, len(THEMES))
    np.testing.assert_allclose(m, frame[THEMES].to_numpy())
    assert tagger.predict(texts) == list(frame["themes"])


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=60))
def test_rule_tagger_never_fails_and_other_stands_alone(text: str) -> None:
    themes = RuleTagger().tag(text).themes
    assert themes and (themes == [OTHER] or (OTHER not in themes and set(themes) <= set(THEMES)))


# ---------------------------------------------------------------------------------------------------
# Segmentation: the vectorised jieba must give jieba's words


def test_vectorised_segmentation_equals_jieba_exact_mode() -> None:
    import jieba

    texts = ["一是部分科室对主动公开工作重视不够，存在等靠思想。", "依申请公开答复文书的规范性有待加强",
             "已于2024年3月完成APP和H5页面改版", "䶮䶮𠀀龘龘测试abc12", "政务新媒体账号“僵尸号”问题已整改"]
    run = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffa-z0]+")
    for text in texts:
        folded = re.sub(r"[1-9]", "0", text.lower())
        expected = [w for r in run.findall(folded) for w in jieba.lcut(r, HMM=False)]
        assert jieba_segmenter().cut(text) == expected, text


# ---------------------------------------------------------------------------------------------------
# ThemeClassifier: the scikit-learn contract


def test_init_only_stores_params_and_clone_copies_them() -> None:
    clf = ThemeClassifier(C=2.0, char_ngrams=(1, 2), use_rules=True)
    params = clf.get_params()
    assert params["C"] == 2.0 and params["char_ngrams"] == (1, 2) and params["use_rules"] is True
    twin = clone(clf)
    assert twin is not clf and twin.get_params() == params
    assert not hasattr(twin, "coef_")
    twin.set_params(C=0.25, inner_cv=2)
    assert twin.C == 0.25 and twin.inner_cv == 2 and clf.C == 2.0


def test_unfitted_model_says_so() -> None:
    with pytest.raises(NotFittedError):
        ThemeClassifier().predict(["培训不足。"])


def test_predict_shapes_and_other(fitted: ThemeClassifier, small) -> None:
    texts = small[0][:20] + ["", "。。。", "abc"]
    pred = fitted.predict(texts)
    assert len(pred) == len(texts)
    for themes in pred:
        assert themes and (themes == [OTHER] or (OTHER not in themes and set(themes) <= set(THEMES)))
    assert pred[-3:] == [[OTHER]] * 3  # nothing to go on: no theme passes its threshold
    proba = fitted.predict_proba(texts)
    assert isinstance(proba, pd.DataFrame) and list(proba.columns) == THEMES + [OTHER]
    assert proba.shape == (len(texts), len(THEMES) + 1)
    assert ((proba >= 0) & (proba <= 1)).all().all()
    # predict is predict_proba against the tuned per-theme thresholds, strongest first
    for themes, (_, row) in zip(pred, proba.iterrows(), strict=True):
        passed = [t for t, thr in zip(THEMES, fitted.thresholds_, strict=True) if row[t] >= thr]
        assert set(themes) == (set(passed) or {OTHER})
        if len(themes) > 1:
            assert list(row[themes]) == sorted(row[themes], reverse=True)
    assert fitted.decision_function(texts).shape == (len(texts), len(THEMES))
    both = fitted.predict_with_proba(texts)
    assert both[0] == pred
    pd.testing.assert_frame_equal(both[1], proba)
    assert fitted.predict([]) == []


def test_a_statement_scores_as_its_best_sentence(fitted: ThemeClassifier) -> None:
    parts = ["信息公开工作人员多为兼职，业务培训不足。", "网站部分栏目长期未更新。", "个别申请答复超过法定期限；"]
    whole = fitted.predict_proba(["".join(parts)])
    each = fitted.predict_proba(parts)
    np.testing.assert_allclose(whole[THEMES].to_numpy()[0], each[THEMES].max().to_numpy())
    assert set(fitted.predict(["".join(parts)])[0]) - {OTHER} == set().union(*map(set, fitted.predict(parts))) - {OTHER}
    flat = clone(fitted).set_params(pool_sentences=False).fit(["加强培训。", "网站更新慢。"] * 3,
                                                             [["staffing"], ["timeliness"]] * 3)
    assert flat.decision_function(["加强培训。网站更新慢。"]).shape == (1, len(THEMES))


def test_predict_proba_keeps_a_series_index(fitted: ThemeClassifier) -> None:
    s = pd.Series(["加强业务培训。", "网站栏目更新不及时。"], index=["a", "b"])
    assert list(fitted.predict_proba(s).index) == ["a", "b"]


def test_fit_learns_the_training_data(fitted: ThemeClassifier, small) -> None:
    assert fitted.score(*small) > 0.9
    top = fitted.top_features("staffing", n=20)["feature"].tolist()  # the weights are readable
    assert len(top) == 20 and any(("培训" in f) or ("兼职" in f) or ("队伍" in f) for f in top)
    assert 0.05 <= fitted.thresholds_.min() and fitted.thresholds_.max() <= 0.95


def test_labels_are_checked_against_the_codebook(small) -> None:
    with pytest.raises(TextmineError, match="unknown theme id"):
        ThemeClassifier(inner_cv=0).fit(["一条陈述。", "另一条。"], [["staffing"], ["housing"]])
    with pytest.raises(ValueError, match="single string"):
        ThemeClassifier().fit("培训不足", [["staffing"]])


def test_pipeline_and_grid_search_work_without_a_scorer(small) -> None:
    texts, themes = small[0][:160], small[1][:160]
    strip = FunctionTransformer(lambda xs: [re.sub(r"^[一二三四五六七八九十]是", "", x) for x in xs])
    pipe = Pipeline([("strip", strip), ("clf", ThemeClassifier(inner_cv=2))]).fit(texts, themes)
    assert len(pipe.predict(texts[:5])) == 5
    grid = GridSearchCV(ThemeClassifier(inner_cv=0), {"C": [0.1, 1.0]}, cv=2).fit(texts, themes)
    assert grid.best_params_["C"] in (0.1, 1.0)
    scores = grid.cv_results_["mean_test_score"]  # ThemeClassifier.score: micro-F1
    assert scores.shape == (2,) and grid.best_score_ == scores.max()
    assert 0.3 < grid.best_score_ <= 1.0
    assert len(grid.predict(texts[:3])) == 3


def test_rule_votes_as_features(small) -> None:
    texts, themes = small
    clf = ThemeClassifier(use_rules=True, inner_cv=0).fit(texts, themes)
    plain = ThemeClassifier(inner_cv=0).fit(texts, themes)
    assert clf.coef_.shape[1] == plain.coef_.shape[1] + len(THEMES)
    assert clf.predict(["组织开展业务培训，提升工作人员业务能力。"])[0][0] == "staffing"


def test_a_researchers_codebook_defines_the_labels(tmp_path: Path) -> None:
    path = _write(tmp_path, MINI)
    texts = ["保障房分配结果公开不及时。", "公共租赁住房信息不全。", "道路施工信息发布较晚。", "交通管制信息未公开。",
             "住房保障政策解读不足。", "道路养护计划公开不够。"]
    labels = [["housing"], ["housing"], ["roads"], ["roads"], ["housing"], ["roads"]]
    clf = ThemeClassifier(codebook=str(path), inner_cv=0, min_df=1).fit(texts, labels)
    assert list(clf.predict_proba(["保障房"]).columns) == ["housing", "roads", OTHER]
    saved = clf.save(tmp_path / "m.npz")
    loaded = ThemeClassifier.load(saved)  # the codebook travels with the model
    assert loaded.themes_ == ["housing", "roads"]
    assert loaded.predict(texts) == clf.predict(texts)


# ---------------------------------------------------------------------------------------------------
# Persistence and the shipped model


def test_save_load_round_trip_is_exact_and_pickle_free(fitted: ThemeClassifier, tmp_path: Path, evalset) -> None:
    path = fitted.save(tmp_path / "model")
    assert path.suffix == ".npz"
    with np.load(path, allow_pickle=False) as z:  # plain arrays and a JSON string: no code runs on load
        meta = json.loads(str(z["meta"]))
    assert meta["themes"] == THEMES and "scikit-learn" in meta["versions"]
    loaded = ThemeClassifier.load(path)
    texts = evalset["text"].tolist()
    assert loaded.get_params() == fitted.get_params()
    assert loaded.predict(texts) == fitted.predict(texts)
    pd.testing.assert_frame_equal(loaded.predict_proba(texts), fitted.predict_proba(texts))


def test_loading_a_bad_file_is_a_user_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(TextmineError, match="not a textmine theme model"):
        ThemeClassifier.load(bad)
    with pytest.raises(TextmineError, match="not found"):
        ThemeClassifier.load(tmp_path / "missing.npz")


def test_shipped_model_was_built_from_the_bundled_data() -> None:
    # Fails when train.jsonl, the codebook or PRETRAINED_PARAMS change without `python -m textmine.classifier`.
    model = ThemeClassifier.load(data_path(PRETRAINED_FILE))
    assert model.meta_["training_digest"] == training_digest(data_path(TRAIN_FILE), PRETRAINED_PARAMS)


def test_pretrained_model_meets_the_eval_target(evalset) -> None:
    model = ThemeClassifier.pretrained()
    report = evaluate(evalset["text"].tolist(), evalset["themes"].tolist(), model)
    assert report.mode == "held-out" and report.n == len(evalset)
    # eval.jsonl is the team's own held-out file (half of it in deliberately new wording, issue #14); the
    # shipped tagger is chosen on real reports (tests/test_gold.py, test_real_dev.py), this is a floor.
    assert report.micro["f1"] >= 0.75, str(report)
    assert report.per_theme.loc[THEMES, "f1"].min() >= 0.65, str(report)


def test_pretrained_refits_deterministically_when_the_file_is_unusable(monkeypatch, tmp_path: Path,
                                                                      evalset) -> None:
    shipped = ThemeClassifier.load(data_path(PRETRAINED_FILE))
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"\x00" * 10)
    real_path = data_path

    def fake(name: str) -> Path:
        return broken if name == PRETRAINED_FILE else real_path(name)

    monkeypatch.setattr("textmine.themes.estimator.data_path", fake)
    clear_pretrained_cache()
    try:
        refit = ThemeClassifier.pretrained()
        assert not hasattr(refit, "meta_")  # fitted here, not loaded
        texts = evalset["text"].tolist()
        assert refit.predict(texts) == shipped.predict(texts)
    finally:
        clear_pretrained_cache()


def test_pretrained_returns_independent_copies() -> None:
    a, b = ThemeClassifier.pretrained(), ThemeClassifier.pretrained()
    a.set_params(C=99.0)
    assert b.C != 99.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=80), max_size=6))
def test_pretrained_handles_any_text(texts: list[str]) -> None:
    pred = ThemeClassifier.pretrained().predict(texts)
    assert len(pred) == len(texts)
    assert all(p and (p == [OTHER] or OTHER not in p) for p in pred)


# ---------------------------------------------------------------------------------------------------
# Evaluation


def test_held_out_report(fitted: ThemeClassifier, evalset) -> None:
    texts, gold = evalset["text"].tolist(), evalset["themes"].tolist()
    report = evaluate(texts, gold, fitted)
    assert isinstance(report, EvalReport) and report.backend == "sklearn" and report.mode == "held-out"
    per = report.per_theme
    assert list(per.index) == THEMES + [OTHER]
    assert {"precision", "recall", "f1", "support", "predicted"} <= set(per.columns)
    assert per["support"].sum() == sum(len(g) for g in gold)
    assert report.micro["f1"] == pytest.approx(fitted.score(texts, gold))
    assert report.macro["f1"] == pytest.approx(per["f1"].mean())
    # the confusion table counts errors only, and every wrong statement shows up in it
    wrong = report.errors
    assert len(wrong) == sum(set(p) != set(g) for p, g in zip(fitted.predict(texts), gold, strict=True))
    assert report.confusion.to_numpy().sum() >= len(wrong)
    assert np.diag(report.confusion.loc[THEMES, THEMES].to_numpy()).sum() == 0
    d = json.loads(json.dumps(report.to_dict(), ensure_ascii=False))
    assert d["micro_f1"] == pytest.approx(report.micro["f1"]) and len(d["per_theme"]) == len(THEMES) + 1
    assert "f1" in str(report).lower()


def test_confusion_pairs_missed_and_extra_themes() -> None:
    texts = ["a", "b", "c"]
    report = evaluate(texts, [["staffing"], ["platforms", "timeliness"], ["other"]], RuleTagger())
    conf = report.confusion  # the rule tagger finds nothing in these: every gold theme is missed
    assert conf.loc["staffing", "other"] == 1 and conf.loc["platforms", "other"] == 1
    assert conf.loc["other"].sum() == 0  # gold other, predicted other: no error
    assert report.backend == "rules" and report.per_theme.loc[OTHER, "predicted"] == 3


def test_cross_validated_report_and_backend_comparison(small) -> None:
    texts, gold = small[0][:120], small[1][:120]
    report = evaluate(texts, gold, cv=3, backends=["sklearn", "rules", "spacy"], spacy_iter=2)
    assert report.backend == "sklearn" and report.mode == "cv-3" and report.n == 120
    comp = report.comparison
    assert list(comp.index) == ["sklearn", "rules", "spacy"]
    assert comp.loc["rules", "mode"] == "rules" and comp.loc["spacy", "mode"] == "cv-3"
    assert ((comp["micro_f1"] >= 0) & (comp["micro_f1"] <= 1)).all()
    assert set(report.backends) == {"sklearn", "rules", "spacy"}
    assert report.backends["rules"].micro["f1"] > 0.5
    assert json.dumps(report.to_dict(), ensure_ascii=False)


def test_evaluate_rejects_bad_input(small) -> None:
    with pytest.raises(ValueError, match="gold"):
        evaluate(["x", "y"], [["staffing"]], RuleTagger())
    with pytest.raises(TextmineError, match="unknown theme"):
        evaluate(["x"], [["housing"]], RuleTagger())
    with pytest.raises(ValueError, match="unknown backend"):
        evaluate(small[0][:10], small[1][:10], backends=["bert"])


# ---------------------------------------------------------------------------------------------------
# Weak supervision and active learning


def test_self_training_reports_rule_model_agreement(train) -> None:
    texts = train["text"].tolist()[::2]  # used as unlabeled statements: only the rules label them
    model, agreement = self_train(texts, cv=3, inner_cv=0)
    assert isinstance(model, ThemeClassifier) and len(model.predict(texts[:4])) == 4
    per = agreement.per_theme
    assert list(per.index) == THEMES + [OTHER]
    assert ((per["agreement"] >= 0) & (per["agreement"] <= 1)).all()
    rules = RuleTagger().predict(texts)
    assert per.loc["staffing", "rules"] == sum("staffing" in r for r in rules)
    assert agreement.mode == "cv-3" and agreement.overall["statements"] == len(texts)
    assert agreement.overall["micro_f1"] > 0.6  # the model generalises the rules it was trained on
    assert len(agreement.disagreements) == round((1 - agreement.overall["exact_match"]) * len(texts))
    assert json.dumps(agreement.to_dict(), ensure_ascii=False)


def test_uncertainty_sampling_returns_the_least_sure_statements(fitted: ThemeClassifier, evalset) -> None:
    texts = evalset["text"].tolist()
    picked = uncertain(fitted, texts, n=15)
    assert len(picked) == 15
    assert list(picked["margin"]) == sorted(picked["margin"])
    proba = fitted.predict_proba(texts)[THEMES].to_numpy()
    margins = np.abs(proba - fitted.thresholds_).min(axis=1)
    assert picked["margin"].max() <= np.sort(margins)[14] + 1e-12  # nothing less sure was left out
    row = picked.iloc[0]
    assert texts[row["position"]] == row["text"] and row["theme"] in THEMES
    assert row["margin"] == pytest.approx(abs(row["probability"] - row["threshold"]))
    assert uncertain(fitted, [], n=5).empty


# ---------------------------------------------------------------------------------------------------
# spaCy


def test_spacy_component_sets_doc_cats(fitted: ThemeClassifier, tmp_path: Path) -> None:
    import spacy

    import textmine.themes.spacy_component  # noqa: F401 - registers the factory

    path = fitted.save(tmp_path / "m.npz")
    nlp = spacy.blank("zh")
    nlp.add_pipe("textmine_themes", config={"model": str(path)})
    text = "信息公开工作人员多为兼职，业务培训不足。"
    doc = nlp(text)
    assert set(doc.cats) == set(THEMES + [OTHER])
    assert doc._.themes == fitted.predict([text])[0]
    assert doc.cats[doc._.themes[0]] == pytest.approx(fitted.predict_proba([text]).iloc[0][doc._.themes[0]])
    docs = list(nlp.pipe(["网站栏目更新不及时。", "无。"]))
    assert [d._.themes for d in docs] == fitted.predict(["网站栏目更新不及时。", "无。"])
    nlp.to_disk(tmp_path / "pipeline")
    again = spacy.load(tmp_path / "pipeline")
    assert again(text)._.themes == doc._.themes
    strict = spacy.blank("zh")
    strict.add_pipe("textmine_themes", config={"model": str(path), "threshold": 0.999})
    assert strict("。")._.themes == [OTHER]


def test_spacy_textcat_backend_trains_on_the_same_labels(small) -> None:
    from textmine.themes import textcat_predict, train_spacy_textcat

    texts, themes = small[0][:80], small[1][:80]
    nlp = train_spacy_textcat(texts, themes, n_iter=3)
    assert nlp.pipe_names == ["textcat_multilabel"]
    assert list(nlp.get_pipe("textcat_multilabel").labels) == THEMES
    pred = textcat_predict(nlp, texts[:10])
    assert len(pred) == 10 and all(p == [OTHER] or set(p) <= set(THEMES) for p in pred)
    report = evaluate(texts[:10], themes[:10], nlp)
    assert report.backend == "spacy" and report.mode == "held-out"


# ---------------------------------------------------------------------------------------------------
# Labeled files


def test_read_labeled_jsonl_and_csv(tmp_path: Path) -> None:
    j = tmp_path / "l.jsonl"
    j.write_text('{"text": "培训不足。", "themes": ["staffing"], "role": "problem"}\n\n'
                 '{"text": "无。", "themes": ["other"]}\n', encoding="utf-8")
    df = read_labeled(j)
    assert df["themes"].tolist() == [["staffing"], ["other"]] and df["role"].tolist() == ["problem", None]
    c = tmp_path / "l.csv"
    c.write_text("text,themes\n网站更新慢。,timeliness;platforms\n解读单一。,\"[\"\"interpretation\"\"]\"\n",
                 encoding="utf-8")
    assert read_labeled(c)["themes"].tolist() == [["timeliness", "platforms"], ["interpretation"]]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "a", "themes": []}\n{oops\n', encoding="utf-8")
    with pytest.raises(TextmineError, match="line 2"):
        read_labeled(bad)
    nocol = tmp_path / "nocol.csv"
    nocol.write_text("sentence\nx\n", encoding="utf-8")
    with pytest.raises(TextmineError, match="columns text and themes"):
        read_labeled(nocol)


@pytest.mark.parametrize("value, expected", [
    (["a", "b"], ["a", "b"]), ("a;b", ["a", "b"]), ("a, b", ["a", "b"]), ('["a"]', ["a"]), ("", []), (None, []),
])
def test_parse_themes(value, expected) -> None:
    assert parse_themes(value) == expected


def test_codebook_text_round_trips_through_parse() -> None:
    cb = load_codebook()
    again = parse_codebook(cb.text, "copy")
    assert again.theme_ids == cb.theme_ids and again.fingerprint == cb.fingerprint


def _cue_patterns() -> list[str]:
    book = load_codebook()
    return sorted({x.pattern for t in book.themes for x in [*t.cues, *t.guards]})


_CUE_CHARS = sorted({ch for p in _cue_patterns() for ch in p if "\u4e00" <= ch <= "\u9fff"})


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(_cue_patterns()),
       st.lists(st.sampled_from(_CUE_CHARS + list("，。；、 12ab")), max_size=50).map("".join))
def test_the_taggers_searches_find_each_cues_own_match(pattern: str, text: str) -> None:
    # The tagger searches each cue and guard only where it can start; the definition is the cue's regex.
    from textmine.themes.rule_tagger import _searcher

    regex = re.compile(pattern)
    search, group = _searcher(regex)
    want, got = regex.search(text), search(text)
    assert (got is None) == (want is None)
    if want is not None:
        assert got.group(group) == want.group() and got.span(group) == want.span()


def test_the_taggers_alternation_rules_out_the_same_themes_as_the_plain_one() -> None:
    # On the team's training and evaluation statements, and the hand-read real ones when ../shared is here.
    tagger = RuleTagger()
    texts = [json.loads(line)["text"] for name in (TRAIN_FILE, "themes/eval.jsonl")
             for line in data_path(name).read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = Path(__file__).resolve().parents[2] / "shared" / "real-dev" / "gold"
    texts += [s["text"] for f in sorted(gold.glob("*.json")) for s in json.loads(f.read_text(encoding="utf-8"))["statements"]]
    assert len(texts) > 200
    for ct in tagger._themes:
        plain = re.compile("|".join(f"(?:{c.pattern})" for c in ct.cues))
        assert ct.any.pattern.startswith("[")  # every bundled theme gets the skipping search
        assert [ct.any.search(t) is None for t in texts] == [plain.search(t) is None for t in texts]
