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
from .resources import read_user_text

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


def _write_csv(st: pd.DataFrame, recs: list[dict], out: Path, codebook, prefill: bool) -> list[Path]:
    import pandas as pd

    df = st[COLUMNS].copy()
    df["themes"] = df["themes"].map(lambda t: ";".join(t or []))  # CSV has no lists: the one joined column
    df["scores"] = df["scores"].map(lambda s: json.dumps(s or {}, ensure_ascii=False))
    for col in df.columns:
        if pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col]):  # pandas 3: "str"
            df[col] = df[col].map(csv_safe)
    # With a BOM: Excel reads BOM-less CSV in the locale code page (GBK on Chinese Windows) and garbles it.
    df.to_csv(out, index=False, encoding="utf-8-sig")
    return [out]


def _write_parquet(st: pd.DataFrame, recs: list[dict], out: Path, codebook, prefill: bool) -> list[Path]:
    # The store's convention: themes list<string>, scores JSON text.
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .frames import list_schema, portable

    df = st[COLUMNS].copy()
    df["scores"] = df["scores"].map(lambda s: json.dumps(s or {}, ensure_ascii=False))
    df = portable(df)
    pq.write_table(pa.Table.from_pandas(df, schema=list_schema(df), preserve_index=False), out)
    return [out]


def _write_jsonl(st: pd.DataFrame, recs: list[dict], out: Path, codebook, prefill: bool) -> list[Path]:
    with open(out, "w", encoding="utf-8") as fh:
        for r in recs:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return [out]


def _write_doccano(st: pd.DataFrame, recs: list[dict], out: Path, codebook, prefill: bool) -> list[Path]:
    # doccano has no pre-annotation slot: the model's labels go in meta, and in "label" (what
    # import-labels reads as reviewed) only when asked for with prefill.
    with open(out, "w", encoding="utf-8") as fh:
        for r in recs:
            predicted = r["themes"] + ([f"role:{r['role']}"] if r["role"] else [])
            meta = {k: r[k] for k in ("doc_id", "statement_id", "agency", "year", "role", "scores")}
            row = {"text": r["text"], "label": predicted if prefill else [],
                   "meta": {**meta, "predicted": predicted, "prefilled": prefill}}
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return [out]


def _write_label_studio(st: pd.DataFrame, recs: list[dict], out: Path, codebook, prefill: bool) -> list[Path]:
    from . import __version__

    tasks = []
    for r in recs:
        score = max(r["scores"].values()) if r["scores"] else None
        result = [{"from_name": "themes", "to_name": "text", "type": "choices", "value": {"choices": r["themes"]}}]
        if r["role"]:
            result.append({"from_name": "role", "to_name": "text", "type": "choices",
                           "value": {"choices": [r["role"]]}})
        # The model's labels are predictions (pre-annotations), never annotations: only a person makes those.
        tasks.append({
            "data": {"text": r["text"], **{k: r[k] for k in ("doc_id", "statement_id", "agency", "year")}},
            "predictions": [{"model_version": f"textmine-{__version__}", "score": score, "result": result}],
        })
    out.write_text(json.dumps(tasks, ensure_ascii=False, indent=1), encoding="utf-8")
    config = out.with_name(out.stem + ".label_config.xml")
    config.write_text(label_studio_config(codebook), encoding="utf-8")
    return [out, config]


def _write_spacy(st: pd.DataFrame, recs: list[dict], out: Path, codebook, prefill: bool) -> list[Path]:
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


WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet, "spacy": _write_spacy,
           "label-studio": _write_label_studio, "doccano": _write_doccano}


def export_statements(st: pd.DataFrame, fmt: str, out: str | os.PathLike, codebook=None, *,
                      prefill: bool = False) -> list[Path]:
    """Write the statements frame in ``fmt``; returns the files written.

    Model output is never written as a label: Label Studio gets it as ``predictions`` (never
    ``annotations``); doccano's ``label`` stays empty unless ``prefill`` (the model's labels, for the
    annotator to correct; import-labels then reads every row as labeled)."""
    if fmt not in WRITERS:
        raise TextmineError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    if out.parent and not out.parent.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
    return WRITERS[fmt](st, _records(st), out, codebook, prefill)


