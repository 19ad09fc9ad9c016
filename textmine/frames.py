"""The corpus frames from JSON records: one :func:`build_frames` for Corpus, ingest and one Report.

Rows come from one record at a time (:func:`record_rows`, a pure function), so frames can be built in
a stream: ``Corpus`` builds them over all its records, ``textmine ingest`` batch by batch into DuckDB
and Parquet without holding the corpus in memory. The cross-year rules see every record's
:func:`textmine.validate.cross_year_input`, collected along the way.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import shown

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

DOCUMENT_COLUMNS = ["doc_id", "path", "format", "agency", "agency_id", "year", "published", "level", "province",
                    "city", "county", "template", "sections_found", "n_statements", "n_findings"]
SECTION_COLUMNS = ["doc_id", "agency", "agency_id", "year", "section", "title", "inferred", "chars", "text"]
STATEMENT_COLUMNS = ["doc_id", "agency", "agency_id", "year", "level", "province", "statement_id", "order", "role",
                     "text", "themes", "scores", "subsection", "answers"]
FINDING_COLUMNS = ["doc_id", "agency", "agency_id", "year", "rule", "severity", "where", "expected", "found",
                   "message"]
# value: as printed (NA for a printed blank, never 0); value_derived: value, or for a blank the value the
# form's arithmetic gives (tables/derived.py); derived: True where value_derived is such a value.
TABLE_COLUMNS = ["doc_id", "agency", "agency_id", "year", "table", "row", "column", "value", "value_derived",
                 "derived"]
# The long companion of statements: one row per (statement, theme), so no one has to explode list cells.
STATEMENT_THEME_COLUMNS = ["doc_id", "statement_id", "theme", "score"]
COLUMNS = {"documents": DOCUMENT_COLUMNS, "sections": SECTION_COLUMNS, "statements": STATEMENT_COLUMNS,
           "statement_themes": STATEMENT_THEME_COLUMNS, "findings": FINDING_COLUMNS, "tables": TABLE_COLUMNS}
TABLES = ("proactive", "requests", "appeals")


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
        "doc_id": did, "path": None if rec.get("source") is None else shown(rec["source"]), "format": rec.get("format"), "agency": agency, "agency_id": aid,
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
    statement_themes = [{"doc_id": did, "statement_id": s.get("id"), "theme": t,
                         "score": (s.get("scores") or {}).get(t)}
                        for s in rec.get("statements") or [] for t in s.get("themes") or []]
    findings = [{**base, **{k: f.get(k) for k in ("rule", "severity", "where", "expected", "found", "message")}}
                for f in rec.get("validation") or []]
    tables = _table_rows(rec, base)
    return {"documents": [doc], "sections": sections, "statements": statements,
            "statement_themes": statement_themes, "findings": findings, "tables": tables}


def _table_rows(rec: dict, base: dict) -> list[dict]:
    derived = rec.get("derived") or {}
    out = []
    for table, rows in (rec.get("tables") or {}).items():
        for row, cols in rows.items():
            for col, value in cols.items():
                d = ((derived.get(table) or {}).get(row) or {}).get(col) if value is None else None
                out.append({**base, "table": table, "row": row, "column": col, "value": value,
                            "value_derived": value if d is None else d, "derived": d is not None})
    return out


@dataclass
class FrameRows:
    """The rows of every frame over some records, and what the cross-year rules see of each record."""

    rows: dict[str, list[dict]] = field(default_factory=lambda: {name: [] for name in COLUMNS})
    cross_year: list[dict] = field(default_factory=list)

    def add(self, rec: dict, agency_map: Mapping[str, str] | None = None) -> None:
        from .validate import cross_year_input

        parts = record_rows(rec, agency_map)
        for name, rows in parts.items():
            self.rows[name].extend(rows)
        self.cross_year.append(cross_year_input(dict(rec, doc_id=doc_id_of(rec)), parts["documents"][0]["agency_id"]))


def collect_rows(records: Iterable[dict], agency_map: Mapping[str, str] | None = None) -> FrameRows:
    """:class:`FrameRows` of ``records``."""
    out = FrameRows()
    for rec in records:
        out.add(rec, agency_map)
    return out


def cross_year_rows(views: Sequence[dict]) -> list[dict]:
    """Findings rows of the cross-year rules (R6, …) over the records' cross-year views."""
    from .validate import check_corpus

    return [{k: f.get(k) for k in FINDING_COLUMNS} for f in check_corpus(views)]


