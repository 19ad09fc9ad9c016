"""Fuzzing the parser: mutated reports either give a record or raise TextmineError, nothing else.

Sources are the synthetic report rendered to every format and, when ``../shared`` is there, the seed
and the real reports. Mutations are those of crawled files: cut downloads, shuffled lines, control
characters, broken tables, other encodings (text formats), and truncated, flipped, spliced bytes or a
mangled document.xml (docx, pdf). CI runs a few dozen examples per kind; ``scripts/fuzz_long.py``
runs the same strategies for as long as it is given.
"""

from __future__ import annotations

import functools
import io
import json
import random
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import synth

from textmine.errors import TextmineError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CI_EXAMPLES = {"text": 45, "raw": 30, "docx": 30, "pdf": 30}
# Derandomized: CI sees the same examples each run (no flaky red from a rare bug found elsewhere);
# scripts/fuzz_long.py explores at random.
CI = settings(deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- sources -------------------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def sources() -> dict[str, tuple[str, bytes]]:
    """name -> (suffix, bytes) of every report the mutations start from."""
    r = synth.default_report()
    out = {
        "synth.txt": (".txt", synth.to_text(r).encode("utf-8")),
        "synth.md": (".md", synth.to_markdown(r).encode("utf-8")),
        "synth.html": (".html", synth.to_html(r).encode("utf-8")),
        "synth.docx": (".docx", synth.to_docx(r)),
        "synth.pdf": (".pdf", synth.to_pdf(r)),
    }
    seed = SHARED / "seed" / "changle-natural-resources-2023.txt"
    real = SHARED / "real"
    if seed.exists():
        out["seed.txt"] = (".txt", seed.read_bytes())
    if real.is_dir():
        for p in sorted(real.iterdir()):
            if p.suffix in (".txt", ".md", ".html", ".pdf", ".docx"):
                out[p.name] = (p.suffix, p.read_bytes())
    return out


def _names(*suffixes: str) -> list[str]:
    return sorted(n for n, (s, _) in sources().items() if s in suffixes)


# --- mutations -----------------------------------------------------------------------------------------

CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\u200b", "\u200e", "\u2028",
           "\u2029", "\ufeff", "\ufffd", "\r", "\t", "\u3000", "\u00a0", "\u0301", "\U0001f600", "\ud800"]
# A lone surrogate (only a Python string can hold one) once crashed the tokenizers.
KNOWN_BAD_CONTROL = ["\ud800"]
ENCODINGS = ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be", "big5", "latin-1",
             "mojibake"]


def cut(text: str, a: float, b: float) -> str:
    i, j = sorted((int(a * len(text)), int(b * len(text))))
    return text[i:j] if j > i else text[:i]


def shuffle_lines(text: str, seed: int, share: float) -> str:
    lines = text.split("\n")
    rng = random.Random(seed)
    idx = rng.sample(range(len(lines)), max(2, int(share * len(lines)))) if len(lines) > 2 else []
    moved = [lines[i] for i in idx]
    rng.shuffle(moved)
    for i, line in zip(idx, moved):
        lines[i] = line
    return "\n".join(lines)


def inject(text: str, seed: int, chars: list[str]) -> str:
    rng = random.Random(seed)
    out = list(text)
    for ch in chars:
        out.insert(rng.randint(0, len(out)), ch * rng.choice([1, 1, 3, 200]))
    return "".join(out)


def break_tables(text: str, seed: int) -> str:
    """Damage tables the way exports and crawlers do: lost tabs and pipes, merged rows, cells cut
    loose, dropped end tags, nonsense spans."""
    rng = random.Random(seed)
    lines = text.split("\n")
    for _ in range(rng.randint(1, 8)):
        if not lines:
            break
        i = rng.randrange(len(lines))
        op = rng.randrange(6)
        if op == 0:
            lines[i] = lines[i].lstrip("\t")
        elif op == 1 and i + 1 < len(lines):
            lines[i:i + 2] = [lines[i] + rng.choice(["", "\t", " | "]) + lines[i + 1]]
        elif op == 2:
            lines.insert(i, "\t" + rng.choice(["", "0", "—", "合计", "1,234", "第二十条第（一）项"]))
        elif op == 3:
            lines[i] = lines[i].replace("|", "", rng.randint(1, 3))
        elif op == 4:
            lines[i] = lines[i].replace("</td>", "", 1).replace("<tr>", "", 1).replace("</table>", "", 1)
        else:
            span = rng.choice(["0", "-3", "abc", "99999", "1e9", "", "2.5", "１２"])
            lines[i] = lines[i].replace("<td", f"<td {rng.choice(['rowspan', 'colspan'])}='{span}'", 1)
    return "\n".join(lines)


