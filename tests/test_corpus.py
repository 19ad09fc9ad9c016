"""Corpus: frames, store (incremental re-runs), agency identity, recurring issues, stats, exports."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from conftest import REAL, SEED, needs_shared
from support import synth

from textmine.agencies import agency_id
from textmine.corpus import Corpus
from textmine.export import export_statements, import_labels
from textmine.stats import corpus_stats
from textmine.tracking import recurring, repeated_text, unkept_promises


@pytest.fixture(scope="module")
def real_dir(tmp_path_factory):
    if not (SEED.exists() and REAL.is_dir()):
        pytest.skip("real reports live in ../shared (present in CI, absent on a fresh clone)")
    d = tmp_path_factory.mktemp("real")
    for p in [SEED, *REAL.iterdir()]:
        if p.name != "SOURCES.tsv":
            shutil.copy(p, d / p.name)
    return d


@pytest.fixture(scope="module")
def real_corpus(real_dir):
    return Corpus.from_dir(real_dir, store=False, workers=1, progress=False)


def test_agency_identity_rule():
    assert agency_id("洪泽区人民政府") == agency_id("淮安市洪泽区人民政府") == "江苏省/淮安市/洪泽区|人民政府"
    assert agency_id("沭阳县发改局") == agency_id("沭阳县发展和改革局")
    assert agency_id("上海市科委") == agency_id("上海市科学技术委员会")
    assert agency_id("昌乐县国土资源局") == agency_id("昌乐县自然资源和规划局")  # renamed in the 2018 reform
    assert agency_id("淮安市人民政府") != agency_id("淮安市人民政府办公室")
    assert agency_id("洪泽区人民政府", mapping={"洪泽区人民政府": "hz"}) == "hz"


@needs_shared
def test_frames_of_the_real_reports(real_corpus):
    docs = real_corpus.documents
    assert len(docs) == 7 and real_corpus.failed_files == []
    assert set(docs["year"]) == {2019, 2023, 2024}
    hz = docs[docs["agency"].str.contains("洪泽区")]
    assert hz["agency_id"].nunique() == 1 and sorted(hz["year"]) == [2023, 2024]
    st = real_corpus.statements
    assert set(st["role"]) <= {"problem", "measure", "rectification"}
    assert (st.groupby("doc_id").size() > 0).all()
    req = real_corpus.table("requests")
    seed_id = docs.loc[docs["path"].str.endswith("changle-natural-resources-2023.txt"), "doc_id"].item()
    new_total = req[(req.doc_id == seed_id) & (req.row == "new") & (req.column == "total")]["value"].item()
    assert new_total == 27
    assert {"doc_id", "agency", "year", "row", "column", "value"} <= set(req.columns)
    secs = real_corpus.sections
    assert (secs.groupby("doc_id")["section"].count() >= 6).all()


@needs_shared
def test_hongze_recurring_requests_and_repeated_measures(real_corpus):
    st = real_corpus.statements
    rec = recurring(st)
    hz = rec[rec["agency"].str.contains("洪泽区")]
    assert "requests" in set(hz["theme"])
    assert hz[hz.theme == "requests"]["years"].iloc[0] == [2023, 2024]
    rep = repeated_text(st, threshold=0.85)
    same = rep[(rep["kind"] == "same agency") & rep["agency_a"].str.contains("洪泽区")]
    assert len(same) >= 1 and (same["role_a"] == "measure").any()
    assert {frozenset((a, b)) for a, b in zip(same.year_a, same.year_b)} == {frozenset((2023, 2024))}


@needs_shared
def test_stats_keys(real_corpus):
    s = corpus_stats(real_corpus)
    for key in ("documents", "agencies", "years", "sections_found", "statements", "themes", "validation", "failed"):
        assert key in s
    assert s["documents"] == 7 and s["agencies"] == 6
    assert s["years"] == {2019: 1, 2023: 3, 2024: 3}
    assert s["sections_found"]["problems"] == 7


def test_unkept_promises_and_prevalence_on_a_small_frame():
    st = pd.DataFrame([
        {"doc_id": "a", "agency": "甲局", "agency_id": "x", "year": 2022, "role": "measure", "order": 1,
         "text": "加强培训。", "themes": ["staffing"]},
        {"doc_id": "b", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "problem", "order": 1,
         "text": "人员不足。", "themes": ["staffing"]},
        {"doc_id": "c", "agency": "甲局", "agency_id": "x", "year": 2024, "role": "problem", "order": 1,
         "text": "人员仍不足。", "themes": ["staffing", "timeliness"]},
    ])
    u = unkept_promises(st)
    assert u[["theme", "year_measure", "year_problem"]].values.tolist() == [["staffing", 2022, 2023]]
    r = recurring(st)
    assert r[["theme", "years", "longest_run"]].values.tolist() == [["staffing", [2023, 2024], 2]]


def _write_report(folder, name, year, agency="青松县数据资源管理局"):
    r = synth.default_report()
    r.title = f"{agency}{year}年政府信息公开工作年度报告"
    (folder / name).write_text(synth.to_text(r), encoding="utf-8")


def test_store_parses_only_new_or_changed_files(tmp_path):
    _write_report(tmp_path, "a.txt", 2022)
    _write_report(tmp_path, "b.txt", 2023)
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really")
    c1 = Corpus.from_dir(tmp_path, workers=1, progress=False)
    assert c1.parsed == 3 and len(c1.records) == 2
    assert [f["path"].endswith("broken.docx") for f in c1.failed_files] == [True]
    c2 = Corpus.from_dir(tmp_path, workers=1, progress=False)
    assert c2.parsed == 0 and len(c2.records) == 2 and len(c2.failed_files) == 1
    _write_report(tmp_path, "c.txt", 2024)
    c3 = Corpus.from_dir(tmp_path, workers=1, progress=False)
    assert c3.parsed == 1 and sorted(c3.documents["year"]) == [2022, 2023, 2024]
    # The frames are queryable with SQL in the store.
    import duckdb

    con = duckdb.connect(str(tmp_path / ".textmine" / "corpus.duckdb"), read_only=True)
    assert con.execute("select count(*) from documents").fetchone()[0] == 3
    assert con.execute("select count(*) from statements where role = 'problem'").fetchone()[0] >= 3
    con.close()


def test_parallel_workers_give_the_same_frames(tmp_path):
    for i, y in enumerate((2021, 2022, 2023)):
        _write_report(tmp_path, f"r{i}.txt", y)
    a = Corpus.from_dir(tmp_path, store=False, workers=1, progress=False)
    b = Corpus.from_dir(tmp_path, store=False, workers=2, progress=False)
    cols = ["doc_id", "agency_id", "year", "n_statements"]
    assert a.documents[cols].equals(b.documents[cols])


def test_busy_store_is_reported(tmp_path):
    from textmine.errors import TextmineError
    from textmine.store import Store

    path = tmp_path / "s.duckdb"
    with Store(path):
        pass
    # DuckDB locks a file per process; simulate a second process by locking it from a child.
    import subprocess
    import sys

    child = subprocess.Popen([sys.executable, "-c", f"import duckdb,time; c=duckdb.connect({str(path)!r}); "
                              "print('locked', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(TextmineError, match="store is busy"):
            with Store(path):
                pass
    finally:
        child.kill()


@pytest.fixture(scope="module")
def small_statements():
    return pd.DataFrame([
        {"doc_id": "d1", "statement_id": "s1", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "problem",
         "themes": ["staffing"], "scores": {"staffing": 0.9}, "text": "工作人员多为兼职。", "subsection": None},
        {"doc_id": "d1", "statement_id": "s2", "agency": "甲局", "agency_id": "x", "year": 2023, "role": "measure",
         "themes": ["interpretation", "platforms"], "scores": {"interpretation": 0.8, "platforms": 0.7},
         "text": "丰富解读形式，用好新媒体。", "subsection": "（二）改进措施"},
    ])


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet", "doccano", "label-studio", "spacy"])
def test_exports_load_back(tmp_path, small_statements, fmt):
    out = tmp_path / f"out.{fmt}"
    files = export_statements(small_statements, fmt, out)
    if fmt == "csv":
        df = pd.read_csv(out)
        assert df["themes"].tolist() == ["staffing", "interpretation;platforms"]
    elif fmt == "parquet":
        df = pd.read_parquet(out)
        assert df["role"].tolist() == ["problem", "measure"] and list(df["themes"][1]) == ["interpretation", "platforms"]
    elif fmt == "jsonl":
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert rows[1]["themes"] == ["interpretation", "platforms"] and rows[0]["year"] == 2023
    elif fmt == "doccano":
        rows = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
        assert rows[0] == {**rows[0], "text": "工作人员多为兼职。", "label": []}  # unreviewed: no label
        assert rows[0]["meta"]["predicted"] == ["staffing", "role:problem"]
    elif fmt == "label-studio":
        tasks = json.loads(out.read_text(encoding="utf-8"))
        assert tasks[1]["data"]["text"] == "丰富解读形式，用好新媒体。"
        res = tasks[1]["predictions"][0]["result"]
        assert {r["from_name"]: r["value"]["choices"] for r in res} == {"themes": ["interpretation", "platforms"],
                                                                      "role": ["measure"]}
        config = files[1].read_text(encoding="utf-8")
        import xml.etree.ElementTree as ET

        root = ET.fromstring(config)
        names = {c.get("name") for c in root.iter("Choices")}
        assert names == {"role", "themes"} and len(list(root.iter("Choice"))) == 3 + 14
    else:
        import spacy
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(out).get_docs(spacy.blank("zh").vocab))
        assert docs[0].text == "工作人员多为兼职。" and docs[0].cats["staffing"] == 1.0
        assert docs[1].cats["platforms"] == 1.0 and docs[1].cats["staffing"] == 0.0
        assert docs[1].user_data["role"] == "measure"


def test_import_labels_round_trip(tmp_path, small_statements):
    ls = tmp_path / "ls.json"
    export_statements(small_statements, "label-studio", ls)
    tasks = json.loads(ls.read_text(encoding="utf-8"))
    # An annotator accepts the first prediction and corrects the second.
    tasks[0]["annotations"] = [{"result": tasks[0]["predictions"][0]["result"]}]
    tasks[1]["annotations"] = [{"result": [{"from_name": "themes", "to_name": "text", "type": "choices",
                                            "value": {"choices": ["interpretation"]}},
                                           {"from_name": "role", "to_name": "text", "type": "choices",
                                            "value": {"choices": ["measure"]}}]}]
    ls.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    rows = import_labels(ls, tmp_path / "labeled.jsonl")
    assert rows == [{"text": "工作人员多为兼职。", "themes": ["staffing"], "role": "problem"},
                    {"text": "丰富解读形式，用好新媒体。", "themes": ["interpretation"], "role": "measure"}]
    dc = tmp_path / "dc.jsonl"
    export_statements(small_statements, "doccano", dc, prefill=True)
    assert import_labels(dc) == [{"text": "工作人员多为兼职。", "themes": ["staffing"], "role": "problem"},
                                 {"text": "丰富解读形式，用好新媒体。", "themes": ["interpretation", "platforms"],
                                  "role": "measure"}]
