"""Near-duplicate candidate pairs in about linear time and bounded memory: MinHash signatures and LSH bands.

Sets are given as one flat int64 token array and offsets (set ``i`` is ``tokens[offsets[i]:offsets[i + 1]]``),
so a corpus never becomes a Python object per token. Signatures are computed one hash function at a time
(memory: the token array and one hashed copy), band keys are sorted, and within a run of equal keys each set
is paired with its ``neighbours`` predecessors only: a bucket of ten thousand copies of one template yields
about ten thousand pairs, not fifty million, and still links them all (transitively). Candidates are then
checked by exact similarity by the caller.
"""

from __future__ import annotations

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)


def mix64(z: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser: a fast, well-mixed 64-bit hash of each value (wrapping arithmetic)."""
    z = z.astype(np.uint64, copy=True)
    z ^= z >> np.uint64(30)
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    return z


def char_shingles(texts: list[str], k: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """Character ``k``-grams of each text as int64 tokens (code points packed 21 bits each, or hashed for
    ``k`` > 3), and offsets.

    A text shorter than ``k`` is padded, so it has one token and still matches its copies.
    """
    texts = [t if len(t) >= k or not t else t.ljust(k, "\0") for t in texts]
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    n_grams = np.maximum(lengths - k + 1, 0)
    offsets = np.concatenate([[0], np.cumsum(n_grams)]).astype(np.int64)
    tokens = np.zeros(int(offsets[-1]), dtype=np.int64)
    if not len(tokens):
        return tokens, offsets
    cp = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)])
    text_of = np.repeat(np.arange(len(texts)), n_grams)
    pos = starts[text_of] + (np.arange(len(tokens)) - offsets[text_of])
    if k * 21 <= 63:  # exact: code points packed 21 bits each
        for j in range(k):
            tokens = (tokens << 21) | cp[pos + j]
        return tokens, offsets
    h = np.zeros(len(tokens), dtype=np.uint64)  # longer grams: a 64-bit hash (collisions negligible)
    for j in range(k):
        h = mix64(h ^ cp[pos + j].astype(np.uint64))
    return h.view(np.int64), offsets


def signatures(tokens: np.ndarray, offsets: np.ndarray, num_perm: int = 64, seed: int = 0) -> np.ndarray:
    """MinHash signature matrix (sets × num_perm, uint64); empty sets get all-max rows (never candidates)."""
    n = len(offsets) - 1
    sig = np.full((n, num_perm), np.iinfo(np.uint64).max, dtype=np.uint64)
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    if not len(nonempty):
        return sig
    seeds = np.random.default_rng(seed).integers(1, 2**63 - 1, size=num_perm, dtype=np.int64).astype(np.uint64)
    base = tokens.astype(np.uint64)
    for k in range(num_perm):
        h = mix64(base ^ seeds[k])
        sig[nonempty, k] = np.minimum.reduceat(h, offsets[nonempty])
    return sig


def candidate_pairs(sig: np.ndarray, bands: int = 16, neighbours: int = 4,
                    eligible: np.ndarray | None = None) -> np.ndarray:
    """Pairs (i, j), i < j, that agree on all rows of at least one band: an (n_pairs, 2) int64 array.

    Sets equal in one band are ordered by index, so callers that sort their sets by time get each set
    paired with its latest predecessors.
    """
    n, num_perm = sig.shape
    rows = num_perm // bands
    idx = np.arange(n) if eligible is None else np.flatnonzero(eligible)
    found = []
    for b in range(bands):
        key = np.zeros(len(idx), dtype=np.uint64)
        for r in range(b * rows, (b + 1) * rows):
            key = mix64(key ^ sig[idx, r])
        order = np.argsort(key, kind="stable")
        ks = key[order]
        for d in range(1, neighbours + 1):
            if d >= len(order):
                break
            same = ks[d:] == ks[:-d]
            if same.any():
                a, c = idx[order[:-d][same]], idx[order[d:][same]]
                found.append(np.stack([np.minimum(a, c), np.maximum(a, c)], axis=1))
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(found)
    codes = np.unique(pairs[:, 0] * np.int64(n) + pairs[:, 1])
    return np.stack([codes // n, codes % n], axis=1)


def components(n: int, pairs: np.ndarray) -> np.ndarray:
    """Connected-component label of each of ``n`` items, given linking pairs."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not len(pairs):
        return np.arange(n)
    g = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    return connected_components(g, directed=False)[1]


def set_cosine(a: set, b: set) -> float:
    """|A ∩ B| / sqrt(|A| |B|): cosine of the sets' indicator vectors."""
    if not a or not b:
        return 0.0
    return len(a & b) / (len(a) * len(b)) ** 0.5


def grams(text: str, k: int = 3) -> set[str]:
    return {text[i:i + k] for i in range(len(text) - k + 1)} if len(text) >= k else ({text} if text else set())


def rare_grams(texts: list[str], k: int = 4, max_df: float = 2.0, keep: int = 12) -> list[frozenset[int]]:
    """Per text, up to ``keep`` of its rarest ``k``-gram tokens among those in at most ``max_df`` texts: a
    bounded sketch of what is specific to it (the formulas every text shares are left out)."""
    n = len(texts)
    tokens, offsets = char_shingles(texts, k)
    sid = np.repeat(np.arange(n), np.diff(offsets))
    order = np.lexsort((tokens, sid))
    t, s = tokens[order], sid[order]
    first = np.ones(len(t), dtype=bool)
    first[1:] = (t[1:] != t[:-1]) | (s[1:] != s[:-1])
    t, s = t[first], s[first]
    _, inv, cnt = np.unique(t, return_inverse=True, return_counts=True)
    df = cnt[inv]
    rare = df <= max_df
    t, s, df = t[rare], s[rare], df[rare]
    order = np.lexsort((t, df, s))
    t, s = t[order], s[order]
    start = np.searchsorted(s, np.arange(n))
    rank = np.arange(len(s)) - start[s]
    t, s = t[rank < keep], s[rank < keep]
    bounds = np.searchsorted(s, np.arange(n + 1))
    return [frozenset(t[bounds[i]:bounds[i + 1]].tolist()) for i in range(n)]