def build_frames(records: Iterable[dict] | FrameRows, agency_map: Mapping[str, str] | None = None, *,
                 names: Sequence[str] | None = None, cross_year: bool = True) -> dict[str, Any]:
    """The pandas frames of ``records`` (or of rows already collected): documents, sections, statements,
    statement_themes, findings (with the cross-year rules' findings unless ``cross_year`` is False:
    a streamed batch is not the whole corpus), tables, and table_proactive/requests/appeals (tidy: no
    ``table`` column). ``names`` picks some of them."""
    rows = records if isinstance(records, FrameRows) else collect_rows(records, agency_map)
    out: dict[str, Any] = {}
    for name in names or [*COLUMNS, *(f"table_{t}" for t in TABLES)]:
        if name.startswith("table_"):
            t = name.removeprefix("table_")
            out[name] = frame("tables", [r for r in rows.rows["tables"] if r["table"] == t], table=t).drop(
                columns=["table"])
        elif name == "findings" and cross_year:
            out[name] = frame(name, rows.rows[name] + cross_year_rows(rows.cross_year))
        else:
            out[name] = frame(name, rows.rows[name])
    return out


def known_sum(values: Iterable[Any]) -> int | float | None:
    """The sum of ``values``, or None when there is none or any is missing (a printed blank is NA, never
    0: a total over reports one of which left the cell blank is not known)."""
    import pandas as pd

    vals = list(values)
    if not vals or any(pd.isna(v) for v in vals):
        return None
    total = sum(vals)
    return int(total) if float(total).is_integer() else float(total)


def explode_themes(statements: pd.DataFrame) -> pd.DataFrame:
    """One row per (statement, theme) of a statements frame, without ``other`` and without undated reports."""
    df = statements.explode("themes").rename(columns={"themes": "theme"})
    return df[df["theme"].notna() & (df["theme"] != "other") & df["year"].notna()]


def complete_statements(statements: pd.DataFrame) -> pd.DataFrame:
    """A statements frame with the columns analyses rely on, for frames built by hand: ``statement_id``
    (the row's position in its report when absent), ``order``, ``agency_id`` (the agency name when absent)."""
    st = statements
    if "agency_id" not in st:
        st = st.assign(agency_id=st["agency"])
    if "order" not in st:
        st = st.assign(order=st.groupby("doc_id").cumcount())
    if "statement_id" not in st:
        st = st.assign(statement_id=["s" + str(i + 1) for i in st.groupby("doc_id").cumcount()])
    return st.assign(agency_id=st["agency_id"].fillna(st["agency"]))


# The dtype of a table's values, fixed by the form and never by the corpus at hand: tables 3 and 4 hold
# counts; table 2 also holds amounts in 万元, decimals (so does the frame of all tables).
VALUE_DTYPES = {"proactive": "Float64", "requests": "Int64", "appeals": "Int64", None: "Float64"}


def frame(name: str, rows: list[dict], table: str | None = None) -> pd.DataFrame:
    """A pandas frame of ``rows`` with the standard columns and dtypes of frame ``name`` (for the tables
    frame, of ``table``'s rows only, or of all tables)."""
    import pandas as pd

    if name == "findings":  # one type whatever the corpus: not 104 here and 104.0 or nan there
        rows = [dict(r, expected=finding_text(r.get("expected")), found=finding_text(r.get("found"))) for r in rows]
    if name != "tables":
        df = pd.DataFrame(rows, columns=COLUMNS[name])
        if "year" in df.columns:
            df["year"] = df["year"].map(_int64_or_none).astype("Int64")
        return df
    import numpy as np

    # The tables frame (60 rows a report): its typed columns from the rows' own values, one pass each,
    # so no count goes through float (2**53) and no column through inference.
    other = [c for c in COLUMNS[name] if c not in ("year", "value", "value_derived", "derived")]
    df = pd.DataFrame(rows, columns=other)
    cell = _count if VALUE_DTYPES[table] == "Int64" else _amount
    typed = {"year": pd.array(_mapped(_int64_or_none, [r.get("year") for r in rows]), dtype="Int64"),
             "value": pd.array(_mapped(cell, [r.get("value") for r in rows]), dtype=VALUE_DTYPES[table]),
             "value_derived": pd.array(_mapped(cell, [r.get("value_derived") for r in rows]),
                                       dtype=VALUE_DTYPES[table]),
             # absent (None, NaN): not derived
             "derived": np.fromiter((r.get("derived") is True for r in rows), dtype=bool, count=len(rows))}
    for c, values in typed.items():
        df[c] = values
    return df[list(COLUMNS[name])]


