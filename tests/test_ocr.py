"""Scanned PDFs (the ``ocr`` extra): a sample PDF rendered image-only parses like its text layer.

The scan of corpus/wuhu-city-gov-2023.pdf is committed (tests/fixtures/scan, made by tests/scans.py: pdfium
needs a CJK font to render the sample); the hostile scans are built on the fly, and a real report of
../shared/real (its first page, and the whole of one report) is rendered as a scan when it is present:
nothing derived from ../shared is committed.
"""

from __future__ import annotations

import io
import sys
import time
from functools import cache
from pathlib import Path

import pytest
from conftest import REAL, needs_shared
from scans import blank_scan, scan_pdf

from textmine.errors import TextmineError
from textmine.loaders import load_bytes
from textmine.report import parse_document

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = "wuhu-city-gov-2023.pdf"  # its scan: tests/fixtures/scan (made by tests/scans.py)
SCAN = ROOT / "tests" / "fixtures" / "scan" / SAMPLE.replace(".pdf", "-scan.pdf")

needs_engine = pytest.mark.skipif(
    __import__("importlib").util.find_spec("rapidocr_onnxruntime") is None,
    reason='the OCR extra is not installed (pip install "textmine[ocr]")')


def _leaves(obj, prefix: str = "") -> dict[str, object]:
    if isinstance(obj, dict):
        out: dict[str, object] = {}
        for k, v in obj.items():
            out.update(_leaves(v, f"{prefix}/{k}"))
        return out
    return {prefix: obj}


def _record(data: bytes, name: str) -> dict:
    return parse_document(load_bytes(data, "pdf", name), themes=False).to_dict()


@cache
def _sample() -> tuple[dict, dict]:
    """(text-layer record, scan record) of the sample: the scan is OCR'd once for all tests (~25 s CPU)."""
    return _record((ROOT / "corpus" / SAMPLE).read_bytes(), SAMPLE), _record(SCAN.read_bytes(), SCAN.name)


def _cell_share(text: dict, scan: dict) -> float:
    want, got = _leaves(text["tables"]), _leaves(scan["tables"])
    return sum(1 for k, v in want.items() if got.get(k) == v) / max(1, len(want))


@needs_engine
def test_scan_parses_like_the_text_layer() -> None:
    text, scan = _sample()
    assert list(scan["sections"]) == list(text["sections"])
    assert set(scan["tables"]) == set(text["tables"]) == {"proactive", "requests", "appeals"}
    assert _cell_share(text, scan) >= 0.95
    assert (scan["meta"]["agency"], scan["meta"]["year"]) == (text["meta"]["agency"], text["meta"]["year"])
    assert scan["meta"]["ocr"] is True and text["meta"]["ocr"] is False
    assert 0.8 < scan["meta"]["ocr_confidence"] <= 1.0 and text["meta"]["ocr_confidence"] is None
    assert [f for f in text["validation"] if f["rule"] != "ocr"] == text["validation"]


@needs_engine
def test_scan_statements_match() -> None:
    text, scan = _sample()
    norm = ["".join(s["text"].split()) for s in text["statements"]]
    got = ["".join(s["text"].split()) for s in scan["statements"]]
    assert len(got) == len(norm)
    assert sum(a == b for a, b in zip(got, norm)) >= 0.8 * len(norm)


def test_low_confidence_number_is_a_finding_not_a_value() -> None:
    from textmine.loaders.ocr import Box
    from textmine.loaders.pdf_ocr import PageRead, _cell

    read = PageRead()
    assert _cell([Box("1905", 0, 0, 20, 10, 0.99)], 1, read) == "1905"
    assert _cell([Box("o", 0, 0, 8, 10, 0.9)], 1, read) == "0"  # a letter the recogniser confuses
    assert _cell([Box("38", 0, 0, 8, 10, 0.3)], 2, read) == "?"  # not trusted: the table parser reports it
    assert _cell([Box("信息内容", 0, 0, 40, 10, 0.3)], 2, read) == "信息内容"
    assert [(f["rule"], f["where"], f["found"]) for f in read.findings] == [("ocr", "page 2", "38")]


def test_a_box_across_a_cell_edge_is_cut_there() -> None:
    from textmine.loaders.ocr import Box
    from textmine.loaders.pdf_ocr import _split

    row = [Box("00", 100, 0, 130, 14, 0.8), Box("12", 132, 0, 146, 14, 0.9)]  # "0 | 0" read as one box
    got = _split(row, [90, 115, 150], 14)
    assert [(b.text, b.x0 < 115 < b.x1) for b in got] == [("0", False), ("0", False), ("12", False)]


def test_without_the_extra_the_message_names_it(monkeypatch) -> None:
    from textmine.loaders import ocr

    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import fails as if not installed
    ocr.engine.cache_clear()
    try:
        with pytest.raises(TextmineError, match=r'no text layer.*pip install "textmine\[ocr\]"') as exc:
            load_bytes(blank_scan(1, text="x"), "pdf", "scan.pdf")
        assert "\n" not in str(exc.value)
    finally:
        ocr.engine.cache_clear()


