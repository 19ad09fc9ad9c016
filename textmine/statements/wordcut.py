"""The words of statements (for the problem/measure links): jieba's, as spaCy's Chinese tokenizer gives them.

:func:`words` is the token texts of ``spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter":
"jieba"}}}).make_doc(text)``: jieba's exact mode with HMM, aligned to the text as
``spacy.util.get_words_and_spaces`` aligns them. It is computed without spaCy, whose import was a third
of a fresh process's one-file parse; ``tests/test_statements.py`` compares the two.

:func:`cut` is ``jieba.Tokenizer.cut(text)`` in one pass per run of characters. jieba builds a dict of the
candidate words at every position, then a second dict of the best route through them, from a generator
per position; for the statement links that was an eighth of a parse. This computes the same route in one
backward loop over plain lists, with jieba's arithmetic (``log(freq) - log(total) + rest``, in that order)
and its tie-break (on equal probability the later end, as ``max`` over ``(p, end)`` tuples picks).
Unknown runs go to jieba's own HMM (``finalseg``). The dictionary is read when the text is cut, so words
added with ``jieba.add_word`` count.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from math import log
from typing import Any

from ..errors import TextmineError


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # jieba announces its dictionary build on stderr otherwise
    return jieba


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """The token texts of spaCy's Chinese tokenizer with the jieba segmenter (see above)."""
    jieba = _jieba()
    if jieba.cut == jieba.dt.cut and knows(jieba):  # the jieba module as shipped: its cut in one pass
        found = [w for w in cut(jieba.dt, text) if w]
    else:
        found = [w for w in jieba.cut(text, cut_all=False) if w]
    if _WHITE.search(text) is None and "".join(found) == text:  # each word is found where the last one
        return tuple(found)  # ended, with no space after it: the words themselves
    return tuple(_aligned(found, text))


_WHITE = re.compile(r"\s")


def _aligned(words: list[str], text: str) -> list[str]:
    """The token texts of ``spacy.util.get_words_and_spaces(words, text)``: white space words dropped,
    each word found from where the last one ended, text skipped over becomes a token, one space after a
    word is that word's trailing space."""
    if "".join("".join(words).split()) != "".join(text.split()):
        raise TextmineError(f"the words of a statement do not spell its text: {text[:40]!r}")
    out: list[str] = []
    pos = 0
    for word in words:
        if word.isspace():
            continue
        start = text.find(word, pos)
        if start < 0:
            raise TextmineError(f"the words of a statement do not spell its text: {text[:40]!r}")
        if start > pos:
            out.append(text[pos:start])
        out.append(word)
        pos = start + len(word)
        if pos < len(text) and text[pos] == " ":
            pos += 1
    if pos < len(text):
        out.append(text[pos:])
    return out


@lru_cache(maxsize=4)
def knows(jieba: Any) -> bool:
    """Whether this jieba has the pieces the one-pass cut reads (jieba 0.42's run patterns and HMM)."""
    return all(hasattr(jieba, a) for a in ("re_han_default", "re_skip_default", "finalseg"))


def cut(tokenizer: Any, text: str) -> list[str]:
    """``list(tokenizer.cut(text))`` for a ``jieba.Tokenizer`` (``cut_all=False, HMM=True``)."""
    from jieba import re_han_default as re_han
    from jieba import re_skip_default as re_skip

    tokenizer.check_initialized()
    freq, logtotal = tokenizer.FREQ, log(tokenizer.total)
    out: list[str] = []
    for block in re_han.split(text):
        if not block:
            continue
        if re_han.match(block):
            _cut_run(block, freq, logtotal, out)
            continue
        for piece in re_skip.split(block):
            if re_skip.match(piece):
                out.append(piece)
            else:
                out.extend(piece)  # one character at a time, as jieba does outside its runs
    return out


def _cut_run(run: str, freq: dict[str, int], logtotal: float, out: list[str]) -> None:
    n = len(run)
    best = [0.0] * (n + 1)  # log probability of the best route from each position to the end
    end = [0] * (n + 1)  # last position of the first word on that route
    for k in range(n - 1, -1, -1):
        p_best: float | None = None
        e_best = k
        i = k
        f = freq.get(run[k])
        while f is not None:  # the prefix dict holds every word's prefixes, with count 0
            if f:
                p = log(f) - logtotal + best[i + 1]
                if p_best is None or p >= p_best:  # ends grow: >= keeps the later end on a tie
                    p_best, e_best = p, i
            i += 1
            if i == n:
                break
            f = freq.get(run[k:i + 1])
        best[k] = p_best if p_best is not None else 0.0 - logtotal + best[k + 1]  # log(1): unknown character
        end[k] = e_best
    x, buf = 0, ""
    while x < n:
        y = end[x] + 1
        if y - x == 1:
            buf += run[x]
        else:
            if buf:
                _flush(buf, freq, out)
                buf = ""
            out.append(run[x:y])
        x = y
    if buf:
        _flush(buf, freq, out)


def _flush(buf: str, freq: dict[str, int], out: list[str]) -> None:
    """Single characters in a row: one word, the HMM's words when the run is no dictionary word, else
    each character (jieba's ``__cut_DAG``)."""
    from jieba import finalseg

    if len(buf) == 1:
        out.append(buf)
    elif not freq.get(buf):
        out.extend(finalseg.cut(buf))
    else:
        out.extend(buf)
