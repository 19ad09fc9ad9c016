"""End-to-end evaluation against a folder of gold files (the format of ``shared/real-dev/gold``).

Each gold file names a report (``file``, relative to a folder above the gold folder) and lists its
section-5 statements in document order: a verbatim ``text`` snippet from the start of the unit, its
``role``, required ``themes`` and ``optional`` themes. The report is parsed, each gold statement is
matched to an unused predicted statement that contains its snippet or shares ≥ 0.6 of its character
bigrams (the rule of ``checks/score.py``), and units, roles and themes are scored. Confidence
intervals come from a bootstrap over reports, since statements of one report are not independent.
Inter-annotator agreement (Cohen's κ per theme, Krippendorff's α) compares two label files.
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import TextmineError

OTHER = "other"
NONE = "(none)"
MATCH_MIN = 0.6


def _norm(s: str | None) -> str:
    return "".join(ch for ch in (s or "") if not ch.isspace())


def overlap(a: str, b: str) -> float:
    """1 when one text contains the other, else the share of the shorter's character bigrams in the other."""
    a, b = _norm(a), _norm(b)
    if not a or not b:
        return 0.0
    if a in b or b in a:
        return 1.0
    ga = {a[i:i + 2] for i in range(len(a) - 1)}
    gb = {b[i:i + 2] for i in range(len(b) - 1)}
    small = ga if len(ga) <= len(gb) else gb
    return len(ga & gb) / max(1, len(small))


@dataclass
class GoldDoc:
    name: str
    path: Path  # the report file
    statements: list[dict]
    meta: dict = field(default_factory=dict)


def _resolve(gold_dir: Path, rel: str) -> Path:
    """Gold ``file`` paths are relative to some folder above the gold folder (the one holding shared/)."""
    for base in [gold_dir, *gold_dir.resolve().parents]:
        cand = base / rel
        if cand.exists():
            return cand
    raise TextmineError(f"report {rel!r} named in the gold files not found above {gold_dir}")


def read_gold_folder(path: str | os.PathLike) -> list[GoldDoc]:
    """Every ``*.json`` gold file of a folder, with its report path resolved."""
    gold_dir = Path(path)
    if not gold_dir.is_dir():
        raise TextmineError("not a folder of gold files", str(path))
    docs = []
    for g in sorted(gold_dir.glob("*.json")):
        try:
            d = json.loads(g.read_text(encoding="utf-8"))
            rel, statements = d["file"], d.get("statements", [])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise TextmineError(f"not a gold file ({exc.__class__.__name__}: {exc})", str(g)) from None
        docs.append(GoldDoc(g.stem, _resolve(gold_dir, rel), list(statements), dict(d.get("meta", {}))))
    if not docs:
        raise TextmineError("no gold files (*.json) in the folder", str(path))
    return docs


@dataclass
class Matched:
    """One gold statement and what the pipeline made of it (``pred_*`` are None when it was not found)."""
    doc: str
    gold_text: str
    gold_role: str
    themes: list[str]
    optional: list[str]
    pred_text: str | None = None
    pred_role: str | None = None
    pred_themes: list[str] = field(default_factory=list)


def match_statements(gold: Sequence[dict], pred: Sequence[Any], doc: str = "") -> list[Matched]:
    """Greedy matching in gold order, each predicted statement used once (as checks/score.py does)."""
    used: set[int] = set()
    out = []
    for gs in gold:
        best, bi = 0.0, None
        for i, ps in enumerate(pred):
            if i not in used:
                o = overlap(gs["text"], ps.text)
                if o > best:
                    best, bi = o, i
        m = Matched(doc, gs["text"], gs["role"], list(gs.get("themes", [])), list(gs.get("optional", [])))
        if bi is not None and best >= MATCH_MIN:
            used.add(bi)
            ps = pred[bi]
            m.pred_text, m.pred_role, m.pred_themes = ps.text, ps.role, list(ps.themes or [])
        out.append(m)
    return out


