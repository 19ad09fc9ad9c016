"""The store and the Parquet output under failure: schema versions, damaged rows, kill -9, a full disk,
a read-only location, and user files in the output folder (never deleted)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from support import synth

from textmine.corpus import Corpus
from textmine.errors import TextmineError
from textmine.ingest import ingest
from textmine.store import DERIVED, SCHEMA_VERSION, TABLE_VIEWS, Store

ROOT = Path(__file__).resolve().parents[1]
AGENCIES = ("青松县数据资源管理局", "白石市人民政府办公室", "临河区教育局")
ENV = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))


def _write(folder: Path, i: int) -> None:
    r = synth.default_report()
    agency, year = AGENCIES[i % len(AGENCIES)], 2019 + i
    r.title = f"{agency}{year}年政府信息公开工作年度报告"
    (folder / f"r{i}.txt").write_text(synth.to_text(r), encoding="utf-8")


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Two folders: three reports, and the same three plus a fourth."""
    base = tmp_path_factory.mktemp("store")
    small, big = base / "three", base / "four"
    small.mkdir()
    big.mkdir()
    for i in range(4):
        _write(big, i)
        if i < 3:
            _write(small, i)
    return small, big


def _signature(path: Path) -> tuple:
    """Row counts of every derived table and view, after checking they all describe the same documents."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
        if not names & set(DERIVED):
            return ()
        assert set(DERIVED) | {f"table_{t}" for t in TABLE_VIEWS} <= names, names
        docs = {r[0] for r in con.execute("select doc_id from documents").fetchall()}
        for name in ("sections", "statements", "findings", "tables", "statement_themes"):
            ids = {r[0] for r in con.execute(f'select distinct doc_id from "{name}"').fetchall()}
            assert ids <= docs, name
        return tuple(con.execute(f'select count(*) from "{n}"').fetchone()[0]
                     for n in (*DERIVED, *(f"table_{t}" for t in TABLE_VIEWS)))
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(folders, tmp_path_factory):
    """A store of the smaller folder to start from, and the signatures of one run on each folder."""
    small, big = folders
    d = tmp_path_factory.mktemp("ref")
    Corpus.from_dir(small, store=d / "before.duckdb", workers=1, progress=False)
    Corpus.from_dir(big, store=d / "after.duckdb", workers=1, progress=False)
    # The larger folder's records, the smaller folder's derived tables: a run on the larger folder
    # parses nothing and only rebuilds the derived tables (what a kill must not tear).
    shutil.copy(d / "after.duckdb", d / "primed.duckdb")
    Corpus.from_dir(small, store=d / "primed.duckdb", workers=1, progress=False)
    return d / "before.duckdb", _signature(d / "before.duckdb"), _signature(d / "after.duckdb")


@pytest.fixture(scope="module")
def primed(reference):
    return reference[0].parent / "primed.duckdb"


def test_stats_and_ingest_write_the_same_tables(folders, reference, tmp_path):
    _, big = folders
    _, _, after = reference
    ingest(big, store=tmp_path / "i.duckdb", workers=1, progress=False)
    assert _signature(tmp_path / "i.duckdb") == after
    con = duckdb.connect(str(tmp_path / "i.duckdb"), read_only=True)
    assert con.execute("select value from textmine_meta where key = 'schema'").fetchone()[0] == str(SCHEMA_VERSION)
    con.close()


def _cli(*args: str, limit_bytes: int | None = None, **kw) -> subprocess.Popen:
    def limit() -> None:  # a full disk, for this process only: writes past the limit fail with EFBIG
        import resource

        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.Popen([sys.executable, "-m", "textmine.cli", *args], env=ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=limit if limit_bytes else None, **kw)


# Runs a command and reports each store write (a batch of records, a derived table) before it goes on:
# the test kills it at a random one of them.
DRIVER = textwrap.dedent("""
    import contextlib, sys, time
    import textmine.store as store

    _put_many, _derived = store.Store.put_many, store.Store.derived

    def put_many(self, *args, **kw):
        _put_many(self, *args, **kw)
        print("write", flush=True)
        time.sleep(0.2)

    @contextlib.contextmanager
    def derived(self):
        with _derived(self) as append:
            def slow(name, df):
                append(name, df)
                print("write", flush=True)
                time.sleep(0.2)
            yield slow

    store.Store.put_many, store.Store.derived = put_many, derived
    from textmine.cli import main

    sys.exit(main(sys.argv[1:]))
