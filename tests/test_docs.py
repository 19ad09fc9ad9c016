"""The user docs cannot go stale: docs/form.md lists every table key of the parser's label file (the
generated block is current), every section key and rule; docs/store.md every table and column of the
store; docs/record.md every key of a record; README links them."""

from __future__ import annotations

import re
import subprocess
import sys

import duckdb
import pytest
import yaml
from conftest import ROOT

from textmine import load_report
from textmine.frames import COLUMNS
from textmine.store import DERIVED, TABLE_VIEWS

DOCS = ROOT / "docs"


def _keys_in(doc: str) -> set[str]:
    return set(re.findall(r"`([A-Za-z0-9_.]+)`", (DOCS / doc).read_text(encoding="utf-8")))


def test_form_lists_every_table_key_with_its_label():
    labels = yaml.safe_load((ROOT / "textmine/data/table_labels.yaml").read_text(encoding="utf-8"))
    text = (DOCS / "form.md").read_text(encoding="utf-8")
    keys = _keys_in("form.md")
    entries = [(e["key"], e["labels"][0]) for t in ("requests", "proactive") for e in labels[t]["rows"]]
    entries += [(k, v[0]) for k, v in labels["requests"]["columns"].items()]
    entries += [(k, v[0]) for k, v in labels["proactive"]["fields"].items()]
    entries += [(k, v[0]) for part in ("groups", "columns") for k, v in labels["appeals"][part].items()]
    assert len(entries) > 50
    for key, label in entries:
        assert key in keys, key
        assert f"| `{key}` | {label} |" in text, key


def test_form_generated_block_is_current():
    p = subprocess.run([sys.executable, str(ROOT / "tools/docs/form_keys.py"), "--check"], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr


def test_form_lists_sections_and_rules():
    sections = yaml.safe_load((ROOT / "textmine/data/sections.yaml").read_text(encoding="utf-8"))
    keys = _keys_in("form.md")
    merged_or_back = set(sections["merge"]) | set(sections["back"])
    assert set(sections["order"]) - merged_or_back <= keys
    from textmine.validate import RULES

    text = (DOCS / "form.md").read_text(encoding="utf-8")
    for rule in RULES:
        assert f"**{rule} —" in text, rule


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from textmine.corpus import Corpus

    path = tmp_path_factory.mktemp("st") / "s.duckdb"
    Corpus.from_dir(ROOT / "corpus", store=path, workers=1, progress=False)
    return path


def test_store_doc_lists_every_table_and_column(store):
    keys = _keys_in("store.md")
    con = duckdb.connect(str(store), read_only=True)
    try:
        tables = [r[0] for r in con.execute("select distinct table_name from information_schema.columns").fetchall()]
        assert set(DERIVED) | {f"table_{t}" for t in TABLE_VIEWS} | {"files", "textmine_meta"} == set(tables)
        for t in tables:
            assert t in keys, t
            for (col,) in con.execute("select column_name from information_schema.columns where table_name = ?",
                                      [t]).fetchall():
                assert col in keys, f"{t}.{col}"
    finally:
        con.close()
    for name, cols in COLUMNS.items():
        assert name in keys and set(cols) <= keys, name


def test_record_doc_lists_every_key():
    rec = load_report(ROOT / "corpus" / "feixi-agriculture-2022.txt").to_dict()
    keys = _keys_in("record.md")
    want = set(rec) | set(rec["meta"]) | {k for s in rec["sections"].values() for k in s} | {"inferred"}
    want |= {k for s in rec["statements"] for k in s} | {k for f in rec["validation"] for k in f}
    assert want <= keys, sorted(want - keys)


def test_readme_links_the_docs_and_nothing_needs_shared():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for doc in ("docs/form.md", "docs/record.md", "docs/store.md"):
        assert doc in readme
    for doc in ("form.md", "record.md", "store.md"):
        assert "shared/spec" not in (DOCS / doc).read_text(encoding="utf-8")
