"""Rules and model together, with per-theme thresholds calibrated on real labeled statements.

The cue lexicon of the codebook (the rule tagger) is precise and knows the genre's vocabulary; the
statistical model (``ThemeClassifier``, trained on the team's statements) generalises to wording no cue
names. ``CalibratedThemes`` tags a theme when either is sure enough *for that theme*:

    theme t  ⇔  rule_score_t ≥ rule_threshold_t   or   model_probability_t ≥ model_threshold_t

The two thresholds per theme are chosen on real statements (``fit``), by maximising that theme's share
of micro-F1 (true positives minus half the errors) over a small grid; optional themes of the gold
(purpose clauses) count as neither right nor wrong. ``cross_validate`` reports the figure a new agency
would see: the thresholds are fitted on the other agencies' statements (leave-one-group-out).

The shipped thresholds (``data/themes/calibration.json``) come from ``shared/real-dev`` (57 reports,
labeled by the codebook): only those numbers are kept, never the statements. Refit them with
``python -m textmine.gold GOLD_DIR -o FILE`` (textmine/gold.py).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import TextmineError
from ..resources import data_path

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

OTHER = "other"
RULE_GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2, 1.5, float("inf"))
MODEL_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, float("inf"))
DEFAULT = (1.0, 0.5)  # the rule tagger's and the model's own decisions


@dataclass
class Scores:
    """Rule scores and model probabilities of some texts, one column per theme."""
    themes: list[str]
    rules: np.ndarray
    model: np.ndarray


class CalibratedThemes:
    """A multi-label theme tagger: codebook cues OR the model, with thresholds per theme.

    ``__init__`` only stores parameters (scikit-learn style); ``thresholds_`` maps theme → (rule, model)
    after ``fit`` or ``load``. ``classes_`` are the theme ids.
    """

    def __init__(self, classifier: Any = None, tagger: Any = None) -> None:
        self.classifier = classifier
        self.tagger = tagger

    # -- parts ---------------------------------------------------------------------------------------
    def _parts(self) -> tuple[Any, Any]:
        from .rule_tagger import RuleTagger

        clf = self.classifier if self.classifier is not None else _shipped_model()
        # The package codebook, not the copy a saved model embeds: cues are data that improve on their own.
        tagger = self.tagger if self.tagger is not None else RuleTagger()
        return clf, tagger

    @property
    def classes_(self) -> list[str]:
        return list(self.thresholds_)

    def scores(self, texts: Sequence[str]) -> Scores:
        """Rule scores and model probabilities for ``texts`` (the inputs of the decision)."""
        clf, tagger = self._parts()
        themes = [t for t in tagger.theme_ids if t != OTHER]
        ids = list(tagger.theme_ids)
        texts = list(texts)
        if not texts:
            return Scores(themes, np.zeros((0, len(themes))), np.zeros((0, len(themes))))
        S = tagger.score_matrix(texts)[:, [ids.index(t) for t in themes]]
        if hasattr(clf, "proba_matrix"):  # numpy all the way (the shipped model)
            M, cols = clf.proba_matrix(texts), list(clf.themes_)
            P = np.column_stack([M[:, cols.index(t)] if t in cols else np.zeros(len(texts)) for t in themes])
        else:
            proba = clf.predict_proba(texts)
            P = np.column_stack([proba[t].to_numpy() if t in proba else np.zeros(len(texts)) for t in themes])
        return Scores(themes, S, P)

    # -- deciding ------------------------------------------------------------------------------------
    def _limits(self, themes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        th = getattr(self, "thresholds_", None) or {}
        a = np.array([th.get(t, DEFAULT)[0] for t in themes], dtype=float)
        b = np.array([th.get(t, DEFAULT)[1] for t in themes], dtype=float)
        return a, b

    def decision(self, sc: Scores) -> np.ndarray:
        """0.5 at a theme's threshold, above it when tagged: max(rule / τ_rule, p / τ_model) / 2, clipped."""
        a, b = self._limits(sc.themes)
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(np.isfinite(a), sc.rules / a, 0.0)
            m = np.where(np.isfinite(b), sc.model / b, 0.0)
        return np.clip(np.maximum(r, m) / 2, 0.0, 1.0)

    def predict_indicator(self, X: Iterable[str]) -> np.ndarray:
        """0/1 matrix, one column per ``classes_`` entry (scikit-learn's metrics take it as is)."""
        sc = self.scores(list(X))
        D = self.decision(sc)
        return (D >= 0.5).astype(int)

    def predict_with_scores(self, X: Iterable[str]) -> list[tuple[list[str], dict[str, float]]]:
        """(themes, decision scores) per text, strongest first; ``["other"]`` when no theme passes."""
        sc = self.scores(list(X))
        D = self.decision(sc)
        out = []
        for row in D:
            picked = sorted((j for j in range(len(sc.themes)) if row[j] >= 0.5), key=lambda j: -row[j])
            themes = [sc.themes[j] for j in picked] or [OTHER]
            out.append((themes, {sc.themes[j]: round(float(row[j]), 4) for j in picked}))
        return out

    def predict(self, X: Iterable[str]) -> list[list[str]]:
        return [t for t, _ in self.predict_with_scores(X)]

    def predict_proba(self, X: Iterable[str]) -> pd.DataFrame:
        """Decision scores as a frame (0.5 = the theme's threshold), for ranking and uncertainty."""
        import pandas as pd

        sc = self.scores(list(X))
        return pd.DataFrame(self.decision(sc), columns=sc.themes)

    # -- calibrating ---------------------------------------------------------------------------------
    def fit(self, X: Iterable[str], y: Sequence[Sequence[str]], optional: Sequence[Sequence[str]] | None = None,
            ) -> CalibratedThemes:
        """Choose each theme's (rule, model) thresholds on labeled statements."""
        texts = list(X)
        sc = self.scores(texts)
        self.thresholds_ = fit_thresholds(sc, y, optional)
        return self

    def save(self, path: str | os.PathLike, **provenance: Any) -> None:
        data = {"thresholds": {t: [_num(a), _num(b)] for t, (a, b) in self.thresholds_.items()},
                "provenance": provenance}
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)

    @classmethod
    def load(cls, path: str | os.PathLike, classifier: Any = None, tagger: Any = None) -> CalibratedThemes:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            th = {str(t): (_unnum(v[0]), _unnum(v[1])) for t, v in data["thresholds"].items()}
        except (OSError, ValueError, KeyError, TypeError, IndexError) as exc:
            raise TextmineError(f"not a theme calibration file ({exc.__class__.__name__})", str(path)) from None
        obj = cls(classifier, tagger)
        obj.thresholds_ = th
        obj.provenance_ = data.get("provenance", {})
        return obj