""")


@pytest.mark.parametrize("command", ["stats", "ingest"])
def test_kill_9_leaves_every_table_from_one_run(command, folders, reference, primed, tmp_path):
    _, big = folders
    _, before, after = reference
    assert _signature(primed) == before
    rng = random.Random()
    trials = []
    for trial in range(3):  # at once: most of each run is start-up
        store = tmp_path / f"t{trial}.duckdb"
        shutil.copy(primed, store)
        p = subprocess.Popen([sys.executable, "-c", DRIVER, command, str(big), "--store", str(store), "--workers",
                              "1", "--json"], env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        trials.append((p, store, rng.randint(1, 9)))
    for p, store, kill_at in trials:
        writes = 0
        while writes < kill_at and p.stdout.readline().strip() == "write":
            writes += 1
        p.send_signal(signal.SIGKILL)
        p.wait(30)
        assert _signature(store) in (before, after), f"{command} killed after {writes} writes"
        # The store is reusable: the next run completes it.
        Corpus.from_dir(big, store=store, workers=1, progress=False)
        assert _signature(store) == after
        con = duckdb.connect(str(store), read_only=True)  # and the killed run's staging tables are gone
        assert not con.execute("select table_name from information_schema.tables "
                               "where table_name like '\\_staged\\_%' escape '\\'").fetchall()
        con.close()


def test_full_disk_gives_a_clean_error_and_a_reusable_store(folders, reference, tmp_path):
    _, big = folders
    start, _, after = reference
    store = tmp_path / "s.duckdb"
    shutil.copy(start, store)
    p = _cli("ingest", str(big), "--store", str(store), "--workers", "1", "--json",
             limit_bytes=16384)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 1 and "Traceback" not in err, err[-2000:]
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "cannot write" in lines[0], err
    ingest(big, store=store, workers=1, progress=False)
    assert _signature(store) == after


def test_read_only_location_runs_uncached_with_a_warning(folders, tmp_path):
    small, _ = folders
    if os.geteuid() == 0:  # root writes through permissions; nobody may create a folder in sysfs
        target = Path("/sys/textmine-test/corpus.duckdb")
    else:
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o555)
        target = ro / "store" / "corpus.duckdb"
    if target.parent.exists():
        pytest.skip("no read-only location to try")
    with pytest.warns(UserWarning, match="running without a store"):
        c = Corpus.from_dir(small, store=target, workers=1, progress=False)
    assert len(c.records) == 3 and c.store_path is None
    with pytest.warns(UserWarning, match="running without a store"):
        res = ingest(small, store=target, workers=1, progress=False)
    assert res["reports"] == 3 and res["store"] is None


@pytest.fixture
def store_copy(reference, tmp_path) -> Path:
    """A writable copy of the smaller folder's store, for a test to damage."""
    path = tmp_path / "copy.duckdb"
    shutil.copy(reference[0], path)
    return path


def _edit(store: Path, *statements: str) -> None:
    con = duckdb.connect(str(store))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def test_old_and_unknown_layouts_are_migrated_or_rebuilt(folders, reference, store_copy):
    small, _ = folders
    _, before, _ = reference
    old = store_copy
    # The layout before schema versions: no textmine_meta, table_* as tables.
    _edit(old, "drop table textmine_meta", *(f'drop view "table_{t}"' for t in TABLE_VIEWS),
          *(f'create table "table_{t}" as select 1 as x' for t in TABLE_VIEWS))
    c = Corpus.from_dir(small, store=old, workers=1, progress=False)
    assert c.parsed == 0 and _signature(old) == before  # migrated: the records were kept
    _edit(old, "update textmine_meta set value = '999' where key = 'schema'")
    with pytest.warns(UserWarning, match="rebuilding"):
        c = Corpus.from_dir(small, store=old, workers=1, progress=False)
    assert c.parsed == 3 and _signature(old) == before


def test_a_damaged_row_is_parsed_again(folders, reference, store_copy):
    small, _ = folders
    _, before, _ = reference
    store = store_copy
    _edit(store, """update files set record = '[1, 2]' where hash = (select min(hash) from files)""")
    res = ingest(small, store=store, workers=1, progress=False)
    assert res["reports"] == 3 and res["failed"] == [] and _signature(store) == before
    _edit(store, """update files set record = '"x"' where hash = (select max(hash) from files)""")
    c = Corpus.from_dir(small, store=store, workers=1, progress=False)
    assert c.parsed == 1 and len(c.records) == 3 and _signature(store) == before


def test_parquet_output_never_deletes_user_files(folders, tmp_path):
    small, _ = folders
    out = tmp_path / "pq"
    (out / "documents").mkdir(parents=True)
    mine = out / "documents" / "my-notes.txt"
    mine.write_text("keep me")
    with pytest.raises(TextmineError, match="did not write"):
        ingest(small, store=tmp_path / "s.duckdb", parquet=out, workers=1, progress=False)
    assert mine.read_text() == "keep me"
    # An empty or new folder is fine, and a re-run replaces its own output whole.
    mine.unlink()
    res = ingest(small, store=tmp_path / "s.duckdb", parquet=out, workers=1, progress=False)
    assert res["reports"] == 3 and (out / ".textmine-parquet.json").is_file()
    listed = json.loads((out / ".textmine-parquet.json").read_text())["files"]
    assert any(f.startswith("documents/year=") for f in listed)
    ingest(small, store=tmp_path / "s.duckdb", parquet=out, workers=1, progress=False)
    assert json.loads((out / ".textmine-parquet.json").read_text())["files"] != [] and mine.exists() is False
    # A user file dropped into textmine's own output: refused, kept.
    extra = out / "statements" / "analysis.csv"
    extra.write_text("a,b")
    with pytest.raises(TextmineError, match="analysis.csv"):
        ingest(small, store=tmp_path / "s.duckdb", parquet=out, workers=1, progress=False)
    assert extra.read_text() == "a,b"
    assert not list(tmp_path.glob(".pq.textmine-*"))  # no staging folder left behind
    with Store(tmp_path / "s.duckdb") as st:
        assert st.con.execute("select count(*) from documents").fetchone()[0] == 3


def test_a_later_batch_with_fractions_widens_the_column():
    import pandas as pd

    from textmine.store import _widen

    con = duckdb.connect()
    con.register("_batch", pd.DataFrame({"value": pd.array([1, 2], dtype="Int64")}))
    con.execute("create table tables as select * from _batch")
    con.unregister("_batch")
    con.register("_batch", pd.DataFrame({"value": [1.5]}))
    _widen(con, "tables")
    con.execute("insert into tables by name select * from _batch")
    assert sorted(v for (v,) in con.execute("select value from tables").fetchall()) == [1, 1.5, 2]
