"""Warm `stats`: aggregated by DuckDB from the store's derived tables, equal to the Corpus path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from textmine import stats as stats_mod
from textmine.corpus import Corpus
from textmine.stats import corpus_stats, stats_for_dir

ROOT = Path(__file__).resolve().parents[1]
REAL_DEV = ROOT.parent / "shared" / "real-dev"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    for p in sorted((ROOT / "corpus").iterdir()):
        if p.suffix in (".txt", ".html", ".docx", ".pdf"):
            shutil.copy(p, folder / p.name)
    for p in sorted(REAL_DEV.glob("*.txt"))[:12]:
        shutil.copy(p, folder / p.name)
    (folder / "broken.docx").write_bytes(b"not a zip")
    return folder


def _cold(folder: Path) -> dict:
    st = corpus_stats(Corpus.from_dir(folder, store=False, workers=1))
    return {k: v for k, v in st.items() if k not in ("parsed_this_run", "store")}


@pytest.mark.parametrize("builder", ["stats", "ingest"])
def test_warm_stats_come_from_the_store_and_equal_the_corpus_figures(tmp_path, monkeypatch, builder) -> None:
    folder = _folder(tmp_path)
    store = tmp_path / "s.duckdb"
    if builder == "stats":
        first, _ = stats_for_dir(folder, store=store, workers=1)
        assert first["parsed_this_run"] > 0
    else:
        from textmine.ingest import ingest

        ingest(folder, store=store, workers=1, progress=False)

    def no_corpus(*a, **k):
        raise AssertionError("the warm path must not build a Corpus")

    monkeypatch.setattr(Corpus, "from_dir", classmethod(no_corpus))
    warm, failed = stats_for_dir(folder, store=store)
    monkeypatch.undo()
    assert warm["parsed_this_run"] == 0 and warm["store"] == str(store)
    assert failed == warm["failed"] and [Path(f["path"]).name for f in failed] == ["broken.docx"]
    assert {k: v for k, v in warm.items() if k not in ("parsed_this_run", "store")} == _cold(folder)


def test_a_changed_folder_is_not_warm(tmp_path) -> None:
    folder = _folder(tmp_path)
    store = tmp_path / "s.duckdb"
    stats_for_dir(folder, store=store, workers=1)
    (folder / "broken.docx").unlink()
    next(folder.glob("*.txt")).rename(folder / "renamed.txt")  # same content, another path
    assert stats_mod._warm_stats(folder, store, None) is None
    again, _ = stats_for_dir(folder, store=store, workers=1)
    assert stats_mod._warm_stats(folder, store, None) == again


def test_a_folder_with_duplicates_takes_the_full_path_and_lists_them(tmp_path) -> None:
    folder = _folder(tmp_path)
    src = folder / "wuhu-city-gov-2024.txt"
    shutil.copy(src, folder / "copy-of-wuhu.txt")  # same bytes
    (folder / "wuhu-gb18030.txt").write_bytes(src.read_text(encoding="utf-8").encode("gb18030"))  # same text
    store = tmp_path / "s.duckdb"
    first, _ = stats_for_dir(folder, store=store, workers=1)
    assert stats_mod._warm_stats(folder, store, None) is None  # the tables hold the documents, not the copies
    again, _ = stats_for_dir(folder, store=store, workers=1)
    # The first in folder order is the document; the other two are its duplicates.
    assert sorted(Path(d["file"]).name for d in again["duplicates"]) == ["wuhu-city-gov-2024.txt", "wuhu-gb18030.txt"]
    assert {Path(d["duplicate_of"]).name for d in again["duplicates"]} == {"copy-of-wuhu.txt"}
    assert again["duplicates"] == first["duplicates"] and again["documents"] == first["documents"]
