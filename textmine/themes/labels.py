"""Theme labels: statements and theme lists as given by people or files, checked against the codebook,
as indicator matrices, and scored against each other (precision, recall, F1).

Used by the estimator, evaluation and active learning alike, so all read labels one way.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import TextmineError
from ..resources import read_user_text
from .codebook import OTHER, Codebook


def as_texts(X: Any) -> list[str]:
    """The statements of ``X`` as a list of str (a single string is refused: it would be read char by char)."""
    if isinstance(X, str):
        raise ValueError("expected a list of statements, got a single string")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ValueError(f"statement {i} is {type(t).__name__}, not str")
    return texts


_SPLIT = re.compile(r"[;,|，；、\s]+")


def parse_themes(value: Any) -> list[str]:
    """A theme list from a list, a JSON list string or a ``a;b`` / ``a,b`` / ``a|b`` string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                value = json.loads(s)
            except (json.JSONDecodeError, RecursionError):
                value = _SPLIT.split(s.strip("[]").replace('"', "").replace("'", ""))
        else:
            value = _SPLIT.split(s)
    return [str(v).strip() for v in value if str(v).strip()]


def normalise_gold(gold: Any, codebook: Codebook) -> list[list[str]]:
    """Theme lists checked against the codebook; ``["other"]`` for none."""
    if isinstance(gold, str):
        raise ValueError("expected one theme list per statement, got a single string")
    return [codebook.check_labels(parse_themes(v), where=f" (statement {i})") or [OTHER]
            for i, v in enumerate(gold)]


def label_matrix(y: Any, themes: list[str], codebook: Codebook) -> np.ndarray:
    """Boolean indicator matrix of theme lists ``y``, one column per theme id of ``themes`` (``other``: none)."""
    index = {t: j for j, t in enumerate(themes)}
    gold = normalise_gold(y, codebook)
    Y = np.zeros((len(gold), len(themes)), dtype=bool)
    for i, ts in enumerate(gold):
        Y[i, [index[t] for t in ts if t != OTHER]] = True
    return Y


def read_labeled(path: str | Path) -> pd.DataFrame:
    """Labeled statements from JSONL or CSV: columns ``text``, ``themes`` (list) and ``role`` (may be None).

    CSV ``themes`` cells may be ``a;b``, ``a,b``, ``a|b`` or a JSON list.
    """
    p = Path(path)
    if not p.is_file():
        raise TextmineError("labeled file not found", str(p))
    rows: list[dict[str, Any]] = []
    if p.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for n, line in enumerate(read_user_text(p, "labeled").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TextmineError(f"line {n}: not valid JSON ({exc.msg})", str(p)) from None
            except RecursionError:
                raise TextmineError(f"line {n}: JSON nested too deep", str(p)) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise TextmineError(f"line {n}: each line needs a \"text\" string", str(p))
            rows.append({"text": rec["text"], "themes": parse_themes(rec.get("themes")), "role": rec.get("role")})
    elif p.suffix.lower() in (".csv", ".tsv"):
        try:
            df = pd.read_csv(p, sep="\t" if p.suffix.lower() == ".tsv" else ",", dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise TextmineError(f"cannot read CSV: {exc}", str(p)) from None
        if "text" not in df.columns or "themes" not in df.columns:
            raise TextmineError("a labeled CSV needs the columns text and themes", str(p))
        for rec in df.to_dict("records"):
            text = rec["text"]
            if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
                text = text[1:]  # the quote `textmine export --format csv` put before a formula-like cell
            rows.append({"text": text, "themes": parse_themes(rec["themes"]), "role": rec.get("role") or None})
    else:
        raise TextmineError("labeled data must be .jsonl or .csv", str(p))
    if not rows:
        raise TextmineError("no labeled statements", str(p))
    frame = pd.DataFrame({"text": [r["text"] for r in rows], "themes": [r["themes"] for r in rows]})
    frame["role"] = pd.Series([r["role"] for r in rows], dtype=object)  # None stays None, not NaN
    return frame


def label_metrics(gold: list[list[str]], pred: list[list[str]], labels: list[str]) -> dict[str, Any]:
    """Per-label and averaged precision/recall/F1; ``other`` counts as a label."""
    idx = {t: j for j, t in enumerate(labels)}

    def matrix(lists: list[list[str]]) -> np.ndarray:
        M = np.zeros((len(lists), len(labels)), dtype=bool)
        for i, ts in enumerate(lists):
            for t in ts or [OTHER]:
                M[i, idx[t]] = True
        return M

    G, P = matrix(gold), matrix(pred)
    tp = (G & P).sum(axis=0)
    fp = (P & ~G).sum(axis=0)
    fn = (G & ~P).sum(axis=0)

    def prf(tp_: float, fp_: float, fn_: float) -> tuple[float, float, float]:
        p = float(tp_ / (tp_ + fp_)) if tp_ + fp_ else 0.0
        r = float(tp_ / (tp_ + fn_)) if tp_ + fn_ else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    rows = []
    for j, t in enumerate(labels):
        p, r, f = prf(tp[j], fp[j], fn[j])
        rows.append({"theme": t, "precision": p, "recall": r, "f1": f, "support": int(G[:, j].sum()),
                     "predicted": int(P[:, j].sum())})
    per = pd.DataFrame(rows).set_index("theme")
    mp, mr, mf = prf(tp.sum(), fp.sum(), fn.sum())
    present = per[per["support"] > 0]
    macro = {"precision": float(present["precision"].mean()) if len(present) else 0.0,
             "recall": float(present["recall"].mean()) if len(present) else 0.0,
             "f1": float(present["f1"].mean()) if len(present) else 0.0}
    exact = float((G == P).all(axis=1).mean()) if len(G) else 0.0
    return {"per_theme": per, "micro": {"precision": mp, "recall": mr, "f1": mf}, "macro": macro,
            "exact_match": exact}
