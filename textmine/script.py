"""Traditional-script (繁體) reports: detect, convert to mainland simplified, and map back.

Every pattern in textmine is written in simplified characters, so a traditional-script copy of a
report is converted at load time (:func:`normalize_document`), before any matching. Pinyin
annotations printed after a character (``振(zhèn)``) are stripped at the same time, in either script.

Cost model: detection reads a character list shipped in ``textmine/data/t2s_chars.txt`` (written by
``scripts/gen_t2s_chars.py`` from OpenCC), so a simplified report never imports the converter and
its blocks are returned unchanged (the same objects). Only a traditional report loads OpenCC
(``t2s``: character and phrase tables inside the wheel, nothing downloaded at run time).

The converted document keeps its original text in :class:`OriginalText` (``Document.original``):
the converted ``Document.text`` with, per character, its offset in the printed text, so a span
found by the parser (a heading, a statement) can be shown as it was printed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .document import Block, Document

# Share of CJK characters that t2s changes, above which a document is traditional. Measured: 0 on
# every simplified report we have (seed, corpus/, real-dev: not one such character), about 0.35 on
# their OpenCC s2t renderings; a simplified report quoting a traditional name stays far below.
THRESHOLD = 0.08
MIN_CHANGED = 3  # a few stray characters in a short text decide nothing

# Pinyin in brackets right after a CJK character: 振（zhèn）, 埇(yǒng), 亳（bó）. At least one
# tone-marked vowel or ü is required so that (PDF), (a) or （ABC） are left alone.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙǕǗǙǛÜ"
_PY_CHAR = f"a-zA-Z{_TONED}"
_PINYIN = re.compile(
    rf"(?<=[\u3400-\u9fff\uf900-\ufaff])[ \t]?[(（]\s*"
    rf"(?=[{_PY_CHAR} ]*[{_TONED}])[{_PY_CHAR}]+(?:[ '’·-][{_PY_CHAR}]+)*\s*[)）]"
)
_TONE = re.compile(f"[{_TONED}]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# The text runs of a Word part (w:t; not w:tbl, w:tab): the only place its text is.
_WT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")

# Mainland forms t2s leaves in their Taiwan/HK wording (OpenCC converts script, not vocabulary).
# Equal-length pairs only, so offsets stay one to one. The full tw2sp table is no option: it also
# rewrites mainland words (建立→创建, 文件→文档, 档案→文件), measured on the s2t-rendered corpus.
_MAINLAND = {"资讯公开": "信息公开"}


@cache
def _changed_chars() -> frozenset[str]:
    text = resources.files("textmine").joinpath("data/t2s_chars.txt").read_text(encoding="utf-8")
    return frozenset(text.replace("\n", ""))


@cache
def _changed_re() -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(_changed_chars())) + "]")


def _counts(text: str) -> tuple[int, int]:
    """(characters t2s changes, CJK characters) in ``text``; (0, 0) at once for simplified text."""
    # One scan of a compiled character class (~0.03 ms for 10,000 characters; set(text) is 10x that):
    # it finds nothing in every simplified report.
    if not _changed_re().search(text):
        return 0, 0
    return len(_changed_re().findall(text)), len(_CJK.findall(text))


def traditional_ratio(text: str) -> float:
    """Share of the CJK characters of ``text`` that t2s would change (0.0 when there are none)."""
    n, cjk = _counts(text)
    return n / cjk if cjk else 0.0


def is_traditional(text: str) -> bool:
    """Whether ``text`` is in traditional script (see THRESHOLD for how it was measured)."""
    n, cjk = _counts(text)
    return n >= MIN_CHANGED and n / cjk >= THRESHOLD


@cache
def _converter() -> Any:
    import opencc  # only traditional reports pay this import (about 50-180 ms, once per process)

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """``text`` converted by OpenCC t2s plus the few mainland-wording fixes (no offset map)."""
    return convert(text, traditional=True)[0]


def strip_pinyin(text: str) -> str:
    """``text`` without bracketed pinyin annotations after CJK characters."""
    return _PINYIN.sub("", text)


def convert(text: str, *, traditional: bool) -> tuple[str, list[int] | None]:
    """Convert ``text`` (pinyin stripped, and t2s when ``traditional``) with an offset map.

    Returns ``(converted, offsets)``: ``offsets[i]`` is the offset in ``text`` of converted character
    ``i`` (one more entry for the end), or ``None`` when nothing changed length (identity map).
    """
    out, offsets = text, None
    if not _TONE.search(text) and not (traditional and _CJK.search(text)):
        # Nothing to do: no pinyin, and no CJK to convert (number cells). Not "no character in the t2s
        # list": phrases change characters that are simplified on their own (答覆→答复).
        return text, None
    if "(" in text or "（" in text:
        kept: list[int] = []
        pos, parts = 0, []
        for m in _PINYIN.finditer(text):
            parts.append(text[pos:m.start()])
            kept.extend(range(pos, m.start()))
            pos = m.end()
        if parts:
            parts.append(text[pos:])
            kept.extend(range(pos, len(text) + 1))
            out, offsets = "".join(parts), kept
    if traditional and out:
        simp = _converter().convert(out)
        if len(simp) != len(out):
            # t2s changed length (rare: a phrase entry of another length); align on the unchanged
            # characters (digits, punctuation, characters both scripts share).
            step = _align_chars(out, simp) + [len(out)] if len(out) <= 20_000 else _align(out, simp)
            offsets = [offsets[j] if offsets is not None else j for j in step]
        for trad, simp_word in _MAINLAND.items():
            if trad in simp:
                simp = simp.replace(trad, simp_word)
        out = simp
    return out, offsets


def _align(src: str, dst: str) -> list[int]:
    """For each position of ``dst`` (and its end) a position of ``src``.

    Lines first (the two texts are mostly the same lines: cheap even for long texts), then characters
    inside the differing runs of lines when they are short; longer runs are spread proportionally.
    Character-level difflib on a whole report took 150 ms for 3,000 characters and grows quadratically.
    """
    a, b = src.splitlines(keepends=True), dst.splitlines(keepends=True)
    a_at, b_at = _starts(a), _starts(b)
    m: list[int] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        s0, s1, d0, d1 = a_at[i1], a_at[i2], b_at[j1], b_at[j2]
        if tag == "equal":
            m.extend(range(s0, s1))
        elif (s1 - s0) * (d1 - d0) <= 250_000:
            m.extend(s0 + k for k in _align_chars(src[s0:s1], dst[d0:d1]))
        else:
            m.extend(_spread(s0, s1, d1 - d0))
    m.append(len(src))
    return m


def _starts(lines: list[str]) -> list[int]:
    out = [0]
    for line in lines:
        out.append(out[-1] + len(line))
    return out


def _spread(i1: int, i2: int, n: int) -> list[int]:
    return [i1 + (k * (i2 - i1)) // max(n, 1) for k in range(n)]


def _align_chars(src: str, dst: str) -> list[int]:
    """Per character of ``dst`` a position in ``src``: matched runs one to one, the rest proportional."""
    m: list[int] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, src, dst, autojunk=False).get_opcodes():
        m.extend(range(i1, i2) if tag == "equal" else _spread(i1, i2, j2 - j1))
    return m


@dataclass
class OriginalText:
    """The printed text of a converted document and the way back from the converted text.

    ``text`` is the converted ``Document.text``; ``original`` is the same blocks as printed, joined the
    same way; ``offsets[i]`` is where converted character ``i`` came from (``None``: same length).
    """

    script: str  # "traditional" | "simplified" (simplified with pinyin stripped)
    text: str
    original: str
    offsets: list[int] | None = None
    blocks: list[Block] = field(default_factory=list)  # the blocks as the loader returned them

    def _squeezed(self) -> tuple[str, list[int]]:
        """``text`` without whitespace and where each of its characters is in ``text`` (built once)."""
        cached = self.__dict__.get("_squeezed_cache")
        if cached is None:
            idx = [i for i, c in enumerate(self.text) if not c.isspace()]
            cached = ("".join(self.text[i] for i in idx), idx)
            self.__dict__["_squeezed_cache"] = cached
        return cached

    def _orig(self, i: int) -> int:
        return self.offsets[i] if self.offsets is not None else i

    def span(self, start: int, end: int) -> str:
        """The printed text behind ``text[start:end]``."""
        if end <= start:
            return ""
        return self.original[self._orig(start):self._orig(end - 1) + 1]

    def original_span(self, block_text: str, start: int, end: int) -> str | None:
        """The printed text behind ``block_text[start:end]`` for a converted block's text."""
        at = self.text.find(block_text)
        if at < 0:
            return None
        return self.span(at + start, at + end)

    def original_of(self, fragment: str) -> str | None:
        """The printed text of a converted fragment (a statement, a heading), or None if not found.

        Whitespace is ignored in the search: the parser joins lines and page breaks.
        """
        if not fragment:
            return None
        at = self.text.find(fragment)
        if at >= 0:
            return self.span(at, at + len(fragment))
        needle = re.sub(r"\s+", "", fragment)
        if not needle:
            return None
        hay, idx = self._squeezed()
        k = hay.find(needle)
        if k < 0:
            return None
        return self.span(idx[k], idx[k + len(needle) - 1] + 1)


