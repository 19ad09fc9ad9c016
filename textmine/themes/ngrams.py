"""The numpy core of the statement features: jieba's segmentation and TF-IDF over character n-grams and
word n-grams, with no scikit-learn and no scipy, so predicting themes starts fast.

:class:`NgramTfidf` holds the fitted vocabularies as plain arrays (a model saves without pickle);
``entries`` gives a batch's TF-IDF rows as sorted (row, column, value) arrays, which the linear model
(``linear.py``) multiplies in numpy and ``transform`` turns into a scipy matrix for training.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..cache import cached_arrays, file_identity, source_key

if TYPE_CHECKING:  # pragma: no cover
    from scipy import sparse

# Prediction must run at >= 10,000 statements/s on one core; per-character Python loops
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
        self._size(bits)
        self.keys = np.zeros(1 << bits, dtype=np.uint64)
        # int32 rows: half the cache file; every vocabulary here is far below 2**31 entries.
        self.rows = np.full(1 << bits, -1, dtype=np.int32)
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

    def _size(self, bits: int) -> None:
        self.shift = np.uint64(64 - bits)
        self.mask = (1 << bits) - 1

    @classmethod
    def from_arrays(cls, keys: np.ndarray, rows: np.ndarray) -> _Table:
        """A table from the ``keys`` and ``rows`` of a built one (e.g. memory-mapped from the cache)."""
        table = cls.__new__(cls)
        table._size(int(len(keys)).bit_length() - 1)
        table.keys, table.rows = keys, rows
        return table

    def arrays(self, prefix: str) -> dict[str, np.ndarray]:
        return {f"{prefix}_keys": self.keys, f"{prefix}_rows": self.rows}

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


class JiebaSegmenter:
    """jieba's exact mode without HMM (``jieba.lcut(run, HMM=False)`` on each run), over a whole batch.

    The dictionary (words and their prefixes) becomes a hash table of 64-bit polynomial hashes with
    log probabilities (-inf for prefixes); every (position, length) look-up of jieba's DAG is one
    vectorised probe, and the maximum-probability route is solved for all runs at once, position by
    position from the run ends, with jieba's arithmetic and tie-breaking (the longer word wins).
    """

    def __init__(self, arrays: dict[str, np.ndarray] | None = None) -> None:
        a = arrays if arrays is not None else _jieba_arrays()
        self.table = _Table.from_arrays(a["dict_keys"], a["dict_rows"])
        self.logp = a["logp"]
        self.logtotal = float(a["info"][0])
        self.max_len = int(a["info"][1])

    @staticmethod
    def build() -> dict[str, np.ndarray]:
        """The segmenter's arrays from jieba's dictionary (what the cache stores; ~2 s of CPU)."""
        import jieba

        jieba.setLogLevel(logging.WARNING)  # jieba logs its dictionary build to stderr at DEBUG
        jieba.dt.check_initialized()
        freq = jieba.dt.FREQ
        keys = [k for k in freq if k]
        logtotal = math.log(jieba.dt.total)
        lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        codes = np.frombuffer("".join(keys).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        offset = np.arange(len(codes)) - np.repeat(starts, lens)
        hashes = np.add.reduceat(codes * _powers(_MINV, int(lens.max()))[offset], starts)
        # jieba: log(FREQ[w]) - log(total), computed with the same float operations.
        logp = np.array([math.log(freq[k]) - logtotal if freq[k] else -np.inf for k in keys])
        return {**_Table(hashes).arrays("dict"), "logp": logp,
                "info": np.array([logtotal, float(lens.max())])}

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


# Bump when the arrays JiebaSegmenter.build makes change (hashing, table layout).
_JIEBA_FORMAT = 1


def _jieba_dictionary() -> str:
    """jieba's bundled dictionary, found without importing jieba (its import alone costs 0.3 s)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("jieba is not installed")
    return os.path.join(list(spec.submodule_search_locations)[0], "dict.txt")


def _jieba_arrays() -> dict[str, np.ndarray]:
    try:
        key = source_key(_JIEBA_FORMAT, *file_identity(_jieba_dictionary()))
    except OSError:
        return JiebaSegmenter.build()  # an unusual jieba installation: no cache, jieba finds its own
    return cached_arrays("jieba", key, JiebaSegmenter.build)


