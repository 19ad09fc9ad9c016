"""Ruled tables of a PDF page straight from pdfium: the lattice algorithm of pdfplumber, without pdfminer.

pdfplumber's ``page.find_tables()`` (default "lines" strategy) + ``table.extract()`` costs ~150 ms a page
because pdfminer interprets the whole page in Python. pdfium parses a page in a few ms and exposes
its vector paths and character boxes; this module rebuilds pdfplumber's table finder on top of them:

1. edges: every painted path is split into subpaths; consecutive points that share an x (or a y)
   give a vertical (horizontal) edge — exactly the edges pdfplumber derives from pdfminer's
   lines, rects and curves (a rect is 4 such pairs; a thin filled rect is two close parallel edges
   that snapping fuses);
2. snap edges within 3 pt to their average position, join collinear pieces within 3 pt, drop
   edges shorter than 3 pt;
3. intersections within 3 pt, then for each intersection the smallest cell whose four corners
   are intersections connected by common edges;
4. tables = groups of cells connected by shared corners (single-cell groups are dropped);
5. grid rows = distinct cell tops, grid columns = distinct cell lefts; a merged cell sits in its
   top-left grid position and the positions it covers are '' (pdfplumber gives None there);
6. a character belongs to the cell holding the midpoint of its box; a cell's text is its lines
   top to bottom, each left to right, with a space where pdfplumber's word extractor would put
   one (a space character or a gap wider than 3 pt), lines joined with nothing (no "\\n").

Coordinates are pdfplumber's: x from the left, ``top`` = media-box height − pdf y (on a page
turned by /Rotate, of the page as displayed).
"""

from __future__ import annotations

import bisect
import ctypes
import struct
from collections import defaultdict
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# pdfplumber's TableSettings defaults (snap/join/intersection tolerance, edge length filters).
SNAP_TOLERANCE = 3.0
JOIN_TOLERANCE = 3.0
INTERSECTION_TOLERANCE = 3.0
EDGE_MIN_LENGTH = 3.0
EDGE_MIN_LENGTH_PREFILTER = 1.0
# pdfplumber's extract_text defaults: chars more than 3 pt apart start a new word / line.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0
MAX_FORM_DEPTH = 8

Bbox = tuple[float, float, float, float]
_Matrix = tuple[float, float, float, float, float, float]
# pdfium's CFX_Path::Point, read directly by _EdgeCollector._segments; None until checked against the API.
_SEG = struct.Struct("<ffBBxx")
_SEG_LAYOUT_OK: bool | None = None


@dataclass
class PdfTable:
    """One ruled table: its box and its grid of cell texts (pdfplumber's ``extract()``, None → '')."""

    bbox: Bbox
    rows: list[list[str]]
    # Box of each grid row (union of the cells that start in it), as pdfplumber's ``Table.rows[i].bbox``:
    # the loader uses it to cut prose rows off a page frame that was taken for a table.
    row_bboxes: list[Bbox] = field(default_factory=list)
    # Every cell box, row by row; None where a merged cell covers the grid position.
    cells: list[list[Bbox | None]] = field(default_factory=list)
    # (row, column) of cells holding a text object that pdfium's text layer skips (a single CJK glyph
    # of a non-embedded font when no CJK system font is installed): their text is incomplete, and
    # a caller that needs it exact should read this page another way (pdfplumber).
    lost_text_cells: list[tuple[int, int]] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# 1. Edges from the page's path objects

# The pdfium calls this module makes by the thousand, re-declared on plain ``void*`` handles: pypdfium2's
# typed pointers cost a Python object per returned handle and a type check per argument (measured:
# 30-50% of each call). Same library, same symbols; only the ctypes prototypes differ.
_VP = ctypes.c_void_p
_INT = ctypes.c_int
_PF = ctypes.POINTER(ctypes.c_float)


def _proto(func, restype, *argtypes):
    return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(func, _VP).value)


