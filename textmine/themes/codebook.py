"""The codebook of section-5 themes (spec/codebook.md), loaded from YAML data.

The bundled codebook is ``textmine/data/codebook.yaml``. Researchers can pass their own file to every
entry point that takes ``codebook=``; it is validated here so that a typo in a regex or a guard that
names a missing cue is reported as a :class:`TextmineError` with the file and the place.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..errors import TextmineError
from ..resources import data_path, file_mtime, read_user_text, safe_yaml

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

OTHER = "other"


@dataclass(frozen=True)
class Cue:
    name: str
    pattern: str
    weight: float
    regex: re.Pattern = field(repr=False, compare=False)


@dataclass(frozen=True)
class Guard:
    """When ``regex`` matches, the weight of ``cues`` (all cues of the theme when None) is multiplied by ``factor``."""

    pattern: str
    factor: float
    cues: tuple[str, ...] | None
    regex: re.Pattern = field(repr=False, compare=False)


@dataclass(frozen=True)
class Example:
    text: str
    role: str | None
    themes: tuple[str, ...]


@dataclass(frozen=True)
class Theme:
    id: str
    zh: str
    en: str
    definition: str
    cues: tuple[Cue, ...]
    guards: tuple[Guard, ...] = ()
    examples: tuple[Example, ...] = ()
    threshold: float | None = None  # None: the codebook's threshold


@dataclass(frozen=True)
class Codebook:
    themes: tuple[Theme, ...]
    threshold: float = 1.0
    other: dict[str, str] = field(default_factory=dict)
    source: str | None = None  # path of the YAML file, None for a codebook built in code
    text: str = field(default="", repr=False)  # the YAML text, kept so a saved model can rebuild it

    @property
    def theme_ids(self) -> list[str]:
        """Theme ids in codebook order, without ``other``."""
        return [t.id for t in self.themes]

    @property
    def labels(self) -> list[str]:
        """Theme ids plus ``other``: every label a statement can get."""
        return self.theme_ids + [OTHER]

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    def theme(self, theme_id: str) -> Theme:
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def examples(self) -> list[Example]:
        return [e for t in self.themes for e in t.examples]

    def to_frame(self) -> pd.DataFrame:
        """One row per theme: id, names, definition, cue and guard counts."""
        import pandas as pd

        return pd.DataFrame(
            [{"id": t.id, "zh": t.zh, "en": t.en, "definition": t.definition, "cues": len(t.cues),
              "guards": len(t.guards), "examples": len(t.examples)} for t in self.themes]
        ).set_index("id")

    def check_labels(self, themes: list[str], where: str = "") -> list[str]:
        """Validate a list of theme ids against the codebook; returns them without ``other``."""
        known = set(self.theme_ids)
        bad = [t for t in themes if t not in known and t != OTHER]
        if bad:
            raise TextmineError(f"unknown theme id(s) {', '.join(map(repr, bad))}{where}; "
                                f"the codebook has: {', '.join(self.labels)}")
        return [t for t in themes if t != OTHER]


CodebookLike = Codebook | str | Path | None


MAX_PATTERN_CHARS = 2000


def _backtracks(tree: Any, in_repeat: bool = False) -> str | None:
    """Why a parsed pattern may backtrack catastrophically, or None: a repeat inside a repeat
    ((a+)+), alternatives inside a repeat ((a|ab)*), a back-reference. Python's ``re`` has no time
    budget, so a cue from a user's codebook or a model file must be safe by shape."""
    from re import _constants as c  # the parse tree's opcodes

    for op, av in tree:
        inner, repeat = [], in_repeat  # the sub-patterns below this node, and whether they repeat
        if op in (c.GROUPREF, c.GROUPREF_EXISTS):
            return "a back-reference"
        if op in (c.MAX_REPEAT, c.MIN_REPEAT):
            many = av[1] is c.MAXREPEAT or av[1] > 1
            if many and in_repeat:
                return "a repeat inside a repeat"
            inner, repeat = [av[2]], in_repeat or many
        elif op is c.BRANCH:
            if in_repeat:
                return "alternatives inside a repeat"
            inner = av[1]
        elif op is c.SUBPATTERN:
            inner = [av[-1]]
        elif op in (c.ASSERT, c.ASSERT_NOT):
            inner = [av[1]]
        for sub in inner:
            why = _backtracks(sub, repeat)
            if why:
                return why
    return None