@lru_cache(maxsize=1)
def jieba_segmenter() -> JiebaSegmenter:
    """The process's segmenter: jieba's dictionary as a hash table, memory-mapped from the user cache
    (``textmine/cache.py``; built there from jieba's dictionary on first use)."""
    return JiebaSegmenter()


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


class NgramTfidf:
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
            ws, we = jieba_segmenter().segment(c, valid, Q, mp)
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

    def fit(self, texts: Sequence[str]) -> NgramTfidf:
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
        # Built on first use after fit() or load() (fit() drops the old ones), or given by from_arrays.
        tables = self.__dict__.setdefault("_tables", {})
        if block not in tables:
            tables[block] = _Table(self.char_keys if block == "char" else self.word_keys)
        return tables[block]

    def table_arrays(self) -> dict[str, np.ndarray]:
        """The built look-up tables of both vocabularies (what a cache stores beside the model)."""
        return {**self._table("char").arrays("char_table"), **self._table("word").arrays("word_table")}

    def _block(self, doc: np.ndarray, key: np.ndarray, block: str, n_docs: int
               ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One block's TF-IDF entries (row, column, value), rows in order and columns sorted in a row."""
        idf = self.char_idf if block == "char" else self.word_idf
        if not len(idf):
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        idx = self._table(block).lookup(key)
        hit = idx >= 0
        pairs, tf = np.unique(doc[hit] * len(idf) + idx[hit], return_counts=True)
        rows, cols = np.divmod(pairs, len(idf))
        v = tf.astype(np.float64)
        if self.sublinear_tf:
            np.log(v, out=v)
            v += 1.0
        v *= idf[cols]
        norms = np.sqrt(np.bincount(rows, v ** 2, n_docs))
        norms[norms == 0] = 1.0
        v /= norms[rows]
        return rows, cols, v

    def entries(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The TF-IDF rows of ``texts`` as (row, column, value) arrays in CSR order: rows ascending, and in
        a row the character block's columns, then the word block's, each ascending."""
        names = ["char"] * bool(self.char_ngrams) + ["word"] * bool(self.word_ngrams)
        out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for start, chunk in self._chunks(texts):
            _, blocks, _ = self._grams(chunk)
            parts, col0 = [], 0
            for (d, k), name in zip(blocks, names, strict=True):
                r, c, v = self._block(d, k, name, len(chunk))
                parts.append((r, c + col0, v))
                col0 += len(self.char_idf if name == "char" else self.word_idf)
            r, c, v = (np.concatenate(x) for x in zip(*parts, strict=True))
            order = np.argsort(r, kind="stable")
            out.append((r[order] + start, c[order], v[order]))
        if not out:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
        r, c, v = (np.concatenate(x) for x in zip(*out, strict=True))
        return r, c, v

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        from scipy import sparse

        r, c, v = self.entries(texts)
        indptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=len(texts)))])
        return sparse.csr_matrix((v, c, indptr), shape=(len(texts), self.n_features))

    # -- persistence (plain arrays) ------------------------------------------------------------------
    def arrays(self) -> dict[str, np.ndarray]:
        return {"char_keys": self.char_keys, "word_keys": self.word_keys, "char_idf": self.char_idf,
                "word_idf": self.word_idf, "word_names": self.word_names}

    @classmethod
    def from_arrays(cls, params: dict[str, Any], a: dict[str, np.ndarray]) -> NgramTfidf:
        """From :meth:`arrays` (``word_names`` optional), and :meth:`table_arrays` when given."""
        v = cls(params["char_ngrams"], params["word_ngrams"], params["min_df"], params["sublinear_tf"])
        # astype(copy=False): arrays memory-mapped from the cache stay mapped.
        v.char_keys = a["char_keys"].astype(np.uint64, copy=False)
        v.word_keys = a["word_keys"].astype(np.uint64, copy=False)
        v.char_idf = a["char_idf"].astype(np.float64, copy=False)
        v.word_idf = a["word_idf"].astype(np.float64, copy=False)
        v.word_names = a.get("word_names", np.zeros(0, dtype=str))
        if "char_table_keys" in a:
            v._tables = {b: _Table.from_arrays(a[f"{b}_table_keys"], a[f"{b}_table_rows"]) for b in ("char", "word")}
        return v