def _mapped(fn: Any, values: list) -> list:
    """``[fn(v) for v in values]``, each distinct int, string or None converted once: a corpus's cells are
    mostly a few small counts, and its years a handful. Keyed by type as well, so True is not taken for 1;
    floats (0.0 equals -0.0, nan equals nothing) and anything else are converted one by one."""
    seen: dict = {}
    out = []
    for v in values:
        kind = v.__class__
        if kind is int or kind is str or v is None:
            key = (kind, v)
            out.append(seen[key] if key in seen else seen.setdefault(key, fn(v)))
        else:
            out.append(fn(v))
    return out


def _count(v: Any) -> int | None:
    """A table cell as a count: a whole number within int64, else missing (a fraction is no count the
    form allows; a record from elsewhere may hold anything)."""
    v = _number_or_none(v)
    return None if v is None or not float(v).is_integer() else _int64_or_none(v)


def _amount(v: Any) -> float | None:
    v = _number_or_none(v)
    return None if v is None else float(v)


_INT64 = 2**63 - 1


def _number_or_none(v: Any) -> int | float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    if isinstance(v, int) and abs(v) > _INT64:
        return None  # no frame column holds it (the parser reports such a cell as a finding)
    return v if v == v and abs(v) != float("inf") else None


def _int64_or_none(v: Any) -> int | None:
    v = _number_or_none(v) if not isinstance(v, str) else (int(v) if v.isascii() and v.isdigit() and len(v) < 19 else None)
    if v is None:
        return None
    whole = int(v)  # a whole float past int64 (1.8e19, from a record written elsewhere) fits no column either
    return None if abs(whole) > _INT64 else whole


def _missing(v: Any) -> bool:
    import pandas as pd

    return v is None or (not isinstance(v, (list, dict, str)) and bool(pd.isna(v)))


def finding_text(v: Any) -> str | None:
    """A finding's expected or found value as the text a frame keeps: 104 → '104', [1, 2] → '[1, 2]'."""
    import json

    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
        return str(int(v))
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return str(v)


# Lists of text stay lists everywhere (pandas, Parquet list<string>, DuckDB VARCHAR[], JSON arrays);
# only CSV joins them with ";". Other list or dict cells (scores) are JSON text.
LIST_COLUMNS = ("themes", "sections_found", "answers")


def portable(df: pd.DataFrame) -> pd.DataFrame:
    """List-of-text cells (:data:`LIST_COLUMNS`) as lists of strings, other list and dict cells as JSON
    text, text columns as strings: how DuckDB and Parquet keep the frames (a batch whose column happens
    to be all empty keeps the same schema: the store casts list columns to VARCHAR[])."""
    import json

    for col in df.columns:
        if col in LIST_COLUMNS:
            df[col] = df[col].map(lambda v: [str(x) for x in v] if isinstance(v, (list, tuple)) else [])
        elif df[col].dtype == object and df[col].map(lambda v: isinstance(v, (list, dict))).any():
            df[col] = df[col].map(lambda v: json.dumps(v, ensure_ascii=False, default=str))
    for col in ("expected", "found"):
        if col in df.columns:  # missing (None, NaN, <NA>) stays missing, never the text 'nan'
            df[col] = df[col].map(lambda v: None if _missing(v) else finding_text(v))
    for col in df.columns:
        if df[col].dtype == object and col not in LIST_COLUMNS:
            df[col] = df[col].astype("string")
    return df


def list_schema(df: pd.DataFrame):
    """The pyarrow schema of a :func:`portable` frame with its list columns as list<string> (pyarrow
    would infer list<null> for a column of empty lists)."""
    import pyarrow as pa

    schema = pa.Schema.from_pandas(df, preserve_index=False)
    for col in LIST_COLUMNS:
        if col in df.columns:
            schema = schema.set(schema.get_field_index(col), pa.field(col, pa.list_(pa.string())))
    return schema