_count_objects = _proto(pdfium_c.FPDFPage_CountObjects, _INT, _VP)
_get_object = _proto(pdfium_c.FPDFPage_GetObject, _VP, _VP, _INT)
_form_count_objects = _proto(pdfium_c.FPDFFormObj_CountObjects, _INT, _VP)
_form_get_object = _proto(pdfium_c.FPDFFormObj_GetObject, _VP, _VP, ctypes.c_ulong)
_get_type = _proto(pdfium_c.FPDFPageObj_GetType, _INT, _VP)
_get_matrix = _proto(pdfium_c.FPDFPageObj_GetMatrix, _INT, _VP, ctypes.POINTER(pdfium_c.FS_MATRIX))
_get_bounds = _proto(pdfium_c.FPDFPageObj_GetBounds, _INT, _VP, _PF, _PF, _PF, _PF)
_count_segments = _proto(pdfium_c.FPDFPath_CountSegments, _INT, _VP)
_get_segment = _proto(pdfium_c.FPDFPath_GetPathSegment, _VP, _VP, _INT)
_segment_point = _proto(pdfium_c.FPDFPathSegment_GetPoint, _INT, _VP, _PF, _PF)
_segment_type = _proto(pdfium_c.FPDFPathSegment_GetType, _INT, _VP)
_text_font = _proto(pdfium_c.FPDFTextObj_GetFont, _VP, _VP)
_font_embedded = _proto(pdfium_c.FPDFFont_GetIsEmbedded, _INT, _VP)
_loose_box = _proto(pdfium_c.FPDFText_GetLooseCharBox, _INT, _VP, _INT, ctypes.POINTER(pdfium_c.FS_RECTF))
_is_generated = _proto(pdfium_c.FPDFText_IsGenerated, _INT, _VP, _INT)

_PATH, _TEXT, _FORM = pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_FORM
_MOVE, _LINE, _BEZIER = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO


def _handle(obj) -> int:
    """The address behind a pypdfium2 helper object (PdfPage, PdfTextPage) or raw pointer."""
    return ctypes.cast(getattr(obj, "raw", obj), _VP).value or 0


