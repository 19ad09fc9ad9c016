"""Theme classifier for section-5 statements, its evaluation, weak supervision and active learning.

``ThemeClassifier`` is a scikit-learn estimator: TF-IDF features of jieba word n-grams and character
n-grams (optionally the rule tagger's votes), one linear model per theme, Platt-calibrated on
out-of-fold scores of an inner cross-validation that also tunes one decision threshold per theme.

The fitted state is plain numpy arrays and vocabularies, never scikit-learn objects, so a model is saved
as a ``.npz`` file (no pickle) that loads under any scikit-learn version. The model shipped in the
package (``data/theme_model.npz``) is built by ``python -m textmine.classifier`` from the bundled
training data; :meth:`ThemeClassifier.pretrained` checks that it matches that data, its parameters and
the codebook's theme ids, and refits deterministically from them when it does not (or when the file
cannot be read).
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, clone

from .codebook import OTHER, Codebook, CodebookLike, load_codebook, parse_codebook, resolve_codebook
from .errors import TextmineError
from .resources import data_path

MODEL_FORMAT = 1
PRETRAINED_FILE = "theme_model.npz"
TRAIN_FILE = "themes/train.jsonl"
# The settings the shipped model is built with: linear SVM, C=0.5, n-grams seen at least twice had the
# best 5-fold cross-validated micro-F1 on train.jsonl among logreg/SVM, C, min_df and feature-block choices.
PRETRAINED_PARAMS: dict[str, Any] = {"char_ngrams": (1, 3), "word_ngrams": (1, 2), "min_df": 2, "C": 0.5,
                                     "loss": "svm", "class_weight": "balanced", "pool_sentences": True,
                                     "inner_cv": 5, "random_state": 0}

log = logging.getLogger(__name__)

# ------------------------------------------------------------------------------------------------------
# Features. Prediction must run at >= 10,000 statements/s on one core; per-character Python loops
# (jieba's cut, sklearn's analyzers) manage about a third of that. So the whole batch is one array of
# code points and everything - runs, char n-grams, jieba's dictionary look-ups, its route and the word
# n-grams - is computed with numpy. Text is lower-cased and digits folded to 0 so years generalise.

_FOLD = str.maketrans({**{c: "0" for c in "123456789"}, **{chr(0xFF10 + i): "0" for i in range(10)}})
_SEP = "\x00"  # joins the statements of a batch; never inside a run
_M = 0x9E3779B97F4A7C15  # odd multiplier of the polynomial hash of words (mod 2**64)
_MINV = pow(_M, -1, 1 << 64)
_BIGRAM = np.uint64(0xC2B2AE3D27D4EB4F)
_MIX = np.uint64(0xD6E8FEB86659FD93)  # spreads hashes (even small ones: single characters) over table slots
_CHUNK = 100_000  # characters per batch chunk: bounds the (chars x word length) candidate matrix


def _powers(base: int, n: int) -> np.ndarray:
    a = np.full(max(n, 1), base, dtype=np.uint64)
    a[0] = 1
    return np.cumprod(a, dtype=np.uint64)  # wraps modulo 2**64, as intended


def _valid(c: np.ndarray) -> np.ndarray:
    """Characters that form runs: CJK ideographs, a-z, 0 (digits are folded)."""
    return (((c >= 0x4E00) & (c <= 0x9FFF)) | ((c >= 0x3400) & (c <= 0x4DBF)) | ((c >= 0xF900) & (c <= 0xFAFF))
            | ((c >= 97) & (c <= 122)) | (c == 48))


def _codes(texts: Sequence[str]) -> tuple[str, np.ndarray]:
    """The joined batch and its code points, A-Z lowered and digits folded to 0 (in numpy: str.translate
    costs as much as the whole segmentation)."""
    big = _SEP.join(t.replace(_SEP, " ") for t in texts)
    c = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    c[(c >= 65) & (c <= 90)] += np.uint64(32)
    c[((c >= 49) & (c <= 57)) | ((c >= 0xFF10) & (c <= 0xFF19))] = 48
    return big, c


def _fold(s: str) -> str:
    return s.lower().translate(_FOLD)


class _Table:
    """Open-addressing hash table (linear probing) from uint64 keys to their row numbers, vectorised.

    A sorted array with searchsorted needs ~19 cache-missing probes per look-up in jieba's 500k-entry
    dictionary; this needs one or two.
    """

    def __init__(self, keys: np.ndarray) -> None:
        bits = max(4, math.ceil(math.log2(max(len(keys), 1) * 4)))  # load factor <= 0.25: short probe chains
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1
        self.keys = np.zeros(1 << bits, dtype=np.uint64)
        self.rows = np.full(1 << bits, -1, dtype=np.int64)
        slot = self._slot(keys)
        todo = np.arange(len(keys))
        while len(todo):  # each round: one key per free slot wins, the others move one slot on
            s = slot[todo]
            free = self.rows[s] < 0
            taken, first = np.unique(s[free], return_index=True)
            won = todo[free][first]
            self.rows[taken], self.keys[taken] = won, keys[won]
            placed = np.zeros(len(keys), dtype=bool)
            placed[won] = True
            todo = todo[~placed[todo]]
            slot[todo] = (slot[todo] + 1) & self.mask

    def _slot(self, q: np.ndarray) -> np.ndarray:
        return ((q * _MIX) >> self.shift).astype(np.int64)

    def lookup(self, q: np.ndarray) -> np.ndarray:
        """Row number of each key in ``q``, -1 when absent."""
        out = np.full(len(q), -1, dtype=np.int64)
        slot = self._slot(q)
        todo = np.arange(len(q))
        while len(todo):
            s = slot[todo]
            r = self.rows[s]
            hit = (r >= 0) & (self.keys[s] == q[todo])
            out[todo[hit]] = r[hit]
            more = (r >= 0) & ~hit
            todo = todo[more]
            slot[todo] = (s[more] + 1) & self.mask
        return out


class _Jieba:
    """jieba's exact mode without HMM (``jieba.lcut(run, HMM=False)`` on each run), over a whole batch.

    The dictionary (words and their prefixes) becomes a hash table of 64-bit polynomial hashes with
    log probabilities (-inf for prefixes); every (position, length) look-up of jieba's DAG is one
    vectorised probe, and the maximum-probability route is solved for all runs at once, position by
    position from the run ends, with jieba's arithmetic and tie-breaking (the longer word wins).
    """

    def __init__(self) -> None:
        import jieba

        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary build to stderr at DEBUG
        jieba.dt.check_initialized()
        freq = jieba.dt.FREQ
        keys = [k for k in freq if k]
        self.logtotal = math.log(jieba.dt.total)
        lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        offset = np.arange(len(codes)) - np.repeat(starts, lens)
        hashes = np.add.reduceat(codes * _powers(_MINV, int(lens.max()))[offset], starts)
        # jieba: log(FREQ[w]) - log(total), computed with the same float operations.
        lt = self.logtotal
        logp = np.array([math.log(freq[k]) - lt if freq[k] else -np.inf for k in keys])
        self.table = _Table(hashes)
        self.logp = logp
        self.max_len = int(lens.max())

    def segment(self, c: np.ndarray, valid: np.ndarray, Q: np.ndarray, mp: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
        """Start and end positions of the words of every run of ``valid`` positions in ``c``."""
        n = len(c)
        pos = np.flatnonzero(valid)
        if not len(pos):
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        invalid = np.append(np.flatnonzero(~valid), n)
        run_end = np.zeros(n + 1, dtype=np.int64)
        run_end[pos] = invalid[np.searchsorted(invalid, pos)]
        # Candidate words: column L-1 holds log p of the word of length L starting at each position.
        C = np.full((n, self.max_len), -np.inf)
        P = pos
        L = 0
        while len(P) and L < self.max_len:
            L += 1
            P = P[P + L <= run_end[P]]
            k = self.table.lookup((Q[P + L] - Q[P]) * mp[P])
            hit = k >= 0
            P, k = P[hit], k[hit]  # jieba stops extending at the first fragment not in FREQ
            C[P, L - 1] = self.logp[k]
        lmax = max(L, 1)
        best = np.zeros(n + 1)
        end = np.arange(1, n + 1, dtype=np.int64)
        dist = run_end[pos] - pos
        order = np.argsort(dist, kind="stable")
        by_dist, dists = pos[order], dist[order]
        bounds = np.searchsorted(dists, np.arange(1, int(dists[-1]) + 2))
        steps = np.arange(1, lmax + 1)
        for d in range(1, int(dists[-1]) + 1):
            Pd = by_dist[bounds[d - 1]:bounds[d]]
            if not len(Pd):
                continue
            w = min(d, lmax)
            S = C[Pd, :w] + best[Pd[:, None] + steps[None, :w]]
            a = w - 1 - np.argmax(S[:, ::-1], axis=1)  # the last maximum: the longest word on a tie
            m = S[np.arange(len(Pd)), a]
            none = np.isneginf(m)  # no dictionary word starts here: a single unknown character
            best[Pd] = np.where(none, -self.logtotal + best[Pd + 1], m)
            end[Pd] = np.where(none, Pd + 1, Pd + a + 1)
        # Walk the routes from the run starts.
        prev_valid = np.zeros(n, dtype=bool)
        prev_valid[1:] = valid[:-1]
        cur = pos[~prev_valid[pos]]
        found = []
        while len(cur):
            found.append(cur)
            nxt = end[cur]
            cur = nxt[nxt < run_end[cur]]
        ws = np.sort(np.concatenate(found))
        we = end[ws]
        # jieba glues consecutive one-letter ASCII words ("a", "0") into one.
        single = (we - ws == 1) & (c[ws] < 128)
        glue = single[1:] & single[:-1] & (ws[1:] == we[:-1])
        first = np.flatnonzero(np.r_[True, ~glue])
        last = np.r_[first[1:] - 1, len(ws) - 1]
        return ws[first], we[last]

    def cut(self, text: str) -> list[str]:
        """The words of ``text`` (runs only), for inspection and tests."""
        big, c = _codes([text])
        valid = _valid(c)
        minv = _powers(_MINV, len(c))
        Q = np.concatenate([[np.uint64(0)], np.cumsum(c * minv, dtype=np.uint64)])
        ws, we = self.segment(c, valid, Q, _powers(_M, len(c)))
        return [_fold(big[s:e]) for s, e in zip(ws.tolist(), we.tolist(), strict=True)]


@lru_cache(maxsize=1)
def _jieba() -> _Jieba:
    return _Jieba()  # loads jieba's dictionary (~1.5 s) once per process, on first need


def _char_keys(c: np.ndarray, valid: np.ndarray, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """(position, key) of char n-grams inside runs; key = code points packed 21 bits each."""
    pos_out, key_out = [], []
    n = len(c)
    ok = valid.copy()
    key = c.copy()
    for k in range(1, hi + 1):
        if k > 1:
            ok = ok[:-1] & valid[k - 1:]
            key = (key[:-1] << np.uint64(21)) | c[k - 1:]
        if k >= lo:
            p = np.flatnonzero(ok[: n - k + 1])
            pos_out.append(p)
            key_out.append(key[p])
    return np.concatenate(pos_out), np.concatenate(key_out)


def _char_name(key: int) -> str:
    out = []
    while key:
        out.append(chr(key & 0x1FFFFF))
        key >>= 21
    return "".join(reversed(out))


class _Vectorizer:
    """TF-IDF over char n-grams and jieba word n-grams (uni/bigrams), each block L2-normalised.

    Vocabularies are sorted arrays of integer keys (char n-grams: packed code points; words: 64-bit
    hashes), looked up through vectorised hash tables; ``word_names`` keeps the readable word n-grams.
    """

    def __init__(self, char_ngrams: tuple[int, int] | None, word_ngrams: tuple[int, int] | None,
                 min_df: int, sublinear_tf: bool) -> None:
        if not char_ngrams and not word_ngrams:
            raise ValueError("at least one of char_ngrams and word_ngrams is needed")
        if word_ngrams and not (1 <= word_ngrams[0] <= word_ngrams[1] <= 2):
            raise ValueError("word_ngrams must lie within (1, 2)")
        if char_ngrams and not (1 <= char_ngrams[0] <= char_ngrams[1] <= 3):
            raise ValueError("char_ngrams must lie within (1, 3)")
        self.char_ngrams = tuple(char_ngrams) if char_ngrams else None
        self.word_ngrams = tuple(word_ngrams) if word_ngrams else None
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.char_keys = np.zeros(0, dtype=np.uint64)
        self.word_keys = np.zeros(0, dtype=np.uint64)
        self.char_idf = np.zeros(0)
        self.word_idf = np.zeros(0)
        self.word_names = np.zeros(0, dtype=str)

    @property
    def n_features(self) -> int:
        return len(self.char_keys) + len(self.word_keys)

    def feature_names(self) -> list[str]:
        words = [f"w:{w}" for w in self.word_names.tolist()] if self.word_ngrams else []
        return [f"c:{_char_name(int(k))}" for k in self.char_keys.tolist()] + words

    def _grams(self, texts: Sequence[str]
               ) -> tuple[str, list[tuple[np.ndarray, np.ndarray]], tuple[np.ndarray, ...]]:
        """For a chunk: (statement, key) pairs per block; word n-gram spans (start, middle, end) for names."""
        big, c = _codes(texts)
        doc = np.cumsum(c == 0)
        valid = _valid(c)
        blocks = []
        if self.char_ngrams:
            p, k = _char_keys(c, valid, *self.char_ngrams)
            blocks.append((doc[p], k))
        spans: tuple[np.ndarray, ...] = ()
        if self.word_ngrams:
            Q = np.concatenate([[np.uint64(0)], np.cumsum(c * _powers(_MINV, len(c)), dtype=np.uint64)])
            mp = _powers(_M, len(c))
            ws, we = _jieba().segment(c, valid, Q, mp)
            wh = (Q[we] - Q[ws]) * mp[ws]
            parts = []  # (doc, key, start, middle, end) per n
            if self.word_ngrams[0] == 1:
                parts.append((doc[ws], wh, ws, we, we))
            if self.word_ngrams[1] == 2:
                adj = np.flatnonzero(ws[1:] == we[:-1])  # neighbours inside one run
                parts.append((doc[ws[adj]], wh[adj] * _BIGRAM + wh[adj + 1], ws[adj], we[adj], we[adj + 1]))
            d, k, *spans = (np.concatenate(x) for x in zip(*parts, strict=True))
            blocks.append((d, k))
        return big, blocks, tuple(spans)

    def _chunks(self, texts: Sequence[str]) -> Iterable[tuple[int, Sequence[str]]]:
        start, size = 0, 0
        for i, t in enumerate(texts):
            size += len(t) + 1
            if size > _CHUNK:
                yield start, texts[start:i + 1]
                start, size = i + 1, 0
        if start < len(texts):
            yield start, texts[start:]

    def fit(self, texts: Sequence[str]) -> _Vectorizer:
        n = len(texts)
        self.__dict__.pop("_tables", None)
        doc_keys: list[list[np.ndarray]] = [[], []]  # per block: each key once per statement containing it
        names: dict[int, str] = {}
        for _, chunk in self._chunks(texts):
            big, blocks, spans = self._grams(chunk)
            for b, (d, k) in enumerate(blocks):
                order = np.lexsort((d, k))
                ks, ds = k[order], d[order]
                first = np.r_[True, (ks[1:] != ks[:-1]) | (ds[1:] != ds[:-1])] if len(ks) else np.zeros(0, bool)
                doc_keys[b].append(ks[first])
            if spans:
                starts, mids, ends = spans
                uk, at = np.unique(blocks[-1][1], return_index=True)
                for key, i in zip(uk.tolist(), at.tolist(), strict=True):
                    if key not in names:
                        s, m, e = int(starts[i]), int(mids[i]), int(ends[i])
                        names[key] = _fold(big[s:m] + (" " + big[m:e] if m < e else ""))

        def vocab(parts: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
            keys, df = np.unique(np.concatenate(parts) if parts else np.zeros(0, np.uint64), return_counts=True)
            keep = df >= self.min_df
            return keys[keep].astype(np.uint64), np.log((1 + n) / (1 + df[keep])) + 1.0

        if self.char_ngrams:
            self.char_keys, self.char_idf = vocab(doc_keys[0])
        if self.word_ngrams:
            self.word_keys, self.word_idf = vocab(doc_keys[1 if self.char_ngrams else 0])
            self.word_names = np.array([names[k] for k in self.word_keys.tolist()], dtype=str)
        return self

    def _table(self, block: str) -> _Table:
        # Built on first use after fit() or load() (fit() drops the old ones).
        tables = self.__dict__.setdefault("_tables", {})
        if block not in tables:
            tables[block] = _Table(self.char_keys if block == "char" else self.word_keys)
        return tables[block]

    def _block(self, doc: np.ndarray, key: np.ndarray, block: str, n_docs: int) -> sparse.csr_matrix:
        idf = self.char_idf if block == "char" else self.word_idf
        idx = self._table(block).lookup(key)
        hit = idx >= 0
        m = sparse.csr_matrix((np.ones(int(hit.sum())), (doc[hit], idx[hit])), shape=(n_docs, len(idf)))
        m.sum_duplicates()
        if self.sublinear_tf:
            np.log(m.data, out=m.data)
            m.data += 1.0
        m.data *= idf[m.indices]
        norms = np.sqrt(np.bincount(np.repeat(np.arange(n_docs), np.diff(m.indptr)), m.data ** 2, n_docs))
        norms[norms == 0] = 1.0
        m.data /= np.repeat(norms, np.diff(m.indptr))
        return m

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        names = ["char"] * bool(self.char_ngrams) + ["word"] * bool(self.word_ngrams)
        parts = []
        for _, chunk in self._chunks(texts):
            _, blocks, _ = self._grams(chunk)
            mats = [self._block(d, k, name, len(chunk)) for (d, k), name in zip(blocks, names, strict=True)]
            parts.append(mats[0] if len(mats) == 1 else sparse.hstack(mats, format="csr"))
        if not parts:
            return sparse.csr_matrix((0, self.n_features))
        return parts[0] if len(parts) == 1 else sparse.vstack(parts, format="csr")

    # -- persistence (plain arrays) ------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        return {"char_keys": self.char_keys, "word_keys": self.word_keys, "char_idf": self.char_idf,
                "word_idf": self.word_idf, "word_names": self.word_names}

    @classmethod
    def from_arrays(cls, params: dict[str, Any], a: dict[str, np.ndarray]) -> _Vectorizer:
        v = cls(params["char_ngrams"], params["word_ngrams"], params["min_df"], params["sublinear_tf"])
        v.char_keys, v.word_keys = a["char_keys"].astype(np.uint64), a["word_keys"].astype(np.uint64)
        v.char_idf, v.word_idf = a["char_idf"].astype(np.float64), a["word_idf"].astype(np.float64)
        v.word_names = a["word_names"]
        return v


# ------------------------------------------------------------------------------------------------------
# Labels


def _texts(X: Any) -> list[str]:
    if isinstance(X, str):
        raise ValueError("expected a list of statements, got a single string")
    texts = list(X)
    for i, t in enumerate(texts):
        if not isinstance(t, str):
            raise ValueError(f"statement {i} is {type(t).__name__}, not str")
    return texts


_SPLIT = re.compile(r"[;,|，；、\s]+")
_SENTENCE = re.compile(r"(?<=[。；！？!?;])")


def parse_themes(value: Any) -> list[str]:
    """A theme list from a list, a JSON list string or a ``a;b`` / ``a,b`` / ``a|b`` string."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                value = json.loads(s)
            except json.JSONDecodeError:
                value = _SPLIT.split(s.strip("[]").replace('"', "").replace("'", ""))
        else:
            value = _SPLIT.split(s)
    return [str(v).strip() for v in value if str(v).strip()]