def parse_years(spec: str | int | Sequence[int] | None) -> tuple[int, int] | None:
    """``2020`` or ``"2020"`` → (2020, 2020); ``"2019-2021"`` → (2019, 2021); None → None."""
    if spec is None or spec == "":
        return None
    if isinstance(spec, int):
        return (spec, spec)
    if not isinstance(spec, str):
        years = sorted(int(y) for y in spec)
        return (years[0], years[-1])
    lo, sep, hi = spec.strip().partition("-")
    try:
        a, b = int(lo), int(hi) if sep else int(lo)
    except ValueError:
        raise TextmineError(f"--year takes a year or a range like 2019-2021, not {spec!r}") from None
    if a > b:
        raise TextmineError(f"--year range {spec!r} runs backwards")
    return (a, b)


def _names(spec: str | Sequence[str] | None) -> list[str]:
    if spec is None:
        return []
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    return [x.strip() for x in items if x and x.strip()]


def select_statements(st: pd.DataFrame, *, role: str | Sequence[str] | None = None,
                      theme: str | Sequence[str] | None = None, year: str | int | Sequence[int] | None = None,
                      sample: int | None = None, seed: int | None = None) -> tuple[pd.DataFrame, dict]:
    """The statements with any of the roles, any of the themes, a year in the range, then a random
    ``sample`` of them (reproducible: the seed used is returned, drawn when not given).

    Returns the rows kept and the filters as applied (what ``export --json`` reports)."""
    import random

    roles, themes, years = _names(role), _names(theme), parse_years(year)
    if set(roles) - set(ROLES):
        raise TextmineError(f"--role takes {', '.join(ROLES)}, not {', '.join(sorted(set(roles) - set(ROLES)))}")
    keep = st
    if roles:
        keep = keep[keep["role"].isin(roles)]
    if themes:
        wanted = set(themes)
        keep = keep[keep["themes"].map(lambda t: bool(wanted.intersection(t if t is not None else ())))]
    if years:
        y = keep["year"].astype("Float64")
        keep = keep[((y >= years[0]) & (y <= years[1])).fillna(False).astype(bool)]
    if sample is not None:
        if sample < 0:
            raise TextmineError(f"--sample takes a count of 0 or more, not {sample}")
        seed = random.SystemRandom().randrange(2**31) if seed is None else seed
        if sample < len(keep):
            keep = keep.sample(n=sample, random_state=seed).sort_index()
    filters = {"role": roles or None, "theme": themes or None, "year": list(years) if years else None,
               "sample": sample, "seed": seed if sample is not None else None}
    return keep.reset_index(drop=True), filters


def export(st: pd.DataFrame, fmt: str, out: str | os.PathLike, *, codebook=None, prefill: bool = False,
           role: str | Sequence[str] | None = None, theme: str | Sequence[str] | None = None,
           year: str | int | Sequence[int] | None = None, sample: int | None = None,
           seed: int | None = None) -> dict:
    """Filter the statements (:func:`select_statements`) and write them (:func:`export_statements`).

    Returns the summary ``textmine export --json`` prints: path, files, format, statements written,
    statements before the filters, and the filters."""
    if fmt not in FORMATS:
        raise TextmineError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    kept, filters = select_statements(st, role=role, theme=theme, year=year, sample=sample, seed=seed)
    files = export_statements(kept, fmt, out, codebook=codebook, prefill=prefill)
    return {"path": str(files[0]), "files": [str(f) for f in files], "format": fmt, "statements": int(len(kept)),
            "statements_before_filters": int(len(st)), "filters": filters, "prefill": prefill}


def import_labels(path: str | os.PathLike, out: str | os.PathLike | None = None) -> list[dict]:
    """Read a Label Studio export (JSON or JSON-MIN) or a doccano JSONL export into labeled rows
    ``{"text", "themes", "role"}``; write them as JSONL to ``out``. Rows nobody reviewed are skipped:
    a task with predictions but no annotation, an empty label list (which is not ``other``)."""
    return read_labels(path, out)["rows"]


