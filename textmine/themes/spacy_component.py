"""spaCy integration: the ``textmine_themes`` pipeline component and a ``textcat_multilabel`` backend.

Importing this module registers the factory, so::

    import spacy, textmine.spacy_themes
    nlp = spacy.blank("zh")
    nlp.add_pipe("textmine_themes")            # config: model ("pretrained" or a saved .npz), threshold
    doc = nlp("网站部分栏目内容更新缓慢。")
    doc.cats        # probability for every theme id, plus "other"
    doc._.themes    # the themes that pass their thresholds (["other"] when none does)

(The package also declares the factory under the ``spacy_factories`` entry point, so spaCy finds it
without the import; ``import textmine.spacy_themes`` still works.) The component follows spaCy's Pipe
idiom: ``predict(docs)`` scores, ``set_annotations(docs, scores)`` writes them, and it serialises to
disk and to bytes. :func:`train_spacy_textcat` trains spaCy's own ``textcat_multilabel`` on the same
labeled data; ``textmine.themes.evaluate(..., backends=[...])`` compares it with the scikit-learn
model and the rule tagger.
"""

# No `from __future__ import annotations`: spaCy validates factory arguments from their annotations.

import random
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import minibatch

from .codebook import OTHER, CodebookLike, resolve_codebook

if TYPE_CHECKING:  # pragma: no cover
    from .estimator import ThemeClassifier

# spaCy loads this module through the entry point whenever it builds any pipeline (the parse's own Chinese
# tokenizer too): the model's modules (scikit-learn, SciPy, pandas: a second and a half) load on use.

if not Doc.has_extension("themes"):
    Doc.set_extension("themes", default=None)

MODEL_FILE = "model.npz"


def _load_model(ref: str) -> "ThemeClassifier":
    from .estimator import ThemeClassifier

    return ThemeClassifier.pretrained() if ref == "pretrained" else ThemeClassifier.load(ref)


class ThemesComponent:
    """Sets ``doc.cats`` (probability per theme id and ``other``) and ``doc._.themes`` from a ThemeClassifier."""

    def __init__(self, nlp: Language, name: str, model: str = "pretrained", threshold: float | None = None,
                 classifier: Any = None) -> None:
        self.name = name
        self.model_ref = model
        self.threshold = threshold
        self._model = classifier  # loaded on first use, so a saved pipeline does not need the original path

    @property
    def model(self) -> "ThemeClassifier":
        if self._model is None:
            self._model = _load_model(self.model_ref)
        return self._model

    def predict(self, docs: Iterable[Doc]) -> Any:
        """The model's probabilities for ``docs`` (a frame: one column per theme id and ``other``)."""
        return self.model.predict_proba([d.text for d in docs])

    def set_annotations(self, docs: Iterable[Doc], scores: Any) -> None:
        """Write ``doc.cats`` and ``doc._.themes`` from the scores of :meth:`predict`."""
        docs = list(docs)
        if not docs:
            return
        themes = [c for c in scores.columns if c != OTHER]
        P = scores[themes].to_numpy()
        thr = (np.full(len(themes), self.threshold) if self.threshold is not None
               else np.asarray(self.model.thresholds_, dtype=float))
        for doc, row, full in zip(docs, P, scores.to_numpy(), strict=True):
            doc.cats = {c: float(v) for c, v in zip(scores.columns, full, strict=True)}
            passed = [(p, t) for t, p, th in zip(themes, row, thr, strict=True) if p >= th]
            doc._.themes = [t for _, t in sorted(passed, key=lambda x: -x[0])] or [OTHER]

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 512) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):
            batch = list(batch)
            self.set_annotations(batch, self.predict(batch))
            yield from batch

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        import srsly

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        self.model.save(path / MODEL_FILE)
        srsly.write_json(path / "cfg.json", {"threshold": self.threshold})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "ThemesComponent":
        import srsly

        from .estimator import ThemeClassifier

        path = Path(path)
        self._model = ThemeClassifier.load(path / MODEL_FILE)
        self.threshold = srsly.read_json(path / "cfg.json").get("threshold")
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        import srsly

        return srsly.msgpack_dumps({"model": self.model.to_bytes(), "cfg": {"threshold": self.threshold}})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "ThemesComponent":
        import srsly

        from .estimator import ThemeClassifier

        msg = srsly.msgpack_loads(data)
        self._model = ThemeClassifier.from_bytes(msg["model"])
        self.threshold = msg["cfg"].get("threshold")
        return self


@Language.factory("textmine_themes", default_config={"model": "pretrained", "threshold": None},
                  assigns=["doc.cats", "doc._.themes"])
def make_themes_component(nlp: Language, name: str, model: str, threshold: float | None) -> ThemesComponent:
    """Factory of the ``textmine_themes`` component (``model``: "pretrained" or the path of a saved model)."""
    return ThemesComponent(nlp, name, model, threshold)


def train_spacy_textcat(texts: Iterable[str], theme_lists: Iterable[Any], n_iter: int = 15, *,
                        codebook: CodebookLike = None, seed: int = 0, batch_size: int = 16,
                        dropout: float = 0.2, ngram_size: int = 3, threshold: float = 0.5) -> Language:
    """Train spaCy's ``textcat_multilabel`` (bag of character n-grams) on labeled statements.

    Uses ``spacy.blank("zh")`` with its default character segmenter, so nothing is downloaded.
    Labels are the codebook's theme ids; a statement with none of them is ``other``.
    """
    from .labels import as_texts, normalise_gold

    texts = as_texts(texts)
    cb = resolve_codebook(codebook)
    gold = normalise_gold(theme_lists, cb)
    if len(gold) != len(texts):
        raise ValueError(f"{len(texts)} statements but {len(gold)} theme lists")
    spacy.util.fix_random_seed(seed)
    nlp = spacy.blank("zh")
    textcat = nlp.add_pipe("textcat_multilabel", config={
        "threshold": threshold,
        "model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": ngram_size,
                  "no_output_layer": False, "length": 262144},
    })
    for label in cb.theme_ids:
        textcat.add_label(label)
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {lab: float(lab in g) for lab in cb.theme_ids}})
                for t, g in zip(texts, gold, strict=True)]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _ in range(n_iter):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=batch_size):
            nlp.update(batch, sgd=optimizer, drop=dropout)
    nlp.meta["textmine"] = {"codebook": cb.fingerprint, "n_train": len(texts), "n_iter": n_iter}
    return nlp


def textcat_predict(nlp: Language, texts: Iterable[str], threshold: float | None = None) -> list[list[str]]:
    """Theme lists from a spaCy pipeline: ``doc._.themes`` when set, else ``doc.cats`` above the threshold."""
    if threshold is None:
        threshold = nlp.get_pipe("textcat_multilabel").cfg.get("threshold", 0.5) \
            if "textcat_multilabel" in nlp.pipe_names else 0.5
    out = []
    for doc in nlp.pipe(list(texts)):
        if doc._.themes is not None:
            out.append(list(doc._.themes))
            continue
        passed = sorted(((p, t) for t, p in doc.cats.items() if t != OTHER and p >= threshold), key=lambda x: -x[0])
        out.append([t for _, t in passed] or [OTHER])
    return out
