"""Old home of the spaCy integration (importing it registers ``textmine_themes``); it lives in
:mod:`textmine.themes.spacy_component`."""

from .themes.spacy_component import (
    MODEL_FILE,
    ThemesComponent,
    make_themes_component,
    textcat_predict,
    train_spacy_textcat,
)

__all__ = ["MODEL_FILE", "ThemesComponent", "make_themes_component", "textcat_predict", "train_spacy_textcat"]
