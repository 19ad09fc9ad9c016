"""Copy chains in the real department series of ../shared/real-dev (skips without it).

Only years, agencies and files are asserted (never the reports' text). Thirteen reports are parsed, not
the 57, to keep the test short: three series whose wording is carried over.
"""

from __future__ import annotations

import pytest
from conftest import SHARED

REAL_DEV = SHARED / "real-dev"
FILES = [f"changwu_pingtan-czj_{y}.txt" for y in range(2020, 2026)] + \
        [f"changwu_pingtan-jtj_{y}.txt" for y in range(2012, 2016)] + \
        ["changwu_pingtan-scj_2009.txt", "changwu_pingtan-scj_2010.txt", "changwu_pingtan-czj_2010.txt"]

pytestmark = pytest.mark.skipif(not all((REAL_DEV / f).exists() for f in FILES),
                                reason="../shared/real-dev is not there")


@pytest.fixture(scope="module")
def tracked():
    import textmine
    from textmine.tracking import corpus_tracking

    corpus = textmine.Corpus.from_files([REAL_DEV / f for f in FILES])
    assert len(corpus.records) == len(FILES)
    names = {d: p.rsplit("/", 1)[-1].removeprefix("changwu_pingtan-").removesuffix(".txt")
             for d, p in zip(corpus.documents["doc_id"], corpus.documents["path"])}
    return corpus_tracking(corpus), names


def _chain_of(t, names, leaf):
    ch = t.chains
    ids = ch[ch["doc_id"].map(names) == leaf]["chain_id"]
    assert len(ids) == 1, leaf
    steps = ch[ch["chain_id"] == ids.item()].sort_values("step")
    return [names[d] for d in steps["doc_id"]], steps


def test_finance_bureau_copies_itself_2020_to_2025(tracked):
    t, names = tracked
    chain, steps = _chain_of(t, names, "czj_2025")
    assert chain == [f"czj_{y}" for y in range(2020, 2026)]
    assert set(steps["kind"].dropna()) == {"same agency"} and steps["agency_id"].nunique() == 1
    assert (steps["share"].dropna() >= 0.6).all()


def test_transport_bureau_chain_2012_to_2015(tracked):
    t, names = tracked
    chain, steps = _chain_of(t, names, "jtj_2015")
    assert chain == ["jtj_2012", "jtj_2013", "jtj_2014", "jtj_2015"]
    assert steps["year"].tolist() == [2012, 2013, 2014, 2015]


def test_the_2009_county_boilerplate_is_copied_across_bureaus(tracked):
    t, names = tracked
    cp = t.copies.assign(doc=t.copies["doc_id"].map(names), source=t.copies["source_doc_id"].map(names))
    src = dict(zip(cp["doc"], cp["source"]))
    assert src["scj_2010"] == "scj_2009" and src["czj_2010"] == "scj_2009"
    both = cp[cp["doc"].isin(["scj_2010", "czj_2010"])]
    assert set(both["kind"]) == {"across agencies"} and (both["share"] >= 0.8).all()
    rep = t.reports.assign(doc=t.reports["doc_id"].map(names)).set_index("doc")
    assert rep.loc["czj_2010", "cross_agency_share"] >= 0.5 and rep.loc["czj_2023", "reuse_share"] >= 0.5
    fam = t.families.groupby("family_id")["agency_id"].nunique()
    assert (fam >= 2).any()
