"""OCR of PDF pages without a usable text layer (the ``ocr`` extra), one page at a time.

The engine is RapidOCR on onnxruntime (``rapidocr-onnxruntime``): the PP-OCR Chinese detection,
direction and recognition models ship inside its wheel, so nothing is downloaded at run time. A page
is rendered with pypdfium2 (grey, at ``OCR_DPI``, capped at ``_MAX_PIXELS`` so a huge page costs no
more than a large one), recognised into text boxes with a confidence each, and turned into the
loader's lines and tables: lines are boxes on one baseline; a table is the area between the ruling
lines drawn across the page, its rows the baselines of its boxes and its value columns the
x-positions of its number boxes (each number read from its own box).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import TextmineError
from .limits import OCR_PAGE_TIMEOUT

# 150 dpi: the measured knee (benchmarks/run.py --ocr, docs/performance.md) — table cells of the sample
# scans are all read at 150 and lose digits below 120; 200 costs 1.6x the time for no more cells.
OCR_DPI = 150
_MAX_PIXELS = 2600 * 3600  # an A4 page at 300 dpi: a poster-sized page is rendered no larger
LOW_CONFIDENCE = 0.5  # a number box below this is reported, not trusted (measured: see OCR_DPI)
NO_ENGINE = 'PDF has no text layer (a scan?); OCR it first, or install the OCR extra: pip install "textmine[ocr]"'

_NUMBER = re.compile(r"^[\d０-９][\d０-９,，.]*$")
_CONFUSED = str.maketrans({"O": "0", "o": "0", "D": "0", "l": "1", "I": "1", "|": "1", "S": "5"})


@dataclass(frozen=True)
class Box:
    """One recognised text box in PDF points (top-left origin) with its recognition confidence."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    conf: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


class _PageTimeout(BaseException):
    """Not an Exception: the engine's own ``except Exception`` must not swallow it."""


