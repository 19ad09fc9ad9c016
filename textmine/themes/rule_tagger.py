"""Explainable rule tagger: weighted codebook cues with guards, for the themes of statements.

A theme's score is the sum of the weights of its distinct cues found in the statement, each weight
multiplied by the factors of the guards that match (a guard names the cues it applies to, or applies to
the whole theme). A theme is tagged when its score reaches its threshold; ``other`` when none does.
Everything the tagger knows is in the codebook YAML, so its decisions can be read and changed by
researchers, and every decision lists the cues and guards behind it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ..textutil import refers_to_groups, searcher
from .codebook import OTHER, Codebook, CodebookLike, Theme, resolve_codebook

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd


@dataclass
class RuleResult:
    themes: list[str]
    scores: dict[str, float]  # every theme with a cue found, guarded score
    fired: dict[str, list[str]]  # theme -> names of the cues found
    evidence: dict[str, list[str]] = field(default_factory=dict)  # theme -> matched text, same order as fired
    guards: dict[str, list[str]] = field(default_factory=dict)  # theme -> patterns of the guards that matched

    def to_dict(self) -> dict:
        return {"themes": self.themes, "scores": self.scores, "fired": self.fired, "evidence": self.evidence,
                "guards": self.guards}

    def explain(self) -> str:
        """One line per theme with a cue: score, cues (matched text) and guards."""
        lines = []
        for tid, score in sorted(self.scores.items(), key=lambda kv: -kv[1]):
            mark = "+" if tid in self.themes else "-"
            cues = ", ".join(f"{c}〔{e}〕" if c != e else c for c, e in zip(self.fired[tid], self.evidence[tid], strict=True))
            guard = f"  guards: {'; '.join(self.guards[tid])}" if self.guards.get(tid) else ""
            lines.append(f"{mark} {tid} {score:.2f}: {cues}{guard}")
        return "\n".join(lines) or f"- {OTHER}: no cue found"


def _searcher(regex: re.Pattern[str]) -> tuple[Callable[[str], re.Match[str] | None], int]:
    """``regex.search`` and the group of its match, or the same search tried only where it can start."""
    if regex.flags != re.UNICODE:  # compiled with flags its pattern text does not carry
        return regex.search, 0
    fast, group = searcher(regex.pattern)
    return fast.search, group


class _CompiledTheme:
    """A theme's cues prepared for the hot path: a cheap combined pre-check before the per-cue search."""

    def __init__(self, theme: Theme, threshold: float) -> None:
        self.id = theme.id
        self.cues = theme.cues
        self.guards = theme.guards
        self.threshold = theme.threshold if theme.threshold is not None else threshold
        # Most statements match no cue of most themes: one search of the alternation rules the theme out.
        # (Not with backreferences: their group numbers change inside the alternation.)
        combinable = theme.cues and not any(refers_to_groups(c.pattern) for c in theme.cues)
        self.any = searcher("|".join(f"(?:{c.pattern})" for c in theme.cues))[0] if combinable else None
        # Each search tried only where its pattern can start (same leftmost match, the cue's text in group 1).
        self.cue_search = [(c, *_searcher(c.regex)) for c in theme.cues]
        self.guard_search = [(g, _searcher(g.regex)[0]) for g in theme.guards]

    def score(self, text: str) -> tuple[float, list[str], list[str], list[str]]:
        if not self.cues or (self.any is not None and self.any.search(text) is None):
            return 0.0, [], [], []
        names, matched, weights = [], [], []
        for cue, search, group in self.cue_search:
            m = search(text)
            if m:
                names.append(cue.name)
                matched.append(m.group(group))
                weights.append(cue.weight)
        whole, guards = 1.0, []
        for g, search in self.guard_search:
            if search(text):
                guards.append(g.pattern)
                if g.cues is None:
                    whole *= g.factor
                else:
                    weights = [w * g.factor if n in g.cues else w for n, w in zip(names, weights, strict=True)]
        return round(sum(weights) * whole, 4), names, matched, guards


class RuleTagger:
    """Tag statements with codebook themes by weighted cues and guards."""

    def __init__(self, codebook: CodebookLike = None) -> None:
        self.codebook: Codebook = resolve_codebook(codebook)
        self._themes = [_CompiledTheme(t, self.codebook.threshold) for t in self.codebook.themes]

    @property
    def theme_ids(self) -> list[str]:
        return self.codebook.theme_ids

    def tag(self, text: str) -> RuleResult:
        scores, fired, evidence, guards, themes = {}, {}, {}, {}, []
        for ct in self._themes:
            score, names, matched, gs = ct.score(text)
            if not names:
                continue
            scores[ct.id], fired[ct.id], evidence[ct.id] = score, names, matched
            if gs:
                guards[ct.id] = gs
            if score >= ct.threshold:
                themes.append(ct.id)
        themes.sort(key=lambda t: -scores[t])  # strongest first, like the classifier
        return RuleResult(themes or [OTHER], scores, fired, evidence, guards)

    def tag_many(self, texts: Iterable[str]) -> list[RuleResult]:
        return [self.tag(t) for t in texts]

    def predict(self, texts: Iterable[str]) -> list[list[str]]:
        """Theme lists, the same shape as ThemeClassifier.predict (so evaluate() can compare them)."""
        return [r.themes for r in self.tag_many(texts)]

    def score_matrix(self, texts: Iterable[str]) -> np.ndarray:
        """Guarded scores, one column per theme id (codebook order): the rule votes used as features."""
        rows = []
        for text in texts:
            rows.append([ct.score(text)[0] for ct in self._themes])
        return np.asarray(rows, dtype=np.float64).reshape(-1, len(self._themes))

    def thresholds(self) -> np.ndarray:
        return np.array([ct.threshold for ct in self._themes])

    def tag_frame(self, texts: Iterable[str]) -> pd.DataFrame:
        """One row per statement: text, themes, score per theme id, fired cues and guards."""
        import pandas as pd

        texts = list(texts)
        results = self.tag_many(texts)
        frame = pd.DataFrame({"text": texts, "themes": [r.themes for r in results]})
        scores = pd.DataFrame([{t: r.scores.get(t, 0.0) for t in self.theme_ids} for r in results],
                              columns=self.theme_ids, index=frame.index)
        frame = pd.concat([frame, scores], axis=1)
        frame["fired"] = [r.fired for r in results]
        frame["guards"] = [r.guards for r in results]
        return frame
