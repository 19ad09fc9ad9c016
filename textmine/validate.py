"""Consistency rules (勾稽关系) R1–R6 of docs/form.md, checked on parsed tables and narrative text.

A finding is a dict: ``rule`` (R1…R6), ``severity`` ("error" | "warning"), ``where`` (what was checked,
e.g. ``requests.natural_person``), ``expected``, ``found`` and a plain-language ``message``.

- R1 per column of table 3: new + carried_over = total_processed + carried_forward
  (expected = the left side, found = the right side).
- R2 per column: total_processed = the sum of the 22 result rows (expected = the sum).
- R3 per row of table 3: total = the sum of the six applicant columns (expected = the sum).
- R4 per group of table 4: total = upheld + corrected + other + pending (expected = the sum).
- R5 counts stated in the narrative against the tables (expected = the table, found = the text). When
  the text counts a different unit than the table (the district office's own requests against the whole
  district's table) and says so, the mismatches are warnings, not errors.
- R6 across consecutive years of one agency: carried_forward of year N = carried_over of year N+1
  (expected = year N's carried_forward).

Blank cells (``None`` in the record: printed empty, missing) are never a violation by themselves. A blank
total is not checked (R2, R3, R4: its value by the form's arithmetic is the record's ``derived``, see
``tables/derived.py``); in R1 and R2 a blank cell the arithmetic fixes counts as that value (a blank
总计 as its row's sum); other blank parts add nothing to a sum (the form's way of writing none), and an
equation none of whose parts is printed is not checked (R1–R4). R5 compares the text with a row's printed
总计, or with its parts' sum when the 总计 is blank. R6 skips a column blank in either year.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .findings import finding
from .tables import APPEAL_COLUMNS, REQUEST_COLUMNS, REQUEST_ROWS, RESULT_ROWS
from .textutil import to_halfwidth

__all__ = ["RULES", "Rule", "register", "check_report", "check_corpus", "iter_corpus", "cross_year_input", "narrative_counts"]

APPLICANTS = [c for c in REQUEST_COLUMNS if c != "total"]
_ABSENT = object()  # a cell the reading did not find (not a printed blank, which is None)
PARTS = [c for c in APPEAL_COLUMNS if c != "total"]


def _f(rule: str, where: str, expected, found, message: str, severity: str = "error") -> dict:
    return finding(rule, where, message, expected, found, severity=severity)


@dataclass(frozen=True)
class Rule:
    """One consistency rule.

    ``scope`` "report": ``check(tables, section_texts)`` on one report's tables record and the text of
    its sections. ``scope`` "corpus": ``check(records)`` across reports, each record cut down to
    ``doc_id``, ``source``, ``agency_id`` and the record keys the rule ``needs`` (see
    :func:`cross_year_input`), so Corpus and the streamed ingest give it the same input.
    """

    id: str
    scope: str
    check: Callable[..., list[dict]]
    needs: tuple[str, ...] = ("tables",)
    description: str = ""

    def __post_init__(self) -> None:
        if self.scope not in ("report", "corpus"):
            raise ValueError(f"rule {self.id}: scope must be 'report' or 'corpus', not {self.scope!r}")


# The registry: rule id -> Rule, in the order findings are listed. A new rule is one register() call.
RULES: dict[str, Rule] = {}


def register(rule: Rule) -> Rule:
    """Add (or replace) a rule in :data:`RULES`."""
    RULES[rule.id] = rule
    return rule


def check_report(tables: dict, section_texts: Mapping[str, str]) -> list[dict]:
    """The per-report rules (R1–R5 and any registered since) on one report's ``tables`` record and the
    text of its sections."""
    findings: list[dict] = []
    for rule in list(RULES.values()):
        if rule.scope == "report":
            findings += rule.check(tables, section_texts)
    return findings


def check_corpus(records: Sequence[dict]) -> list[dict]:
    """The cross-year rules (R6 and any registered since) over many JSON records (or their
    :func:`cross_year_input` views)."""
    return list(iter_corpus(records))


def iter_corpus(records: Sequence[dict]) -> Iterator[dict]:
    """:func:`check_corpus`, one finding at a time (a rule may yield its findings as it goes)."""
    for rule in list(RULES.values()):
        if rule.scope == "corpus":
            yield from rule.check(records)


def cross_year_input(rec: Mapping[str, Any], agency_id: str | None = None) -> dict:
    """What the cross-year rules see of one record: its ids and agency, ``meta``, and every record key a
    corpus rule ``needs`` (whole: a rule gets the full tables, not the rows another rule uses)."""
    keys = {"meta"} | {k for r in RULES.values() if r.scope == "corpus" for k in r.needs}
    view = {"doc_id": rec.get("doc_id"), "source": rec.get("source"),
            "agency_id": agency_id if agency_id is not None else rec.get("agency_id")}
    view.update({k: rec.get(k) for k in sorted(keys)})
    return view


def _with_derived(req: dict) -> dict:
    """Table 3 with each blank cell the form's arithmetic fixes (tables/derived.py) filled in, for the
    sums of R1 and R2: a blank 总计 must not make an equation fail that its printed parts satisfy."""
    from .tables.derived import derive

    derived = derive({"requests": req}).get("requests", {})
    return {row: {c: (v if v is not None else derived.get(row, {}).get(c)) for c, v in cols.items()}
            for row, cols in req.items()}


def _r1(req: dict) -> list[dict]:
    need = ("new", "carried_over", "total_processed", "carried_forward")
    if not all(k in req for k in need):
        return []
    req = _with_derived(req)
    out = []
    for col in REQUEST_COLUMNS:
        vals = [req[k].get(col, _ABSENT) for k in need]
        if _ABSENT in vals or all(v is None for v in vals):
            continue  # a cell not read, or a column left blank
        new, over, done, fwd = (v or 0 for v in vals)
        if new + over != done + fwd:
            out.append(_f("R1", f"requests.{col}", new + over, done + fwd,
                          f"Table 3, column {col}: new requests {new} + carried over {over} = {new + over}, "
                          f"but processed {done} + carried forward {fwd} = {done + fwd} "
                          f"(第一项加第二项之和应等于第三项加第四项之和)."))
    return out


def _r2(req: dict) -> list[dict]:
    if "total_processed" not in req:
        return []
    present = [k for k in RESULT_ROWS if k in req]
    if not present:
        return []
    filled = _with_derived(req)
    out = []
    for col in REQUEST_COLUMNS:
        found = req["total_processed"].get(col)
        parts = [filled[k].get(col) for k in present]
        if found is None or all(v is None for v in parts):
            continue  # a blank total, or a column of blank result rows: nothing printed to compare
        expected = sum(v or 0 for v in parts)
        if expected != found:
            note = (" (blank 总计 cells counted as the sum of their row)"
                    if any(req[k].get(col) is None and v is not None for k, v in zip(present, parts, strict=True)) else "")
            out.append(_f("R2", f"requests.{col}", expected, found,
                          f"Table 3, column {col}: the result rows (予以公开 … 其他处理) add up to "
                          f"{expected}{note}, but the printed total processed (（七）总计) is {found}."))
    return out


def _r3(req: dict) -> list[dict]:
    out = []
    for row in REQUEST_ROWS:
        cols = req.get(row)
        if (not cols or cols.get("total") is None or not all(c in cols for c in APPLICANTS)
                or all(cols[c] is None for c in APPLICANTS)):
            continue  # a blank 总计 is missing, not a violation (its derived value: tables/derived.py)
        expected = sum(cols[c] or 0 for c in APPLICANTS)
        if expected != cols["total"]:
            out.append(_f("R3", f"requests.{row}", expected, cols["total"],
                          f"Table 3, row {row}: the six applicant columns add up to {expected}, but the "
                          f"总计 column says {cols['total']}"
                          + "."))
    return out


def _r4(app: dict) -> list[dict]:
    out = []
    for group, cols in app.items():
        if cols.get("total") is None or not all(c in cols for c in PARTS) or all(cols[c] is None for c in PARTS):
            continue
        expected = sum(cols[c] or 0 for c in PARTS)
        if expected != cols["total"]:
            out.append(_f("R4", f"appeals.{group}", expected, cols["total"],
                          f"Table 4, {group}: upheld + corrected + other + pending = {expected}, but the "
                          f"总计 column says {cols['total']}."))
    return out


# ---------------------------------------------------------------------------------------------------------
# R5: the narrative against the tables

# Clause categories, first match wins. Each is (category, pattern); the request categories name the table
# quantity they are compared with (see _table_value).
_CATEGORIES: list[tuple[str, re.Pattern]] = [(k, re.compile(p)) for k, p in [
    ("skip", r"较|同比|增加|减少|增长|下降|回落|上升|占比"),
    ("review", r"行政复议"),
    ("litigation", r"诉讼"),
    ("carried_over", r"(?:上年|上一年|去年|往年).{0,6}结转|结转.{0,4}(?:上年|上一年)"),
    ("carried_forward", r"结转|顺延|转下|转入下"),
    ("granted_or_partial", r"予以公开(?:及|和|与|、)部分公开"),
    ("partially_granted", r"部分公开"),
    ("denied", r"不予公开"),
    ("granted", r"予以公开|同意公开|全部公开"),
    ("unable", r"无法提供"),
    ("rejected", r"不予处理"),
    ("other", r"其他处理"),
    ("new", r"(?:收到|受理|新收|接收|接到).{0,12}申请|申请.{0,6}(?:收到|受理)"),
    ("total_processed", r"办结|答复|办理完毕"),
]]
# The categories up to the last appeals one: the first of these that matches is the first of all, when it
# is review or litigation (a clause without a count needs no other).
_CONTEXT_CATEGORIES = _CATEGORIES[: 1 + max(i for i, (k, _) in enumerate(_CATEGORIES) if k in ("review", "litigation"))]
_SUBRESULTS = [("upheld", r"维持"), ("corrected", r"纠正|纠错"), ("other", r"其他结果"),
               ("pending", r"未审结")]
_COUNT = re.compile(r"(\d[\d,]*)\s*件")
# The text speaks for a unit other than the whole table: "区政府办代表区政府受理…", "本机关…".
_SCOPE = re.compile(r"政府办|办公室|办公厅|本机关|本级|本部门|本单位|代表")
_RESULT_ROWS_BY_GROUP = {g: [k for k in RESULT_ROWS if k.startswith(g + "_")]
                         for g in ("denied", "unable", "rejected", "other")}


def narrative_counts(text: str) -> list[dict]:
    """Counts the text states about requests and appeals: [{what, value, sentence}], in text order.

    ``what`` is a request quantity (new, carried_over, granted, granted_or_partial, denied, …) or an
    appeals one (``review``, ``litigation``, ``review.upheld``, ``litigation.pending``, …).
    """
    out: list[dict] = []
    for sentence in re.split(r"(?<=[。！？；;\n])", to_halfwidth(text)):
        if _COUNT.search(sentence) is None:  # a clause's count is a count of its sentence: none, nothing to say
            continue
        context = None  # review / litigation, for "其中结果维持N件"
        for clause in re.split(r"[，,；;：:（）()]", sentence):
            m = _COUNT.search(clause)
            if m is None:  # no count to compare: the clause can only open an appeals context
                cat = next((k for k, p in _CONTEXT_CATEGORIES if p.search(clause)), None)
                context = cat if cat in ("review", "litigation") else context
                continue
            cat = next((k for k, p in _CATEGORIES if p.search(clause)), None)
            if cat in ("review", "litigation"):
                context = cat
                sub = next((s for s, p in _SUBRESULTS if re.search(p, clause)), None) if m else None
                if m and sub and re.search(r"其中|结果", clause) and not re.search(r"行政复议\s*\d", clause):
                    cat = f"{cat}.{sub}"
            elif context and (sub := next((s for s, p in _SUBRESULTS if re.search(p, clause)), None)):
                cat = f"{context}.{sub}"
            if not m or cat in (None, "skip"):
                continue
            if cat in ("new", "total_processed") and clause.lstrip().startswith("其中"):
                continue  # a part of the whole ("其中区政府办受理…") is not comparable with the table
            out.append({"what": cat, "value": int(m.group(1).replace(",", "")), "sentence": sentence.strip()})
    return out


def _row_total(req: dict, row: str) -> int | None:
    """A row's count for comparison with prose: its 总计, or the column sum when 总计 is empty."""
    cols = req.get(row)
    if not cols:
        return None
    total = cols.get("total")
    return total or sum(cols.get(c) or 0 for c in APPLICANTS)