def _theme_counts(m: Matched) -> tuple[set[str], set[str], set[str]]:
    """(true positives, false positives, false negatives); optional themes are free, ``other`` ignored."""
    gold = set(m.themes) - {OTHER}
    pred = set(m.pred_themes) - {OTHER}
    allowed = gold | set(m.optional)
    return pred & gold, pred - allowed, gold - pred


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _rates(items: Sequence[Matched]) -> dict[str, float]:
    found = [m for m in items if m.pred_text is not None]
    tp = fp = fn = 0
    exact = 0
    for m in items:
        if m.pred_text is None:
            fn += len(set(m.themes) - {OTHER})
            continue
        t, f, n = _theme_counts(m)
        tp, fp, fn = tp + len(t), fp + len(f), fn + len(n)
        exact += m.pred_role == m.gold_role and not f and not n
    p, r, f1 = _prf(tp, fp, fn)
    n = len(items)
    return {"statements": n, "stmt_found": len(found) / n if n else 0.0,
            "role": sum(m.pred_role == m.gold_role for m in found) / len(found) if found else 0.0,
            "stmt_exact": exact / n if n else 0.0, "theme_precision": p, "theme_recall": r, "theme_f1": f1}


def bootstrap(by_doc: dict[str, list[Matched]], stat: Callable[[list[Matched]], dict[str, float]],
              n_boot: int = 1000, seed: int = 0, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of every rate, resampling reports with replacement."""
    rng = np.random.default_rng(seed)
    names = list(by_doc)
    if not names:
        return {}
    draws: dict[str, list[float]] = {}
    for _ in range(n_boot):
        pick = rng.integers(0, len(names), len(names))
        sample = [m for i in pick for m in by_doc[names[i]]]
        for k, v in stat(sample).items():
            draws.setdefault(k, []).append(v)
    lo, hi = (1 - level) / 2 * 100, (1 + level) / 2 * 100
    return {k: (float(np.percentile(v, lo)), float(np.percentile(v, hi))) for k, v in draws.items()
            if k != "statements"}


def per_theme(items: Sequence[Matched], by_doc: dict[str, list[Matched]] | None = None,
              n_boot: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Precision, recall, F1 and support per theme, with bootstrap intervals of F1 over reports."""
    def counts(sample: Iterable[Matched]) -> Counter[tuple[str, str]]:
        c: Counter[tuple[str, str]] = Counter()
        for m in sample:
            if m.pred_text is None:
                for t in set(m.themes) - {OTHER}:
                    c[(t, "fn")] += 1
                continue
            tp, fp, fn = _theme_counts(m)
            for kind, ts in (("tp", tp), ("fp", fp), ("fn", fn)):
                for t in ts:
                    c[(t, kind)] += 1
        return c

    c = counts(items)
    themes = sorted({t for t, _ in c})
    rows = {t: dict(zip(("precision", "recall", "f1"), _prf(c[(t, "tp")], c[(t, "fp")], c[(t, "fn")]),
                        strict=True)) | {"support": c[(t, "tp")] + c[(t, "fn")]} for t in themes}
    if by_doc:
        rng = np.random.default_rng(seed)
        names = list(by_doc)
        f1s: dict[str, list[float]] = {t: [] for t in themes}
        for _ in range(n_boot):
            pick = rng.integers(0, len(names), len(names))
            cb = counts(m for i in pick for m in by_doc[names[i]])
            for t in themes:
                f1s[t].append(_prf(cb[(t, "tp")], cb[(t, "fp")], cb[(t, "fn")])[2])
        for t in themes:
            rows[t]["f1_low"], rows[t]["f1_high"] = (float(np.percentile(f1s[t], 2.5)),
                                                     float(np.percentile(f1s[t], 97.5)))
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("theme")


def confusion(items: Sequence[Matched]) -> pd.DataFrame:
    """Rows: gold themes missed; columns: themes predicted in their place (``(none)`` when there is none).
    Optional gold themes are neither missed nor wrong; statements not found are left out."""
    from .themes.evaluation import _confusion

    found = [m for m in items if m.pred_text is not None]
    gold = [sorted(set(m.themes) - {OTHER}) for m in found]
    pred = [sorted((set(m.pred_themes) - {OTHER}) - (set(m.optional) - set(m.themes))) for m in found]
    labels = sorted({t for ts in gold + pred for t in ts} | {OTHER})
    frame = _confusion(gold, pred, labels)
    keep = [t for t in frame.index if frame.loc[t].sum() or frame[t].sum()]
    return frame.loc[keep, keep]


@dataclass
class GoldReport:
    """What ``evaluate_gold`` measured. ``to_dict()`` is the JSON of ``textmine evaluate GOLD_DIR --json``."""
    documents: int
    parsed: int
    failed: list[dict]
    rates: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    themes: pd.DataFrame
    confusion: pd.DataFrame
    matched: list[Matched]
    calibration: dict = field(default_factory=dict)
    grouped: dict = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"calibration": self.calibration, "grouped": self.grouped,
            "documents": self.documents, "parsed": self.parsed, "failed": self.failed,
            "rates": {k: round(v, 4) if isinstance(v, float) else v for k, v in self.rates.items()},
            "intervals": {k: [round(a, 4), round(b, 4)] for k, (a, b) in self.intervals.items()},
            "per_theme": [{"theme": t, **{k: (round(float(v), 4) if k != "support" else int(v))
                                         for k, v in row.items()}} for t, row in self.themes.iterrows()],
            "confusion": {g: {p: int(n) for p, n in row.items() if n} for g, row in self.confusion.iterrows()
                          if row.sum()},
        }

    def __str__(self) -> str:
        r, ci = self.rates, self.intervals
        lines = [f"{self.parsed}/{self.documents} reports parsed, {r['statements']} gold statements"]
        for k in ("stmt_found", "role", "stmt_exact", "theme_precision", "theme_recall", "theme_f1"):
            lo, hi = ci.get(k, (float("nan"), float("nan")))
            lines.append(f"  {k:16s} {r[k]:.3f}  [{lo:.3f}, {hi:.3f}]")
        g = self.grouped.get("grouped_cv")
        if g:
            (flo, fhi), (elo, ehi) = g["f1_interval"], g["stmt_exact_interval"]
            lines.append(f"thresholds refitted leave-one-agency-out ({self.grouped['groups']} agencies):")
            lines.append(f"  {'theme_f1':16s} {g['f1']:.3f}  [{flo:.3f}, {fhi:.3f}]")
            lines.append(f"  {'stmt_exact':16s} {g['stmt_exact']:.3f}  [{elo:.3f}, {ehi:.3f}]")
        return "\n".join(lines)