def _compile(pattern: Any, where: str, path: str | None, untrusted: bool = True) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise TextmineError(f"{where}: pattern must be a non-empty string", path)
    if untrusted and len(pattern) > MAX_PATTERN_CHARS:
        raise TextmineError(f"{where}: pattern of {len(pattern)} characters, over {MAX_PATTERN_CHARS}", path)
    try:
        regex = re.compile(pattern)
        why = _backtracks(re._parser.parse(pattern)) if untrusted else None
    except re.error as exc:
        raise TextmineError(f"{where}: bad regular expression {pattern!r}: {exc}", path) from None
    if why:
        raise TextmineError(f"{where}: regular expression {pattern[:60]!r} has {why} (it can take exponential "
                            "time); write the alternatives as separate cues", path)
    return regex


def _number(value: Any, where: str, path: str | None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TextmineError(f"{where}: expected a number, got {value!r}", path)
    return float(value)


def _cues(items: Any, where: str, path: str | None, untrusted: bool = True) -> tuple[Cue, ...]:
    if not isinstance(items, list):
        raise TextmineError(f"{where}: expected a list of cues", path)
    out = []
    for i, c in enumerate(items):
        w = f"{where}[{i}]"
        if not isinstance(c, dict) or "pattern" not in c:
            raise TextmineError(f"{w}: a cue needs a pattern (and a weight)", path)
        regex = _compile(c["pattern"], w, path, untrusted)
        out.append(Cue(str(c.get("name") or c["pattern"]), c["pattern"], _number(c.get("weight", 1.0), w, path), regex))
    return tuple(out)


def _theme(tid: str, d: Any, path: str | None, untrusted: bool = True) -> Theme:
    where = f"themes.{tid}"
    if not isinstance(d, dict):
        raise TextmineError(f"{where}: expected a mapping", path)
    cues = _cues(d.get("cues", []), f"{where}.cues", path, untrusted)
    names = {c.name for c in cues}
    guards = []
    for i, g in enumerate(d.get("guards") or []):
        w = f"{where}.guards[{i}]"
        if not isinstance(g, dict) or "pattern" not in g:
            raise TextmineError(f"{w}: a guard needs a pattern", path)
        targets = g.get("cues")
        if targets is not None:
            targets = tuple(str(t) for t in targets)
            missing = [t for t in targets if t not in names]
            if missing:
                raise TextmineError(f"{w}: names cue(s) {missing} that theme {tid!r} does not have", path)
        guards.append(Guard(g["pattern"], _number(g.get("factor", 0.0), w, path), targets,
                            _compile(g["pattern"], w, path, untrusted)))
    examples = []
    for i, e in enumerate(d.get("examples") or []):
        if not isinstance(e, dict) or not isinstance(e.get("text"), str):
            raise TextmineError(f"{where}.examples[{i}]: an example needs a text", path)
        examples.append(Example(e["text"], e.get("role"), tuple(e.get("themes") or [tid])))
    thr = d.get("threshold")
    return Theme(tid, str(d.get("zh", tid)), str(d.get("en", tid)), str(d.get("definition", "")).strip(),
                 cues, tuple(guards), tuple(examples), None if thr is None else _number(thr, where, path))


def parse_codebook(text: str, source: str | None = None, *, untrusted: bool = True) -> Codebook:
    """Build a codebook from YAML text (``source`` names the file in error messages). Text that is not
    the bundled codebook is ``untrusted``: alias bombs, deep nesting and regexes that can backtrack
    exponentially are refused."""
    try:
        d = safe_yaml(text, source, untrusted=untrusted)
    except yaml.YAMLError as exc:
        raise TextmineError(f"not valid YAML: {str(exc).splitlines()[0]}", source) from None
    if not isinstance(d, dict) or not isinstance(d.get("themes"), dict) or not d["themes"]:
        raise TextmineError("a codebook needs a non-empty 'themes' mapping", source)
    if OTHER in d["themes"]:
        raise TextmineError(f"'{OTHER}' is reserved for statements no theme fits; do not define it as a theme",
                            source)
    themes = tuple(_theme(str(k), v, source, untrusted) for k, v in d["themes"].items())
    return Codebook(themes, _number(d.get("threshold", 1.0), "threshold", source), dict(d.get("other") or {}),
                    source, text)


@lru_cache(maxsize=8)
def _load_file(path: str, mtime: float) -> Codebook:
    text = read_user_text(path, "codebook")
    return parse_codebook(text, path, untrusted=Path(path) != data_path("codebook.yaml"))


def load_codebook(path: str | Path | None = None) -> Codebook:
    """The bundled codebook, or the researcher's YAML file at ``path``."""
    p = Path(path) if path is not None else data_path("codebook.yaml")
    return _load_file(str(p), file_mtime(p, "codebook"))


def resolve_codebook(codebook: CodebookLike) -> Codebook:
    """Accept a Codebook, a path, or None (bundled) wherever a codebook is taken."""
    return codebook if isinstance(codebook, Codebook) else load_codebook(codebook)