def encode(text: str, encoding: str) -> bytes:
    if encoding == "mojibake":  # UTF-8 bytes read as GBK somewhere upstream, then saved as UTF-8
        return text.encode("utf-8", "surrogatepass").decode("gbk", "replace").encode("utf-8", "replace")
    return text.encode(encoding, "replace")


TEXT_OPS = st.one_of(
    st.tuples(st.just("cut"), st.floats(0, 1), st.floats(0, 1)),
    st.tuples(st.just("shuffle"), st.integers(0, 2**16), st.floats(0, 1)),
    st.tuples(st.just("inject"), st.integers(0, 2**16), st.lists(st.sampled_from(CONTROL), min_size=1, max_size=6)),
    st.tuples(st.just("tables"), st.integers(0, 2**16)),
)


def apply_text_ops(text: str, ops: list[tuple]) -> str:
    for op, *args in ops:
        text = {"cut": cut, "shuffle": shuffle_lines, "inject": inject, "tables": break_tables}[op](text, *args)
    return text


def _decode(data: bytes) -> str:
    for enc in ("utf-8", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


BYTE_OPS = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("flip"), st.integers(0, 2**16), st.integers(1, 40)),
    st.tuples(st.just("delete"), st.floats(0, 1), st.floats(0, 0.2)),
    st.tuples(st.just("duplicate"), st.floats(0, 1), st.floats(0, 0.2)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.binary(min_size=1, max_size=64)),
)


def apply_byte_ops(data: bytes, ops: list[tuple]) -> bytes:
    buf = bytearray(data)
    for op, *args in ops:
        n = len(buf)
        if op == "truncate":
            del buf[int(args[0] * n):]
        elif op == "flip" and n:
            rng = random.Random(args[0])
            for _ in range(args[1]):
                buf[rng.randrange(n)] = rng.randrange(256)
        elif op == "delete":
            i = int(args[0] * n)
            del buf[i:i + int(args[1] * n) + 1]
        elif op == "duplicate":
            i = int(args[0] * n)
            buf[i:i] = buf[i:i + int(args[1] * n) + 1]
        elif op == "insert":
            i = int(args[0] * n)
            buf[i:i] = args[1]
    return bytes(buf)