def evaluate_gold(path: str | os.PathLike, *, model: Any = None, n_boot: int = 1000, seed: int = 0,
                  progress: bool | None = None, grouped: str | None = None) -> GoldReport:
    """Parse every report a gold folder names and score statements, roles and themes against it.

    ``grouped`` (a regex naming the agency in a gold file name) adds ``grouped``: the shipped tagger's
    thresholds refitted leave-one-agency-out on this folder (``grouped_report``), the honest figure when
    the shipped thresholds were fitted on the same reports.
    """
    from .report import load_report

    docs = read_gold_folder(path)
    by_doc: dict[str, list[Matched]] = {}
    failed = []
    parsed = 0
    for d in docs:
        try:
            report = load_report(d.path, classifier=model)
            pred = list(report.statements)
            parsed += 1
        except TextmineError as exc:
            failed.append({"file": str(d.path), "error": str(exc)})
            pred = []
        by_doc[d.name] = match_statements(d.statements, pred, d.name)
    items = [m for ms in by_doc.values() for m in ms]
    rep = GoldReport(len(docs), parsed, failed, _rates(items), bootstrap(by_doc, _rates, n_boot, seed),
                     per_theme(items, by_doc, n_boot, seed), confusion(items), items)
    if model is None:  # the shipped thresholds: say where they were fitted and what grouped CV gave
        from .themes import shipped_calibrated

        rep.calibration = dict(getattr(shipped_calibrated(), "provenance_", {}))
    if grouped:
        rep.grouped = grouped_report(path, grouped)[0]
    return rep


# --------------------------------------------------------------------------------------------------
# Agreement between two coders


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float:
    """Cohen's κ of two binary codings of the same items (1.0 when both are constant and equal)."""
    x, y = np.asarray(a, bool), np.asarray(b, bool)
    po = float((x == y).mean()) if len(x) else 1.0
    pe = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean())) if len(x) else 1.0
    return 1.0 if pe == 1.0 else (po - pe) / (1 - pe)


def krippendorff_alpha(a: Sequence[Any], b: Sequence[Any]) -> float:
    """Krippendorff's α (nominal) for two coders, no missing values: 1 − observed / expected disagreement."""
    pairs = list(zip(a, b, strict=True))
    if not pairs:
        return 1.0
    values = Counter(v for p in pairs for v in p)
    n = 2 * len(pairs)
    d_o = sum(2 for x, y in pairs if x != y) / n
    d_e = (n * n - sum(c * c for c in values.values())) / (n * (n - 1))
    return 1.0 if d_e == 0 else 1 - d_o / d_e


