"""The same report at two paths, or re-encoded, is one document: `stats` and `ingest` count it once
and list the copies as duplicates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import SEED, needs_shared
from hypothesis import given, settings
from hypothesis import strategies as st

from textmine.cli import main
from textmine.duplicates import find_duplicates, text_hash

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _three_copies(src: Path, folder: Path) -> None:
    """One UTF-8 copy, one GB18030 re-encoding, one byte copy at another path."""
    text = src.read_text(encoding="utf-8")
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    shutil.copy(src, folder / "a" / src.name)
    (folder / "a" / ("zz-gb18030-" + src.name)).write_bytes(text.encode("gb18030"))  # after the UTF-8 one
    shutil.copy(src, folder / "b" / ("copy-" + src.name))


def _check(folder: Path, capsys) -> None:
    assert main(["stats", str(folder), "--json", "--no-store"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["documents"] == 1
    dups = sorted((Path(d["file"]).relative_to(folder).as_posix(), Path(d["duplicate_of"]).relative_to(folder).as_posix(),
                   d["by"]) for d in st["duplicates"])
    first = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))[0]
    assert len(dups) == 2 and all(d[1] == first for d in dups)
    assert {d[2] for d in dups} == {"content", "text"}  # the byte copy by content, the GB18030 one by text
    assert main(["ingest", str(folder), "--json", "--store", str(folder.parent / "s.duckdb")]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["reports"] == 1
    assert sorted((d["file"], d["duplicate_of"], d["by"]) for d in res["duplicates"]) == \
        sorted((d["file"], d["duplicate_of"], d["by"]) for d in st["duplicates"])
    assert main(["stats", str(folder), "--store", str(folder.parent / "s.duckdb")]) == 0
    out = capsys.readouterr().out
    assert "1 reports" in out and "2 duplicates" in out


def test_sample_report_copies_are_one_document(tmp_path, capsys) -> None:
    _three_copies(CORPUS / "wuhu-city-gov-2024.txt", tmp_path / "c")
    _check(tmp_path / "c", capsys)


@needs_shared
def test_seed_copies_are_one_document(tmp_path, capsys) -> None:
    _three_copies(SEED, tmp_path / "c")
    _check(tmp_path / "c", capsys)


def test_doc_ids_are_unique_and_content_based(tmp_path) -> None:
    import textmine

    for name in ("wuhu-city-gov-2024.txt", "feixi-agriculture-2022.txt"):
        shutil.copy(CORPUS / name, tmp_path / name)
    shutil.copy(CORPUS / "wuhu-city-gov-2024.txt", tmp_path / "again.txt")  # folder order: before wuhu-…
    corpus = textmine.Corpus.from_dir(tmp_path, store=False)
    ids = corpus.documents["doc_id"].tolist()
    assert len(ids) == 2 and len(set(ids)) == 2
    assert len(corpus.duplicates) == 1 and corpus.duplicates[0]["file"].endswith("wuhu-city-gov-2024.txt")


def test_find_duplicates_and_text_hash() -> None:
    assert text_hash("政府 信息\n公开１２") == text_hash("政府信息公开12")
    kept, dups = find_duplicates([("a", "h1", "t1"), ("b", "h1", "t1"), ("c", "h2", "t1"), ("d", "h3", "t3")])
    assert kept == ["a", "d"]
    assert dups == [{"file": "b", "duplicate_of": "a", "by": "content"},
                    {"file": "c", "duplicate_of": "a", "by": "text"}]


def test_files_without_text_hash_are_unique_by_content() -> None:
    kept, dups = find_duplicates([("a", "h1", None), ("b", "h2", None), ("c", "h1", None)])
    assert kept == ["a", "b"] and dups == [{"file": "c", "duplicate_of": "a", "by": "content"}]


def test_stats_and_ingest_list_the_same_failures(tmp_path, capsys) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    shutil.copy(CORPUS / "wuhu-city-gov-2024.txt", folder / "r.txt")
    for name in ("a.docx", "b.docx"):  # two copies of one broken file: each path is listed
        (folder / name).write_bytes(b"not a zip archive at all")
    assert main(["stats", str(folder), "--json", "--no-store"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert main(["ingest", str(folder), "--json", "--store", str(tmp_path / "s.duckdb")]) == 0
    res = json.loads(capsys.readouterr().out)
    assert st["documents"] == res["reports"] == 1
    assert sorted(Path(f["path"]).name for f in st["failed"]) == ["a.docx", "b.docx"]
    assert sorted(Path(f["path"]).name for f in res["failed"]) == ["a.docx", "b.docx"]
    assert st["duplicates"] == res["duplicates"] == []


def _hash_by_definition(text: str) -> str:
    import hashlib
    import re
    import unicodedata

    halfwidth = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)}
    norm = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).translate(halfwidth))
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("政府信息公开，。（）１２ＡＢａ：；\u3000 \tAé①㈠ｶﾞ\u0301\u3099かが") + ["ﬁ", "㎡"]),
               max_size=30), st.integers(1, 40))
def test_text_hash_is_sha1_of_nfkc_folded_without_spaces(text: str, repeat: int) -> None:
    text *= repeat  # long texts are folded by another path than short ones
    assert text_hash(text) == _hash_by_definition(text)
