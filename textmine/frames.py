"""Rows of the corpus frames from one JSON record: a pure function, so frames can be built in a stream.

``Corpus`` builds its pandas frames from these rows; ``textmine ingest`` writes them batch by batch into
DuckDB and Parquet without holding the corpus in memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

DOCUMENT_COLUMNS = ["doc_id", "path", "format", "agency", "agency_id", "year", "published", "level", "province",
                    "city", "county", "template", "sections_found", "n_statements", "n_findings"]
SECTION_COLUMNS = ["doc_id", "agency", "agency_id", "year", "section", "title", "inferred", "chars", "text"]
STATEMENT_COLUMNS = ["doc_id", "agency", "agency_id", "year", "level", "province", "statement_id", "order", "role",
                     "text", "themes", "scores", "subsection", "answers"]
FINDING_COLUMNS = ["doc_id", "agency", "agency_id", "year", "rule", "severity", "where", "expected", "found",
                   "message"]
TABLE_COLUMNS = ["doc_id", "agency", "agency_id", "year", "table", "row", "column", "value"]
COLUMNS = {"documents": DOCUMENT_COLUMNS, "sections": SECTION_COLUMNS, "statements": STATEMENT_COLUMNS,
           "findings": FINDING_COLUMNS, "tables": TABLE_COLUMNS}


def doc_id_of(rec: dict) -> str:
    return rec.get("doc_id") or hashlib.sha1((rec.get("source") or repr(rec.get("meta"))).encode()).hexdigest()[:12]


def record_rows(rec: dict, agency_map: Mapping[str, str] | None = None) -> dict[str, list[dict]]:
    """documents / sections / statements / findings / tables rows of one record (R6 needs the corpus)."""
    from .agencies import agency_id, level_of

    meta = rec.get("meta") or {}
    region = meta.get("region") or {}
    agency = meta.get("agency")
    did = doc_id_of(rec)
    aid = agency_id(agency, region, agency_map)
    year = meta.get("year")
    level = level_of(agency, region)
    base = {"doc_id": did, "agency": agency, "agency_id": aid, "year": year}
    doc = {
        "doc_id": did, "path": rec.get("source"), "format": rec.get("format"), "agency": agency, "agency_id": aid,
        "year": year, "published": meta.get("published"), "level": level, "province": region.get("province"),
        "city": region.get("city"), "county": region.get("county"), "template": meta.get("template"),
        "sections_found": list((rec.get("sections") or {}).keys()),
        "n_statements": len(rec.get("statements") or []), "n_findings": len(rec.get("validation") or []),
    }
    sections = [{**base, "section": key, "title": sec.get("title"), "inferred": bool(sec.get("inferred")),
                 "chars": len(sec.get("text") or ""), "text": sec.get("text")}
                for key, sec in (rec.get("sections") or {}).items()]
    statements = [{**base, "level": level, "province": region.get("province"), "statement_id": s.get("id"),
                   "order": s.get("order"), "role": s.get("role"), "text": s.get("text"),
                   "themes": list(s.get("themes") or []), "scores": dict(s.get("scores") or {}),
                   "subsection": s.get("subsection"), "answers": list(s.get("answers") or [])}
                  for s in rec.get("statements") or []]
    findings = [{**base, **{k: f.get(k) for k in ("rule", "severity", "where", "expected", "found", "message")}}
                for f in rec.get("validation") or []]
    tables = [{**base, "table": table, "row": row, "column": col, "value": value}
              for table, rows in (rec.get("tables") or {}).items()
              for row, cols in rows.items() for col, value in cols.items()]
    return {"documents": [doc], "sections": sections, "statements": statements, "findings": findings,
            "tables": tables}


def frame(name: str, rows: list[dict]):
    """A pandas frame of ``rows`` with the standard columns and dtypes of frame ``name``."""
    import pandas as pd

    df = pd.DataFrame(rows, columns=COLUMNS[name])
    df["year"] = df["year"].astype("Int64")
    if name == "tables" and len(df):
        whole = all(float(v).is_integer() for v in df["value"])
        df["value"] = df["value"].astype("Int64" if whole else "float64")
    return df


def portable(df):
    """List and dict cells as JSON text, text columns as strings: how DuckDB and Parquet keep the frames
    (a batch whose column happens to be all empty keeps the same schema)."""
    import json

    for col in df.columns:
        if df[col].dtype == object and df[col].map(lambda v: isinstance(v, (list, dict))).any():
            df[col] = df[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str))
    for col in ("expected", "found"):
        if col in df.columns:
            df[col] = df[col].map(lambda v: None if v is None else str(v))
    for col in df.columns:
        if df[col].dtype == object:
            df[col] = df[col].astype("string")
    return df