def agreement(labels_a: Sequence[Sequence[str]], labels_b: Sequence[Sequence[str]],
              themes: Sequence[str] | None = None) -> dict[str, Any]:
    """κ per theme and α over all (statement, theme) decisions of two codings of the same statements."""
    if len(labels_a) != len(labels_b):
        raise TextmineError("the two label files hold different numbers of statements")
    if themes is None:
        themes = sorted({t for ls in (*labels_a, *labels_b) for t in ls})
    A = [[t in set(ls) for t in themes] for ls in labels_a]
    B = [[t in set(ls) for t in themes] for ls in labels_b]
    kappa = {t: round(cohen_kappa([r[j] for r in A], [r[j] for r in B]), 4) + 0.0 for j, t in enumerate(themes)}
    alpha = krippendorff_alpha([v for r in A for v in r], [v for r in B for v in r])
    exact = sum(set(x) == set(y) for x, y in zip(labels_a, labels_b, strict=True)) / max(1, len(labels_a))
    return {"statements": len(labels_a), "kappa": kappa, "alpha": round(alpha, 4), "exact_agreement": round(exact, 4)}


def agreement_files(path_a: str | os.PathLike, path_b: str | os.PathLike) -> dict[str, Any]:
    """Agreement of two labeled files (JSONL/CSV: ``text``, ``themes``) on the statements they share."""
    from .themes import load_labeled

    a, b = load_labeled(path_a), load_labeled(path_b)
    first = {_norm(t): th for t, th in zip(a["text"], a["themes"], strict=True)}
    second = {_norm(t): th for t, th in zip(b["text"], b["themes"], strict=True)}
    shared = [k for k in first if k in second]
    if not shared:
        raise TextmineError("the two label files share no statement (matched by text)")
    out = agreement([list(first[k]) for k in shared], [list(second[k]) for k in shared])
    out["only_in_first"], out["only_in_second"] = len(first) - len(shared), len(second) - len(shared)
    return out


class _RuleSource:
    """The rule tagger as a theme source of the pipeline (it has no probabilities, only cue scores)."""

    def __init__(self) -> None:
        from .themes import RuleTagger

        self.tagger = RuleTagger()

    def predict_proba(self, texts: Sequence[str]) -> pd.DataFrame:  # lets the stage accept it
        return self.tagger.tag_frame(texts)[[t for t in self.tagger.theme_ids]]

    def predict_with_scores(self, texts: Sequence[str]) -> list[tuple[list[str], dict[str, float]]]:
        out = []
        for r in self.tagger.tag_many(texts):
            out.append((r.themes, {t: round(float(r.scores.get(t, 0.0)), 4) for t in r.themes if t != OTHER}))
        return out


def theme_source(name: str) -> Any:
    """``rules`` (codebook cues), ``model`` (the shipped ThemeClassifier) or ``calibrated`` (the default)."""
    from .themes import ThemeClassifier, shipped_calibrated

    if name == "rules":
        return _RuleSource()
    if name == "model":
        return ThemeClassifier.pretrained()
    if name == "calibrated":
        return shipped_calibrated()
    raise TextmineError(f"unknown theme source {name!r}; expected rules, model or calibrated")


def compare_gold(path: str | os.PathLike, sources: Sequence[str], *, n_boot: int = 1000,
                 seed: int = 0) -> dict[str, GoldReport]:
    """``evaluate_gold`` once per theme source, on the same parses of the same reports."""
    return {name: evaluate_gold(path, model=theme_source(name), n_boot=n_boot, seed=seed) for name in sources}


# --------------------------------------------------------------------------------------------------
# Calibrating the shipped theme thresholds on a gold folder


def gold_units(gold_dir: str | os.PathLike) -> pd.DataFrame:
    """The pipeline's statement text for every matched gold statement of a gold folder, with its labels."""
    from .report import load_report

    rows = []
    for d in read_gold_folder(gold_dir):
        statements = list(load_report(d.path, themes=False).statements)
        for m in match_statements(d.statements, statements, d.name):
            # A gold statement the pipeline missed keeps a row (text None): it counts against "fully right".
            rows.append({"doc": d.name, "text": m.pred_text, "themes": m.themes, "optional": m.optional,
                         "template": d.meta.get("template"), "role_ok": m.pred_role == m.gold_role})
    return pd.DataFrame(rows)