def _normalise_gold(gold: Any, codebook: Codebook) -> list[list[str]]:
    """Theme lists checked against the codebook; ``["other"]`` for none."""
    if isinstance(gold, str):
        raise ValueError("expected one theme list per statement, got a single string")
    return [codebook.check_labels(parse_themes(v), where=f" (statement {i})") or [OTHER]
            for i, v in enumerate(gold)]


def _label_matrix(y: Any, themes: list[str], codebook: Codebook) -> np.ndarray:
    index = {t: j for j, t in enumerate(themes)}
    gold = _normalise_gold(y, codebook)
    Y = np.zeros((len(gold), len(themes)), dtype=bool)
    for i, ts in enumerate(gold):
        Y[i, [index[t] for t in ts if t != OTHER]] = True
    return Y


def read_labeled(path: str | Path) -> pd.DataFrame:
    """Labeled statements from JSONL or CSV: columns ``text``, ``themes`` (list) and ``role`` (may be None).

    CSV ``themes`` cells may be ``a;b``, ``a,b``, ``a|b`` or a JSON list.
    """
    p = Path(path)
    if not p.is_file():
        raise TextmineError("labeled file not found", str(p))
    rows: list[dict[str, Any]] = []
    if p.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TextmineError(f"line {n}: not valid JSON ({exc.msg})", str(p)) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise TextmineError(f"line {n}: each line needs a \"text\" string", str(p))
            rows.append({"text": rec["text"], "themes": parse_themes(rec.get("themes")), "role": rec.get("role")})
    elif p.suffix.lower() in (".csv", ".tsv"):
        try:
            df = pd.read_csv(p, sep="\t" if p.suffix.lower() == ".tsv" else ",", dtype=str, keep_default_na=False)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise TextmineError(f"cannot read CSV: {exc}", str(p)) from None
        if "text" not in df.columns or "themes" not in df.columns:
            raise TextmineError("a labeled CSV needs the columns text and themes", str(p))
        for rec in df.to_dict("records"):
            rows.append({"text": rec["text"], "themes": parse_themes(rec["themes"]), "role": rec.get("role") or None})
    else:
        raise TextmineError("labeled data must be .jsonl or .csv", str(p))
    if not rows:
        raise TextmineError("no labeled statements", str(p))
    frame = pd.DataFrame({"text": [r["text"] for r in rows], "themes": [r["themes"] for r in rows]})
    frame["role"] = pd.Series([r["role"] for r in rows], dtype=object)  # None stays None, not NaN
    return frame


