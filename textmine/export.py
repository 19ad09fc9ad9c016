"""Exports of labeled statements (CSV, JSONL, Parquet, spaCy DocBin, Label Studio, doccano) and the way back.

Every export carries text, role, themes, scores, agency, year and doc_id. ``import_labels`` reads a
Label Studio or doccano export into the labeled JSONL that ``textmine train`` / ``evaluate`` take.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import TextmineError
from .resources import read_user_text, safe_json

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

FORMATS = ("csv", "jsonl", "parquet", "spacy", "label-studio", "doccano")
ROLES = ("problem", "measure", "rectification")
COLUMNS = ["doc_id", "statement_id", "agency", "agency_id", "year", "role", "themes", "scores", "text", "subsection"]


# A cell a spreadsheet would run as a formula (OWASP "CSV injection"): statement text is third-party
# text, and "=HYPERLINK(…)" or "-2+3" at its start must stay text. The quote is what Excel, LibreOffice
# and Google Sheets show as "this is text"; the labels reader strips it again.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """``value`` with a ``'`` in front when a spreadsheet would take it for a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _labels(codebook=None) -> list[tuple[str, str]]:
    from .codebook import load_codebook

    cb = load_codebook(codebook)
    return [(t.id, t.zh) for t in cb.themes] + [("other", "其他")]


def _records(st: pd.DataFrame) -> list[dict]:
    import pandas as pd

    out = []
    for r in st[COLUMNS].itertuples(index=False):
        d = r._asdict()
        d["year"] = None if d["year"] is None or d["year"] is pd.NA or d["year"] != d["year"] else int(d["year"])
        d["themes"] = list(d["themes"] or [])
        d["scores"] = dict(d["scores"] or {})
        out.append(d)
    return out


def label_studio_config(codebook=None) -> str:
    """The labeling config (XML) matching the exported tasks: one role, any number of themes."""
    from xml.sax.saxutils import quoteattr  # here: it imports urllib, http and ssl (the CLI's start-up)

    roles = "\n".join(f'    <Choice value="{r}"/>' for r in ROLES)
    themes = "\n".join(f"    <Choice value={quoteattr(i)} hint={quoteattr(zh)}/>" for i, zh in _labels(codebook))
    return (
        "<View>\n  <Text name=\"text\" value=\"$text\"/>\n  <Header value=\"Role\"/>\n"
        f"  <Choices name=\"role\" toName=\"text\" choice=\"single\" showInLine=\"true\">\n{roles}\n  </Choices>\n"
        "  <Header value=\"Themes\"/>\n"
        f"  <Choices name=\"themes\" toName=\"text\" choice=\"multiple\">\n{themes}\n  </Choices>\n</View>\n"
    )


def export_statements(st: pd.DataFrame, fmt: str, out: str | os.PathLike, codebook=None) -> list[Path]:
    """Write the statements frame in ``fmt``; returns the files written."""
    if fmt not in FORMATS:
        raise TextmineError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    recs = _records(st)
    if fmt == "csv":
        import pandas as pd

        df = st[COLUMNS].copy()
        df["themes"] = df["themes"].map(lambda t: ";".join(t or []))
        df["scores"] = df["scores"].map(lambda s: json.dumps(s or {}, ensure_ascii=False))
        for col in df.columns:
            if pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col]):
                df[col] = df[col].map(csv_safe)
        df.to_csv(out, index=False, encoding="utf-8")
        return [out]
    if fmt == "parquet":
        df = st[COLUMNS].copy()
        df["scores"] = df["scores"].map(lambda s: json.dumps(s or {}, ensure_ascii=False))
        df.to_parquet(out, index=False)
        return [out]
    if fmt == "jsonl":
        with open(out, "w", encoding="utf-8") as fh:
            for r in recs:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        return [out]
    if fmt == "doccano":
        with open(out, "w", encoding="utf-8") as fh:
            for r in recs:
                row = {"text": r["text"], "label": r["themes"] + ([f"role:{r['role']}"] if r["role"] else []),
                       "meta": {k: r[k] for k in ("doc_id", "statement_id", "agency", "year", "role", "scores")}}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return [out]
    if fmt == "label-studio":
        from . import __version__

        tasks = []
        for r in recs:
            score = max(r["scores"].values()) if r["scores"] else None
            result = [{"from_name": "themes", "to_name": "text", "type": "choices",
                       "value": {"choices": r["themes"]}}]
            if r["role"]:
                result.append({"from_name": "role", "to_name": "text", "type": "choices",
                               "value": {"choices": [r["role"]]}})
            tasks.append({
                "data": {"text": r["text"], **{k: r[k] for k in ("doc_id", "statement_id", "agency", "year")}},
                "predictions": [{"model_version": f"textmine-{__version__}", "score": score, "result": result}],
            })
        out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
        config = out.with_name(out.stem + ".label_config.xml")
        config.write_text(label_studio_config(codebook), encoding="utf-8")
        return [out, config]
    # spaCy DocBin: one Doc per statement, doc.cats over every label, metadata in user_data.
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("zh")  # character segmentation: no model or dictionary download
    labels = [i for i, _ in _labels(codebook)]
    db = DocBin(store_user_data=True)
    for r in recs:
        doc = nlp.make_doc(r["text"])
        doc.cats = {lab: float(lab in r["themes"]) for lab in labels}
        doc.user_data.update({k: r[k] for k in ("doc_id", "statement_id", "agency", "year", "role")})
        db.add(doc)
    db.to_disk(out)
    return [out]


def import_labels(path: str | os.PathLike, out: str | os.PathLike | None = None) -> list[dict]:
    """Read a Label Studio JSON export or a doccano JSONL export into labeled rows
    ``{"text", "themes", "role"}`` (rows nobody labeled are skipped); write them as JSONL to ``out``."""
    p = Path(path)
    if not p.exists():
        raise TextmineError("no such file", str(p))
    text = read_user_text(p, "annotation export", max_mb=500).strip()
    rows: list[dict] = []
    try:
        if text.startswith("["):
            rows = _from_label_studio(safe_json(text, str(p)))
        else:
            rows = _from_doccano([safe_json(line, str(p)) for line in text.splitlines() if line.strip()])
    except (json.JSONDecodeError, AttributeError, TypeError, KeyError) as exc:
        raise TextmineError(f"not a Label Studio or doccano export ({exc.__class__.__name__})", str(p)) from None
    if out is not None:
        with open(out, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return rows


def _from_label_studio(tasks: Sequence[dict]) -> list[dict]:
    rows = []
    for task in tasks:
        anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not anns:
            continue
        result = anns[-1].get("result") or []
        themes, role = [], None
        for item in result:
            choices = (item.get("value") or {}).get("choices") or []
            if item.get("from_name") == "themes":
                themes = list(choices)
            elif item.get("from_name") == "role" and choices:
                role = choices[0]
        row = {"text": task["data"]["text"], "themes": themes or ["other"]}
        if role:
            row["role"] = role
        rows.append(row)
    return rows


def _from_doccano(lines: Sequence[dict]) -> list[dict]:
    rows = []
    for d in lines:
        labels = d.get("label", d.get("labels"))
        if labels is None:
            continue
        labels = [x if isinstance(x, str) else x[-1] for x in labels]
        role = next((x.split(":", 1)[1] for x in labels if x.startswith("role:")), None)
        themes = [x for x in labels if not x.startswith("role:")]
        row = {"text": d.get("text") or d.get("data"), "themes": themes or ["other"]}
        if role:
            row["role"] = role
        rows.append(row)
    return rows
