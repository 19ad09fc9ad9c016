"""Old home of the codebook; it lives in :mod:`textmine.themes.codebook`."""

from .themes.codebook import (
    OTHER,
    Codebook,
    CodebookLike,
    Cue,
    Example,
    Guard,
    Theme,
    load_codebook,
    parse_codebook,
    resolve_codebook,
)

__all__ = ["OTHER", "Codebook", "CodebookLike", "Cue", "Example", "Guard", "Theme", "load_codebook",
           "parse_codebook", "resolve_codebook"]
