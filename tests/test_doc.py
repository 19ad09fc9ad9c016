"""Word 97–2003 .doc (and .wps) files: the fixtures of tests/fixtures/doc parse like their originals."""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from textmine import load_report
from textmine.errors import TextmineError
from textmine.loaders import load_bytes, load_document

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "doc"
ORIGINALS = {"sanhe-town-gov-2022.doc": "sanhe-town-gov-2022.docx",
             "feixi-agriculture-2022.doc": "feixi-agriculture-2022.txt"}


def _essence(path: Path) -> dict:
    rec = load_report(path, themes=False).to_dict()
    return {
        "meta": {k: rec["meta"][k] for k in ("agency", "year", "published", "template")},
        "sections": {k: "".join(s["text"].split()) for k, s in rec["sections"].items()},
        "tables": rec["tables"],
        "statements": [s["text"] for s in rec["statements"]],
        "validation": sorted(f["rule"] for f in rec["validation"]),
    }


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_doc_parses_like_its_original(name: str) -> None:
    got, want = _essence(FIXTURES / name), _essence(ROOT / "corpus" / ORIGINALS[name])
    assert got["sections"].keys() == want["sections"].keys()
    assert got == want


def test_doc_tables_are_grids() -> None:
    doc = load_document(FIXTURES / "sanhe-town-gov-2022.doc")
    assert doc.format == "doc"
    assert len(doc.tables) >= 3
    assert all(len(set(map(len, t.rows))) == 1 for t in doc.tables)


def test_wps_saved_as_word_binary(tmp_path: Path) -> None:
    p = tmp_path / "report.wps"
    shutil.copy(FIXTURES / "feixi-agriculture-2022.doc", p)
    assert load_report(p, themes=False).tables == _essence(FIXTURES / "feixi-agriculture-2022.doc")["tables"]


def _fixture_bytes() -> bytes:
    return (FIXTURES / "feixi-agriculture-2022.doc").read_bytes()


def _word_stream_offset(data: bytes) -> int:
    """Where the WordDocument stream (its FIB) starts in the file: the sector after the header holds it
    in LibreOffice's output; found by its magic number so the test does not depend on that."""
    at = data.find(struct.pack("<H", 0xA5EC), 512)
    assert at > 0 and at % 512 == 0
    return at


def test_encrypted_doc_is_one_line_error(tmp_path: Path) -> None:
    data = bytearray(_fixture_bytes())
    fib = _word_stream_offset(bytes(data))
    flags = struct.unpack_from("<H", data, fib + 10)[0] | 0x0100  # fEncrypted
    struct.pack_into("<H", data, fib + 10, flags)
    p = tmp_path / "locked.doc"
    p.write_bytes(bytes(data))
    with pytest.raises(TextmineError, match=r"encrypted \.doc") as exc:
        load_document(p)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("cut", [0.05, 0.3, 0.7])
def test_damaged_doc_is_one_line_error(tmp_path: Path, cut: float) -> None:
    data = _fixture_bytes()
    p = tmp_path / "cut.doc"
    p.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(TextmineError) as exc:
        load_report(p, themes=False)
    assert "\n" not in str(exc.value)


def test_mutated_doc_gives_a_document_or_one_line_error() -> None:
    import random

    base = (FIXTURES / "sanhe-town-gov-2022.doc").read_bytes()
    rng = random.Random(18)
    for _ in range(60):
        data = bytearray(base)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(512, len(data))] = rng.randrange(256)
        try:
            load_bytes(bytes(data), "doc", "mutated.doc")
        except TextmineError as exc:
            assert "\n" not in str(exc)


def test_not_a_word_file(tmp_path: Path) -> None:
    p = tmp_path / "x.doc"
    p.write_bytes(b"\x00\x01garbage" * 100)
    with pytest.raises(TextmineError, match="not a Word .doc file"):
        load_document(p)


def test_docx_named_doc_is_read_as_docx(tmp_path: Path) -> None:
    p = tmp_path / "misnamed.doc"
    shutil.copy(ROOT / "corpus" / "sanhe-town-gov-2022.docx", p)
    assert load_document(p).format == "docx"


def test_cli_parse_doc() -> None:
    out = subprocess.run([sys.executable, "-m", "textmine", "parse", str(FIXTURES / "sanhe-town-gov-2022.doc"), "--json"],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    rec = json.loads(out.stdout)
    assert rec["format"] == "doc" and rec["tables"]["requests"]
