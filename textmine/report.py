"""One report: file → document → sections + meta → tables, validation, statements, themes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from .document import Document
from .errors import TextmineError
from .loaders import load_document
from .sections import Segmentation, completeness, segment


@dataclass
class Report:
    """A parsed annual report. ``to_dict()`` gives the JSON record of the interface contract."""

    document: Document
    segmentation: Segmentation
    meta: dict
    tables: dict = field(default_factory=dict)
    validation: list[dict] = field(default_factory=list)
    statements: list[Any] = field(default_factory=list)

    @property
    def source(self) -> str | None:
        return self.document.source

    @property
    def format(self) -> str:
        return self.document.format

    @property
    def sections(self):
        return self.segmentation.sections

    def to_dict(self) -> dict:
        from .duplicates import text_hash
        from .tables.derived import derive

        meta = {k: self.meta.get(k) for k in ("agency", "year", "published", "template", "region")}
        meta["title"] = self.meta.get("title")
        meta["completeness"] = completeness(self.sections)
        # Added for scans: whether the text came from OCR, and the mean recognition confidence.
        extra = self.document.extra
        meta["ocr"] = extra.get("ocr") == "true"
        meta["ocr_confidence"] = float(extra["ocr_confidence"]) if "ocr_confidence" in extra else None
        return {
            "source": self.source,
            "format": self.format,
            "meta": meta,
            "sections": {k: s.to_dict() for k, s in self.sections.items()},
            "tables": self.tables,
            # Blank cells' values by the form's arithmetic, apart from what was printed (tables/derived.py).
            "derived": derive(self.tables),
            # The hash of the normalised text: a re-encoded copy of a report is the same document.
            "text_hash": text_hash(self.document.text),
            "validation": self.validation,
            "statements": [s.to_dict() if hasattr(s, "to_dict") else dict(s) for s in self.statements],
        }

    def to_frames(self) -> dict:
        """This report's pandas frames (documents, sections, statements, statement_themes, findings, …)."""
        from .frames import build_frames

        return build_frames([self.to_dict()])


_TABLE3_LABEL = re.compile(r"本年新收政府信息公开申请|上年结转政府信息公开申请|结转下年度继续办理")


def _is_report(seg: Segmentation, meta: dict, doc: Document) -> bool:
    """Some signal of the form: a section heading, a title naming the report, or table 3's row labels.
    An excerpt (only section 5, say) is a report with low completeness; a random text has none."""
    found = [s for s in seg.sections.values() if not s.inferred]
    if meta.get("title") and (found or seg.sections):
        return True
    if any(s.confidence >= 0.7 for s in found):
        return True
    if len(found) >= 2:
        return True
    return bool(_TABLE3_LABEL.search(doc.text)) and bool(seg.sections)


def parse_document(doc: Document, *, themes: bool = True, classifier: Any = None) -> Report:
    """Run every per-report stage on a loaded document."""
    from .meta import extract_meta

    seg = segment(doc)
    meta = extract_meta(doc, seg)
    if not _is_report(seg, meta, doc):
        raise TextmineError("not a government information disclosure annual report "
                            "(no standard section headings found)", doc.source)
    report = Report(doc, seg, meta)
    _add_tables(report)
    _add_statements(report, themes=themes, classifier=classifier)
    return report


def _add_tables(report: Report) -> None:
    from .tables import parse_tables
    from .validate import check_report

    parsed = parse_tables({k: s.blocks for k, s in report.sections.items()})
    report.tables = parsed.tables
    texts = {k: s.text for k, s in report.sections.items()}
    report.validation = list(report.document.findings) + list(parsed.findings) + check_report(parsed.tables, texts)


def _problem_paragraphs(report: Report) -> list[str]:
    sec = report.sections.get("problems")
    return sec.paragraphs if sec else []


def _add_statements(report: Report, *, themes: bool, classifier: Any) -> None:
    from .statements import extract_statements

    report.statements = extract_statements(_problem_paragraphs(report), year=report.meta.get("year"))
    if "problems" in report.sections:
        from .statements import locate

        locate(report.statements, report.sections["problems"].text)
    original = report.document.original
    if original is not None:
        for st in report.statements:
            st.original_text = original.original_of(st.text)
    if themes and report.statements:
        from .themes import tag_statements

        tag_statements(report.statements, classifier=classifier)


def load_report(path_or_text: str | os.PathLike, *, themes: bool = True, classifier: Any = None) -> Report:
    """Load and parse one report: a path (txt, docx, pdf, html, md) or raw report text."""
    return parse_document(load_document(path_or_text), themes=themes, classifier=classifier)