def test_without_the_extra_a_pictured_page_keeps_its_text_layer(monkeypatch) -> None:
    """A page that is mostly a picture but has some text (a cover) keeps that text when OCR is missing."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from textmine.loaders import ocr

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.drawImage(ImageReader(Image.new("L", (300, 420), 200)), 0, 0, 595, 842)
    c.drawString(50, 800, "Annual report 2023")
    c.showPage()
    c.save()
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    ocr.engine.cache_clear()
    try:
        doc = load_bytes(buf.getvalue(), "pdf", "cover.pdf")
    finally:
        ocr.engine.cache_clear()
    assert "Annual report 2023" in doc.text and not doc.findings


@needs_engine
def test_page_time_limit_skips_the_page(monkeypatch) -> None:
    from textmine.loaders import ocr

    monkeypatch.setattr(ocr, "OCR_PAGE_TIMEOUT", 1e-4)
    with pytest.raises(TextmineError, match="OCR found no text"):
        load_bytes(blank_scan(1, size=(200, 200), text="x"), "pdf", "slow.pdf")


def test_render_scale_is_capped() -> None:
    from textmine.loaders.ocr import _MAX_PIXELS, OCR_DPI, render_scale

    assert render_scale(595, 842) == pytest.approx(OCR_DPI / 72)
    s = render_scale(14400, 14400)  # a 200-inch page
    assert (14400 * s) ** 2 <= _MAX_PIXELS * 1.001


def test_garbage_text_layer_is_ocred() -> None:
    import pypdfium2 as pdfium
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    from textmine.loaders.pdf_ocr import needs_ocr

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.drawImage(ImageReader(Image.new("L", (300, 420), 200)), 0, 0, 595, 842)
    c.drawString(50, 800, "l1I! ;;' .,., ~~ ^^ l1I! ;;' .,., ~~ ^^ ||| @@")  # a scanner's junk text layer
    c.showPage()
    c.drawString(50, 800, "l1I! ;;' .,., ~~ ^^ l1I! ;;' .,., ~~ ^^ ||| @@")  # junk, but no picture
    c.showPage()
    c.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    flags = [needs_ocr(pdf[i], pdf[i].get_textpage().get_text_range()) for i in range(2)]
    assert flags == [True, False]
    sample = pdfium.PdfDocument((ROOT / "corpus" / SAMPLE).read_bytes())
    assert not needs_ocr(sample[0], sample[0].get_textpage().get_text_range())


@needs_engine
def test_hostile_scans_stay_within_the_batch_budget(tmp_path: Path) -> None:
    from textmine.corpus import parse_file

    many = tmp_path / "many.pdf"
    many.write_bytes(blank_scan(300, text="blank"))
    t = time.monotonic()
    res = parse_file(str(many), timeout=3)
    assert time.monotonic() - t < 8 and res.get("timed_out"), res
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(blank_scan(1, size=(14400, 14400), dpi=4, text="x"))
    t = time.monotonic()
    res = parse_file(str(huge), timeout=30)
    assert "error" in res and time.monotonic() - t < 30, res


@needs_engine
@needs_shared
def test_real_report_page_as_a_scan() -> None:
    """The first page of a real report, rendered as a scan, reads like its text layer (one page: CI time)."""
    import difflib

    import pypdfium2 as pdfium

    pdfs = sorted(REAL.glob("*.pdf"))
    if not pdfs:
        pytest.skip("no PDF in ../shared/real")
    src = pdfium.PdfDocument(pdfs[0].read_bytes())
    one = pdfium.PdfDocument.new()
    one.import_pages(src, [0])
    buf = io.BytesIO()
    one.save(buf)
    text = load_bytes(buf.getvalue(), "pdf", pdfs[0].name).text
    scan = load_bytes(scan_pdf(buf.getvalue()), "pdf", "scan.pdf")
    assert scan.extra["ocr"] == "true"
    a, b = "".join(text.split()), "".join(scan.text.split())
    assert difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.9


REAL_SCAN = "huaian-hongze-district-gov_2023"  # 5 pages with tables 2-4: the quickest real PDF to OCR (~45 s)


@needs_engine
@needs_shared
def test_real_report_as_a_scan(tmp_path: Path) -> None:
    """A whole real report rendered as a scan parses like its text layer: the same sections, agency and
    year, and >= 0.95 of the original's table cells equal; a cell the scan lacks (with an ``ocr`` or
    ``table`` finding) is missing, one with another value is wrong, and wrong values stay (near) zero."""
    from textmine import load_report

    hits = sorted(REAL.glob(f"*{REAL_SCAN}*.pdf"))
    if not hits:
        pytest.skip(f"no {REAL_SCAN} PDF in ../shared/real")
    src = hits[0]
    scan = tmp_path / src.name.replace(".pdf", "-scan.pdf")
    scan.write_bytes(scan_pdf(src.read_bytes()))
    text = load_report(src, themes=False).to_dict()
    got = load_report(scan, themes=False).to_dict()
    assert got["meta"]["ocr"] is True and text["meta"]["ocr"] is False
    assert list(got["sections"]) == list(text["sections"])
    assert (got["meta"]["agency"], got["meta"]["year"]) == (text["meta"]["agency"], text["meta"]["year"])
    assert set(text["tables"]) == {"proactive", "requests", "appeals"}
    want = {k: v for k, v in _leaves(text["tables"]).items() if v is not None}  # the cells the original has
    have = _leaves(got["tables"])
    flagged = bool({f["rule"] for f in got["validation"]} & {"ocr", "table"})
    equal = [k for k, v in want.items() if have.get(k) == v]
    # absent with a finding: missing (reported, not trusted); absent silently or another value: wrong
    missing = [k for k in want if have.get(k) is None and flagged]
    wrong = {k: (v, have.get(k)) for k, v in want.items() if have.get(k) != v and k not in missing}
    assert len(equal) >= 0.95 * len(want), (len(equal), len(want), missing, wrong)
    assert len(wrong) <= 0.01 * len(want), wrong  # measured: 186 of 186 cells equal, none missing or wrong
