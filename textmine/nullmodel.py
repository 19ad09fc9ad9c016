"""The null model of recurring issues: which agency wrote which report is exchangeable within a stratum.

A *unit* is one agency's report year (all its reports of that year together). Units are grouped into strata
of the same report year, administrative level and template era (2021 form, 2019 form, legacy). The null
hypothesis is that, within each stratum, the units could be swapped among the agencies: an agency's
statements in a year say nothing about its statements in other years beyond what every agency of that
stratum says. Under that null each of an agency's units is an independent uniform draw from its stratum,
so the number of years in which it states a (theme, role) is a sum of independent Bernoulli variables with
the stratum shares as probabilities (a Poisson-binomial). Its distribution is computed exactly — the limit
of infinitely many permutations, so p-values are stable and need no seed — and :func:`permutation_pvalues`
samples the same permutations (seeded) to check it.

``p_value`` is the mid-p value P(X > observed) + ½ P(X = observed), close to uniform under the null despite
the discrete distribution; ``p_conservative`` is P(X ≥ observed). ``q_value`` is the Benjamini–Hochberg
adjustment of ``p_value`` over the family of findings reported together.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

NULL_COLUMNS = ["observed", "expected", "p_value", "p_conservative", "q_value"]
# What a stratum holds fixed; pass a subset (e.g. ("year",)) to pool levels or eras when strata are thin.
STRATA = ("year", "level", "era")


def era(template) -> str:
    """Template era of a report: the form it follows (``unknown`` counts as its own era)."""
    return str(template) if template in ("2021", "2019", "legacy") else "unknown"


def unit_strata(statements: pd.DataFrame, documents: pd.DataFrame | None = None,
                strata: Sequence[str] = STRATA) -> pd.DataFrame:
    """One row per unit (agency_id, year) with its stratum label, e.g. ``2023|county|2021``."""
    import pandas as pd

    src = documents if documents is not None and len(documents) else statements
    cols = [c for c in ("agency_id", "agency", "year", "level", "template") if c in src.columns]
    u = src[cols].dropna(subset=["year"]).copy()
    u["agency_id"] = u["agency_id"].fillna(u["agency"]) if "agency" in u else u["agency_id"]
    u["year"] = u["year"].astype(int)
    u["_level"] = u["level"].fillna("?").astype(str) if "level" in u else "?"
    u["_era"] = u["template"].map(era) if "template" in u else "unknown"
    # An agency with reports of two eras in one year (a re-issue) counts once, in the later form.
    u = u.sort_values(["agency_id", "year", "_era"]).drop_duplicates(["agency_id", "year"], keep="last")
    unknown = set(strata) - {"year", "level", "era"}
    if unknown:
        raise ValueError(f"unknown strata {sorted(unknown)}; use year, level, era")
    parts = {"year": u["year"].astype(str), "level": u["_level"], "era": u["_era"]}
    u["stratum"] = ""
    for name in strata:
        u["stratum"] = u["stratum"] + "|" + parts[name]
    return pd.DataFrame(u[["agency_id", "year", "stratum"]]).reset_index(drop=True)


def poisson_binomial_tail(p: np.ndarray, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(X > obs) and P(X = obs) for X a sum of independent Bernoulli(p[k, j]) over j, row by row.

    ``p`` is (m, n), padded with zeros for rows with fewer than n terms.
    """
    m, n = p.shape
    dist = np.zeros((m, n + 1))
    dist[:, 0] = 1.0
    for j in range(n):
        pj = p[:, j:j + 1]
        shifted = np.zeros_like(dist)
        shifted[:, 1:] = dist[:, :-1]
        dist = dist * (1 - pj) + shifted * pj
    obs = np.clip(observed.astype(int), 0, n)
    eq = dist[np.arange(m), obs]
    cum = np.cumsum(dist, axis=1)[np.arange(m), obs]
    return np.clip(1.0 - cum, 0.0, 1.0), eq


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """BH-adjusted p-values (q-values), in the input order."""
    p = np.asarray(p, dtype=float)
    n = len(p)
    if not n:
        return p
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


