"""The wheel: every subpackage and data file, and the sample corpus (the top-level corpus/ folder,
installed as textmine/sample_corpus) so that ``textmine stats`` works after ``pip install .``."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
import zipfile

import pytest
from conftest import ROOT

import textmine.resources as resources


def _can_build_wheel() -> bool:
    import setuptools

    major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    return importlib.util.find_spec("wheel") is not None or (major, minor) >= (70, 1)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    if not _can_build_wheel():
        pytest.skip("building a wheel offline needs the 'wheel' package or setuptools >= 70.1 (dev extra)")
    src = tmp_path_factory.mktemp("src")
    ignore = shutil.ignore_patterns("__pycache__", ".textmine", "*.egg-info", "build")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    for name in ("textmine", "corpus"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    out = tmp_path_factory.mktemp("dist")
    p = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                        "-w", str(out), str(src)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    (whl,) = out.glob("textmine-*.whl")
    return zipfile.ZipFile(whl)


def test_wheel_holds_the_sample_corpus(wheel):
    names = set(wheel.namelist())
    reports = sorted(p.name for p in (ROOT / "corpus").iterdir() if p.is_file())
    assert len(reports) == 17 and "README" in reports
    assert {f"textmine/sample_corpus/{n}" for n in reports} <= names
    assert not any("/.textmine/" in n for n in names)  # a local store never ships


def test_wheel_holds_every_module_and_data_file(wheel):
    names = set(wheel.namelist())
    pkg = ROOT / "textmine"
    want = {p.relative_to(ROOT).as_posix() for p in pkg.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert want <= names, sorted(want - names)[:5]


def test_every_subpackage_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "textmine").rglob("__init__.py")}
    assert found | {"textmine.sample_corpus"} == listed


def test_installed_sample_corpus_keeps_its_store_in_the_user_cache(tmp_path, monkeypatch):
    from textmine.store import default_store_path

    fake = tmp_path / "site-packages" / "textmine" / "sample_corpus"
    fake.mkdir(parents=True)
    monkeypatch.setattr(resources, "installed_sample_corpus", lambda: fake)
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", str(tmp_path / "cache"))
    assert resources.sample_corpus() == fake
    assert default_store_path(fake) == tmp_path / "cache" / "sample-corpus" / "corpus.duckdb"
    monkeypatch.setenv("TEXTMINE_CACHE_DIR", "")
    assert default_store_path(fake) is None  # cache switched off: uncached, still not site-packages
    assert default_store_path(tmp_path) == tmp_path / ".textmine" / "corpus.duckdb"


def test_checkout_sample_corpus_is_the_top_level_folder():
    if resources.installed_sample_corpus().is_dir():
        pytest.skip("running against an installed package")
    assert resources.sample_corpus() == ROOT / "corpus"


def test_stats_names_the_sample_corpus_fictional(tmp_path):
    env_store = ["--store", str(tmp_path / "s.duckdb")]
    p = subprocess.run([sys.executable, "-m", "textmine", "stats", *env_store], capture_output=True, text=True,
                       cwd=tmp_path, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert p.returncode == 0, p.stderr
    first = p.stdout.splitlines()[0]
    assert first.startswith("Note: the bundled sample corpus") and "fictional" in first
    assert "16 reports, 4 agencies" in p.stdout
    q = subprocess.run([sys.executable, "-m", "textmine", "stats", str(ROOT / "corpus"), *env_store],
                       capture_output=True, text=True, cwd=tmp_path, timeout=300,
                       env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert q.returncode == 0 and "fictional" not in q.stdout  # a folder given: no note
    j = subprocess.run([sys.executable, "-m", "textmine", "stats", "--json", *env_store], capture_output=True,
                       text=True, cwd=tmp_path, timeout=300, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert "fictional" in json.loads(j.stdout)["note"]