def _convert_block(block: Block, traditional: bool) -> tuple[Block, list[int] | None]:
    """The converted block and the offset map of its ``.text`` (None: identity)."""
    from .document import Paragraph, Table

    if isinstance(block, Paragraph):
        text, offsets = convert(block.text, traditional=traditional)
        if text == block.text:
            return block, None
        return Paragraph(text, block.page), offsets
    assert isinstance(block, Table)
    rows, offsets, pos, any_change = [], [], 0, False
    for r, row in enumerate(block.rows):
        cells = []
        for c, cell in enumerate(row):
            new, off = convert(cell, traditional=traditional)
            any_change = any_change or new != cell
            cells.append(new)
            offsets.extend(range(pos, pos + len(new)) if off is None else [pos + o for o in off[:-1]])
            pos += len(cell)
            if c < len(row) - 1:
                offsets.append(pos)  # the tab between cells
                pos += 1
        rows.append(tuple(cells))
        if r < len(block.rows) - 1:
            offsets.append(pos)  # the newline between rows
            pos += 1
    offsets.append(pos)
    if not any_change:
        return block, None
    return Table(tuple(rows), block.page), offsets


def _convert_extra(doc: Document) -> None:
    # Page facts found outside the body (HTML <title>, 发布机构) feed the meta: convert them too.
    for key, value in list(doc.extra.items()):
        if isinstance(value, str):
            doc.extra[key] = to_simplified(strip_pinyin(value))
    doc.extra["script"] = "traditional"


