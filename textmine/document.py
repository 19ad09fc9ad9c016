"""The internal document model every loader produces.

A document is an ordered list of blocks: paragraphs (one line of running text each) and tables
(a rectangular grid of cell strings, merged cells already expanded so that a cell spanning two
columns appears in both). Page numbers, running headers and site chrome are gone by this point.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Paragraph:
    text: str
    page: int | None = None

    kind = "paragraph"


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    page: int | None = None

    kind = "table"

    @property
    def text(self) -> str:
        """The table as tab-separated lines (how tables appear in section text)."""
        return "\n".join("\t".join(c for c in row) for row in self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Table


@dataclass
class Document:
    """What a loader returns: blocks in reading order plus where they came from."""

    blocks: list[Block]
    source: str | None = None
    format: str = "text"
    # Page-level facts a loader found outside the body (HTML <title>, 发布机构/公开日期 tables, ...).
    extra: dict[str, str] = field(default_factory=dict)
    # The printed text when load converted the blocks (traditional script, pinyin): textmine.script.
    original: object | None = None  # a textmine.script.OriginalText (not imported: script imports this)
    # What a loader could read but not trust (OCR cells of low confidence, skipped pages): rule findings
    # that the report adds to its validation list.
    findings: list[dict] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


def make_table(rows: list[list[str]], page: int | None = None) -> Table:
    """Build a Table, padding short rows with empty cells so the grid is rectangular."""
    width = max((len(r) for r in rows), default=0)
    return Table(tuple(tuple(r) + ("",) * (width - len(r)) for r in rows), page)
