"""Table 2 (主动公开政府信息情况), both the 2021 and the 2019 form."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ..document import Block, Table
from .form import (
    OUT_OF_RANGE,
    _confident,
    _finding,
    _has_digit,
    _labels,
    _match,
    _segments,
    cell_value,
    norm_label,
    parse_number,
)
from .grid import _label_cells

if TYPE_CHECKING:  # pragma: no cover
    pass


class _Terms(list):
    """(normalised term, key) pairs, longest first for substring search, and one pattern finding any term."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        super().__init__(sorted(pairs, key=lambda x: -len(x[0])))
        self.any = re.compile("|".join(re.escape(t) for t, _ in self))


@lru_cache(maxsize=1)
def _proactive_vocab() -> tuple[_Terms, _Terms]:
    """(normalised row label, key) and (normalised field header, key)."""
    conf = _labels()["proactive"]
    rows = [(norm_label(v), r["key"]) for r in conf["rows"] for v in r["labels"]]
    fields = [(norm_label(v), k) for k, vs in conf["fields"].items() for v in vs]
    return _Terms(rows), _Terms(fields)


def _find_terms(text: str, vocab: _Terms) -> list[tuple[int, str, str]]:
    """Non-overlapping occurrences (position, key, raw unit hint) of vocabulary terms in normalised text."""
    if vocab.any.search(text) is None:  # most texts hold no term: one search instead of one per term
        return []
    taken: list[bool] = []  # made at the first hit
    found = []
    for term, key in vocab:
        start = text.find(term)
        if start >= 0 and not taken:
            taken = [False] * len(text)
        while start >= 0:
            if not any(taken[start: start + len(term)]):
                for i in range(start, start + len(term)):
                    taken[i] = True
                found.append((start, key, term))
            start = text.find(term, start + 1)
    return sorted(found)


def _field_keys(cells: Sequence[str]) -> list[str | None]:
    """Field key per header cell (None for a cell that is not a field header)."""
    _, fields = _proactive_vocab()
    out: list[str | None] = []
    for c in cells:
        hit = _find_terms(norm_label(c), fields)
        out.append(hit[0][1] if hit else None)
    return out


def _row_key(label: str) -> str | None:
    norm = norm_label(label)
    rows, _ = _proactive_vocab()
    exact = [k for t, k in rows if t == norm]
    return exact[0] if exact else _confident(_match("proactive", norm))


@dataclass
class _Row2:
    key: str
    fields: list[str | None]  # field per cell; empty when no header applies
    cells: list[str]
    yuan: bool  # the header or cell says 元 (not 万元)


def _grid_rows2(block: Table, header: dict) -> list[_Row2]:
    """Table 2 rows of a grid. ``header`` carries the last header row (by width) across page fragments."""
    out: list[_Row2] = []
    for row in block.rows:
        cells = list(row)
        keys = _field_keys(cells)
        if any(keys) and not any(_has_digit(c) for c in cells):
            fields: list[str | None] = []
            prev = None
            for k, c in zip(keys, cells, strict=True):
                # colspan expansion repeats one header over several columns: read its first column
                fields.append(k if k and (k, c) != prev else None)
                prev = (k, c) if k else None
            yuan = any(re.search(r"(?<!万)元", c) for c in cells)
            header.update(width=len(cells), fields=fields, yuan=yuan)
            continue
        labels = _label_cells(cells)
        key = _row_key("".join(cells[i] for i in labels)) if labels else None
        if key is None:
            continue
        last = labels[-1]
        fields = header.get("fields", []) if header.get("width") == len(cells) else []
        if any(fields[last + 1:]):
            out.append(_Row2(key, fields[last + 1:], cells[last + 1:], header.get("yuan", False)))
        else:
            out.append(_Row2(key, [], [c for c in cells[last + 1:] if c.strip()], False))
    return out


