"""Every file or folder a batch does not read is listed with a reason and a hint; --strict fails on it."""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

from textmine.batch import find_reports
from textmine.cli import main

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent / "corpus"


def _folder(root: Path) -> Path:
    root.mkdir()
    shutil.copy(HERE / "fixtures" / "doc" / "sanhe-town-gov-2022.doc", root / "report.doc")
    shutil.copy(CORPUS / "wuhu-city-gov-2024.txt", root / "report.txt")
    (root / "table3.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    with zipfile.ZipFile(root / "reports.zip", "w") as z:
        z.writestr("inside.txt", "x")
    (root / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (root / ".drafts").mkdir()
    shutil.copy(CORPUS / "feixi-agriculture-2022.txt", root / ".drafts" / "draft.txt")
    (root / "locked").mkdir()
    shutil.copy(CORPUS / "feixi-agriculture-2018.txt", root / "locked" / "r.txt")
    (root / "notes.py").write_text("# the team's notes\n")  # not a report format: ignored, not listed
    return root


def _lock(monkeypatch, folder: Path) -> None:
    """The folder cannot be listed (as with chmod 0, but also when running as root)."""
    real = os.scandir

    def scandir(path="."):
        if Path(os.fsdecode(path)) == folder:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_find_reports_lists_what_it_skips(tmp_path, monkeypatch) -> None:
    root = _folder(tmp_path / "in")
    _lock(monkeypatch, root / "locked")
    skipped: list[dict] = []
    found = find_reports(root, skipped)
    assert sorted(p.name for p in found) == ["report.doc", "report.txt"]
    why = {Path(s["path"]).name: s for s in skipped}
    assert set(why) == {"table3.xlsx", "reports.zip", "scan.png", ".drafts", "locked"}
    assert why["table3.xlsx"]["reason"] == "a spreadsheet, not a report (.xlsx)"
    assert "export the report as PDF or docx" in why["table3.xlsx"]["hint"]
    assert why["reports.zip"]["reason"] == "an archive (.zip)" and "unpack" in why["reports.zip"]["hint"]
    assert why["scan.png"]["reason"] == "an image, not a report (.png)" and "PDF" in why["scan.png"]["hint"]
    assert why[".drafts"]["reason"] == "hidden folder (not searched)"
    assert why["locked"]["reason"] == "cannot list folder (Permission denied)"
    assert all(s["hint"] for s in skipped)


def test_stats_json_lists_each_skip_and_strict_fails(tmp_path, monkeypatch, capsys) -> None:
    root = _folder(tmp_path / "in")
    _lock(monkeypatch, root / "locked")
    assert main(["stats", str(root), "--json", "--no-store", "--workers", "1"]) == 0
    st = json.loads(capsys.readouterr().out)
    assert st["documents"] == 2  # the .txt and the .doc
    reasons = {Path(f["path"]).name: f["reason"] for f in st["failed"]}
    assert reasons == {"table3.xlsx": "a spreadsheet, not a report (.xlsx)", "reports.zip": "an archive (.zip)",
                       "scan.png": "an image, not a report (.png)", ".drafts": "hidden folder (not searched)",
                       "locked": "cannot list folder (Permission denied)"}
    assert main(["stats", str(root), "--json", "--no-store", "--strict", "--workers", "1"]) == 1
    capsys.readouterr()
    assert main(["stats", str(root), "--no-store", "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "skipped" in err and "hint: unpack it first" in err


def test_the_store_folder_is_not_a_hidden_folder(tmp_path, capsys) -> None:
    (tmp_path / "in").mkdir()
    shutil.copy(CORPUS / "wuhu-city-gov-2024.txt", tmp_path / "in" / "r.txt")
    assert main(["stats", str(tmp_path / "in"), "--json"]) == 0  # writes in/.textmine/
    capsys.readouterr()
    assert (tmp_path / "in" / ".textmine").is_dir()
    assert main(["stats", str(tmp_path / "in"), "--json", "--strict"]) == 0
    assert json.loads(capsys.readouterr().out)["failed"] == []