def _group_total(cols: dict) -> int:
    """A table-4 group's count for comparison with prose: its 总计, or the sum of its parts when empty."""
    return cols.get("total") or sum(cols.get(c) or 0 for c in PARTS)


def _table_value(tables: dict, what: str) -> int | None:
    req = tables.get("requests") or {}
    app = tables.get("appeals") or {}
    if what.startswith(("review", "litigation")):
        group, _, col = what.partition(".")
        groups = ["review"] if group == "review" else ["litigation_direct", "litigation_after_review"]
        if not all(g in app for g in groups):
            return None
        vals = [_group_total(app[g]) if not col else app[g].get(col) for g in groups]
        return None if None in vals else sum(vals)
    if what == "granted_or_partial":
        rows = ["granted", "partially_granted"]
    elif what in _RESULT_ROWS_BY_GROUP:
        rows = _RESULT_ROWS_BY_GROUP[what]
    else:
        rows = [what]
    vals = [_row_total(req, r) for r in rows if r in req]
    return sum(vals) if vals and (what in _RESULT_ROWS_BY_GROUP or len(vals) == len(rows)) else None


def _r5(tables: dict, section_texts: Mapping[str, str]) -> list[dict]:
    counts = []
    for key, text in section_texts.items():
        if key not in ("problems", "other") and text:
            counts += narrative_counts(text)
    checked = []
    for c in counts:
        value = _table_value(tables, c["what"])
        if value is not None and value != c["value"]:
            checked.append((c, value))
    # The unit differs when the text's count of new requests disagrees and names a unit of its own.
    scope = next((c["sentence"] for c, _ in checked
                  if c["what"] == "new" and _SCOPE.search(c["sentence"])), None)
    out = []
    for c, value in checked:
        area = "appeals" if c["what"].startswith(("review", "litigation")) else "requests"
        msg = (f"The text says {c['value']} for {c['what']} (“{_short(c['sentence'])}”), "
               f"the table says {value}.")
        if scope:
            msg += (" The text counts a different unit than the table (“" + _short(scope) +
                    "”), so this is a difference of scope, not necessarily an error.")
        out.append(_f("R5", f"narrative.{area}.{c['what']}", value, c["value"], msg,
                      severity="warning" if scope else "error"))
    return out


