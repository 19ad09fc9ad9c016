"""Streamed ingest into the store and Parquet; the Dask engine gives the same frames as the local one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from textmine.corpus import Corpus
from textmine.ingest import ingest

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    d = tmp_path_factory.mktemp("sample")
    for p in CORPUS.iterdir():
        if p.is_file() and p.suffix != ".py":
            shutil.copy(p, d / p.name)
    return d


def _norm(df: pd.DataFrame) -> pd.DataFrame:
    cols = [c for c in df.columns if c != "path"]
    return df[cols].astype(str).sort_values(cols).reset_index(drop=True)


@pytest.fixture(scope="module")
def local(sample, tmp_path_factory):
    out = tmp_path_factory.mktemp("local")
    res = ingest(sample, store=out / "s.duckdb", parquet=out / "pq", workers=2, progress=False)
    return res, out


def test_local_ingest_matches_the_in_memory_corpus(sample, local):
    res, out = local
    assert res["reports"] == 16 and res["parsed"] == 16 and res["failed"] == []
    corpus = Corpus.from_dir(sample, store=False, workers=1, progress=False)
    docs = pd.read_parquet(out / "pq" / "documents")
    assert sorted(docs["agency_id"]) == sorted(corpus.documents["agency_id"])
    st = pd.read_parquet(out / "pq" / "statements")
    assert sorted(st["text"]) == sorted(corpus.statements["text"])
    fin = pd.read_parquet(out / "pq" / "findings")
    assert sorted(fin["rule"]) == sorted(corpus.findings["rule"])
    assert set(docs["year"].astype(int)) == {2018, 2020, 2021, 2022, 2023, 2024}
    # SQL over the store.
    import duckdb

    con = duckdb.connect(str(out / "s.duckdb"), read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == 16
    con.close()


def test_rerun_parses_nothing(sample, local):
    _, out = local
    res = ingest(sample, store=out / "s.duckdb", workers=1, progress=False)
    assert res["parsed"] == 0 and res["cached"] == 16 and res["reports"] == 16


def test_dask_engine_gives_the_same_frames(sample, local, tmp_path):
    pytest.importorskip("dask.distributed")
    _, out = local
    res = ingest(sample, store=tmp_path / "d.duckdb", parquet=tmp_path / "pq", engine="dask", workers=2)
    assert res["reports"] == 16 and res["engine"] == "dask"
    for name in ("documents", "sections", "statements", "findings", "tables"):
        a = _norm(pd.read_parquet(out / "pq" / name))
        b = _norm(pd.read_parquet(tmp_path / "pq" / name))
        assert a.equals(b), name