def _mat_mul(m: _Matrix, n: _Matrix) -> _Matrix:
    """m then n (PDF row-vector convention: p' = p·m·n)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


class _EdgeCollector:
    """Vertical edges (x, top, bottom) and horizontal edges (top, x0, x1) of one page, pdfplumber-style."""

    def __init__(self, page_matrix: _Matrix) -> None:
        # User space → pdfplumber's (x, top): see _page_matrix.
        self.page = page_matrix
        self.v: list[tuple[float, float, float]] = []
        self.h: list[tuple[float, float, float]] = []
        # Text objects, looked at only if the page has a table (see _lost_text_points).
        self.texts: list[tuple[int, _Matrix | None]] = []
        # Reused ctypes out-parameters: allocating them per call costs more than the call itself.
        self._m = pdfium_c.FS_MATRIX()
        self._m_ref = ctypes.byref(self._m)
        self._x = ctypes.c_float()
        self._y = ctypes.c_float()

    def walk(self, holder: int, parent: _Matrix | None = None, depth: int = 0) -> None:
        """Every object of a page (``depth`` 0) or of a form XObject, forms recursively;
        ``parent`` maps the holder's space to the page's user space (None on the page itself)."""
        count, get = (_count_objects, _get_object) if depth == 0 else (_form_count_objects, _form_get_object)
        for i in range(count(holder)):
            obj = get(holder, i)
            kind = _get_type(obj)
            if kind == _PATH:
                # pdfium keeps no object for an unpainted path ("re n", clip-only "W n"), and
                # pdfminer does not draw one either: every path object counts.
                self._path(obj, parent)
            elif kind == _TEXT:
                self.texts.append((obj, parent))
            elif kind == _FORM and depth < MAX_FORM_DEPTH:
                _get_matrix(obj, self._m_ref)
                m = self._m
                own = (m.a, m.b, m.c, m.d, m.e, m.f)
                self.walk(obj, own if parent is None else _mat_mul(own, parent), depth + 1)

    def _path(self, obj: int, parent: _Matrix | None) -> None:
        n = _count_segments(obj)
        if n < 2:
            return
        _get_matrix(obj, self._m_ref)
        m = self._m
        own = (m.a, m.b, m.c, m.d, m.e, m.f)
        a, b, c, d, e, f = _mat_mul(own if parent is None else _mat_mul(own, parent), self.page)
        segs = self._segments(obj, n)
        if n == 5 and segs[0][2] == _MOVE and segs[1][2] == segs[2][2] == segs[3][2] == segs[4][2] == _LINE:
            # The common case, one "re" (or m l l l h): no subpaths to split, no curves.
            self._subpath([(a * px + c * py + e, b * px + d * py + f) for px, py, _t in segs], True)
            return
        pts: list[tuple[float, float]] = []
        only_lines = True
        bez = 0
        for px, py, t in segs:
            if t == _MOVE:
                self._subpath(pts, only_lines)
                pts = []
                only_lines = True
            elif t == _BEZIER:
                only_lines = False
                # A Bézier is three segments (two control points, then the end point); pdfminer keeps
                # only the end point of each curve.
                bez += 1
                if bez % 3:
                    continue
            pts.append((a * px + c * py + e, b * px + d * py + f))
        self._subpath(pts, only_lines)

    def _segments_api(self, obj: int, n: int) -> list[tuple[float, float, int]]:
        x_, y_ = self._x, self._y
        out = []
        for i in range(n):
            seg = _get_segment(obj, i)
            _segment_point(seg, x_, y_)
            out.append((x_.value, y_.value, _segment_type(seg)))
        return out

    def _segments(self, obj: int, n: int) -> list[tuple[float, float, int]]:
        """(x, y, segment type) of a path's points in object space.

        Three calls per point would be most of the cost of a ruled page, so the points are read in
        one go from pdfium's own array (``std::vector<CFX_Path::Point>``: float x, float y, uint8
        type, bool close, 2 bytes padding; types numbered as FPDF_SEGMENT_*). That layout is
        checked against the public API once per process and the array's contiguity per path; on
        any mismatch this falls back to the API.
        """
        global _SEG_LAYOUT_OK
        if _SEG_LAYOUT_OK is not False:
            first = _get_segment(obj, 0)
            last = _get_segment(obj, n - 1)
            if first and last and last - first == (n - 1) * _SEG.size:
                segs = [(x, y, t) for x, y, t, _close in _SEG.iter_unpack(ctypes.string_at(first, n * _SEG.size))]
                if _SEG_LAYOUT_OK is None:
                    _SEG_LAYOUT_OK = segs == self._segments_api(obj, n)
                if _SEG_LAYOUT_OK:
                    return segs
        return self._segments_api(obj, n)

    def _subpath(self, pts: list[tuple[float, float]], only_lines: bool) -> None:
        if len(pts) < 2:
            return
        if only_lines and (len(pts) == 2 or (len(pts) == 3 and pts[2] == pts[0])):
            # pdfminer makes an LTLine of "m l" / "m l h", and pdfplumber calls every line that is
            # not exactly horizontal a vertical edge at its left end — diagonals included.
            (x0, t0), (x1, t1) = pts[0], pts[1]
            if t0 == t1:
                if abs(x1 - x0) >= EDGE_MIN_LENGTH_PREFILTER:
                    self.h.append((t0, min(x0, x1), max(x0, x1)))
            elif abs(t1 - t0) >= EDGE_MIN_LENGTH_PREFILTER:
                self.v.append((min(x0, x1), min(t0, t1), max(t0, t1)))
            return
        # Rects and other polygons: each axis-parallel side (exact equality, as pdfplumber) is an edge.
        v, h = self.v, self.h
        x0, t0 = pts[0]
        for x1, t1 in pts[1:]:
            if x0 == x1:
                if t1 - t0 >= EDGE_MIN_LENGTH_PREFILTER:
                    v.append((x0, t0, t1))
                elif t0 - t1 >= EDGE_MIN_LENGTH_PREFILTER:
                    v.append((x0, t1, t0))
            elif t0 == t1:
                if x1 - x0 >= EDGE_MIN_LENGTH_PREFILTER:
                    h.append((t0, x0, x1))
                elif x0 - x1 >= EDGE_MIN_LENGTH_PREFILTER:
                    h.append((t0, x1, x0))
            x0, t0 = x1, t1


def _page_matrix(page: pdfium.PdfPage) -> _Matrix:
    """The map from PDF user space to pdfplumber's coordinates (x, top), as a PDF matrix.

    pdfminer turns the page by its /Rotate and moves the media box origin to 0 (its
    ``process_page`` CTM); pdfplumber then flips y against the (turned) media-box height and puts
    the box's x origin back. For an unturned page at the origin this is x, top = x, height − y.
    """
    mb = (ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float())
    if pdfium_c.FPDFPage_GetMediaBox(page.raw, *mb):
        x0, y0, x1, y1 = (v.value for v in mb)
    else:  # pdfium does not look up a media box inherited from the page tree; its bounding box does
        x0, y0, x1, y1 = page.get_bbox()
    x0, x1 = sorted((x0, x1))
    y0, y1 = sorted((y0, y1))
    rotation = page.get_rotation() % 360
    ctm = {90: (0.0, -1.0, 1.0, 0.0, -y0, x1), 180: (-1.0, 0.0, 0.0, -1.0, x1, y1),
           270: (0.0, 1.0, -1.0, 0.0, y1, -x0)}.get(rotation, (1.0, 0.0, 0.0, 1.0, -x0, -y0))
    left, bottom, top = (y0, x0, x1) if rotation in (90, 270) else (x0, y0, y1)
    height = top - bottom
    return _mat_mul(ctm, (1.0, 0.0, 0.0, -1.0, left, 2 * height - top))


# ---------------------------------------------------------------------------------------------
# 2. Snap, join, filter (pdfplumber's merge_edges)


def _snap(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Move edges whose position (first field) is within tolerance of a neighbour to the group's mean."""
    if not edges:
        return []
    values = sorted({e[0] for e in edges})
    # Chained clustering of the distinct values, as pdfplumber's cluster_list.
    cluster_of: dict[float, int] = {}
    k = 0
    last = values[0]
    for v in values:
        if v > last + SNAP_TOLERANCE:
            k += 1
        cluster_of[v] = k
        last = v
    sums = [0.0] * (k + 1)
    counts = [0] * (k + 1)
    for e in edges:
        j = cluster_of[e[0]]
        sums[j] += e[0]
        counts[j] += 1
    return [(sums[cluster_of[e[0]]] / counts[cluster_of[e[0]]], e[1], e[2]) for e in edges]