def _feature_table(statements: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Distinct (agency_id, year, theme, role) stated, with the unit's stratum."""
    from .frames import explode_themes

    ex = explode_themes(statements)
    ex = ex.assign(agency_id=ex["agency_id"].fillna(ex["agency"]), year=ex["year"].astype(int))
    f = ex[["agency_id", "year", "theme", "role"]].drop_duplicates()
    return f.merge(units, on=["agency_id", "year"], how="inner")


def recurrence_null(statements: pd.DataFrame, keys: pd.DataFrame, documents: pd.DataFrame | None = None,
                    strata: Sequence[str] = STRATA) -> pd.DataFrame:
    """observed / expected / p_value / p_conservative / q_value for each (agency_id, theme, role) of ``keys``.

    observed: the agency's report years stating the theme in that role; expected: its mean under the null.
    """
    import pandas as pd

    units = unit_strata(statements, documents, strata)
    feats = _feature_table(statements, units)
    size = units.groupby("stratum").size()
    share = feats.groupby(["stratum", "theme", "role"]).size().rename("n").reset_index()
    share["share"] = share["n"] / share["stratum"].map(size)
    share = share.drop(columns="n")
    obs = feats.groupby(["agency_id", "theme", "role"]).size().rename("observed")
    k = keys[["agency_id", "theme", "role"]].drop_duplicates().merge(obs.reset_index(), how="left")
    k["observed"] = k["observed"].fillna(0).astype(int)
    # Each finding's probabilities: one per unit of its agency, the stratum share of its (theme, role).
    per = k.merge(units, on="agency_id").merge(share, on=["stratum", "theme", "role"], how="left")
    per["share"] = per["share"].fillna(0.0)
    per["_j"] = per.groupby(["agency_id", "theme", "role"]).cumcount()
    wide = per.pivot_table(index=["agency_id", "theme", "role"], columns="_j", values="share", fill_value=0.0)
    k = k.set_index(["agency_id", "theme", "role"])
    p = wide.reindex(k.index).fillna(0.0).to_numpy()
    gt, eq = poisson_binomial_tail(p, k["observed"].to_numpy())
    out = k.assign(expected=p.sum(axis=1).round(4), p_value=(gt + 0.5 * eq).round(6),
                   p_conservative=(gt + eq).clip(0, 1).round(6)).reset_index()
    out["q_value"] = benjamini_hochberg(out["p_value"].to_numpy()).round(6)
    return pd.DataFrame(out, columns=["agency_id", "theme", "role", *NULL_COLUMNS])


def permutation_pvalues(statements: pd.DataFrame, keys: pd.DataFrame, documents: pd.DataFrame | None = None,
                        n_perm: int = 2000, seed: int = 0, strata: Sequence[str] = STRATA) -> pd.DataFrame:
    """The same null sampled: agencies' units shuffled within strata ``n_perm`` times (seeded).

    Returns agency_id, theme, role, observed, p_value (mid-p: ties count half), p_conservative.
    Slower than the exact computation (used to check it, and for statistics it cannot compute).
    """
    import pandas as pd

    units = unit_strata(statements, documents, strata)
    feats = _feature_table(statements, units)
    k = keys[["agency_id", "theme", "role"]].drop_duplicates().reset_index(drop=True)
    uidx = {(a, y): i for i, (a, y) in enumerate(zip(units["agency_id"], units["year"]))}
    fidx = {(t, r): i for i, (t, r) in enumerate(sorted(set(zip(k["theme"], k["role"]))))}
    has = np.zeros((len(units), len(fidx)), dtype=bool)
    for a, y, t, r in feats[["agency_id", "year", "theme", "role"]].itertuples(index=False):
        if (t, r) in fidx:
            has[uidx[(a, y)], fidx[(t, r)]] = True
    agencies = {a: i for i, a in enumerate(sorted(set(units["agency_id"]), key=str))}
    owner = units["agency_id"].map(agencies).to_numpy()
    groups = [np.flatnonzero(units["stratum"].to_numpy() == s) for s in sorted(set(units["stratum"]))]
    rows_a = k["agency_id"].map(agencies).to_numpy()
    cols_f = np.array([fidx[(t, r)] for t, r in zip(k["theme"], k["role"])], dtype=int)
    counts = np.zeros((len(agencies), len(fidx)))
    np.add.at(counts, owner, has)
    observed = counts[rows_a, cols_f]
    rng = np.random.default_rng(seed)
    gt = np.zeros(len(k))
    eq = np.zeros(len(k))
    perm = np.arange(len(units))
    for _ in range(n_perm):
        for g in groups:
            perm[g] = rng.permutation(g)
        c = np.zeros_like(counts)
        np.add.at(c, owner, has[perm])
        sim = c[rows_a, cols_f]
        gt += sim > observed
        eq += sim == observed
    out = k.assign(observed=observed.astype(int), p_value=(gt + 0.5 * eq) / n_perm, p_conservative=(gt + eq) / n_perm)
    return pd.DataFrame(out)