def _shipped_model() -> Any:
    """The shipped model: predicting in numpy when usable as shipped, else refitted (scikit-learn)."""
    from .linear import shipped_linear

    model = shipped_linear()
    if model is None:
        from .estimator import ThemeClassifier

        model = ThemeClassifier.pretrained()
    return model


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def _unnum(x: Any) -> float:
    return float("inf") if x is None else float(x)


def _indicator(themes: Sequence[str], labels: Sequence[Sequence[str]]) -> np.ndarray:
    return np.array([[t in set(ls) for t in themes] for ls in labels], dtype=bool).reshape(-1, len(themes))


def fit_thresholds(sc: Scores, y: Sequence[Sequence[str]], optional: Sequence[Sequence[str]] | None = None,
                   rows: np.ndarray | None = None) -> dict[str, tuple[float, float]]:
    """Per theme, the grid pair maximising true positives − (false positives + false negatives) / 2;
    ties go to the pair nearest the uncalibrated defaults."""
    G = _indicator(sc.themes, y)
    Opt = _indicator(sc.themes, optional) if optional is not None else np.zeros_like(G)
    idx = np.arange(len(G)) if rows is None else rows
    out = {}
    for j, t in enumerate(sc.themes):
        g, o, s, p = G[idx, j], Opt[idx, j], sc.rules[idx, j], sc.model[idx, j]
        best = None
        for a in RULE_GRID:
            for b in MODEL_GRID:
                pred = (s >= a) | (p >= b)
                gain = (pred & g).sum() - 0.5 * ((pred & ~g & ~o).sum() + (~pred & g).sum())
                key = (gain, -abs(min(a, 2.0) - DEFAULT[0]) - abs(min(b, 1.2) - DEFAULT[1]))
                if best is None or key > best[0]:
                    best = (key, a, b)
        out[t] = (best[1], best[2])
    return out


def micro_f1(pred: np.ndarray, G: np.ndarray, Opt: np.ndarray) -> dict[str, float]:
    tp = int((pred & G).sum())
    fp = int((pred & ~G & ~Opt).sum())
    fn = int((~pred & G).sum())
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def cross_validate(model: CalibratedThemes, texts: Sequence[str], y: Sequence[Sequence[str]],
                   optional: Sequence[Sequence[str]], groups: Sequence[str]) -> dict[str, Any]:
    """Leave-one-group-out: each group's statements tagged with thresholds fitted on the other groups."""
    sc = model.scores(list(texts))
    G, Opt = _indicator(sc.themes, y), _indicator(sc.themes, optional)
    groups = np.asarray(groups)
    pred = np.zeros_like(G)
    for g in sorted(set(groups.tolist())):
        train, test = np.where(groups != g)[0], np.where(groups == g)[0]
        probe = CalibratedThemes(model.classifier, model.tagger)
        probe.thresholds_ = fit_thresholds(sc, y, optional, rows=train)
        pred[test] = (probe.decision(Scores(sc.themes, sc.rules[test], sc.model[test])) >= 0.5)
    default = CalibratedThemes(model.classifier, model.tagger)
    default.thresholds_ = {}
    return {"grouped_cv": micro_f1(pred, G, Opt), "uncalibrated": micro_f1(default.decision(sc) >= 0.5, G, Opt),
            "predictions": pred, "themes": sc.themes}


@cache
def shipped_calibrated() -> CalibratedThemes:
    """The tagger textmine uses by default: the shipped model, the codebook, the shipped thresholds."""
    return CalibratedThemes.load(data_path("themes/calibration.json"))