def _join(edges: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Join collinear edges whose ends are within tolerance; drop the short ones afterwards."""
    out: list[tuple[float, float, float]] = []
    groups: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for pos, lo, hi in edges:
        groups[pos].append((lo, hi))
    for pos in sorted(groups):
        spans = sorted(groups[pos])
        cur_lo, cur_hi = spans[0]
        for lo, hi in spans[1:]:
            if lo <= cur_hi + JOIN_TOLERANCE:
                cur_hi = max(cur_hi, hi)
            else:
                out.append((pos, cur_lo, cur_hi))
                cur_lo, cur_hi = lo, hi
        out.append((pos, cur_lo, cur_hi))
    return [e for e in out if e[2] - e[1] >= EDGE_MIN_LENGTH]


# ---------------------------------------------------------------------------------------------
# 3.–5. Intersections, cells, tables, grid


def _cells(v_edges: list[tuple[float, float, float]], h_edges: list[tuple[float, float, float]]) -> list[Bbox]:
    """pdfplumber's edges_to_intersections + intersections_to_cells, with edge ids instead of bboxes."""
    tol = INTERSECTION_TOLERANCE
    v_edges = sorted(v_edges)
    h_edges = sorted(h_edges)
    # Horizontal edges by y; after joining, those on one y are disjoint, so their ends ascend too.
    h_rows: dict[float, list[int]] = defaultdict(list)
    for i, (y, _x0, _x1) in enumerate(h_edges):
        h_rows[y].append(i)
    h_ys = sorted(h_rows)
    vs_at: dict[tuple[float, float], set[int]] = {}
    hs_at: dict[tuple[float, float], set[int]] = {}
    for vi, (x, top, bottom) in enumerate(v_edges):
        # Only horizontal edges whose y lies within the vertical edge's span (± tolerance) can cross it,
        # and on each such y only the pieces reaching to within tolerance of x.
        for yi in range(bisect.bisect_left(h_ys, top - tol), bisect.bisect_right(h_ys, bottom + tol)):
            y = h_ys[yi]
            row = h_rows[y]
            k = bisect.bisect_right(row, x + tol, key=lambda i: h_edges[i][1])
            while k > 0 and h_edges[row[k - 1]][2] + tol >= x:
                k -= 1
                p = (x, y)
                if p not in vs_at:
                    vs_at[p] = set()
                    hs_at[p] = set()
                vs_at[p].add(vi)
                hs_at[p].add(row[k])
    points = sorted(vs_at)
    by_x: dict[float, list[tuple[float, float]]] = defaultdict(list)
    by_y: dict[float, list[tuple[float, float]]] = defaultdict(list)
    for p in points:  # sorted by (x, y): each list comes out in ascending order
        by_x[p[0]].append(p)
        by_y[p[1]].append(p)
    # A point's position in its column and in its row: the points below / to the right follow it,
    # and only those up to the far end of the point's own edges can share an edge with it.
    at_x = {p: i for col in by_x.values() for i, p in enumerate(col)}
    at_y = {p: i for row in by_y.values() for i, p in enumerate(row)}
    col_ys = {x: [p[1] for p in col] for x, col in by_x.items()}
    row_xs = {y: [p[0] for p in row] for y, row in by_y.items()}
    cells: list[Bbox] = []
    for pt in points:
        x, y = pt
        reach_down = max(v_edges[i][2] for i in vs_at[pt]) + tol
        reach_right = max(h_edges[i][2] for i in hs_at[pt]) + tol
        below = by_x[x][at_x[pt] + 1:bisect.bisect_right(col_ys[x], reach_down)]
        right = by_y[y][at_y[pt] + 1:bisect.bisect_right(row_xs[y], reach_right)]
        found = None
        for b in below:
            if not vs_at[pt] & vs_at[b]:
                continue
            for r in right:
                if not hs_at[pt] & hs_at[r]:
                    continue
                corner = (r[0], b[1])
                if corner in vs_at and vs_at[corner] & vs_at[r] and hs_at[corner] & hs_at[b]:
                    found = (x, y, r[0], b[1])
                    break
            if found:
                break
        if found:
            cells.append(found)
    return cells


def _group_cells(cells: list[Bbox]) -> list[list[Bbox]]:
    """Cells connected through shared corners, tables ordered top to bottom then left to right."""
    parent = list(range(len(cells)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[float, float], int] = {}
    for i, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, i)
            if j != i:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[ri] = rj
    groups: dict[int, list[Bbox]] = defaultdict(list)
    for i, c in enumerate(cells):
        groups[find(i)].append(c)
    tables = [g for g in groups.values() if len(g) > 1]
    tables.sort(key=lambda g: min((c[1], c[0]) for c in g))
    return tables


def _grid(cells: list[Bbox]) -> list[list[Bbox | None]]:
    """Rows of cells by distinct top, columns by distinct left; None where no cell starts."""
    xs = sorted({c[0] for c in cells})
    rows: dict[float, dict[float, Bbox]] = defaultdict(dict)
    for c in sorted(cells, key=lambda c: (c[1], c[0])):
        rows[c[1]][c[0]] = c
    return [[rows[top].get(x) for x in xs] for top in sorted(rows)]


# ---------------------------------------------------------------------------------------------
# 6. Text


# (char, x0, top, x1, bottom, horizontal midpoint, vertical midpoint)
_Char = tuple[str, float, float, float, float, float, float]


def _page_chars(textpage: pdfium.PdfTextPage, page_matrix: _Matrix) -> list[_Char]:
    """(char, x0, top, x1, bottom, mid x, mid top) of every real character; pdfium's generated
    spaces and line breaks are left out (pdfplumber decides word gaps from the geometry instead)."""
    tp = _handle(textpage)
    n = textpage.count_chars()
    if n <= 0:
        return []
    text = textpage.get_text_range(0, n)
    # One text unit per char index, unless pdfium dropped control characters from the text or a
    # character needs a surrogate pair: then ask char by char.
    exact = len(text) == n
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    raw: list[tuple[int, str, float, float, float, float]] = []
    for i in range(n):
        ch = text[i] if exact else chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD)
        if ch in "\r\n\x00\x02\ufffe":
            continue
        if ch == " " and _is_generated(tp, i):
            continue
        # Loose box: advance width × the font's ascent/descent, like pdfminer's char box.
        _loose_box(tp, i, rect_ref)
        raw.append((i, ch, rect.left, rect.top, rect.right, rect.bottom))
    if not raw:
        return []
    heights = sorted(r[3] - r[5] for r in raw)
    typical = heights[len(heights) // 2]
    a, b, c, d, e, f = page_matrix
    plain = b == 0 and c == 0 and a > 0 and d < 0  # page not turned: a box maps corner for corner
    out: list[_Char] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    for i, ch, x0, y1, x1, y0 in raw:
        if y1 - y0 > 2.5 * typical:
            # pdfium's loose box of a vertical-writing CID font ignores the text matrix, so with a
            # scaled matrix (Tf 199 + Tm 0.05) it is 20× too big; the glyph box is right.
            pdfium_c.FPDFText_GetCharBox(textpage.raw, i, left, right, bottom, top)
            tw, th = right.value - left.value, top.value - bottom.value
            if x1 - x0 > 3 * tw and y1 - y0 > 3 * th:
                x0, x1, y0, y1 = left.value, right.value, bottom.value, top.value
        if plain:
            out.append((ch, a * x0 + e, d * y1 + f, a * x1 + e, d * y0 + f,
                        a * (x0 + x1) / 2 + e, d * (y0 + y1) / 2 + f))
        else:
            out.append(_turned_char(ch, x0, y0, x1, y1, page_matrix))
    return out


def _turned_char(ch: str, x0: float, y0: float, x1: float, y1: float, m: _Matrix) -> _Char:
    a, b, c, d, e, f = m
    xs = [a * x + c * y + e for x in (x0, x1) for y in (y0, y1)]
    ts = [b * x + d * y + f for x in (x0, x1) for y in (y0, y1)]
    left, right, top, bottom = min(xs), max(xs), min(ts), max(ts)
    return (ch, left, top, right, bottom, (left + right) / 2, (top + bottom) / 2)


def _lost_text_points(texts: list[tuple[int, _Matrix | None]], page_matrix: _Matrix) -> list[tuple[float, float]]:
    """Where pdfium's text layer silently skips a text object: it drops objects whose box has zero
    width, which is what a single CJK glyph of a non-embedded font (e.g. STSong-Light) measures
    when no CJK system font is installed. Returns (x, top) just above each such object's baseline."""
    pts = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for obj, parent in texts:
        if not _get_bounds(obj, left, bottom, right, top):
            continue
        x0, y0 = left.value, bottom.value
        if right.value - x0 >= 0.01:  # pdfium's own test is on the object's box before any form matrix
            continue
        font = _text_font(obj)
        if font and _font_embedded(font):
            continue  # an embedded font measures its glyphs: a zero-width object is a blank
        # A point just above the baseline, inside the glyph.
        a, b, c, d, e, f = page_matrix if parent is None else _mat_mul(parent, page_matrix)
        x, y = x0 + 0.5, y0 + 1.0
        pts.append((a * x + c * y + e, b * x + d * y + f))
    return pts


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Chars clustered into lines by top (chained, within 3 pt), top to bottom."""
    tops = [c[2] for c in chars]
    if max(tops) - min(tops) <= Y_TOLERANCE:
        return [chars]
    line_of: dict[float, int] = {}
    k = 0
    last = None
    for t in sorted(set(tops)):
        if last is not None and t > last + Y_TOLERANCE:
            k += 1
        line_of[t] = k
        last = t
    lines: list[list[_Char]] = [[] for _ in range(k + 1)]
    for c in chars:
        lines[line_of[c[2]]].append(c)
    return lines


def _cell_text(chars: list[_Char]) -> str:
    """pdfplumber's extract_text (lines by top within 3 pt, chars left to right, words split at
    spaces and gaps over 3 pt), with the lines joined by nothing instead of a newline."""
    if len(chars) == 1:
        return "" if chars[0][0].isspace() else chars[0][0]
    out: list[str] = []
    for line in _lines(chars):
        line.sort(key=_X_ORDER)
        text: list[str] = []
        prev = None
        for c in line:
            if c[0].isspace():
                prev = None
                if text and text[-1] != " ":
                    text.append(" ")
                continue
            if prev is not None and (c[1] > prev[3] + X_TOLERANCE or abs(c[2] - prev[2]) > Y_TOLERANCE):
                text.append(" ")
            text.append(c[0])
            prev = c
        out.append("".join(text).strip())
    return "".join(out)


def _X_ORDER(c: _Char) -> tuple[float, float]:
    return (c[1], c[3])


def _fill(grid: list[list[Bbox | None]], bbox: Bbox, chars: list[_Char],
          lost: list[tuple[float, float]]) -> tuple[list[list[str]], list[tuple[int, int]]]:
    """Text of every cell: the characters whose box midpoint lies in it (half-open, as pdfplumber);
    plus the (row, column) of cells holding a text object pdfium's text layer skipped."""
    cells = [c for row in grid for c in row if c is not None]
    ys = sorted({v for c in cells for v in (c[1], c[3])})
    xs = sorted({v for c in cells for v in (c[0], c[2])})
    y_index = {v: i for i, v in enumerate(ys)}
    x_index = {v: i for i, v in enumerate(xs)}
    # Bucket cells by the elementary bands they cover, so each char checks a handful of cells.
    buckets: dict[tuple[int, int], list[Bbox]] = defaultdict(list)
    for c in cells:
        for yi in range(y_index[c[1]], y_index[c[3]]):
            for xi in range(x_index[c[0]], x_index[c[2]]):
                buckets[(yi, xi)].append(c)
    x0, top, x1, bottom = bbox
    bisect_right = bisect.bisect_right

    def holders(hx: float, vy: float) -> list[Bbox]:
        key = (bisect_right(ys, vy) - 1, bisect_right(xs, hx) - 1)
        return [c for c in buckets.get(key, ()) if c[0] <= hx < c[2] and c[1] <= vy < c[3]]

    owned: dict[Bbox, list[_Char]] = defaultdict(list)
    for ch in chars:
        hx, vy = ch[5], ch[6]
        if x0 <= hx < x1 and top <= vy < bottom:
            for c in holders(hx, vy):
                owned[c].append(ch)
    lost_cells = {c for hx, vy in lost if x0 <= hx < x1 and top <= vy < bottom for c in holders(hx, vy)}
    rows = [["" if c is None or c not in owned else _cell_text(owned[c]) for c in row] for row in grid]
    flagged = [(ri, ci) for ri, row in enumerate(grid) for ci, c in enumerate(row) if c in lost_cells]
    return rows, flagged


