"""The LOADERS table: a loader for a new file type is one entry, an OCR step has a seam, and limits are
read when used (nothing copies them at import)."""

from __future__ import annotations

from pathlib import Path

import pytest

from textmine.corpus import Corpus
from textmine.loaders import LOADERS, Loader, limits, load_document, register_loader
from textmine.loaders.text import parse_text
from textmine.report import load_report

SAMPLE = Path(__file__).resolve().parents[1] / "corpus" / "wuhu-city-gov-2024.txt"


@pytest.fixture
def restore_loaders():
    saved = dict(LOADERS)
    yield
    LOADERS.clear()
    for entry in saved.values():
        register_loader(entry)


def test_a_loader_is_one_table_entry(restore_loaders, tmp_path: Path) -> None:
    """A toy format: the report's text, upside down (lines reversed)."""

    def load_toy(path: str, data: bytes):
        lines = data.decode("utf-8").splitlines()
        return parse_text("\n".join(reversed(lines)), source=path, fmt="toy")

    register_loader(Loader("toy", (".toy",), load_toy, "MAX_TEXT_MB"))
    text = SAMPLE.read_text(encoding="utf-8")
    toy = tmp_path / "reports" / "wuhu.toy"
    toy.parent.mkdir()
    toy.write_text("\n".join(reversed(text.splitlines())), encoding="utf-8")
    assert load_document(toy).format == "toy"
    corpus = Corpus.from_dir(toy.parent, store=False, workers=1, progress=False)
    assert corpus.documents["format"].tolist() == ["toy"]
    assert corpus.documents["agency"].tolist() == [load_report(SAMPLE, themes=False).meta["agency"]] == ["芜湖市人民政府"]


def test_an_ocr_step_can_take_a_pdf_without_text_layer(restore_loaders) -> None:
    """The seam for OCR: a loader's ``ocr`` gets the scan instead of the "no text layer" error."""
    from textmine.errors import TextmineError

    calls = []

    def no_text(path: str, data: bytes):
        raise TextmineError("PDF has no text layer (a scan?); OCR it first", path)

    def ocr(path: str, data: bytes):
        calls.append(path)
        return parse_text(SAMPLE.read_text(encoding="utf-8"), source=path, fmt="pdf")

    register_loader(Loader("pdf", (".pdf",), no_text, ocr=ocr))
    from textmine.loaders import load_bytes

    assert load_bytes(b"%PDF-1.4 scan", "pdf", "scan.pdf").format == "pdf" and calls == ["scan.pdf"]
    register_loader(Loader("pdf", (".pdf",), no_text))
    with pytest.raises(TextmineError, match="no text layer"):
        load_bytes(b"%PDF-1.4 scan", "pdf", "scan.pdf")


def test_limits_are_read_when_used(monkeypatch) -> None:
    monkeypatch.setenv("TEXTMINE_FILE_TIMEOUT", "7")
    monkeypatch.setenv("TEXTMINE_MAX_PDF_PAGES", "0")
    assert limits.limit("FILE_TIMEOUT") == 7 and limits.FILE_TIMEOUT == 7
    assert limits.MAX_PDF_PAGES == 10**9  # 0: off


def test_messages_name_the_formats_of_the_table(restore_loaders) -> None:
    from textmine.errors import TextmineError
    from textmine.loaders import format_of

    with pytest.raises(TextmineError, match=r"expected \.txt, \.docx, \.pdf, \.html, \.md"):
        format_of("x.rtf")
    register_loader(Loader("toy", (".toy",), lambda path, data: parse_text("", source=path)))
    with pytest.raises(TextmineError, match=r"\.md, \.doc, \.toy"):
        format_of("x.rtf")