def _grouped_exact(units: pd.DataFrame, found: np.ndarray, cv: dict[str, Any], n_boot: int = 1000,
                   seed: int = 0) -> tuple[float, tuple[float, float]]:
    """Share of all gold statements fully right (found, role, themes exact) under grouped-CV thresholds,
    with a 95% interval resampling reports."""
    themes, pred = cv["themes"], cv["predictions"].astype(bool)
    ok = np.zeros(len(units), dtype=bool)
    for k, i in enumerate(np.where(found)[0]):
        gold, opt = set(units["themes"].iat[i]) - {OTHER}, set(units["optional"].iat[i])
        got = {t for j, t in enumerate(themes) if pred[k, j]}
        ok[i] = bool(units["role_ok"].iat[i]) and gold <= got and not (got - gold - opt)
    docs = units["doc"].to_numpy()
    names = sorted(set(docs.tolist()))
    per = np.array([[ok[docs == d].sum(), (docs == d).sum()] for d in names])
    rng = np.random.default_rng(seed)
    draws = [per[rng.integers(0, len(names), len(names))].sum(0) for _ in range(n_boot)]
    rates = [a / b for a, b in draws]
    return float(ok.mean()), (float(np.percentile(rates, 2.5)), float(np.percentile(rates, 97.5)))


def _grouped_interval(units: pd.DataFrame, cv: dict[str, Any], n_boot: int = 1000, seed: int = 0
                      ) -> tuple[float, float]:
    """95% interval of the grouped-CV micro-F1, resampling reports."""
    themes = cv["themes"]
    pred = cv["predictions"]
    per_doc: dict[str, np.ndarray] = {}
    for i, (doc, gold, opt) in enumerate(zip(units["doc"], units["themes"], units["optional"], strict=True)):
        g = np.array([t in gold for t in themes])
        o = np.array([t in opt for t in themes])
        p = pred[i].astype(bool)
        c = np.array([(p & g).sum(), (p & ~g & ~o).sum(), (~p & g).sum()])
        per_doc[doc] = per_doc.get(doc, 0) + c
    docs = list(per_doc)
    rng = np.random.default_rng(seed)
    f1s = []
    for _ in range(n_boot):
        tp, fp, fn = sum(per_doc[docs[i]] for i in rng.integers(0, len(docs), len(docs)))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.percentile(f1s, 2.5)), float(np.percentile(f1s, 97.5))


AGENCY_GROUP = r"^[^_]+_[^-]+-([a-z]+)"  # shared/real-dev names: site_county-agency_year


def grouped_report(gold_dir: str | os.PathLike, group: str = AGENCY_GROUP) -> tuple[dict[str, Any], Any]:
    """Grouped cross-validation of the calibrated tagger on a gold folder, and the tagger fitted on all of it.

    ``group`` is a regex whose first group, applied to a gold file name, names its agency: each agency's
    statements are tagged with thresholds fitted on the others (``grouped_cv``); ``template_cv`` does the
    same by template family. ``grouped_cv.stmt_exact`` is the share of *all* gold statements fully right
    (found, right role, themes exact) under those thresholds.
    """
    import re

    from .themes.calibration import CalibratedThemes, cross_validate

    every = gold_units(gold_dir)
    found = every["text"].notna().to_numpy()
    units = every[found].reset_index(drop=True)
    groups = [(re.match(group, d) or re.match("(.*)", d)).group(1) for d in units["doc"]]
    model = CalibratedThemes()
    cv = cross_validate(model, units["text"], units["themes"], units["optional"], groups)
    by_template = cross_validate(model, units["text"], units["themes"], units["optional"],
                                 units["template"].fillna("unknown").tolist())
    model.fit(units["text"], units["themes"], units["optional"])
    summary = {k: {m: round(v, 4) for m, v in cv[k].items()} for k in ("grouped_cv", "uncalibrated")}
    summary["grouped_cv"]["f1_interval"] = [round(x, 4) for x in _grouped_interval(units, cv)]
    exact, interval = _grouped_exact(every, found, cv)
    summary["grouped_cv"]["stmt_exact"] = round(exact, 4)
    summary["grouped_cv"]["stmt_exact_interval"] = [round(x, 4) for x in interval]
    summary["template_cv"] = {m: round(v, 4) for m, v in by_template["grouped_cv"].items()}
    summary.update(statements=len(every), matched=len(units), groups=len(set(groups)))
    return summary, model


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m textmine.gold",
                                 description="Fit the per-theme thresholds on a gold folder and report "
                                             "agency-grouped cross-validation.")
    ap.add_argument("gold", help="folder of gold files (the format of shared/real-dev/gold)")
    ap.add_argument("-o", "--out", help="write the thresholds here (JSON)")
    ap.add_argument("--group", default=AGENCY_GROUP,
                    help="regex whose first group, applied to a gold file name, names its agency")
    args = ap.parse_args(argv)
    try:
        summary, model = grouped_report(args.gold, args.group)
    except TextmineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(summary, ensure_ascii=False))
    if args.out:
        model.save(args.out, fitted_on="/".join(os.path.abspath(args.gold).split(os.sep)[-2:]), **summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