def _text_rows2(text: str, header: dict) -> list[_Row2]:
    """Table 2 rows in a text line: header words set the fields, a row label takes the numbers after it."""
    rows_vocab, fields_vocab = _proactive_vocab()
    out: list[_Row2] = []
    for seg_text, run in _segments(text):
        norm = norm_label(seg_text)
        labels = _find_terms(norm, rows_vocab)
        cut = labels[-1][0] if labels else len(norm)
        heads = [k for at, k, _ in _find_terms(norm[:cut], fields_vocab)]
        if heads:
            header.update(text_fields=heads, yuan=bool(re.search(r"(?<!万)元", seg_text)))
        if not run or not labels:
            continue
        at, key, term = labels[-1]
        if len(norm) - at - len(term) > 1:
            continue  # words between the label and the numbers: running text, not a table row
        fields = header.get("text_fields", [])
        fields = list(fields) if len(fields) == len(run) else []
        out.append(_Row2(key, fields, list(run), header.get("yuan", False)))
    return out


def _may_hold_terms(norm: str, *vocabs: _Terms) -> bool:
    """Whether a line whose normal form (:func:`norm_label`) is ``norm`` can give a table-2 row or header.
    Each piece of text between its number runs normalises to a piece of ``norm`` (numbering marks and
    non-words go piece by piece), so a term no piece holds is not in ``norm`` either; a line without
    any is read by :func:`_text_rows2` as nothing. Most lines of a whole report are such prose."""
    return any(v.any.search(norm) is not None for v in vocabs)


def parse_proactive(blocks: Sequence[Block]) -> tuple[dict | None, list[dict]]:
    """Table 2: ``{row: {field: value}}`` from grid rows and text lines; None when no row is found."""
    conf = _labels()["proactive"]
    norms = [norm_label(b.text) for b in blocks]
    stream = "".join(norms)
    form = "2019" if any(norm_label(w) in stream for w in conf["form_2019_words"]) else "2021"
    defaults = conf[f"default_fields_{form}"]
    rows_vocab, fields_vocab = _proactive_vocab()
    header: dict = {}
    rows: list[_Row2] = []
    for block, norm in zip(blocks, norms, strict=True):
        if isinstance(block, Table):
            rows += _grid_rows2(block, header)
        elif _may_hold_terms(norm, rows_vocab, fields_vocab):
            rows += _text_rows2(block.text, header)
    table: dict[str, dict] = {}
    findings: list[dict] = []
    for r in rows:
        if r.key in table:
            continue
        pairs = [(f, c) for f, c in zip(r.fields, r.cells, strict=False) if f]
        if not pairs and len(defaults.get(r.key, [])) == len(r.cells):
            pairs = list(zip(defaults[r.key], r.cells, strict=True))
        if not pairs:
            findings.append(_finding(f"proactive.{r.key}", f"table 2 row {r.key}: cannot tell which number "
                                     f"is which ({' '.join(r.cells)})", found=" ".join(r.cells)))
            continue
        values: dict[str, int | float | None] = {}
        for f, c in pairs:
            if f not in values and cell_value(c) is None and not c.strip():
                values[f] = None  # a printed blank: missing, not 0
                continue
            n = parse_number(c)
            if n is None or f in values:
                continue
            if n == OUT_OF_RANGE:  # kept as it is: parse_tables turns it into a finding
                values[f] = n
                continue
            if f in conf["money_fields"]:
                yuan = r.yuan or bool(re.search(r"(?<!万)元", c))
                values[f] = float(n) / 10000 if yuan else float(n)  # the record keeps 万元
            elif isinstance(n, float) and not n.is_integer():
                findings.append(_finding(f"proactive.{r.key}.{f}", f"table 2: {r.key} {f} is not a whole "
                                         f"number: {c}", found=c))
            else:
                values[f] = int(n)
        if values:
            table[r.key] = values
    order = [r["key"] for r in conf["rows"]]
    return ({k: table[k] for k in order if k in table} or None), findings


# ---------------------------------------------------------------------------------------------------------
# All tables of a report

