"""Tables 2–4 read from *flattened* text, where labels and numbers run together without separators.

Crawler text dumps and some web pages print a table row as its label followed by all its cells glued
into one digit string (``（一）予以公开270020130`` holds 27 0 0 2 0 1 30), sometimes with stray spaces
(``1400000 14``), the next row's enumerator glued on (``00000002.``), or a year of the following text
(``20000022025年``). This module reads such text into the structures of the other ``textmine.tables`` modules.

How a digit string becomes cells. A string is cut into the row's number of cells under the digit rule
(a number of two or more digits never starts with 0; a space always separates two cells). Among the
cuts, only those satisfying the form's own arithmetic are kept: table 3 rows by R3 (总计 = the six
applicant columns), then all rows together by R1 and R2 per column (solved by bounded backtracking);
table 4 by R4 per group; table 2 has no arithmetic, so only the digit rule applies. A cell is returned
only when every admissible cut gives it the same value; a row with more than one admissible cut is
reported (rule ``table``), never guessed. A row printed without digits stays absent (the arithmetic may
imply its values: the finding says so, the record does not fill them in).

Entry points: ``flat_requests``, ``flat_appeals``, ``flat_proactive`` (text → ``(table | None,
findings)``) and ``improve`` (used by ``tables.parse_tables`` when the grid/text parsers read less).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from ..document import Block, Paragraph
from ..textutil import to_halfwidth
from .form import APPEAL_COLUMNS, APPEAL_GROUPS, REQUEST_COLUMNS, REQUEST_ROWS, _finding, _labels

__all__ = ["flat_requests", "flat_appeals", "flat_proactive", "improve", "split_cells"]

Cell = int | float
Split = tuple[Cell, ...]

STEP_CAP = 10_000  # cut-enumeration steps for one digit string (C(len-1, cells-1) grows fast)
MAX_EXTRA = 3  # digits per cell on average (+8) in a row of 5+ cells: a longer run is not a table row
SEARCH_CAP = 50_000  # backtracking nodes for the column solve of table 3
W = len(REQUEST_COLUMNS)  # cells of a table-3 row
NEAR = 40  # label continuation allowed between a row label and its digits (characters)

# ---------------------------------------------------------------------------------------------------------
# Digit strings → cuts

_CELL = {  # what one cell may look like, by kind
    "int": re.compile(r"0|[1-9]\d*"),
    "signed": re.compile(r"0|-?[1-9]\d*"),
    "money": re.compile(r"(?:0|[1-9]\d*)(?:\.\d+)?"),
}
_DASHES = frozenset({"-", "--", "—", "——", "–"})  # a dash standing alone is a printed empty cell (0)


def _valid(piece: str, kind: str) -> bool:
    if len(piece) > 19:  # past int64 (and Python's int-string limit): no cell of a frame, never a value
        return False
    if kind == "int":  # the common case, without a regex; ASCII only: "²".isdigit() and int() refuses it
        return piece.isascii() and piece.isdigit() and (piece[0] != "0" or len(piece) == 1)
    return bool(_CELL[kind].fullmatch(piece))


def split_cells(run: str, kinds: Sequence[str], ok: Callable[[list[Cell]], bool] | None = None,
                cap: int = STEP_CAP, steps: list[int] | None = None, limit: int | None = None,
                total: Cell | None = None) -> list[Split] | None:
    """Every cut of ``run`` into ``len(kinds)`` cells (spaces are cell boundaries); None past ``cap`` steps.

    ``ok(prefix)`` prunes: it is called after each cell is added and must return False for a prefix that
    cannot be completed (e.g. a finished row whose total is not the sum of its parts). ``total`` is that
    rule for sums, kept on a running sum: every prefix adds up to at most ``total``, the full cut to it.
    ``steps`` shares one step counter between calls; ``limit`` bounds every cell (longer pieces are not tried).
    """
    tokens = run.split()
    n = len(kinds)
    if not tokens:
        return []
    if n >= 5 and sum(len(t) for t in tokens) > MAX_EXTRA * n + 8:
        return None  # hostile or misread input; a single money cell ("18651.064104") may be long
    steps = steps if steps is not None else [0]
    # material after token ti: (tokens, characters), to check that the cells still needed can fit
    after = [(len(tokens) - ti - 1, sum(len(t) for t in tokens[ti + 1:])) for ti in range(len(tokens))]
    out: list[Split] = []
    acc: list[Cell] = []

    def go(ti: int, ci: int, sofar: Cell) -> bool:
        steps[0] += 1
        if steps[0] > cap:
            return False
        if ti == len(tokens):
            if len(acc) == n:
                out.append(tuple(acc))
            return True
        tok = tokens[ti]
        need = n - len(acc)
        rest_tokens, rest_chars = after[ti]
        if not 1 + rest_tokens <= need <= len(tok) - ci + rest_chars:
            return True
        kind = kinds[len(acc)]
        dash = tok in _DASHES
        for j in ([len(tok)] if ci == 0 and dash else range(ci + 1, len(tok) + 1)):
            piece = tok[ci:j]
            if dash:
                value: Cell = 0
            elif _valid(piece, kind):
                value = float(piece) if "." in piece else int(piece)
                if limit is not None and value > limit:
                    break  # a longer piece is larger still
            else:
                continue
            acc.append(value)
            now = sofar + value
            good = (ok is None or ok(acc)) and (total is None or now <= total and (len(acc) < n or now == total))
            cont = go(*((ti + 1, 0) if j == len(tok) else (ti, j)), now) if good else True
            acc.pop()
            if not cont:
                return False
        return True

    return out if go(0, 0, 0) else None


def _row_splits(run: str, cap: int = STEP_CAP) -> list[Split] | None:
    """Cuts of a table-3 row whose 总计 (last cell) is the sum of the six before it (R3).

    The total is chosen first (a suffix of the run): then every other cell is at most the total, so at
    most as long, which keeps the search small even for long runs.
    """
    tokens = run.split()
    if not tokens:
        return []
    digits = "".join(tokens)
    if len(digits) == W and digits.isascii() and digits.isdigit():
        # Seven digits, seven cells: one digit a cell is the only cut, kept when the six add up to the
        # seventh. Nearly every row of the real crawler dumps is one ("0000000"), so they skip the search.
        cells = tuple(map(int, digits))
        return [cells] if sum(cells[:-1]) == cells[-1] else []
    if len(digits) > MAX_EXTRA * W + 8:
        return None
    last, out, steps = tokens[-1], [], [0]
    for t in range(1, len(last) + 1):
        piece = last[len(last) - t:]
        head = " ".join(tokens[:-1] + ([last[:-t]] if t < len(last) else []))
        if not _valid(piece, "int") or not head or len(head.replace(" ", "")) > (W - 1) * t:
            continue
        total = int(piece)
        cuts = split_cells(head, ["int"] * (W - 1), cap=cap, steps=steps, limit=total, total=total)
        if cuts is None:
            return None
        out += [(*c, total) for c in cuts]
    return out


def _direct(run: str, n: int) -> bool:
    """The run gives its ``n`` cells without any cutting choice (n tokens, or n single digits)."""
    return len(run.split()) == n or len(run.replace(" ", "")) == n


def _common(cuts: Sequence[Split], width: int) -> list[Cell | None]:
    """Per cell: the value every cut agrees on, else None."""
    out: list[Cell | None] = []
    for i in range(width):
        values = {c[i] for c in cuts}
        out.append(values.pop() if len(values) == 1 else None)
    return out


# ---------------------------------------------------------------------------------------------------------
# Text → labelled regions

_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)")  # "…02025年": the run ends before a year of the next text
_ENUMERATOR = re.compile(r"[1-8][.、](?=\s*(?:[^\d\s]|$))")  # "00000002.其他…": the next row's "2."
_RUN = re.compile(r"[0-9.\-—–]+(?:[ \t\u3000\xa0]+[0-9.\-—–]+)*")
_STOP = re.compile(r"[。；;！？]")  # a sentence end between label and digits: not this row's digits


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    row: int  # index into the row list
    variant: str


def _variant_re(variant: str) -> re.Pattern:
    # Labels are stored without punctuation; the text keeps it (“”（），) and may space the characters.
    return re.compile(r"[^\w]{0,3}".join(re.escape(ch) for ch in variant))


@lru_cache(maxsize=64)
def _compiled(variants: tuple[str, ...]) -> tuple[tuple[str, re.Pattern], ...]:
    return tuple((v, _variant_re(v)) for v in variants)


def _hits(text: str, rows: Sequence[tuple[str, ...]]) -> list[_Hit]:
    out: list[_Hit] = []
    for ri, variants in enumerate(rows):
        for v, rx in _compiled(tuple(variants)):
            if not v or (v[0] in text and v[-1] in text):  # a hit starts with the label's first character, ends with its last
                out += [_Hit(m.start(), m.end(), ri, v) for m in rx.finditer(text)]
    return sorted(out, key=lambda h: (h.start, -(h.end - h.start)))


def _chain(hits: list[_Hit]) -> list[_Hit]:
    """The longest run of label hits in row order and text order.

    Ties go to the most compact chain, then to the one covering most label text ("其他处理" over "其他").
    Dynamic programming over hits sorted by start; a hit becomes a possible predecessor once the scan
    has passed its end, and only the best closed hit per row is kept, so the cost is O(hits × rows).
    """
    if not hits:
        return []
    best: list[tuple[int, int, int, int]] = []  # per hit: (rows, chain start, label chars, predecessor)
    per_row: list[int | None] = [None] * (max(h.row for h in hits) + 1)  # best closed hit per row
    closing: list[tuple[int, int]] = []  # (end, hit) not yet usable as predecessors
    for i, h in enumerate(hits):
        while closing and closing[0][0] <= h.start:
            _, j = heapq.heappop(closing)
            k = per_row[hits[j].row]
            if k is None or best[j][:3] > best[k][:3]:
                per_row[hits[j].row] = j
        cand = (1, h.start, h.end - h.start, -1)
        for k in per_row[: h.row]:
            if k is not None:
                n, start, chars, _ = best[k]
                if (n + 1, start, chars + h.end - h.start) > cand[:3]:
                    cand = (n + 1, start, chars + h.end - h.start, k)
        best.append(cand)
        heapq.heappush(closing, (h.end, i))
    i = max(range(len(hits)), key=lambda k: best[k][:3])
    out = []
    while i >= 0:
        out.append(hits[i])
        i = best[i][3]
    return out[::-1]


def _runs(region: str) -> list[str]:
    """Digit runs of a region between two labels, after removing enumerators and years."""
    region = _ENUMERATOR.sub("|", _YEAR.sub("|", region))
    out = []
    for m in _RUN.finditer(region):
        if any(ch.isdigit() for ch in m.group()) and not _STOP.search(region[: m.start()][-NEAR:]):
            if m.start() <= NEAR or out:
                out.append(m.group().strip(" .\t\u3000\xa0"))
    return out


def _regions(text: str, chain: list[_Hit], n_rows: int, skip: frozenset[int] = frozenset()
             ) -> tuple[dict[int, str | None], list[tuple[list[int], str]]]:
    """Digit material per located row (None: printed without digits), and unplaceable groups of rows.

    Between two located labels with k form rows missing, k + 1 runs fill those rows in order; any other
    count leaves them unplaced.
    """
    out: dict[int, str | None] = {}
    unplaced: list[tuple[list[int], str]] = []
    for n, hit in enumerate(chain):
        stop = chain[n + 1].start if n + 1 < len(chain) else len(text)
        nxt = chain[n + 1].row if n + 1 < len(chain) else n_rows
        region = text[hit.end: stop]
        missing = [r for r in range(hit.row + 1, nxt) if r not in skip]
        runs = _runs(region)
        if n + 1 == len(chain):
            runs = runs[:1]  # after the last label comes other text
        if not missing:
            out[hit.row] = runs[0] if runs else None
        elif len(runs) == len(missing) + 1:
            out.update(zip([hit.row, *missing], runs, strict=True))
        else:
            unplaced.append(([hit.row, *missing], " | ".join(runs)))
    return out, unplaced


def _text_of(blocks: Sequence[Block]) -> str:
    return to_halfwidth("\n".join(b.text for b in blocks if isinstance(b, Paragraph)))


# ---------------------------------------------------------------------------------------------------------
# Table 3 (requests)

_EXTRA_REQUEST_LABELS = {  # typos and wordings seen in flattened reports, beyond data/table_labels.yaml
    "denied_prohibited_by_law": ["法律和行政法规禁止公开"],
    "denied_enforcement_files": ["属于行政执法案件"],
    "other_no_correction": ["逾期不补正行政机关不再受理其政府信息公开申请"],
}


def _request_variants() -> list[tuple[str, ...]]:
    rows = {r["key"]: list(r["labels"]) for r in _labels()["requests"]["rows"]}
    return [tuple(rows[k] + _EXTRA_REQUEST_LABELS.get(k, [])) for k in REQUEST_ROWS]


@dataclass
class _Rows:
    """Admissible cuts per table-3 row (rows without any stay free in the column solve)."""

    cuts: dict[str, list[Split]] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)
    findings: list[dict] = field(default_factory=list)


def _row_cuts(key: str, run: str | None, rows: _Rows) -> None:
    if run is None:
        rows.findings.append(_finding(f"requests.{key}", f"table 3 row {key} is printed without numbers; "
                                      "left absent"))
        return
    rows.raw[key] = run
    cuts = _row_splits(run)
    if cuts is None:
        rows.findings.append(_finding(f"requests.{key}", f"table 3 row {key}: digit string '{run}' is too "
                                      "long to cut into cells; row not read", found=run))
        return
    if not cuts:
        plain = split_cells(run, ["int"] * W) or []
        if not (plain and _direct(run, W)):  # a row read without any cutting choice stays, misprinted or not
            why = "no cut into 7 cells" if not plain else "no cut whose 总计 equals the sum of its parts"
            rows.findings.append(_finding(f"requests.{key}", f"table 3 row {key}: '{run}' has {why}; "
                                          "row not read", found=run))
            return
        cuts = plain
    rows.cuts[key] = cuts


def _constraints(form_rows: list[str]) -> list[tuple[list[tuple[str, int]], int]]:
    """R1 and R2 per column, as (terms (row, coefficient), column) with sum of terms = 0."""
    results = [k for k in form_rows if REQUEST_ROWS.index("granted") <= REQUEST_ROWS.index(k)
               < REQUEST_ROWS.index("total_processed")]
    r1 = [("new", 1), ("carried_over", 1), ("total_processed", -1), ("carried_forward", -1)]
    r2 = [(k, 1) for k in results] + [("total_processed", -1)]
    return [(terms, c) for c in range(W) for terms in (r1, r2)]


def _solve(cuts: dict[str, list[Split]], cons: list[tuple[list[tuple[str, int]], int]],
           cap: int = SEARCH_CAP) -> dict[str, set[int]] | None:
    """Per row, the cuts that take part in some assignment satisfying ``cons``; None past ``cap`` nodes.

    A row without cuts is a free non-negative unknown: an equation with free rows of one sign becomes an
    inequality, one with both signs says nothing.
    """
    rel: list[tuple[list[tuple[str, int]], int, str]] = []
    for terms, col in cons:
        known = [(k, s) for k, s in terms if k in cuts]
        signs = {s for k, s in terms if k not in cuts}
        kind = "eq" if not signs else ("le" if signs == {1} else "ge" if signs == {-1} else "")
        if kind and known:
            rel.append((known, col, kind))
    if all(len(c) == 1 for c in cuts.values()):  # the common case: nothing to choose, the relations hold or not
        sums = [sum(s * cuts[k][0][col] for k, s in terms) for terms, col, _ in rel]
        ok = all(v == 0 if kind == "eq" else v <= 0 if kind == "le" else v >= 0
                 for v, (_, _, kind) in zip(sums, rel, strict=True))
        return {k: {0} if ok else set() for k in cuts}
    order = sorted(cuts, key=lambda k: len(cuts[k]))
    lo = [sum(min(s * c[col] for c in cuts[k]) for k, s in t) for t, col, _ in rel]
    hi = [sum(max(s * c[col] for c in cuts[k]) for k, s in t) for t, col, _ in rel]
    touch: dict[str, list[tuple[int, int, int]]] = {k: [] for k in cuts}
    for ci, (terms, col, _) in enumerate(rel):
        for k, s in terms:
            touch[k].append((ci, s, col))
    mins = {k: [min(c[col] for c in cuts[k]) for col in range(len(cuts[k][0]))] for k in cuts}
    maxs = {k: [max(c[col] for c in cuts[k]) for col in range(len(cuts[k][0]))] for k in cuts}
    used: dict[str, set[int]] = {k: set() for k in cuts}
    chosen: dict[str, int] = {}
    nodes = [0]

    kinds = [kind for _, _, kind in rel]

    def holds(i: int) -> bool:
        kind = kinds[i]
        return (lo[i] <= 0 <= hi[i]) if kind == "eq" else (lo[i] <= 0 if kind == "le" else hi[i] >= 0)

    def feasible() -> bool:
        return all(holds(i) for i in range(len(rel)))

    def go(depth: int) -> bool:
        nodes[0] += 1
        if nodes[0] > cap:
            return False
        if depth == len(order):
            for k, i in chosen.items():
                used[k].add(i)
            return True
        key = order[depth]
        for i, cut in enumerate(cuts[key]):
            delta = [(ci, s * (cut[col] - (mins if s > 0 else maxs)[key][col]),
                      s * (cut[col] - (maxs if s > 0 else mins)[key][col])) for ci, s, col in touch[key]]
            for ci, dl, dh in delta:
                lo[ci] += dl
                hi[ci] += dh
            chosen[key] = i
            # Only the relations this row takes part in changed; the others held on the way down.
            ok = go(depth + 1) if all(holds(ci) for ci, _, _ in delta) else True
            for ci, dl, dh in delta:
                lo[ci] -= dl
                hi[ci] -= dh
            del chosen[key]
            if not ok:
                return False
        return True

    if not feasible():
        return {k: set() for k in cuts}
    return used if go(0) else None


def _implied(table: dict, free: list[str], cons: list[tuple[list[tuple[str, int]], int]]) -> dict:
    """Values the arithmetic forces on rows printed without digits (for the finding's message only).

    One unknown in an equation is its remainder; several unknowns of one sign whose remainder is 0 are
    all 0 (counts are never negative).
    """
    work = {k: dict(v) for k, v in table.items()}
    out: dict[str, dict[int, int]] = {}
    for _ in range(3):  # a forced value can settle another equation
        for terms, col in cons:
            name = REQUEST_COLUMNS[col]
            unknown = [(k, s) for k, s in terms if work.get(k, {}).get(name) is None]
            if not unknown or any(k not in free for k, _ in unknown) or len({s for _, s in unknown}) > 1:
                continue
            rest = sum(s * work[k][name] for k, s in terms if (k, s) not in unknown)
            sign = unknown[0][1]
            if len(unknown) == 1 or rest == 0:
                for k, _ in unknown:
                    value = -rest * sign if len(unknown) == 1 else 0
                    out.setdefault(k, {})[col] = value
                    work.setdefault(k, {})[name] = value
    return out


def flat_requests(text: str) -> tuple[dict | None, list[dict]]:
    """Table 3 from flattened text: ``{row: {column: n}}`` with the cells that are certain, and findings."""
    text = to_halfwidth(text)
    chain = _chain(_hits(text, _request_variants()))
    if len(chain) < 5:
        return None, []
    keys = {h.row: REQUEST_ROWS[h.row] for h in chain}
    single_other = (any(keys[h.row] == "other_other" and "处理" in h.variant for h in chain)
                    and not {"other_no_correction", "other_unpaid_fee"} & set(keys.values()))
    skip = frozenset(REQUEST_ROWS.index(k) for k in ("other_no_correction", "other_unpaid_fee")) \
        if single_other else frozenset()
    form_rows = [k for i, k in enumerate(REQUEST_ROWS) if i not in skip]
    regions, unplaced = _regions(text, chain, len(REQUEST_ROWS), skip)
    rows = _Rows()
    for group, runs in unplaced:
        names = ", ".join(REQUEST_ROWS[r] for r in group)
        rows.findings.append(_finding(f"requests.{REQUEST_ROWS[group[0]]}", f"table 3 rows {names}: labels "
                                      f"missing, cannot tell which digits ({runs}) belong to which row; "
                                      "rows not read", found=runs))
    for ri, run in sorted(regions.items()):
        _row_cuts(REQUEST_ROWS[ri], run, rows)
    if not rows.cuts:
        return None, rows.findings
    return _assemble(rows, form_rows)


def _assemble(rows: _Rows, form_rows: list[str]) -> tuple[dict | None, list[dict]]:
    cons = _constraints(form_rows)
    used = _solve(rows.cuts, cons)
    note = ""
    if used is None:
        note = " (search capped)"
        used = {k: set(range(len(c))) for k, c in rows.cuts.items()}
    elif any(not u for u in used.values()):  # the printed totals contradict each other: rows alone decide
        note = " (the column totals R1/R2 do not add up, so they could not help)"
        used = {k: set(range(len(c))) for k, c in rows.cuts.items()}
    table: dict[str, dict] = {}
    findings = list(rows.findings)
    for key in form_rows:
        if key not in rows.cuts:
            continue
        cuts = [rows.cuts[key][i] for i in sorted(used[key])]
        cells = _common(cuts, W)
        if len(cuts) > 1:
            open_cols = [REQUEST_COLUMNS[i] for i, v in enumerate(cells) if v is None]
            findings.append(_finding(f"requests.{key}", f"table 3 row {key}: '{rows.raw[key]}' can be cut "
                                     f"into cells in {len(cuts)} ways consistent with the totals{note}; "
                                     f"{', '.join(open_cols)} left absent", expected=1, found=len(cuts)))
        row = {c: v for c, v in zip(REQUEST_COLUMNS, cells, strict=True) if v is not None}
        if row:
            table[key] = row
    free = [k for k in form_rows if k not in rows.cuts]
    for key, cols in _implied(table, free, cons).items():
        f = next((f for f in findings if f["where"] == f"requests.{key}"), None)
        if f is not None and len(cols) == W:  # reported, not filled in: derived values are another stage's
            f["message"] += " (R1/R2 imply " + " ".join(str(cols[c]) for c in range(W)) + ")"
    for key in form_rows:
        if key not in table and not any(f["where"] == f"requests.{key}" for f in findings):
            findings.append(_finding(f"requests.{key}", f"table 3 row {key} not found"))
    return (table or None), findings


# ---------------------------------------------------------------------------------------------------------
# Table 4 (appeals)

_APPEAL_HEAD = re.compile(r"结\s*果\s*维\s*持|尚\s*未\s*审\s*结|直\s*接\s*起\s*诉")


def _group_ok(acc: list[Cell]) -> bool:
    k = len(APPEAL_COLUMNS)
    return len(acc) % k != 0 or acc[-1] == sum(acc[-k:-1])


def flat_appeals(text: str) -> tuple[dict | None, list[dict]]:
    """Table 4: the first digit run after its header words, cut into 15 cells by R4 per group."""
    text = to_halfwidth(text)
    heads = list(_APPEAL_HEAD.finditer(text))
    if not heads:
        return None, []
    region = _ENUMERATOR.sub("|", _YEAR.sub("|", text[heads[-1].end():]))
    m = next((m for m in _RUN.finditer(region) if any(ch.isdigit() for ch in m.group())), None)
    if m is None or _STOP.search(region[: m.start()]):
        return None, []
    run = m.group().strip(" .")
    n = len(APPEAL_GROUPS) * len(APPEAL_COLUMNS)
    cuts = split_cells(run, ["int"] * n, _group_ok)
    if cuts is None or not cuts:
        plain = split_cells(run, ["int"] * n) if cuts is not None and _direct(run, n) else None
        if not plain:
            why = "too long to cut" if cuts is None else "no cut in which each group's 总计 is its parts' sum"
            return None, [_finding("appeals", f"table 4: digit string '{run}': {why}; table not read",
                                   found=run)]
        cuts = plain
    cells = _common(cuts, n)
    k = len(APPEAL_COLUMNS)
    table: dict[str, dict] = {}
    findings: list[dict] = []
    for gi, group in enumerate(APPEAL_GROUPS):
        part = cells[gi * k:(gi + 1) * k]
        row = {c: v for c, v in zip(APPEAL_COLUMNS, part, strict=True) if v is not None}
        if len(row) < k:
            findings.append(_finding(f"appeals.{group}", f"table 4 group {group}: '{run}' can be cut in "
                                     f"{len(cuts)} ways with each group adding up; uncertain cells left "
                                     "absent", expected=1, found=len(cuts)))
        if row:
            table[group] = row
    return (table or None), findings


# ---------------------------------------------------------------------------------------------------------
# Table 2 (proactive)


_COUNT_UNITS = frozenset("件个项条次家人份")


def _proactive_fields(text: str) -> dict[str, list[str]]:
    conf = _labels()["proactive"]
    compact = "".join(text.split())
    form = "2019" if any(w in compact for w in conf["form_2019_words"]) else "2021"
    return conf[f"default_fields_{form}"]


def _kind(field_key: str) -> str:
    conf = _labels()["proactive"]
    return "money" if field_key in conf["money_fields"] else "signed" if field_key == "items_change" else "int"


def flat_proactive(text: str) -> tuple[dict | None, list[dict]]:
    """Table 2: each row label followed by its glued cells; only cuts unique under the digit rule count."""
    table, findings, _ = _read_proactive(text)
    return table, findings


def _read_proactive(text: str) -> tuple[dict | None, list[dict], set[str]]:
    """Table 2, findings, and the rows whose cells were glued (a run that needed cutting, or a year cut off)."""
    text = to_halfwidth(text)
    conf = _labels()["proactive"]
    fields = _proactive_fields(text)
    keys = [r["key"] for r in conf["rows"] if r["key"] in fields]
    variants = [tuple(r["labels"]) for r in conf["rows"] if r["key"] in fields]
    # A table-2 label is followed directly by its digits; a label in running text is not.
    hits = [h for h in _hits(text, variants) if re.match(r"[\s\u3000]*-?\d", text[h.end:])]
    chain = _chain(hits)
    if len(chain) < 2:  # one label with a number is running text, not table 2
        return None, [], set()
    table: dict[str, dict] = {}
    findings: list[dict] = []
    glued: set[str] = set()
    for n, hit in enumerate(chain):
        key = keys[hit.row]
        stop = chain[n + 1].start if n + 1 < len(chain) else len(text)
        region = _YEAR.sub("|", text[hit.end:stop])
        m = _RUN.match(region.lstrip(" \u3000"))
        if not m:
            continue
        run = m.group().strip(" .")
        after = region.lstrip(" \u3000")[m.end():m.end() + 2]
        if after[:1] and after[0] in _COUNT_UNITS:
            continue  # "规章13件": a count in running text
        kinds = [_kind(f) for f in fields[key]]
        if len(run.split()) != len(kinds) or after.startswith("|"):
            glued.add(key)
        cuts = split_cells(run, kinds) or []
        cells = _common(cuts, len(kinds)) if cuts else [None] * len(kinds)
        row: dict[str, Cell] = {}
        for f, v in zip(fields[key], cells, strict=True):
            if v is not None:
                yuan = kinds[-1] == "money" and after.startswith("元")
                row[f] = float(v) / 10000 if f in conf["money_fields"] and yuan else \
                    float(v) if f in conf["money_fields"] else v
        if len(row) < len(kinds):
            why = f"{len(cuts)} possible cuts" if cuts else "no cut"
            findings.append(_finding(f"proactive.{key}", f"table 2 row {key}: '{run}' has {why} into "
                                     f"{len(kinds)} cells; uncertain cells left absent", found=run))
        if row:
            table[key] = row
    return (table or None), findings, glued


# ---------------------------------------------------------------------------------------------------------
# Hook for tables.parse_tables

_FLAT = {"proactive": flat_proactive, "requests": flat_requests, "appeals": flat_appeals}


def _cells(table: dict | None) -> int:
    return sum(len(cols) for cols in (table or {}).values())


def _merge_proactive(text: str, table: dict | None, findings: list[dict]) -> tuple[dict | None, list[dict]]:
    """Table 2 row by row: a glued row is the flat reader's (the other reading took the run for one
    number); any other row keeps the other reading, which knows the headers; rows only one has are kept."""
    flat, flat_findings, glued = _read_proactive(text)
    table, flat = table or {}, flat or {}
    mine = glued | (set(flat) - set(table))
    rows = {k: (flat.get(k) if k in mine else table.get(k)) for k in set(table) | set(flat)}
    order = [r["key"] for r in _labels()["proactive"]["rows"]]
    merged = {k: rows[k] for k in order if rows.get(k)}

    def row_of(f: dict) -> str:
        return f["where"].split(".")[1] if "." in f["where"] else ""

    out = [f for f in findings if row_of(f) not in mine] + [f for f in flat_findings if row_of(f) in mine]
    return (merged or None), out


def improve(key: str, own: Sequence[Block], everything: Sequence[Block], table: dict | None,
            findings: list[dict]) -> tuple[dict | None, list[dict]]:
    """The flat reading of table ``key`` when it reads more than the parsers of ``tables`` did.

    Rows the flat reader located override the other reading (a glued run read as one number is wrong);
    rows only the other reading has are kept.
    """
    if key not in _FLAT or (key != "proactive" and table is not None and not findings):
        return table, findings
    if key == "proactive":
        return _merge_proactive(_text_of(own) or _text_of(everything), table, findings)
    flat, flat_findings = None, []
    for blocks in (own, everything):
        text = _text_of(blocks)
        if text.strip():
            flat, flat_findings = _FLAT[key](text)
            if flat is not None:
                break
    if flat is None:
        return (table, findings) if table is not None else (None, findings + flat_findings)
    if _cells(flat) > _cells(table) or (_cells(flat) == _cells(table) and len(flat_findings) < len(findings)):
        return flat, flat_findings
    return table, findings