def _short(s: str, n: int = 60) -> str:
    s = s.strip()
    return s if len(s) <= n else s[: n - 1] + "…"


# ---------------------------------------------------------------------------------------------------------
# R6: across years


def _r6(records: Sequence[dict]) -> Iterator[dict]:
    """R6 over many records: carried_forward of year N equals carried_over of year N+1, per agency.
    Each report of year N+1 is compared with one representative of year N (the carried-forward row
    most of them give): copies of a report (the same report as pdf and html) add one comparison each,
    not one per pair."""
    by_agency: dict[str, list[dict]] = {}
    for rec in records:
        meta = rec.get("meta") or {}
        agency = rec.get("agency_id") or meta.get("agency")
        if agency and isinstance(meta.get("year"), int):
            by_agency.setdefault(agency, []).append(rec)
    for agency, recs in by_agency.items():
        by_year: dict[int, list[dict]] = {}
        for rec in recs:
            by_year.setdefault(rec["meta"]["year"], []).append(rec)
        for year in sorted(by_year):
            if year + 1 not in by_year:
                continue
            prev = _r6_representative(by_year[year])
            if prev is not None:
                for cur in by_year[year + 1]:
                    yield from _r6_pair(agency, prev, cur)


def _r6_representative(recs: list[dict]) -> dict | None:
    """The first record whose carried-forward row is the one most records of the year give."""
    def row(rec: dict) -> dict | None:
        return ((rec.get("tables") or {}).get("requests") or {}).get("carried_forward") or None

    keyed = [(repr(sorted(r.items())), rec) for rec in recs if (r := row(rec))]
    if not keyed:
        return None
    counts: dict[str, int] = {}
    for key, _ in keyed:
        counts[key] = counts.get(key, 0) + 1
    best = max(counts.values())
    return next(rec for key, rec in keyed if counts[key] == best)


