"""The batch runtime apart from Corpus: the cache key, limits read when used, old import paths."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from textmine import batch
from textmine.loaders import limits

PKG = Path(batch.__file__).resolve().parent


def test_cache_key_covers_the_parse_code_and_data_only() -> None:
    files = {p.relative_to(PKG).as_posix() for p in batch.parse_code_files()}
    for rel in ("report.py", "sections.py", "meta.py", "tables/__init__.py", "tables/flat.py", "statements/__init__.py",
                "statements/rules.py", "validate.py", "findings.py", "themes/calibration.py",
                "data/themes/calibration.json", "textutil.py", "loaders/pdf.py", "loaders/limits.py", "themes/estimator.py", "themes/codebook.py",
                "data/codebook.yaml", "data/sections.yaml", "data/theme_model.npz"):
        assert rel in files, rel
    for rel in ("cli.py", "plots.py", "corpus.py", "batch.py", "stats.py", "tracking.py", "export.py", "ingest.py",
                "store.py", "frames.py"):
        assert rel not in files, rel


def test_editing_a_plot_label_keeps_the_stores_but_editing_a_parser_does_not(tmp_path: Path) -> None:
    copy = tmp_path / "textmine"
    shutil.copytree(PKG, copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = batch.code_fingerprint(copy)
    assert before == batch.CACHE_VERSION
    for rel in ("plots.py", "cli.py"):
        (copy / rel).write_text((copy / rel).read_text(encoding="utf-8") + "\n# a new label\n", encoding="utf-8")
    assert batch.code_fingerprint(copy) == before
    (copy / "sections.py").write_text((copy / "sections.py").read_text(encoding="utf-8") + "\n# x\n",
                                      encoding="utf-8")
    assert batch.code_fingerprint(copy) != before


def test_the_cache_key_is_computed_when_first_asked_for_not_at_import() -> None:
    # In a fresh interpreter: this one's tests may have asked for the key already.
    code = ("import textmine.batch as b, textmine.corpus as c; n = b.cache_version.cache_info().currsize; "
            "k = c.CACHE_VERSION; print(n, b.cache_version.cache_info().currsize, k == b.cache_version())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "1", "True"]
    assert batch.cache_version() == batch.CACHE_VERSION == batch.code_fingerprint()
    with pytest.raises(AttributeError):
        batch.NOT_A_NAME  # noqa: B018


def test_a_parse_loads_neither_scikit_learn_nor_pandas_nor_spacy() -> None:
    # What a parse imports, every worker and every one-file command pays for at start-up. spaCy also
    # loads the textmine_themes entry point whenever it builds a pipeline: that must stay light too.
    heavy = "print(sorted(m for m in ('sklearn', 'scipy', 'pandas', 'spacy') if m in sys.modules))"
    code = ("import sys; from textmine.batch import parse_files; from textmine.resources import sample_corpus; "
            "f = next(p for p in sorted(sample_corpus().iterdir()) if p.suffix == '.txt'); "
            "r = parse_files([(str(f), None)])[0]; assert r.get('record'), r; "
            "assert r['record']['statements'], 'no statements: the words were not needed'; " + heavy + "; "
            "import spacy; spacy.blank('zh'); " + heavy)  # a pipeline built, its entry points loaded
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["[]", "['spacy']"]


def test_the_batch_reads_limits_when_used(monkeypatch) -> None:
    monkeypatch.setenv("TEXTMINE_FILE_TIMEOUT", "7")
    assert limits.FILE_TIMEOUT == 7
    assert not hasattr(batch, "FILE_TIMEOUT")  # nothing copies a limit at import


def test_old_corpus_paths_still_import() -> None:
    from textmine.corpus import CACHE_VERSION, file_hash, find_reports, hash_files, parse_file

    assert parse_file is batch.parse_file and find_reports is batch.find_reports
    assert CACHE_VERSION == batch.CACHE_VERSION and file_hash is batch.file_hash and hash_files is batch.hash_files


def test_two_tasks_in_flight_lose_nothing_when_a_worker_hangs_or_dies() -> None:
    """Each worker holds two files at once; when it is killed (stuck, or dead), the file waiting behind
    the one it was parsing goes to another worker, and every file is answered exactly once."""
    from support.pool_tasks import fake_parse

    from textmine.batch import parse_many

    names = ["a", "b", "hang", "c", "d", "die", "e", "f", "g", "h"]
    results: list[dict] = []
    parse_many([(f"/nowhere/{n}", n) for n in names], 2, False, results.append, parse=fake_parse, timeout=1)
    by_name = {r["hash"]: r for r in results}
    assert sorted(by_name) == sorted(names) and len(results) == len(names)
    assert "stuck" in by_name["hang"]["error"] and "died" in by_name["die"]["error"]
    assert all(by_name[n]["record"]["name"] == n for n in names if n not in ("hang", "die"))


def _real_and_sample_files() -> list[Path]:
    shared = PKG.parents[1] / "shared"
    real = sorted((shared / "real-dev").glob("*.txt"))[:24] + sorted((shared / "real").glob("*.html"))
    return sorted((PKG.parent / "corpus").glob("*.txt")) + sorted((PKG.parent / "corpus").glob("*.html")) + real


def test_themes_predicted_for_many_files_at_once_equal_those_of_each_file_alone() -> None:
    """parse_files tags the statements of all its files in one call; the records are parse_file's."""
    files = [str(p) for p in _real_and_sample_files()]
    assert len(files) >= 8
    batched = batch.parse_files([(f, None) for f in files])
    alone = [batch.parse_file(f) for f in files]
    assert batched == alone
    assert sum(len(r["record"]["statements"]) for r in batched if "record" in r) > 20


def test_worker_pool_with_the_real_parse_gives_each_files_own_record() -> None:
    """Workers hold parsed files for one theme prediction; every file is answered once, with its record."""
    files = [str(p) for p in _real_and_sample_files()][:20]
    results: list[dict] = []
    batch.parse_many([(f, batch.file_hash(f)) for f in files], 2, False, results.append)
    assert sorted(r["path"] for r in results) == sorted(files)
    by_path = {r["path"]: r for r in results}
    for f in files:
        assert by_path[f] == batch.parse_file(f), f
