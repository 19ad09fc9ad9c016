"""The standard tables of the annual report (tables 2–4 of the form) read as numbers.

``parse_tables`` takes the blocks of each section and returns the ``tables`` part of the JSON record
(docs/record.md): ``proactive`` (table 2), ``requests`` (table 3, 25 rows × 7 columns) and ``appeals``
(table 4, three groups of five). Keys are those of docs/form.md; the label variants that map onto
them live in ``data/table_labels.yaml``.

How rows are found. Every rendering (Word text, HTML/DOCX grids, pdfplumber tables, PDF text lines,
Markdown pipe tables) is reduced to a stream of items: a label and, when the item carries numbers, its
value cells. Labels are matched to row keys fuzzily (longest common subsequence, weighted towards
covering the known label, so a label with a stray vertical-label character or a lost word still
matches). Rows whose label matches one key clearly and in form order are *anchors*. Rows without a
readable label (PDF text puts the numbers of a wrapped label on a line of their own; Markdown made
from PDFs detaches labels) are placed by row order only: between two anchors, if the number of such
rows equals the number of form rows missing there, they fill those rows in order; otherwise labels
seen nearby decide, and a row that still cannot be placed is reported as a finding, never guessed.

Cells: a printed blank is ``None`` (null in the record: missing, never 0); a printed mark of none ("/",
"—", "-", "无") is 0; full-width digits, thousands separators and stray spaces are handled. Counts are
``int``; money is ``float``. The values the form's arithmetic gives blank cells are kept apart
(``derived.derive``, the record's ``derived``), never in the table. A blank is seen where the rendering
keeps the cell (HTML, DOCX and PDF grids, Word text with a line per cell); a text line that dropped it
simply has fewer numbers.

Variants handled:
- table 3 with a legal-person subtotal column (8 numbers a row): the subtotal is dropped;
- table 3 of the 2019 form with a single （六）其他处理 row: read into ``other_other``; the two other
  ``other_*`` rows are then absent (the form did not have them), not zero;
- table 4 squashed into one line or row of 15 numbers, or split into runs of 5 and 10;
- table 2 of the 2019 form. Row keys: ``rules``, ``normative_documents``, ``licensing``, ``penalty``,
  ``coercion``, ``administrative_fees`` as in 2021, plus ``other_management_services``
  (其他对外管理服务事项) and ``government_procurement`` (第二十条第（九）项 政府集中采购). Field keys:
  本年新制作数量 → ``issued`` (same meaning as 本年制发件数), 本年新公开数量 → ``published``,
  对外公开总数量 → ``total_published``, 上一年项目数量 → ``items_previous_year``,
  本年增/减 → ``items_change``, 处理决定数量 → ``decisions``, 采购项目数量 → ``items``,
  采购总金额 → ``amount_10k_yuan`` (converted from 元 when the cell or header says 元).

Modules: ``form`` (keys, label matching, numbers), ``grid`` (tables 3 and 4), ``proactive`` (table 2),
``flat`` (tables whose cells run together in digit runs, split by the form's arithmetic), ``derived``
(values of blank cells by the form's sums).

Findings (``TablesResult.findings``) use rule ``"table"`` and severity ``"warning"``: a table that is
present but could not be read in full (a row without a place, a row with the wrong number of cells).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from ..document import Block
from .form import (
    APPEAL_COLUMNS,
    APPEAL_GROUPS,
    OUT_OF_RANGE,
    REQUEST_COLUMNS,
    REQUEST_ROWS,
    RESULT_ROWS,
    TablesResult,
    _finding,
    norm_label,
    parse_number,
)
from .form import _labels as _labels  # the label data, for tests and the flat reader
from .grid import parse_appeals, parse_requests
from .proactive import parse_proactive

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["TablesResult", "parse_tables", "parse_number", "parse_requests", "parse_appeals", "parse_proactive",
           "norm_label", "tables_frame", "REQUEST_ROWS", "REQUEST_COLUMNS",
           "APPEAL_GROUPS", "APPEAL_COLUMNS", "RESULT_ROWS"]

_PARSERS = {"proactive": parse_proactive, "requests": parse_requests, "appeals": parse_appeals}


def parse_tables(blocks_by_section: Mapping[str, Sequence[Block]]) -> TablesResult:
    """Read tables 2–4 from the blocks of each section (heading excluded), keyed by section key.

    Each table is read from its own section. When that section is missing, yields no table or yields it
    with findings, the whole document is read as well and the fuller reading kept: a heading lost or
    misplaced by extraction (a table row taken for a heading) must not lose the table.
    """
    from .flat import improve  # digits glued into runs ("予以公开270020130"): solved by arithmetic

    everything = [b for blocks in blocks_by_section.values() for b in blocks]
    result = TablesResult()
    for key, parser in _PARSERS.items():
        own = list(blocks_by_section.get(key) or [])
        table, findings = parser(own) if own else (None, [])
        if table is None or findings:
            alt, alt_findings = (parse_appeals(everything, need_header=True) if key == "appeals"
                                 else parser(everything))
            if alt is not None and (table is None or
                                    (len(alt), -len(alt_findings)) > (len(table), -len(findings))):
                table, findings = alt, alt_findings
        table, findings = improve(key, own, everything, table, findings)
        table = _in_range(key, table, findings)
        if table is not None:
            result.tables[key] = table
        result.findings.extend(findings)
    return result


def _in_range(key: str, table: dict | None, findings: list) -> dict | None:
    """The table without cells whose number no frame can hold (over int64: OUT_OF_RANGE), each one a
    finding: a 25-digit cell is a typo or an attack, not a count, and must never sink a batch."""
    if not table:
        return table
    out: dict = {}
    for row, cols in table.items():
        kept = {}
        for col, value in cols.items():
            if isinstance(value, (int, float)) and not abs(value) < OUT_OF_RANGE:  # also inf and nan
                findings.append(_finding(f"{key}.{row}.{col}", f"{key} {row} {col}: the number is out of "
                                         "range (over 9223372036854775807, the most a table holds); the cell is left out", found="out of range"))
            else:
                kept[col] = value
        if kept:
            out[row] = kept
    return out or None


def tables_frame(records: Iterable[dict]) -> pd.DataFrame:
    """Tidy frame of the tables of many JSON records: doc_id, agency, year, table, row, column, value."""
    import pandas as pd

    out = []
    for rec in records:
        meta = rec.get("meta") or {}
        doc_id = rec.get("doc_id") or rec.get("source")
        for table, rows in (rec.get("tables") or {}).items():
            for row, cols in rows.items():
                for col, value in cols.items():
                    out.append((doc_id, meta.get("agency"), meta.get("year"), table, row, col, value))
    df = pd.DataFrame(out, columns=["doc_id", "agency", "year", "table", "row", "column", "value"])
    df["year"] = df["year"].astype("Int64")
    whole = all(v is None or float(v).is_integer() for v in df["value"])  # None: a printed blank
    df["value"] = df["value"].astype("Int64" if whole else "float64")
    return df