# ------------------------------------------------------------------------------------------------------
# The estimator


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def _platt(d: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt scaling with Platt's smoothed targets, as CalibratedClassifierCV(method='sigmoid') does."""
    from sklearn.linear_model import LogisticRegression

    pos = int(y.sum())
    neg = len(y) - pos
    if pos == 0 or neg == 0:
        return 0.0, (-12.0 if pos == 0 else 12.0)
    t_pos, t_neg = (pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0)
    t = np.where(y, t_pos, t_neg)
    x = np.concatenate([d, d]).reshape(-1, 1)
    lab = np.concatenate([np.ones(len(d)), np.zeros(len(d))])
    lr = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
    lr.fit(x, lab, sample_weight=np.concatenate([t, 1.0 - t]))
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


_GRID = np.round(np.arange(0.05, 0.951, 0.01), 2)


def _best_threshold(p: np.ndarray, y: np.ndarray, min_positives: int) -> float:
    """The threshold maximising F1 on out-of-fold probabilities; 0.5 when too few positives to tell."""
    pos = int(y.sum())
    if pos < min_positives:
        return 0.5
    pred = p[:, None] >= _GRID[None, :]
    tp = (pred & y[:, None]).sum(axis=0)
    fp = pred.sum(axis=0) - tp
    f1 = 2 * tp / np.maximum(2 * tp + fp + (pos - tp), 1)
    best = np.flatnonzero(f1 >= f1.max() - 1e-9)
    return float(_GRID[best[len(best) // 2]])  # middle of the plateau: least sensitive to noise


class ThemeClassifier(BaseEstimator):
    """Multi-label theme classifier for section-5 statements (a scikit-learn estimator).

    Parameters
    ----------
    char_ngrams, word_ngrams : (lo, hi) or None
        Character n-grams and jieba word n-grams (words: at most bigrams); None switches a block off.
    min_df : int
        Drop n-grams seen in fewer training statements.
    sublinear_tf : bool
        1 + log(tf) instead of raw counts.
    C : float
        Inverse regularisation of each theme's linear model.
    loss : "svm" or "logreg"
        A linear SVM or logistic regression (both liblinear); both are Platt-calibrated afterwards.
    class_weight : "balanced" or None
    use_rules : bool
        Add the rule tagger's guarded scores (one per theme, squashed to [0, 1)) as features.
    rule_weight : float
        Scale of the rule features relative to the unit-norm text blocks.
    pool_sentences : bool
        Score each sentence of a statement and keep, per theme, its best sentence. Real statements are
        often a title plus explanation, or several claims; scored whole, a theme carried by one sentence
        is diluted by the others (on pairs of eval statements joined into one: micro-F1 0.77 whole,
        0.93 pooled; single statements unchanged).
    inner_cv : int
        Folds of the inner cross-validation whose out-of-fold scores calibrate the probabilities and tune
        the per-theme thresholds (< 2: no calibration, thresholds 0.5).
    min_positives : int
        A theme with fewer training positives keeps the 0.5 threshold.
    codebook : path, Codebook or None
        The codebook whose theme ids are the labels (None: the bundled one).
    random_state : int
    """

    def __init__(self, *, char_ngrams: tuple[int, int] | None = (1, 3),
                 word_ngrams: tuple[int, int] | None = (1, 2), min_df: int = 2, sublinear_tf: bool = True,
                 C: float = 0.5, loss: str = "svm", class_weight: str | None = "balanced",
                 use_rules: bool = False, rule_weight: float = 1.0, pool_sentences: bool = True, inner_cv: int = 5,
                 min_positives: int = 3, codebook: CodebookLike = None, random_state: int = 0) -> None:
        self.char_ngrams = char_ngrams
        self.word_ngrams = word_ngrams
        self.min_df = min_df
        self.sublinear_tf = sublinear_tf
        self.C = C
        self.loss = loss
        self.class_weight = class_weight
        self.use_rules = use_rules
        self.rule_weight = rule_weight
        self.pool_sentences = pool_sentences
        self.inner_cv = inner_cv
        self.min_positives = min_positives
        self.codebook = codebook
        self.random_state = random_state

    # -- fitting -----------------------------------------------------------------------------------------
    def _base(self):
        if self.loss == "logreg":
            from sklearn.linear_model import LogisticRegression

            return LogisticRegression(C=self.C, solver="liblinear", class_weight=self.class_weight)
        if self.loss == "svm":
            from sklearn.svm import LinearSVC

            return LinearSVC(C=self.C, class_weight=self.class_weight)
        raise ValueError(f"loss must be 'logreg' or 'svm', not {self.loss!r}")

    def _fit_linear(self, F: sparse.csr_matrix, Y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        W = np.zeros((Y.shape[1], F.shape[1]))
        b = np.zeros(Y.shape[1])
        for j in range(Y.shape[1]):
            y = Y[:, j]
            if y.all() or not y.any():
                b[j] = 12.0 if y.all() else -12.0  # a constant theme: no model to fit
                continue
            est = self._base().fit(F, y)
            W[j], b[j] = est.coef_.ravel(), float(est.intercept_[0])
        return W, b

    def _rule_features(self, texts: list[str]) -> sparse.csr_matrix:
        tagger = self._tagger()
        s = tagger.score_matrix(texts)
        return sparse.csr_matrix(self.rule_weight * s / (s + tagger.thresholds()[None, :]))

    def _features(self, texts: list[str]) -> sparse.csr_matrix:
        F = self.vectorizer_.transform(texts)
        if self.use_rules:
            F = sparse.hstack([F, self._rule_features(texts)], format="csr")
        return F

    def _sentence_features(self, texts: list[str]) -> tuple[sparse.csr_matrix, np.ndarray]:
        """Features of every sentence, and the row where each statement's sentences start."""
        sentences, starts = [], []
        for t in texts:
            starts.append(len(sentences))
            parts = [p for p in _SENTENCE.split(t) if p.strip()]
            sentences.extend(parts or [t])  # every statement keeps at least one row
        return self._features(sentences), np.asarray(starts, dtype=np.int64)

    def fit(self, X: Iterable[str], y: Iterable[Any]) -> ThemeClassifier:
        """Fit on statements ``X`` and their theme lists ``y`` (codebook ids; ``[]``/``["other"]`` = none)."""
        from sklearn.model_selection import KFold

        texts = _texts(X)
        cb = resolve_codebook(self.codebook)
        self.themes_ = cb.theme_ids
        Y = _label_matrix(y, self.themes_, cb)
        if len(texts) != len(Y):
            raise ValueError(f"{len(texts)} statements but {len(Y)} theme lists")
        if len(texts) < 2:
            raise ValueError("need at least two labeled statements")
        self.codebook_ = cb
        self.__dict__.pop("_rule_tagger", None)
        self.vectorizer_ = _Vectorizer(self.char_ngrams, self.word_ngrams, self.min_df, self.sublinear_tf).fit(texts)
        F = self._features(texts)
        W, b = self._fit_linear(F, Y)
        n_themes = len(self.themes_)
        a_, b_ = np.ones(n_themes), np.zeros(n_themes)
        thr = np.full(n_themes, 0.5)
        folds = min(self.inner_cv, len(texts))
        if folds >= 2:
            # Out-of-fold scores: what the model says about statements it has not seen. The vocabulary
            # is shared across folds (unsupervised), the linear models are not.
            D = np.zeros(Y.shape)
            S, starts = self._sentence_features(texts) if self.pool_sentences else (F, np.arange(len(texts)))
            owner = np.repeat(np.arange(len(texts)), np.diff(np.append(starts, S.shape[0])))
            for tr, te in KFold(folds, shuffle=True, random_state=self.random_state).split(texts):
                Wk, bk = self._fit_linear(F[tr], Y[tr])
                rows = np.flatnonzero(np.isin(owner, te))  # the sentences of the held-out statements
                D[te] = np.maximum.reduceat(S[rows] @ Wk.T + bk, np.searchsorted(rows, starts[te]), axis=0)
            for j in range(n_themes):
                a_[j], b_[j] = _platt(D[:, j], Y[:, j])
                thr[j] = _best_threshold(_sigmoid(a_[j] * D[:, j] + b_[j]), Y[:, j], self.min_positives)
        elif self.loss == "svm":
            a_[:] = 2.0  # a rough squash of hinge margins without held-out data to calibrate on
        # float32 weights: half the file size, and predictions identical before and after save/load.
        self.coef_ = W.astype(np.float32)
        self.intercept_ = b
        self.platt_ = np.vstack([a_, b_])
        self.thresholds_ = thr
        self.n_train_ = len(texts)
        return self

    # -- prediction --------------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            from sklearn.exceptions import NotFittedError

            raise NotFittedError("this ThemeClassifier is not fitted yet; call fit() or use pretrained()")

    def decision_function(self, X: Iterable[str]) -> np.ndarray:
        """Linear scores, shape (n, n_themes), columns in ``themes_`` order (best sentence when pooling)."""
        self._check_fitted()
        texts = _texts(X)
        if not texts:
            return np.zeros((0, len(self.themes_)))
        if not self.pool_sentences:
            return np.asarray(self._features(texts) @ self.coef_.T, dtype=np.float64) + self.intercept_
        S, starts = self._sentence_features(texts)
        D = np.asarray(S @ self.coef_.T, dtype=np.float64) + self.intercept_
        return np.maximum.reduceat(D, starts, axis=0)

    def _proba(self, texts: list[str]) -> np.ndarray:
        self._check_fitted()
        return _sigmoid(self.platt_[0] * self.decision_function(texts) + self.platt_[1])

    def predict_proba(self, X: Iterable[str]) -> pd.DataFrame:
        """Calibrated probability per theme id, plus ``other`` = probability that no theme applies.

        ``other`` is the product of (1 - p) over themes (themes treated as independent). The frame
        keeps the index of ``X`` when it is a pandas Series.
        """
        texts = _texts(X)
        P = self._proba(texts)
        other = np.prod(1.0 - P, axis=1)
        index = X.index if isinstance(X, pd.Series) else None
        frame = pd.DataFrame(P, columns=self.themes_, index=index)
        frame[OTHER] = other
        return frame

    def _decide(self, P: np.ndarray) -> list[list[str]]:
        rows, cols = np.nonzero(P >= self.thresholds_)
        order = np.lexsort((-P[rows, cols], rows))  # by statement, then most probable first
        names = np.asarray(self.themes_, dtype=object)[cols[order]].tolist()
        out: list[list[str]] = []
        i = 0
        for k in np.bincount(rows, minlength=len(P)).tolist():
            out.append(names[i:i + k] if k else [OTHER])
            i += k
        return out

    def predict(self, X: Iterable[str]) -> list[list[str]]:
        """Theme ids per statement, most probable first; ``["other"]`` when no theme passes its threshold."""
        texts = _texts(X)
        return self._decide(self._proba(texts)) if texts else []

    def predict_with_proba(self, X: Iterable[str]) -> tuple[list[list[str]], pd.DataFrame]:
        """``predict`` and ``predict_proba`` from one pass over the features (half the work of both)."""
        proba = self.predict_proba(X)
        return (self._decide(proba[self.themes_].to_numpy()) if len(proba) else []), proba

    def top_features(self, theme: str, n: int = 15) -> pd.DataFrame:
        """The n-grams (``c:`` characters, ``w:`` jieba words, ``r:`` rule votes) that weigh most for a theme."""
        self._check_fitted()
        names = self.vectorizer_.feature_names()
        if self.use_rules:
            names += [f"r:{t}" for t in self.themes_]
        w = self.coef_[self.themes_.index(theme)]
        top = np.argsort(-w, kind="stable")[:n]
        return pd.DataFrame({"feature": [names[i] for i in top], "weight": w[top].astype(float)})

    def score(self, X: Iterable[str], y: Iterable[Any]) -> float:
        """Micro-averaged F1 over theme ids and ``other`` (so GridSearchCV needs no scorer)."""
        self._check_fitted()
        gold = _normalise_gold(y, self.codebook_)
        return _metrics(gold, self.predict(X), self.codebook_.labels)["micro"]["f1"]

    def _tagger(self):
        # Derived from the codebook, so not saved: rebuilt on first use after fit() or load().
        tagger = self.__dict__.get("_rule_tagger")
        if tagger is None:
            from .rules import RuleTagger

            tagger = self.__dict__["_rule_tagger"] = RuleTagger(self.codebook_)
        return tagger

    # -- persistence -------------------------------------------------------------------------------------
    def save(self, path: str | Path, **meta: Any) -> Path:
        """Write the fitted model to ``path`` (.npz: arrays and JSON, no pickle)."""
        self._check_fitted()
        p = Path(path)
        if p.suffix != ".npz":
            p = p.with_name(p.name + ".npz")  # np.savez would append it anyway; say so in the return value
        params = self.get_params()
        params["codebook"] = None
        import sklearn

        from . import __version__

        info = {
            "format": MODEL_FORMAT, "params": params, "themes": self.themes_, "n_train": self.n_train_,
            "codebook_fingerprint": self.codebook_.fingerprint, "codebook_text": self.codebook_.text,
            "codebook_source": self.codebook_.source, "versions": {"textmine": __version__,
                                                                   "scikit-learn": sklearn.__version__,
                                                                   "numpy": np.__version__},
            **meta,
        }
        arrays = self.vectorizer_.arrays()
        p.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(p, meta=np.array(json.dumps(info, ensure_ascii=False)), coef=self.coef_,
                            intercept=self.intercept_, platt=self.platt_, thresholds=self.thresholds_, **arrays)
        return p

    @classmethod
    def load(cls, path: str | Path) -> ThemeClassifier:
        """Read a model written by :meth:`save`."""
        p = Path(path)
        try:
            with np.load(p, allow_pickle=False) as z:
                a = {k: z[k] for k in z.files}
            info = json.loads(str(a.pop("meta")))
        except FileNotFoundError:
            raise TextmineError("model file not found", str(p)) from None
        except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
            raise TextmineError(f"not a textmine theme model ({exc})", str(p)) from None
        if info.get("format") != MODEL_FORMAT:
            raise TextmineError(f"model format {info.get('format')!r} is not supported (expected {MODEL_FORMAT})",
                                str(p))
        bundled = load_codebook()
        if info["codebook_fingerprint"] == bundled.fingerprint:
            cb, cb_param = bundled, None
        else:
            cb = parse_codebook(info["codebook_text"], info.get("codebook_source"))
            cb_param = cb
        params = dict(info["params"])
        for key in ("char_ngrams", "word_ngrams"):
            if params.get(key) is not None:
                params[key] = tuple(params[key])
        params["codebook"] = cb_param
        model = cls(**params)
        model.themes_ = list(info["themes"])
        model.codebook_ = cb
        model.vectorizer_ = _Vectorizer.from_arrays(params, a)
        model.coef_ = a["coef"]
        model.intercept_ = a["intercept"]
        model.platt_ = a["platt"]
        model.thresholds_ = a["thresholds"]
        model.n_train_ = int(info.get("n_train", 0))
        model.meta_ = info
        return model

    @classmethod
    def pretrained(cls) -> ThemeClassifier:
        """The model shipped in the package (refitted from the bundled training data if it is stale)."""
        return copy.copy(_pretrained())  # shallow: fit()/set_params() rebind, never mutate shared arrays


def _training_digest(train: Path, params: dict[str, Any]) -> str:
    """What the shipped model depends on: the training data, the parameters and the codebook's theme ids
    (its cues too, but only when the rule votes are features)."""
    cb = load_codebook()
    h = hashlib.sha256(train.read_bytes())
    h.update(json.dumps(params, sort_keys=True).encode("utf-8"))
    h.update((cb.text if params.get("use_rules") else json.dumps(cb.theme_ids)).encode("utf-8"))
    return h.hexdigest()


def _fit_bundled() -> ThemeClassifier:
    train = data_path(TRAIN_FILE)
    if not train.is_file():
        raise TextmineError("the bundled training data is missing", str(train))
    df = read_labeled(train)
    return ThemeClassifier(**PRETRAINED_PARAMS).fit(df["text"].tolist(), df["themes"].tolist())


@lru_cache(maxsize=1)
def _pretrained() -> ThemeClassifier:
    train, shipped = data_path(TRAIN_FILE), data_path(PRETRAINED_FILE)
    digest = _training_digest(train, PRETRAINED_PARAMS) if train.is_file() else None
    try:
        model = ThemeClassifier.load(shipped)
        if digest is None or model.meta_.get("training_digest") == digest:
            return model
        log.info("shipped theme model is older than the bundled training data; refitting")
    except TextmineError as exc:
        log.info("shipped theme model not usable (%s); refitting", exc)
    return _fit_bundled()


def build_pretrained(out: str | Path | None = None) -> ThemeClassifier:
    """Fit the shipped model on the bundled training data and write it (default: into the package)."""
    model = _fit_bundled()
    model.save(out or data_path(PRETRAINED_FILE),
               training_digest=_training_digest(data_path(TRAIN_FILE), PRETRAINED_PARAMS))
    _pretrained.cache_clear()
    return model


# ------------------------------------------------------------------------------------------------------
# Evaluation


def _metrics(gold: list[list[str]], pred: list[list[str]], labels: list[str]) -> dict[str, Any]:
    """Per-label and averaged precision/recall/F1; ``other`` counts as a label."""
    idx = {t: j for j, t in enumerate(labels)}

    def matrix(lists: list[list[str]]) -> np.ndarray:
        M = np.zeros((len(lists), len(labels)), dtype=bool)
        for i, ts in enumerate(lists):
            for t in ts or [OTHER]:
                M[i, idx[t]] = True
        return M

    G, P = matrix(gold), matrix(pred)
    tp = (G & P).sum(axis=0)
    fp = (P & ~G).sum(axis=0)
    fn = (G & ~P).sum(axis=0)

    def prf(tp_: float, fp_: float, fn_: float) -> tuple[float, float, float]:
        p = float(tp_ / (tp_ + fp_)) if tp_ + fp_ else 0.0
        r = float(tp_ / (tp_ + fn_)) if tp_ + fn_ else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    rows = []
    for j, t in enumerate(labels):
        p, r, f = prf(tp[j], fp[j], fn[j])
        rows.append({"theme": t, "precision": p, "recall": r, "f1": f, "support": int(G[:, j].sum()),
                     "predicted": int(P[:, j].sum())})
    per = pd.DataFrame(rows).set_index("theme")
    mp, mr, mf = prf(tp.sum(), fp.sum(), fn.sum())
    present = per[per["support"] > 0]
    macro = {"precision": float(present["precision"].mean()) if len(present) else 0.0,
             "recall": float(present["recall"].mean()) if len(present) else 0.0,
             "f1": float(present["f1"].mean()) if len(present) else 0.0}
    exact = float((G == P).all(axis=1).mean()) if len(G) else 0.0
    return {"per_theme": per, "micro": {"precision": mp, "recall": mr, "f1": mf}, "macro": macro,
            "exact_match": exact}


NONE = "(none)"


def _confusion(gold: list[list[str]], pred: list[list[str]], labels: list[str]) -> pd.DataFrame:
    """Counts over wrong statements: rows = gold themes missed, columns = themes predicted in their place.

    ``(none)`` as a column: a missed gold theme with no wrong prediction beside it; as a row: a wrong
    prediction with no missed gold theme beside it.
    """
    counts: Counter[tuple[str, str]] = Counter()
    for g, p in zip(gold, pred, strict=True):
        gs, ps = set(g or [OTHER]), set(p or [OTHER])
        missed, extra = sorted(gs - ps), sorted(ps - gs)
        for m in missed or [NONE]:
            for e in extra or [NONE]:
                if (m, e) != (NONE, NONE):
                    counts[(m, e)] += 1
    axis = labels + [NONE]
    frame = pd.DataFrame(0, index=pd.Index(axis, name="gold"), columns=pd.Index(axis, name="predicted"))
    for (m, e), c in counts.items():
        frame.loc[m, e] = c
    return frame


@dataclass
class EvalReport:
    """Per-theme precision/recall/F1, averages, confusion of errors; optionally a backend comparison."""

    backend: str
    mode: str  # "held-out", "cv-5", or "rules" (no training involved)
    n: int
    per_theme: pd.DataFrame
    micro: dict[str, float]
    macro: dict[str, float]
    exact_match: float
    confusion: pd.DataFrame
    errors: pd.DataFrame
    seconds: float = 0.0
    comparison: pd.DataFrame | None = None
    backends: dict[str, EvalReport] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        return {"backend": self.backend, "mode": self.mode, "n": self.n, "micro_precision": self.micro["precision"],
                "micro_recall": self.micro["recall"], "micro_f1": self.micro["f1"], "macro_f1": self.macro["f1"],
                "exact_match": self.exact_match, "seconds": round(self.seconds, 2)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: everything except the error list's texts is numbers and theme ids."""
        conf = self.confusion
        pairs = [{"gold": g, "predicted": p, "count": int(conf.loc[g, p])}
                 for g in conf.index for p in conf.columns if conf.loc[g, p]]
        out = {**self.summary(), "micro": self.micro, "macro": self.macro,
               "per_theme": [{"theme": t, **{k: (float(v) if k in ("precision", "recall", "f1") else int(v))
                                             for k, v in row.items()}}
                             for t, row in self.per_theme.to_dict("index").items()],
               "confusion": pairs,
               "errors": self.errors.to_dict("records")}
        if self.comparison is not None:
            out["comparison"] = self.comparison.reset_index().to_dict("records")
            out["backends"] = {k: v.to_dict() for k, v in self.backends.items() if v is not self}
        return out

    def __str__(self) -> str:
        head = (f"{self.backend} ({self.mode}, n={self.n}): micro P/R/F1 {self.micro['precision']:.3f}/"
                f"{self.micro['recall']:.3f}/{self.micro['f1']:.3f}, macro F1 {self.macro['f1']:.3f}")
        body = self.per_theme.to_string(float_format=lambda v: f"{v:.3f}")
        comp = "" if self.comparison is None else "\n\n" + self.comparison.to_string(float_format=lambda v: f"{v:.3f}")
        return f"{head}\n{body}{comp}"


def _report(backend: str, mode: str, texts: list[str], gold: list[list[str]], pred: list[list[str]],
            labels: list[str], seconds: float) -> EvalReport:
    m = _metrics(gold, pred, labels)
    wrong = [i for i, (g, p) in enumerate(zip(gold, pred, strict=True)) if set(g) != set(p)]
    errors = pd.DataFrame({"index": wrong, "text": [texts[i] for i in wrong], "gold": [gold[i] for i in wrong],
                           "predicted": [pred[i] for i in wrong]}, columns=["index", "text", "gold", "predicted"])
    return EvalReport(backend, mode, len(texts), m["per_theme"], m["micro"], m["macro"], m["exact_match"],
                      _confusion(gold, pred, labels), errors, seconds)


def _is_spacy(model: Any) -> bool:
    return type(model).__module__.startswith("spacy") and hasattr(model, "pipe_names")


def _backend_of(model: Any) -> str:
    from .rules import RuleTagger

    if model is None or isinstance(model, (BaseEstimator, str, Path)):
        return "sklearn"
    if isinstance(model, RuleTagger):
        return "rules"
    if _is_spacy(model):
        return "spacy"
    if hasattr(model, "predict"):
        return "sklearn"
    raise TypeError(f"cannot evaluate a {type(model).__name__}: expected a ThemeClassifier, RuleTagger or spaCy nlp")


def _fitted(model: Any) -> bool:
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(model)
        return True
    except Exception:  # NotFittedError, or an estimator without fitted attributes
        return False


def evaluate(texts: Iterable[str], gold: Iterable[Any], model: Any = None, cv: int = 5, *,
             backends: Sequence[str] | None = None, codebook: CodebookLike = None, random_state: int = 0,
             spacy_iter: int = 15) -> EvalReport:
    """Per-theme precision, recall, F1 and support; micro and macro averages; a confusion of errors.

    ``model``: a fitted ThemeClassifier (or the path of a saved one), a RuleTagger or a spaCy ``nlp``
    from :func:`textmine.spacy_themes.train_spacy_textcat` is evaluated held-out on ``texts``; an unfitted
    estimator, or None (a default ThemeClassifier), is cross-validated with ``cv`` shuffled folds.
    ``backends`` (any of "sklearn", "spacy", "rules") compares backends on the same folds: the report
    is the first backend's, with ``comparison`` (one row per backend) and ``backends`` filled in.
    """
    from sklearn.model_selection import KFold

    from .rules import RuleTagger

    texts = _texts(texts)
    if isinstance(model, (str, Path)):
        model = ThemeClassifier.load(model)
    # A fitted model or a tagger brings its own codebook; otherwise the one given (or the bundled one).
    own = getattr(model, "codebook_", None) or getattr(model, "codebook", None)
    cb = resolve_codebook(codebook if codebook is not None or not isinstance(own, Codebook) else own)
    gold_l = _normalise_gold(gold, cb)
    if len(gold_l) != len(texts):
        raise ValueError(f"{len(texts)} statements but {len(gold_l)} gold theme lists")
    names = list(backends) if backends else [_backend_of(model)]
    unknown = [b for b in names if b not in ("sklearn", "spacy", "rules")]
    if unknown:
        raise ValueError(f"unknown backend(s) {unknown}; choose from sklearn, spacy, rules")

    def run(name: str) -> EvalReport:
        t0 = time.perf_counter()
        given = model if model is not None and _backend_of(model) == name else None
        if name == "rules":
            tagger = given if given is not None else RuleTagger(cb)
            return _report("rules", "rules", texts, gold_l, tagger.predict(texts), cb.labels,
                           time.perf_counter() - t0)
        if name == "spacy":
            from .spacy_themes import textcat_predict, train_spacy_textcat

            if given is not None:
                return _report("spacy", "held-out", texts, gold_l, textcat_predict(given, texts), cb.labels,
                               time.perf_counter() - t0)
            fit = lambda tr: train_spacy_textcat([texts[i] for i in tr], [gold_l[i] for i in tr],  # noqa: E731
                                                 n_iter=spacy_iter, codebook=cb, seed=random_state)
            predict = textcat_predict
        else:
            if given is not None and _fitted(given):
                return _report("sklearn", "held-out", texts, gold_l, given.predict(texts), cb.labels,
                               time.perf_counter() - t0)
            template = given if given is not None else ThemeClassifier(codebook=cb, random_state=random_state)
            fit = lambda tr: clone(template).fit([texts[i] for i in tr], [gold_l[i] for i in tr])  # noqa: E731
            predict = lambda m, xs: m.predict(xs)  # noqa: E731
        if not cv or cv < 2:
            raise ValueError("cross-validation needs cv >= 2 (or pass a fitted model)")
        # The same shuffled folds for every backend (same random_state), so their scores compare.
        folds = list(KFold(cv, shuffle=True, random_state=random_state).split(texts))
        pred: list[list[str]] = [[] for _ in texts]
        for tr, te in folds:
            fitted = fit(tr)
            for i, p in zip(te, predict(fitted, [texts[i] for i in te]), strict=True):
                pred[i] = p
        return _report(name, f"cv-{len(folds)}", texts, gold_l, pred, cb.labels, time.perf_counter() - t0)

    reports = {name: run(name) for name in names}
    main = reports[names[0]]
    if len(names) > 1:
        main.comparison = pd.DataFrame([r.summary() for r in reports.values()]).set_index("backend")
        main.backends = reports
    return main


# ------------------------------------------------------------------------------------------------------
# Weak supervision and active learning


@dataclass
class AgreementReport:
    """How far the classifier trained on rule labels agrees with the rules."""

    mode: str  # "cv-5": model predictions out of fold; "in-sample" when cv < 2
    per_theme: pd.DataFrame  # theme: rules, model, both, agreement, kappa, f1
    overall: dict[str, float]
    disagreements: pd.DataFrame  # text, rules, model

    def to_dict(self) -> dict[str, Any]:
        return {"mode": self.mode, "overall": self.overall,
                "per_theme": [{"theme": t, **{k: (None if isinstance(v, float) and math.isnan(v) else v)
                                              for k, v in row.items()}}
                              for t, row in self.per_theme.to_dict("index").items()],
                "disagreements": self.disagreements.to_dict("records")}


def self_train(unlabeled_texts: Iterable[str], codebook: CodebookLike = None, *, cv: int = 5,
               random_state: int = 0, **params: Any) -> tuple[ThemeClassifier, AgreementReport]:
    """Label statements with the rule tagger, train a ThemeClassifier on them, report rules/model agreement.

    Agreement is measured on out-of-fold predictions (``cv`` folds), so it says how well the model
    generalises the rules rather than how well it memorises them. ``params`` go to ThemeClassifier.
    """
    from sklearn.metrics import cohen_kappa_score
    from sklearn.model_selection import KFold

    from .rules import RuleTagger

    texts = _texts(unlabeled_texts)
    cb = resolve_codebook(codebook)
    rule_labels = RuleTagger(cb).predict(texts)
    template = ThemeClassifier(codebook=cb, random_state=random_state, **params)
    if cv and cv >= 2 and len(texts) >= cv:
        pred: list[list[str]] = [[] for _ in texts]
        for tr, te in KFold(cv, shuffle=True, random_state=random_state).split(texts):
            m = clone(template).fit([texts[i] for i in tr], [rule_labels[i] for i in tr])
            for i, p in zip(te, m.predict([texts[i] for i in te]), strict=True):
                pred[i] = p
        mode = f"cv-{cv}"
        model = clone(template).fit(texts, rule_labels)
    else:
        model = clone(template).fit(texts, rule_labels)
        pred, mode = model.predict(texts), "in-sample"
    rows = []
    for t in cb.labels:
        r = np.array([t in ls for ls in rule_labels])
        m = np.array([t in ls for ls in pred])
        both = int((r & m).sum())
        f1 = 2 * both / (r.sum() + m.sum()) if r.sum() + m.sum() else float("nan")
        kappa = float(cohen_kappa_score(r, m)) if len(set(r.tolist()) | set(m.tolist())) > 1 else float("nan")
        rows.append({"theme": t, "rules": int(r.sum()), "model": int(m.sum()), "both": both,
                     "agreement": float((r == m).mean()) if len(r) else float("nan"), "kappa": kappa, "f1": f1})
    per = pd.DataFrame(rows).set_index("theme")
    metrics = _metrics(rule_labels, pred, cb.labels)
    overall = {"statements": len(texts), "rule_labeled": sum(ls != [OTHER] for ls in rule_labels),
               "exact_match": metrics["exact_match"], "micro_f1": metrics["micro"]["f1"],
               "mean_kappa": float(np.nanmean(per["kappa"])) if per["kappa"].notna().any() else float("nan")}
    dis = [i for i, (a, b) in enumerate(zip(rule_labels, pred, strict=True)) if set(a) != set(b)]
    disagreements = pd.DataFrame({"index": dis, "text": [texts[i] for i in dis],
                                  "rules": [rule_labels[i] for i in dis], "model": [pred[i] for i in dis]},
                                 columns=["index", "text", "rules", "model"])
    return model, AgreementReport(mode, per, overall, disagreements)


def uncertain(model: Any, texts: Iterable[str], n: int = 50) -> pd.DataFrame:
    """The ``n`` statements the model is least sure about, for a coder to label next.

    Uncertainty is the smallest distance between a theme's probability and that theme's decision
    threshold: a statement with some theme right at its threshold could go either way. Columns:
    position (in ``texts``), text, theme (the undecided one), probability, threshold, margin, predicted.
    """
    texts_l = _texts(texts)
    if not texts_l:
        return pd.DataFrame(columns=["position", "text", "theme", "probability", "threshold", "margin", "predicted"])
    proba = model.predict_proba(texts_l)
    themes = [c for c in proba.columns if c != OTHER]
    P = proba[themes].to_numpy()
    thr = np.asarray(getattr(model, "thresholds_", np.full(len(themes), 0.5)), dtype=float)
    dist = np.abs(P - thr[None, :])
    j = dist.argmin(axis=1)
    rows = np.arange(len(texts_l))
    margin = dist[rows, j]
    pred = model.predict(texts_l)
    frame = pd.DataFrame({"position": rows, "text": texts_l, "theme": [themes[k] for k in j],
                          "probability": P[rows, j], "threshold": thr[j], "margin": margin, "predicted": pred})
    if isinstance(texts, pd.Series):
        frame.index = texts.index
    return frame.sort_values(["margin", "position"], kind="stable").head(n)


if __name__ == "__main__":  # python -m textmine.classifier [OUT]: rebuild the shipped model
    import sys

    from textmine.classifier import build_pretrained as _build  # the package's class, not __main__'s

    built = _build(sys.argv[1] if len(sys.argv) > 1 else None)
    print(f"theme model: {built.n_train_} statements, {built.vectorizer_.n_features} features")