def mutate_docx_xml(data: bytes, ops: list[tuple]) -> bytes:
    """Apply text mutations to document.xml and zip it again (a docx whose XML is damaged, not its zip)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "word/document.xml":
                body = apply_text_ops(body.decode("utf-8"), ops).encode("utf-8", "surrogatepass")
            dst.writestr(info.filename, body)
    return out.getvalue()


# --- the property ------------------------------------------------------------------------------------

def check_file(data: bytes, suffix: str) -> str:
    """Parse ``data`` saved with ``suffix``: a record that serialises, or a TextmineError naming the file.
    Anything else propagates (that is the finding). Returns "record" or the error reason."""
    from textmine.report import load_report

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            rec = load_report(path).to_dict()
        except TextmineError as exc:
            assert exc.reason and exc.path == str(path), (exc.path, str(exc))
            return exc.reason
    json.dumps(rec, ensure_ascii=False, default=str)
    assert rec["format"] == suffix.lstrip(".") or (suffix == ".htm" and rec["format"] == "html"), rec["format"]
    return "record"


def check_text(text: str) -> str:
    from textmine.report import load_report

    try:
        rec = load_report(text).to_dict()
    except TextmineError as exc:
        assert exc.reason
        return exc.reason
    json.dumps(rec, ensure_ascii=False, default=str)
    return "record"


def text_case() -> st.SearchStrategy:
    return st.tuples(st.sampled_from(_names(".txt", ".md", ".html")), st.lists(TEXT_OPS, min_size=1, max_size=4),
                     st.sampled_from(ENCODINGS))


def build_text_case(case) -> tuple[bytes, str]:
    name, ops, encoding = case
    suffix, data = sources()[name]
    return encode(apply_text_ops(_decode(data), ops), encoding), suffix


def raw_case() -> st.SearchStrategy:
    return st.tuples(st.sampled_from(_names(".txt", ".md")), st.lists(TEXT_OPS, min_size=1, max_size=4))


def build_raw_case(case) -> tuple[str, None]:
    name, ops = case
    text = apply_text_ops(_decode(sources()[name][1]), ops)
    if "\n" not in text:
        text += "\n"  # a one-line string is taken for a path when it names an existing file
    return text, None


def docx_case() -> st.SearchStrategy:
    return st.tuples(st.sampled_from(_names(".docx")), st.booleans(), st.lists(TEXT_OPS, min_size=1, max_size=3),
                     st.lists(BYTE_OPS, min_size=1, max_size=3))


def build_docx_case(case) -> tuple[bytes, str]:
    name, xml_level, text_ops, byte_ops = case
    data = sources()[name][1]
    return (mutate_docx_xml(data, text_ops) if xml_level else apply_byte_ops(data, byte_ops)), ".docx"


def pdf_case() -> st.SearchStrategy:
    return st.tuples(st.sampled_from(_names(".pdf")), st.lists(BYTE_OPS, min_size=1, max_size=3))


def build_pdf_case(case) -> tuple[bytes, str]:
    name, ops = case
    return apply_byte_ops(sources()[name][1], ops), ".pdf"


def check(built: tuple) -> str:
    data, suffix = built
    return check_text(data) if suffix is None else check_file(data, suffix)


# kind -> (strategy, build(case) -> (bytes, suffix) or (text, None))
KINDS = {"text": (text_case, build_text_case), "raw": (raw_case, build_raw_case),
         "docx": (docx_case, build_docx_case), "pdf": (pdf_case, build_pdf_case)}


# --- CI tests ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(KINDS))
def test_mutated_reports_give_a_record_or_a_textmine_error(kind):
    strategy, build = KINDS[kind]

    @settings(CI, max_examples=CI_EXAMPLES[kind])
    @given(strategy())
    def prop(case):
        check(build(case))

    prop()


def test_unmutated_sources_parse():
    """The starting points are good reports: a mutation test that only sees errors would prove little."""
    for name, (suffix, data) in sources().items():
        assert check_file(data, suffix) == "record", name


def test_mutations_do_change_the_input():
    text = _decode(sources()["synth.txt"][1])
    assert cut(text, 0.1, 0.5) != text and len(cut(text, 0.1, 0.5)) < len(text)
    assert sorted(shuffle_lines(text, 1, 0.5).split("\n")) == sorted(text.split("\n"))
    assert "\x00" in inject(text, 1, ["\x00"])
    assert break_tables(text, 3) != text
    assert encode("年度报告", "utf-16-le") == "年度报告".encode("utf-16-le")
    assert apply_byte_ops(b"abcdef", [("truncate", 0.5)]) == b"abc"
    docx = sources()["synth.docx"][1]
    assert zipfile.ZipFile(io.BytesIO(mutate_docx_xml(docx, [("cut", 0.0, 0.5)]))).read("word/document.xml") != \
        zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml")


# --- findings of the long run ----------------------------------------------------------------------------

def test_docx_whose_zip_directory_asks_for_an_unknown_zip_version():
    """Found by fuzz_long: zipfile raises NotImplementedError ("zip file version 11.4") for it."""
    data = bytearray(sources()["synth.docx"][1])
    at = data.find(b"PK\x01\x02")
    data[at + 6:at + 8] = (114).to_bytes(2, "little")  # "version needed to extract" of the first entry
    assert "not a .docx file" in check_file(bytes(data), ".docx")


# Found by the long run (and fixed):

def test_raw_text_with_a_lone_surrogate():
    text = _decode(sources()["synth.md"][1])
    assert check_text(inject(text, 5647, KNOWN_BAD_CONTROL)) == "record"


HONGZE_2023 = "zxj6827111-blip_huaian-hongze-district-gov_2023.pdf"


HONGZE_2024 = "zxj6827111-blip_huaian-hongze-district-gov_2024.pdf"


@pytest.mark.parametrize("name,flip", [(HONGZE_2023, (4215, 19)), (HONGZE_2024, (1377, 15))])
def test_pdf_with_a_damaged_page_dictionary(name, flip):
    if not (SHARED / "real" / name).exists():
        pytest.skip("real reports live in ../shared")
    check(build_pdf_case((name, [("flip", *flip)])))
