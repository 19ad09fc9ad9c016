"""Exports a researcher opens: CSV for Excel, one list convention across Parquet, DuckDB and JSON, and
the filters of ``textmine export`` (counts on the bundled sample corpus)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest
from conftest import ROOT

from textmine.corpus import Corpus
from textmine.errors import TextmineError
from textmine.export import export, export_statements, parse_years, select_statements

CORPUS = ROOT / "corpus"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    return tmp_path_factory.mktemp("store") / "corpus.duckdb"


@pytest.fixture(scope="module")
def sample(store):
    return Corpus.from_dir(CORPUS, store=store, workers=1, progress=False)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textmine", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_csv_has_a_bom_and_loads_in_pandas(tmp_path, sample):
    out = tmp_path / "st.csv"
    export_statements(sample.statements, "csv", out)
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    df = pd.read_csv(out)
    assert df.columns.tolist() == ["doc_id", "statement_id", "agency", "agency_id", "year", "role", "themes",
                                   "scores", "text", "subsection"]
    assert len(df) == len(sample.statements) and df["agency"].str.contains("人民政府").any()
    # CSV has no lists: themes joined with ";" (the labels reader splits them again)
    first = sample.statements["themes"].iloc[0]
    assert df["themes"].iloc[0] == ";".join(first)
    from textmine.themes.labels import read_labeled

    back = read_labeled(out)  # the BOM does not end up in the first column's name
    assert back["themes"].tolist() == [list(t) for t in sample.statements["themes"]]


def test_themes_are_a_list_in_parquet_duckdb_and_json(tmp_path, sample, store):
    want = [list(t) for t in sample.statements["themes"]]
    export_statements(sample.statements, "parquet", tmp_path / "st.parquet")
    assert [list(t) for t in pd.read_parquet(tmp_path / "st.parquet")["themes"]] == want
    frames = sample.to_parquet(tmp_path / "frames")
    assert tmp_path / "frames" / "statements.parquet" in frames
    assert [list(t) for t in pd.read_parquet(tmp_path / "frames" / "statements.parquet")["themes"]] == want
    docs = pd.read_parquet(tmp_path / "frames" / "documents.parquet")
    assert all(isinstance(list(v), list) and "overview" in list(v) for v in docs["sections_found"])
    export_statements(sample.statements, "jsonl", tmp_path / "st.jsonl")
    rows = [json.loads(x) for x in (tmp_path / "st.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["themes"] for r in rows] == want
    con = duckdb.connect(str(store), read_only=True)
    try:
        types = dict(con.execute("select column_name, data_type from information_schema.columns "
                                 "where table_name = 'statements'").fetchall())
        assert types["themes"] == "VARCHAR[]" and types["answers"] == "VARCHAR[]"
        got = con.execute("select themes from statements order by doc_id, statement_id").fetchall()
    finally:
        con.close()
    by_id = sample.statements.sort_values(["doc_id", "statement_id"])["themes"]
    assert [list(r[0]) for r in got] == [list(t) for t in by_id]


def test_an_all_empty_list_column_keeps_its_type(tmp_path, sample):
    st = sample.statements.head(3).copy()
    st["themes"] = [[], [], []]
    export_statements(st, "parquet", tmp_path / "empty.parquet")
    import pyarrow.parquet as pq

    assert str(pq.read_schema(tmp_path / "empty.parquet").field("themes").type) == "list<element: string>"


def test_parse_years():
    assert parse_years("2020") == (2020, 2020) and parse_years("2019-2021") == (2019, 2021)
    assert parse_years(2022) == (2022, 2022) and parse_years(None) is None
    for bad in ("20x", "2021-2019", "2019-"):
        with pytest.raises(TextmineError):
            parse_years(bad)


def test_filters_count_on_the_sample_corpus(sample):
    st = sample.statements
    assert len(st) == 94
    assert len(select_statements(st, role="problem")[0]) == 33
    assert len(select_statements(st, year="2022")[0]) == 27
    assert len(select_statements(st, year="2021-2022")[0]) == 44
    assert len(select_statements(st, role="problem", year="2019-2021")[0]) == 9
    assert len(select_statements(st, role="measure,rectification", year=2018)[0]) == 1
    kept, filters = select_statements(st, theme="platforms")
    assert len(kept) == sum("platforms" in t for t in st["themes"]) > 0
    assert all("platforms" in t for t in kept["themes"])
    assert filters == {"role": None, "theme": ["platforms"], "year": None, "sample": None, "seed": None}
    with pytest.raises(TextmineError):
        select_statements(st, role="complaint")


def test_sample_is_random_and_reproducible(sample):
    st = sample.statements
    a, fa = select_statements(st, sample=10, seed=7)
    b, _ = select_statements(st, sample=10, seed=7)
    c, _ = select_statements(st, sample=10, seed=8)
    assert len(a) == 10 and a["statement_id"].tolist() == b["statement_id"].tolist()
    assert list(zip(a.doc_id, a.statement_id)) != list(zip(c.doc_id, c.statement_id))
    assert fa["seed"] == 7
    _, drawn = select_statements(st, sample=5)
    assert isinstance(drawn["seed"], int)  # drawn, and reported so the sample can be drawn again
    assert len(select_statements(st, role="problem", sample=500, seed=1)[0]) == 33


def test_export_summary(tmp_path, sample):
    res = export(sample.statements, "jsonl", tmp_path / "p.jsonl", role="problem", year="2023-2024", sample=4,
                 seed=3)
    assert res["statements"] == 4 and res["statements_before_filters"] == 94 and res["format"] == "jsonl"
    assert res["filters"] == {"role": ["problem"], "theme": None, "year": [2023, 2024], "sample": 4, "seed": 3}
    rows = [json.loads(x) for x in (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 4 and {r["role"] for r in rows} == {"problem"} and {r["year"] for r in rows} <= {2023, 2024}


def test_cli_export_json_and_filters(tmp_path, store):
    out = tmp_path / "st.csv"
    p = run("export", str(CORPUS), "--store", str(store), "-f", "csv", "-o", str(out), "--role", "problem",
            "--year", "2019-2021", "--json")
    assert p.returncode == 0, p.stderr
    res = json.loads(p.stdout)
    assert res["path"] == str(out) and res["format"] == "csv" and res["statements"] == 9
    assert res["filters"]["role"] == ["problem"] and res["filters"]["year"] == [2019, 2021]
    assert len(pd.read_csv(out)) == 9


def test_cli_bad_year_is_one_line(tmp_path):
    p = run("export", str(CORPUS), "-f", "csv", "-o", str(tmp_path / "x.csv"), "--year", "last")
    assert p.returncode == 1 and len(p.stderr.strip().splitlines()) == 1 and "--year" in p.stderr


def test_ingest_parquet_keeps_lists(tmp_path, store):
    """``ingest --parquet``, streamed in small batches (some with only empty lists), keeps the list type."""
    import pyarrow.dataset as ds

    from textmine.ingest import ingest

    shutil.copy(store, tmp_path / "s.duckdb")  # parsed already: ingest only rebuilds the frames
    ingest(CORPUS, store=tmp_path / "s.duckdb", parquet=tmp_path / "pq", workers=1, progress=False, batch=1)
    st = ds.dataset(tmp_path / "pq" / "statements", partitioning="hive").to_table()
    assert str(st.schema.field("themes").type) in ("list<element: string>", "list<item: string>")
    assert str(st.schema.field("answers").type) in ("list<element: string>", "list<item: string>")
    assert st.num_rows == 94 and sum(len(t) for t in st.column("themes").to_pylist()) > 94