def read_labels(path: str | os.PathLike, out: str | os.PathLike | None = None) -> dict:
    """:func:`import_labels` with its summary: ``rows``, ``labeled``, ``skipped`` (unreviewed), ``format``."""
    p = Path(path)
    if not p.is_file():
        raise TextmineError("no such file", str(p))
    text = read_user_text(p, "annotation export", max_mb=500).strip()
    try:
        items = json.loads(text) if text.startswith(("[", "{")) and not _is_jsonl(text) else \
            [json.loads(line) for line in text.splitlines() if line.strip()]
    except json.JSONDecodeError as exc:
        raise TextmineError(f"not a Label Studio or doccano export (invalid JSON: {exc.msg})", str(p)) from None
    except RecursionError:
        raise TextmineError("not a Label Studio or doccano export (JSON nested too deep)", str(p)) from None
    fmt = _label_format(items)
    if fmt is None:
        raise TextmineError("not a Label Studio (JSON, JSON-MIN) or doccano (JSONL) export: expected a list of "
                            "tasks with 'data', records with 'text', or JSON lines with 'text' and 'label'", str(p))
    reader = {"label-studio": _from_label_studio, "label-studio-min": _from_json_min, "doccano": _from_doccano}[fmt]
    try:
        rows = reader(items)
    except (AttributeError, TypeError, KeyError, IndexError) as exc:
        raise TextmineError(f"not a well-formed {fmt} export ({exc.__class__.__name__})", str(p)) from None
    if out is not None:
        with open(out, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    return {"rows": rows, "labeled": len(rows), "skipped": len(items) - len(rows), "format": fmt,
            "output": None if out is None else str(out)}


def _is_jsonl(text: str) -> bool:
    """Several JSON objects, one a line (doccano), rather than one JSON document."""
    lines = [x for x in text.splitlines() if x.strip()]
    if len(lines) < 2 or not lines[0].lstrip().startswith("{"):
        return False
    try:
        json.loads(lines[0])
    except json.JSONDecodeError:
        return False
    return True


def _label_format(items: object) -> str | None:
    """Which tool wrote ``items``: Label Studio JSON (tasks with ``data``), JSON-MIN (flat records with
    ``text``), doccano (records with ``text`` and ``label``/``labels``); None for anything else."""
    if isinstance(items, dict):
        items = [items]
    if not isinstance(items, list) or not items or not all(isinstance(d, dict) for d in items):
        return None
    if all(isinstance(d.get("data"), dict) and "text" in d["data"] for d in items):
        return "label-studio"
    if not all(isinstance(d.get("text"), str) for d in items):
        return None
    if all("label" in d or "labels" in d for d in items):
        return "doccano"
    return "label-studio-min"


def _row(text: str, themes: list[str], role: str | None) -> dict | None:
    """A labeled row, or None when no theme was chosen (unreviewed: an empty list is not ``other``)."""
    if not themes:
        return None
    row: dict = {"text": text, "themes": themes}
    if role:
        row["role"] = role
    return row


def _from_label_studio(tasks: Sequence[dict]) -> list[dict]:
    rows = []
    for task in tasks:
        # Only annotations are labels; predictions (what export wrote) are the model's, never read back.
        anns = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not anns:
            continue
        themes, role = [], None
        for item in anns[-1].get("result") or []:
            choices = (item.get("value") or {}).get("choices") or []
            if item.get("from_name") == "themes":
                themes = [str(c) for c in choices]
            elif item.get("from_name") == "role" and choices:
                role = choices[0]
        row = _row(task["data"]["text"], themes, role)
        if row:
            rows.append(row)
    return rows


def _choices(value: object) -> list[str]:
    """A JSON-MIN choices cell: a string (one choice), a list, or ``{"choices": [...]}`` (several)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, dict):
        return _choices(value.get("choices"))
    return [str(v) for v in value]


def _from_json_min(records: Sequence[dict]) -> list[dict]:
    rows = []
    for d in records:
        role = _choices(d.get("role"))
        row = _row(d["text"], _choices(d.get("themes")), role[0] if role else None)
        if row:
            rows.append(row)
    return rows


def _from_doccano(lines: Sequence[dict]) -> list[dict]:
    rows = []
    for d in lines:
        labels = d.get("label", d.get("labels")) or []
        labels = [x if isinstance(x, str) else x[-1] for x in labels]
        role = next((x.split(":", 1)[1] for x in labels if x.startswith("role:")), None)
        row = _row(d["text"], [x for x in labels if not x.startswith("role:")], role)
        if row:
            rows.append(row)
    return rows