# ---------------------------------------------------------------------------------------------


def find_tables(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage | None = None) -> list[PdfTable]:
    """Ruled tables of a pypdfium2 page, as pdfplumber's default ``find_tables()`` + ``extract()``.

    ``textpage`` (``page.get_textpage()``) is reused when given — the loader needs one for the
    paragraph text anyway; otherwise one is opened only if the page has a table, and closed again.
    Returns [] for a page without ruled tables.
    """
    matrix = _page_matrix(page)
    col = _EdgeCollector(matrix)
    col.walk(_handle(page))
    v = _join(_snap(col.v))
    h = _join(_snap(col.h))
    if not v or not h:
        return []
    groups = _group_cells(_cells(v, h))
    if not groups:
        return []
    own = textpage is None
    tp = page.get_textpage() if own else textpage
    try:
        chars = _page_chars(tp, matrix)
    finally:
        if own:
            tp.close()
    lost = _lost_text_points(col.texts, matrix)
    tables = []
    for cells in groups:
        grid = _grid(cells)
        bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                max(c[2] for c in cells), max(c[3] for c in cells))
        row_boxes = []
        for row in grid:
            rc = [c for c in row if c is not None]
            row_boxes.append((min(c[0] for c in rc), min(c[1] for c in rc),
                              max(c[2] for c in rc), max(c[3] for c in rc)))
        rows, flagged = _fill(grid, bbox, chars, lost)
        tables.append(PdfTable(bbox=bbox, rows=rows, row_bboxes=row_boxes, cells=grid, lost_text_cells=flagged))
    return tables