@lru_cache(maxsize=1)
def engine():
    """The OCR engine, loaded once per process (about 0.5 s); one thread, as batch workers are one a core."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise TextmineError(NO_ENGINE) from None
    # rec_img_shape: recognition input is padded to this width at least; the default 320 costs a full line's
    # work for every "0" of a table (tables are mostly short number boxes): 48 halves a table page's time.
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1, rec_img_shape=[3, 48, 48])


def available() -> bool:
    try:
        engine()
    except TextmineError:
        return False
    return True


def page_deadline(seconds: float):
    """Stop OCR of one page after ``seconds``; an outer alarm (the batch's per-file budget) that would fire
    first is left alone and re-armed for its remaining time afterwards."""
    from .limits import deadline

    return deadline(seconds, _PageTimeout)


def render_scale(width_pt: float, height_pt: float, dpi: float = OCR_DPI) -> float:
    """Pixels per point: ``dpi``, lowered so that the bitmap stays within ``_MAX_PIXELS``."""
    scale = dpi / 72
    pixels = width_pt * height_pt * scale * scale
    if pixels > _MAX_PIXELS:
        scale *= (_MAX_PIXELS / pixels) ** 0.5
    return scale


def read_page(page, timeout: float | None = None) -> tuple[list[Box], list[tuple[float, float]], object, float]:
    """(text boxes, horizontal rules as (top, width), grey bitmap, pixels per point) of one pdfium page,
    in points; TextmineError when OCR takes longer than ``timeout`` seconds."""
    import numpy as np

    timeout = OCR_PAGE_TIMEOUT if timeout is None else timeout
    ocr = engine()
    width, height = page.get_size()
    scale = render_scale(width, height)
    bitmap = page.render(scale=scale, grayscale=True)
    img = bitmap.to_numpy()
    bitmap.close()
    if img.ndim == 3:
        img = img[:, :, 0]
    try:
        with page_deadline(timeout):
            result, _ = ocr(np.ascontiguousarray(img), use_cls=False)
    except _PageTimeout:
        raise TextmineError(f"OCR of a page took longer than {timeout:g} s (TEXTMINE_OCR_PAGE_TIMEOUT)") from None
    boxes = []
    for quad, text, conf in result or []:
        xs, ys = [p[0] for p in quad], [p[1] for p in quad]
        text = text.strip()
        if text:
            boxes.append(Box(text, min(xs) / scale, min(ys) / scale, max(xs) / scale, max(ys) / scale, float(conf)))
    return boxes, _rules(img, scale), img, scale


def read_cell(img, scale: float, x0: float, top: float, x1: float, bottom: float) -> Box | None:
    """Recognise one table cell (points) on its own, when the page's text detection found no box in it
    although it holds ink (a lone "0" in a small cell is what detection misses most); None when blank."""
    crop = img[int(top * scale):int(bottom * scale), int(x0 * scale):int(x1 * scale)]
    if crop.size == 0:
        return None
    best: Box | None = None
    for level in (128, RULE_INK):  # black ink first; then grey too (a small or faint glyph)
        got = _read_ink(crop, crop < level, strokes=level == RULE_INK)
        if got is None:
            continue
        text, conf, (ty, tx, by, bx) = got
        if best is None or (is_number(text), conf) > (is_number(best.text), best.conf):
            best = Box(text, x0 + tx / scale, top + ty / scale, x0 + bx / scale, top + by / scale, conf)
        if is_number(text) and conf >= LOW_CONFIDENCE:
            break
    return best


def _read_ink(crop, ink, strokes: bool):
    """(text, confidence, ink box in pixels) of the glyphs marked in ``ink``; None without any. With
    ``strokes`` (``ink`` holds the grey of the glyphs too), a lone thin upright stroke read as a 1 is one."""
    import numpy as np

    ink = ink.copy()
    ink[ink.mean(axis=1) > 0.3, :] = False  # what is left of a ruling line (skewed: over two rows) is not a glyph
    ink[:, ink.mean(axis=0) > 0.3] = False
    ink[:3], ink[-3:], ink[:, :3], ink[:, -3:] = False, False, False, False  # nor is its blur at the cell's edge
    if ink.sum() < 6:
        return None
    ys, xs = np.nonzero(ink)
    m = 4  # a margin of white around the glyphs, as detection crops them
    glyphs = np.pad(crop[ys.min():ys.max() + 1, xs.min():xs.max() + 1], m, constant_values=255)
    result, _ = engine()(np.ascontiguousarray(glyphs), use_det=False, use_cls=False, use_rec=True)
    if not result or not str(result[0][0]).strip():
        return None
    text, conf = str(result[0][0]).strip(), float(result[0][1])
    h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    if strokes and number_text(text) == "1" and w * 3 <= h and h >= 6:
        # a lone "1" at OCR resolution is a bare stroke the recogniser reads as I or | without trust;
        # the ink's shape (one thin upright stroke alone in a number cell) confirms it
        conf = max(conf, LOW_CONFIDENCE)
    return text, conf, (ys.min(), xs.min(), ys.max(), xs.max())


def longest_runs(mask, axis: int):
    """Per row (axis=1) or column (axis=0) of a boolean image: the longest run of True pixels."""
    import numpy as np

    m = mask if axis == 1 else mask.T
    run = np.zeros(m.shape[0], dtype=np.int32)
    best = np.zeros(m.shape[0], dtype=np.int32)
    for col in m.T:  # one vector step per pixel column: a few ms for a page
        run = (run + 1) * col
        np.maximum(best, run, out=best)
    return best


RULE_INK = 176  # a thin rule is grey at OCR resolution (measured 120-140 on a 150 dpi render of a scan)


def dark(img, across: int):
    """Ink of ruling lines in a grey bitmap: a pixel counts when it or its neighbour along axis ``across``
    (0: the pixel below, 1: the pixel to the right) is darker than ``RULE_INK``. A thin rule rendered at
    OCR resolution (and blurred by a scan's JPEG) falls between two pixel columns or rows, each of them
    only partly dark and grey rather than black; along the rule the mask is unchanged, so glyphs do not
    run together."""
    import numpy as np

    return np.minimum(img, np.roll(img, -1, axis=across)) < RULE_INK


def _rules(img, scale: float) -> list[tuple[float, float]]:
    """Horizontal ruling lines: pixel rows holding an unbroken dark run of a quarter of the page width.
    Text never has one (glyphs are separated), and a rule skewed by a few tenths of a degree still does."""
    runs = longest_runs(dark(img, 0), axis=1)
    out: list[tuple[float, float]] = []
    last = -10
    for y, n in enumerate(runs.tolist()):
        if n < img.shape[1] / 4:
            continue
        if y - last > 3:  # a rule drawn a few pixels thick (or slightly skewed) is one rule
            out.append((y / scale, n / scale))
        last = y
    return out


def table_bands(rules: list[tuple[float, float]], img, scale: float, line_height: float) -> list[tuple[float, float]]:
    """(top, bottom) of each ruled table: runs of horizontal rules where a vertical rule (the table's border
    at least) joins each rule to the next; between two tables a heading line separates them instead."""
    bands: list[list[float]] = []
    for top, _ in rules:
        if bands and _joined(img, scale, bands[-1][1], top):
            bands[-1][1] = top
        else:
            bands.append([top, top])
    return [(a, _open_bottom(img, scale, a, b)) for a, b in bands if b - a > line_height]


def _open_bottom(img, scale: float, top: float, bottom: float) -> float:
    """The bottom of a table band, moved down to where its vertical rules end when they run on below its
    last horizontal rule: a table that goes on over the page break has no closing rule on this page."""
    import numpy as np

    mask = dark(img, 1)
    y = int(bottom * scale) + 3
    above = mask[int(top * scale) + 3:int(bottom * scale) - 2]
    if y >= mask.shape[0] or above.shape[0] == 0:
        return bottom
    cols = np.nonzero(above.mean(axis=0) >= 0.9)[0]  # the vertical rules of the band
    if len(cols) < 2:
        return bottom
    below = mask[y:, cols]
    runs = np.where(below.all(axis=0), below.shape[0], below.argmin(axis=0))  # dark run under the rule
    going = runs > 4
    if going.mean() < 0.5:  # most rules stop at the last horizontal rule: the table is closed
        return bottom
    return bottom + (float(np.median(runs[going])) + 3) / scale


def _joined(img, scale: float, y0: float, y1: float) -> bool:
    """Some pixel column is dark over (nearly) all of the gap between two rules."""
    strip = dark(img, 1)[int(y0 * scale) + 3:int(y1 * scale) - 2]
    return strip.shape[0] > 0 and bool((strip.mean(axis=0) >= 0.9).any())


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.translate(_CONFUSED).replace(" ", "")))


def number_text(text: str) -> str:
    """A number box as digits (letters a recogniser confuses with digits mapped back)."""
    return text.translate(_CONFUSED).replace(" ", "")
