"""One build_frames for Corpus, ingest and a single Report; the long statement_themes frame."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.corpus import Corpus
from textmine.frames import build_frames
from textmine.report import load_report

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
FILES = [CORPUS / "feixi-agriculture-2022.txt", CORPUS / "wuhu-city-gov-2024.txt"]


def test_statement_themes_is_the_long_form_of_the_statements_themes() -> None:
    corpus = Corpus.from_files(FILES)
    st, long = corpus.statements, corpus.statement_themes
    assert list(long.columns) == ["doc_id", "statement_id", "theme", "score"]
    exploded = st[["doc_id", "statement_id", "themes", "scores"]].explode("themes").dropna(subset=["themes"])
    assert len(long) == len(exploded) > 0
    assert [(r.doc_id, r.statement_id, r.themes, r.scores.get(r.themes)) for r in exploded.itertuples()] == \
        list(long.itertuples(index=False, name=None))


def test_report_to_frames_is_a_corpus_of_one() -> None:
    report = load_report(FILES[0])
    frames = report.to_frames()
    assert {"documents", "sections", "statements", "statement_themes", "findings", "tables",
            "table_requests"} <= set(frames)
    one = Corpus.from_records([report.to_dict()])
    for name in ("documents", "statements", "statement_themes", "findings"):
        assert frames[name].equals(getattr(one, name)), name
    assert frames["table_requests"].equals(one.table("requests"))
    assert len(frames["documents"]) == 1
    assert frames["findings"]["rule"].tolist() == ["R5"]  # section 1 says 9 requests were received, table 3 says 8


def test_build_frames_picks_frames_and_leaves_cross_year_out_when_asked() -> None:
    recs = [load_report(p, themes=False).to_dict() for p in FILES]
    frames = build_frames(recs, names=["findings"], cross_year=False)
    assert set(frames) == {"findings"}


def _finding(doc: str, expected, found) -> dict:
    return {"doc_id": doc, "rule": "R1", "severity": "error", "where": "requests.total", "message": "m",
            "expected": expected, "found": found}


def test_findings_and_table_values_keep_one_type_whatever_the_corpus() -> None:
    """A finding's numbers are text ('104', never '104.0' or 'nan'), whatever else the corpus holds; a
    table's value dtype is fixed by the form (counts Int64; table 2 holds 万元 amounts: Float64)."""
    from textmine.frames import frame

    alone = frame("findings", [_finding("a", 104, 103)])
    mixed = frame("findings", [_finding("a", 104, 103), _finding("b", 1.5, None), _finding("c", float("nan"), [1, 2])])
    assert alone[["expected", "found"]].values.tolist() == [["104", "103"]]
    assert mixed[["expected", "found"]].values.tolist()[0] == ["104", "103"]
    assert mixed["found"].isna().tolist() == [False, True, False] and mixed["expected"].isna().tolist()[2]
    assert mixed["found"].iloc[2] == "[1, 2]"

    def rows(values):
        return [{"doc_id": "a", "table": t, "row": "r", "column": "c", "value": v} for t, v in values]

    counts = frame("tables", rows([("requests", 12), ("requests", None)]), table="requests")
    assert str(counts["value"].dtype) == "Int64" and counts["value"].tolist()[0] == 12
    assert counts["value"].isna().tolist() == [False, True]  # blank stays missing, never 0
    assert str(frame("tables", rows([("proactive", 12)]), table="proactive")["value"].dtype) == "Float64"
    assert str(frame("tables", rows([("requests", 12), ("proactive", 9.6)]))["value"].dtype) == "Float64"


_CELLS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.integers(2**62, 2**64), st.sampled_from(
    [0.0, -0.0, 1.5, float("nan"), float("inf")]), st.floats(allow_nan=True), st.sampled_from(["7", "x", "2023"]),
    st.just([1]))
_YEARS = st.one_of(st.none(), st.booleans(), st.integers(2009, 2025), st.integers(2**62, 2**64),
                   st.sampled_from([2023.0, 2023.5, float("nan"), "2023", "x"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_YEARS, _CELLS, _CELLS), max_size=30), st.sampled_from(["proactive", "requests", None]))
def test_the_tables_frame_converts_each_cell_as_its_own(cells, table) -> None:
    # The typed columns convert each distinct int, string or None once; every cell must come out as it
    # would alone (True is no 1, -0.0 keeps its sign, nan and lists pass through the converters).
    import pandas as pd

    from textmine.frames import VALUE_DTYPES, _amount, _count, _int64_or_none, frame

    rows = [{"doc_id": "d", "agency": "a", "agency_id": "a", "year": y, "table": table or "requests", "row": "r",
             "column": "c", "value": v, "value_derived": d, "derived": False} for y, v, d in cells]
    df = frame("tables", rows, table)
    cell = _count if VALUE_DTYPES[table] == "Int64" else _amount
    expect = {"year": pd.array([_int64_or_none(y) for y, _, _ in cells], dtype="Int64"),
              "value": pd.array([cell(v) for _, v, _ in cells], dtype=VALUE_DTYPES[table]),
              "value_derived": pd.array([cell(d) for _, _, d in cells], dtype=VALUE_DTYPES[table])}
    for col, want in expect.items():
        pd.testing.assert_extension_array_equal(df[col].array, want)
        got = [x for x in df[col].array if x is not pd.NA and isinstance(x, float)]
        assert [str(x) for x in got] == [str(x) for x in want if x is not pd.NA and isinstance(x, float)]
