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


def _rules(img, scale: float) -> list[tuple[float, float]]:
    """Horizontal ruling lines: pixel rows holding an unbroken dark run of a quarter of the page width.
    Text never has one (glyphs are separated), and a rule skewed by a few tenths of a degree still does."""
    runs = longest_runs(img < 128, axis=1)
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
    return [(a, b) for a, b in bands if b - a > line_height]


def _joined(img, scale: float, y0: float, y1: float) -> bool:
    """Some pixel column is dark over (nearly) all of the gap between two rules."""
    strip = img[int(y0 * scale) + 3:int(y1 * scale) - 2] < 128
    return strip.shape[0] > 0 and bool((strip.mean(axis=0) >= 0.9).any())


def is_number(text: str) -> bool:
    return bool(_NUMBER.match(text.translate(_CONFUSED).replace(" ", "")))


def number_text(text: str) -> str:
    """A number box as digits (letters a recogniser confuses with digits mapped back)."""
    return text.translate(_CONFUSED).replace(" ", "")