def normalize_document(doc: Document, *, traditional: bool | None = None) -> Document:
    """Convert a traditional-script document to simplified and strip pinyin annotations, in place.

    Records ``doc.extra["script"] = "traditional"`` (absent: simplified) and, when anything changed,
    ``doc.original`` (:class:`OriginalText`). A simplified document without annotations is left as it
    was: same block objects, no converter import. ``traditional=None`` detects the script.
    """
    text = doc.text
    if traditional is None:
        traditional = is_traditional(text)
    if traditional:
        _convert_extra(doc)
    elif not _TONE.search(text) or not _PINYIN.search(text):  # the plain class first: the cheap scan
        return doc
    new_blocks: list[Block] = []
    offsets: list[int] = []
    changed = False
    pos = 0
    for n, block in enumerate(doc.blocks):
        new, off = _convert_block(block, traditional)
        changed = changed or new is not block
        new_blocks.append(new)
        offsets.extend(range(pos, pos + len(new.text)) if off is None else [pos + o for o in off[:-1]])
        pos += len(block.text)
        if n < len(doc.blocks) - 1:
            offsets.append(pos)  # the newline Document.text puts between blocks
            pos += 1
    offsets.append(pos)
    if not changed:
        return doc
    original_blocks = doc.blocks
    doc.blocks = new_blocks
    new_text = doc.text
    identity = len(new_text) == len(text) and offsets == list(range(len(text) + 1))
    doc.original = OriginalText("traditional" if traditional else "simplified", new_text, text,
                                None if identity else offsets, original_blocks)
    return doc


def merge_traditional(printed: Document, simplified: Document, *, converted_whole: bool = False) -> Document:
    """The document loaded again from a simplified copy of the file, mapped back to ``printed``.

    The loaders have simplified patterns of their own (HTML content signals and 发布机构 labels, page
    numbers), so a traditional file is converted before loading (see loaders) and loaded twice; the
    printed load gives the original text, aligned to the simplified one character by character.
    ``converted_whole``: the copy was converted as one text (txt, md, html), so its blocks only need the
    pinyin step; a .docx copy had its runs converted one by one and phrases split across runs are not.
    """
    doc = normalize_document(simplified, traditional=not converted_whole)
    _convert_extra(doc)
    text = doc.text
    conv, off = convert(printed.text, traditional=True)
    if conv != text:
        # The two loads differ somewhat (a label the simplified load recognised): align them.
        step = _align(conv, text)
        off = [off[j] if off is not None else j for j in step]
    doc.original = OriginalText("traditional", text, printed.text, off, printed.blocks)
    return doc


def simplified_docx(data: bytes) -> bytes:
    """The .docx bytes with the text runs of every word/*.xml part converted to simplified."""
    return convert_docx(data, to_simplified)


def convert_docx(data: bytes, convert: Callable[[str], str]) -> bytes:
    """The .docx bytes with the text runs of every word/*.xml part passed through ``convert``."""
    import io
    import zipfile

    out = io.BytesIO()
    # Stored, not deflated: the copy is read once, and compressing it was a fifth of the load time.
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                body = _converted_runs(body.decode("utf-8", "replace"), convert).encode("utf-8")
            item.compress_type = zipfile.ZIP_STORED
            zout.writestr(item, body)
    return out.getvalue()


def _converted_runs(xml: str, convert: Callable[[str], str]) -> str:
    """The XML with the text of its w:t runs converted: one converter call for all runs (newline-joined,
    so no phrase spans two runs), per run if a run holds a newline itself."""
    runs = [m.group(2) for m in _WT.finditer(xml)]
    if not runs:
        return xml
    joined = "\n".join(runs)
    conv = convert(joined).split("\n") if "\n" not in "".join(runs) else None
    if conv is None or len(conv) != len(runs):
        conv = [convert(r) for r in runs]
    it = iter(conv)
    return _WT.sub(lambda m: m.group(1) + next(it) + m.group(3), xml)