def _r6_pair(agency: str, prev: dict, cur: dict) -> list[dict]:
    fwd = ((prev.get("tables") or {}).get("requests") or {}).get("carried_forward")
    over = ((cur.get("tables") or {}).get("requests") or {}).get("carried_over")
    if not fwd or not over:
        return []
    y0, y1 = prev["meta"]["year"], cur["meta"]["year"]
    out = []
    for col in REQUEST_COLUMNS:
        if fwd.get(col) is not None and over.get(col) is not None and fwd[col] != over[col]:
            f = _f("R6", f"requests.carried_over.{col}", fwd[col], over[col],
                   f"{cur['meta'].get('agency') or agency}: the {y0} report carries {fwd[col]} requests "
                   f"forward ({col}), but the {y1} report says {over[col]} were carried over from {y0}.")
            f.update(agency=cur["meta"].get("agency"), agency_id=agency, year=y1,
                     doc_id=cur.get("doc_id") or cur.get("source"),
                     previous_year=y0, previous_doc_id=prev.get("doc_id") or prev.get("source"))
            out.append(f)
    return out


# ---------------------------------------------------------------------------------------------------------
# The rules of docs/form.md, in the order their findings are listed.

register(Rule("R1", "report", lambda tables, texts: _r1(tables.get("requests") or {}),
              description="table 3: new + carried over = processed + carried forward, per column"))
register(Rule("R2", "report", lambda tables, texts: _r2(tables.get("requests") or {}),
              description="table 3: processed = the sum of the result rows, per column"))
register(Rule("R3", "report", lambda tables, texts: _r3(tables.get("requests") or {}),
              description="table 3: total = the sum of the applicant columns, per row"))
register(Rule("R4", "report", lambda tables, texts: _r4(tables.get("appeals") or {}),
              description="table 4: total = upheld + corrected + other + pending, per group"))
register(Rule("R5", "report", _r5, needs=("tables", "sections"),
              description="counts stated in the narrative = the tables"))
register(Rule("R6", "corpus", _r6, needs=("meta", "tables"),
              description="carried forward of year N = carried over of year N+1, per agency"))
