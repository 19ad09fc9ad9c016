"""A text line of a PDF page: what the text-layer reader and the OCR reader both produce."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page: int
    size: float
