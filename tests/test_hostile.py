"""Broken and hostile files, each built on the fly (issue 9).

Every kind ends in a clean ``TextmineError`` naming the file (and a one-line CLI error), within
bounded time (< 60 s) and memory (< 2 GB peak RSS, measured per file in a forked child of a probe
process with ``os.wait4``); odd encodings of a good report still parse. A batch of 20 good reports
with the hostile files (and a parser stuck inside C code, a memory hog, a crashing parser) reports
all 20 and lists each broken file; a batch killed mid-way leaves a store that opens and resumes;
a second writer is told the store is busy.
"""

from __future__ import annotations

import functools
import io
import json
import os
import random
import re
import signal
import struct
import subprocess
import sys
import textwrap
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import ROOT
from support import synth

MB = 1024 * 1024
TIME_LIMIT_S = 60
MEMORY_LIMIT_MB = 2048

# --- good reports ------------------------------------------------------------------------------------

PLACES = ["青松县", "白鹭市", "云溪区", "石门镇"]
ORGANS = ["数据资源管理局", "生态环境局", "农业农村局", "人民政府办公室", "交通运输局"]


def report(year: int = 2023, agency: str = "青松县数据资源管理局") -> synth.SynthReport:
    r = synth.default_report()
    r.title = f"{agency}{year}年政府信息公开工作年度报告"
    r.signature = agency
    return r


render = synth.render


# --- hostile builders --------------------------------------------------------------------------------

def _zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand from (name, stored bytes, crc, uncompressed size, method): lets a test
    state any size and method, and reuse a deflate stream without inflating it."""
    out, central = bytearray(), bytearray()
    for name, raw, crc, size, method in members:
        n = name.encode()
        central += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(raw), size,
                               len(n), 0, 0, 0, 0, 0, len(out)) + n
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(raw), size, len(n), 0) + n
        out += raw
    count = min(len(members), 0xFFFF)  # more entries than that is itself a zip64 matter: stated as "many"
    return bytes(out + central + struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(central),
                                              len(out), 0))


def _deflated(name: str, data: bytes) -> tuple[str, bytes, int, int, int]:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return name, c.compress(data) + c.flush(), zlib.crc32(data), len(data), zipfile.ZIP_DEFLATED


def _docx_parts(r: synth.SynthReport | None = None) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(synth.to_docx(r or report()))) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def _docx(parts: dict[str, bytes], extra: list[tuple[str, bytes, int, int, int]] = ()) -> bytes:
    return _zip([_deflated(n, d) for n, d in parts.items()] + list(extra))


def _zeros_deflate(mb: int, zlib_wrapper: bool = False) -> tuple[bytes, int, int]:
    """A deflate stream of ``mb`` MB of zeros built from one compressed MB repeated (full flushes make
    the blocks independent), so a gigabyte bomb costs a megabyte of work. Returns (stream, crc32, adler32)."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(bytes(MB)) + c.flush(zlib.Z_FULL_FLUSH)
    stream = block * mb + c.flush(zlib.Z_FINISH)
    crc, adler = 0, 1
    zero = bytes(MB)
    for _ in range(mb):
        crc, adler = zlib.crc32(zero, crc), zlib.adler32(zero, adler)
    if zlib_wrapper:
        stream = b"\x78\xda" + stream + struct.pack(">L", adler)
    return stream, crc, adler


def zip_bomb_docx() -> bytes:
    """A good report plus a 1 GB 'image' of zeros stored in 1 MB."""
    stream, crc, _ = _zeros_deflate(1024)
    return _docx(_docx_parts(), [("word/media/image1.png", stream, crc, 1024 * MB, zipfile.ZIP_DEFLATED)])


def lying_zip_docx() -> bytes:
    """document.xml declared as 2 KB in the zip directory, inflating to 300 MB."""
    stream, _, _ = _zeros_deflate(300)
    parts = _docx_parts()
    parts.pop("word/document.xml")
    return _docx(parts, [("word/document.xml", stream, 0, 2048, zipfile.ZIP_DEFLATED)])


def bzip2_docx() -> bytes:
    """bzip2 entries are inflated in one call whatever size they state: Word never writes them."""
    import bz2

    parts = _docx_parts()
    xml = parts.pop("word/document.xml")
    return _docx(parts, [("word/document.xml", bz2.compress(xml), zlib.crc32(xml), 100, zipfile.ZIP_BZIP2)])


def many_entries_zip() -> bytes:
    """120,000 empty entries: zipfile would build every directory record before anything is checked."""
    parts = _docx_parts()
    extra = [(f"x/{i:07d}", b"", 0, 0, zipfile.ZIP_STORED) for i in range(120_000)]
    return _docx(parts, extra)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def billion_laughs_docx() -> bytes:
    ents = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol0 "lol">{ents}]>'
           f'<w:document xmlns:w="{_W_NS}"><w:body><w:p><w:r><w:t>一、总体情况 &lol9;</w:t></w:r></w:p>'
           "</w:body></w:document>").encode()
    parts = _docx_parts()
    parts["word/document.xml"] = xml
    return _docx(parts)


def external_entity_docx() -> bytes:
    """XXE: an entity that would read a local file into the text."""
    xml = (f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
           f'<w:document xmlns:w="{_W_NS}"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body>'
           "</w:document>").encode()
    parts = _docx_parts()
    parts["word/document.xml"] = xml
    return _docx(parts)


def nested_tables_docx(depth: int = 40) -> bytes:
    """Tables inside tables: walking every nested cell at every level used to grow as 2**depth."""
    cell = "<w:p><w:r><w:t>一、总体情况</w:t></w:r></w:p>"
    for _ in range(depth):
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc><w:tc><w:p><w:r><w:t>x</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{_W_NS}"><w:body>{cell}</w:body></w:document>'
    parts = _docx_parts()
    parts["word/document.xml"] = xml.encode()
    return _docx(parts)


def deep_html(depth: int = 100_000) -> bytes:
    return ("<html><body>" + "<div>" * depth + "一、总体情况" + "</div>" * depth + "</body></html>").encode()


def span_bomb_html() -> bytes:
    """300 cells of rowspan 500 x colspan 100: 15 million grid positions from 13 KB."""
    cells = "<td rowspan='500' colspan='100'>0</td>" * 300
    return (f"<html><body><p>青松县数据资源管理局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            f"<table><tr>{cells}</tr></table></body></html>").encode()


def whitespace_run_html() -> bytes:
    """A metadata label followed by a long run of blanks: quadratic for a backtracking pattern."""
    return ("<html><body><p>名称" + " \n" * 200_000 + "!</p><p>无关内容</p></body></html>").encode()


def many_elements_html() -> bytes:
    """300,000 tiny elements in 2.4 MB: a parsed page costs about 1 KB per element."""
    return ("<html><body><p>" + "<b>x</b>" * 300_000 + "</p></body></html>").encode()


LINE = "本局围绕数据开放和政务公开年度任务稳步推进各项公开工作，公开质量持续提高。"


def wordy_html() -> bytes:
    """400,000 characters of text: more than any report, as when many reports share one page."""
    paras = "".join(f"<p>{LINE * 3}</p>" for _ in range(400_000 // (3 * len(LINE)) + 1))
    return f"<html><body><p>一、总体情况</p>{paras}</body></html>".encode()


def wordy_docx() -> bytes:
    paras = "".join(f"<w:p><w:r><w:t>{LINE * 3}</w:t></w:r></w:p>" for _ in range(400_000 // (3 * len(LINE)) + 1))
    parts = _docx_parts()
    parts["word/document.xml"] = (f'<?xml version="1.0"?><w:document xmlns:w="{_W_NS}"><w:body>{paras}'
                                  "</w:body></w:document>").encode()
    return _docx(parts)


def error_page_html() -> bytes:
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>404 页面不存在</title></head><body>"
            "<div class='header'><a href='/'>首页</a> <a href='/zwgk'>政务公开</a></div>"
            "<div class='main'><h1>抱歉，您访问的页面不存在或已被删除</h1><p>请检查网址是否正确，或返回首页。</p>"
            "<p><a href='/'>返回首页</a></p></div><div class='footer'>主办单位：青松县人民政府办公室</div>"
            "</body></html>").encode()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand; object 1 is the catalog."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def pages_pdf(n: int) -> bytes:
    """``n`` pages sharing one content stream (20,000 pages take 2 MB)."""
    content = b"BT /F1 12 Tf 72 720 Td (page) Tj ET"
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(n))
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, n),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
             b"/Resources << /Font << /F1 3 0 R >> >> >>"] * n
    return _pdf(objs)


def flate_bomb_pdf(mb: int = 1600) -> bytes:
    """One page whose content stream inflates to ``mb`` MB of zeros."""
    stream, _, _ = _zeros_deflate(mb, zlib_wrapper=True)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>"]
    return _pdf(objs)


def _bomb_pdf(dictionary: bytes, stream: bytes, eol: bytes = b"\n", extra: list[bytes] = ()) -> bytes:
    """One page whose content stream (object 4, dictionary entries ``dictionary``) is ``stream``;
    ``extra`` objects follow as 6, 7, …"""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            b"<< /Length %d %s >>\nstream%s" % (len(stream), dictionary, eol) + stream + b"\nendstream",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>", *extra]
    return _pdf(objs)


def _lzw_zeros(mb: int) -> bytes:
    """LZW codes (EarlyChange 1) of ``mb`` MB of zeros: every code is the next table entry, one zero
    longer than the last (about 1,300 : 1), the table cleared when full."""
    out, acc, nbits = bytearray(), 0, 0

    def emit(code: int, width: int) -> None:
        nonlocal acc, nbits
        acc, nbits = (acc << width) | code, nbits + width
        while nbits >= 8:
            nbits -= 8
            out.append((acc >> nbits) & 0xFF)
        acc &= (1 << nbits) - 1

    width, size, total = 9, 258, 0
    emit(256, width)
    k = 1
    while total < mb * MB:
        emit(0 if k == 1 else 256 + k, width)
        total += k
        size += k > 1
        k += 1
        if size + 1 >= (1 << width) and width < 12:
            width += 1
        if size >= 4000:
            emit(256, width)
            width, size, k = 9, 258, 1
    emit(257, width)
    if nbits:
        out.append((acc << (8 - nbits)) & 0xFF)
    return bytes(out)


def pdf_bombs() -> dict[str, bytes]:
    """Decompression bombs a byte pattern does not see: the filter name escaped, indirect, in an array
    behind another filter, abbreviated; a CR-only line after ``stream``; LZW; RunLength behind Flate."""
    z, _, _ = _zeros_deflate(400, zlib_wrapper=True)
    rl = zlib.compress(b"\x81\x00" * (300 * MB // 128), 9)
    return {
        "escaped": _bomb_pdf(b"/Filter /F#6cateDecode", z),
        "indirect": _bomb_pdf(b"/Filter 6 0 R", z, extra=[b"/FlateDecode"]),
        "indirect-array": _bomb_pdf(b"/Filter 6 0 R", z, extra=[b"[ 7 0 R ]", b"/Fl"]),
        "ahx-fl": _bomb_pdf(b"/Filter [/AHx /Fl]", z.hex().encode() + b">"),
        "cr-only": _bomb_pdf(b"/Filter /FlateDecode", z, eol=b"\r"),
        "lzw": _bomb_pdf(b"/Filter /LZWDecode", _lzw_zeros(300)),
        "fl-rl": _bomb_pdf(b"/Filter [/FlateDecode /RL]", rl),
        "image-lie": _bomb_pdf(b"/Subtype /Image /Width 10 /Height 10 /BitsPerComponent 8 /Filter /Fl", z),
    }


_pdf_bombs = functools.cache(pdf_bombs)  # built once for all the cases


def scanned_pdf() -> bytes:
    """A page that is only a picture (a scan without OCR)."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = Image.new("L", (620, 877), 255)
    draw = ImageDraw.Draw(img)
    rng = random.Random(9)
    for y in range(60, 820, 18):  # lines of "print" as a scanner would see them
        x = 60
        while x < 560:
            w = rng.randint(8, 14)
            draw.rectangle([x, y, x + w, y + 10], fill=rng.randint(0, 90))
            x += w + 3
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    for _ in range(2):
        c.drawImage(ImageReader(img), 0, 0, 595, 842)
        c.showPage()
    c.save()
    return buf.getvalue()


def random_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _repeat(data: bytes, size: int) -> bytes:
    return data * (size // len(data) + 1)


def _cut(data: bytes, frac: float) -> bytes:
    return data[: int(len(data) * frac)]


# --- issue 19: inputs inside every per-file limit that still exploded, and odd but valid packages ------

WUHU = ROOT / "corpus" / "wuhu-city-gov-2024.txt"  # a team-written sample report with every table


def _with_cell(value: str) -> str:
    """The sample report with its first applicant cell of table 3 (new requests from natural persons,
    91) replaced by ``value``."""
    text = WUHU.read_text(encoding="utf-8")
    at = text.index("一、本年新收政府信息公开申请数量")
    cell = text.index("\t91\n", at)
    return text[:cell] + "\t" + value + "\n" + text[cell + 4:]


def big_number_txt(digits: int) -> bytes:
    return _with_cell("9" * digits).encode()


def arabic_indic_txt() -> bytes:
    return _with_cell("\u0669\u0661").encode()  # 91 in Arabic-Indic digits


def _docx_body(inner: str) -> bytes:
    """A good report's document.xml with ``inner`` (w: elements) added before the end of the body."""
    xml = _docx_parts()["word/document.xml"].decode()
    at = xml.rindex("<w:sectPr") if "<w:sectPr" in xml else xml.rindex("</w:body>")
    return (xml[:at] + inner + xml[at:]).encode()


def gridspan_docx(tables: int = 60) -> bytes:
    """Tables of 100 cells each spanning 100 grid columns: 600,000 cells from a 100 KB file."""
    cell = '<w:tc><w:tcPr><w:gridSpan w:val="100"/></w:tcPr><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc>'
    table = f"<w:tbl><w:tr>{cell * 100}</w:tr></w:tbl>"
    parts = _docx_parts()
    parts["word/document.xml"] = _docx_body(table * tables)
    return _docx(parts)


def many_span_tables_html() -> bytes:
    """Five tables each under the per-table limit (3 cells of 500 x 100), 750,000 cells together."""
    table = "<table><tr>" + "<td rowspan='500' colspan='100'>0</td>" * 3 + "</tr></table>"
    return (f"<html><body><p>青松县数据资源管理局2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
            f"{table * 5}</body></html>").encode()


def long_table_md(rows: int = 14_000) -> bytes:
    """A good report followed by a 14,000-row pipe table (about 280,000 characters, inside the text limit):
    row placement was quadratic in the rows of a table."""
    body = synth.to_markdown(GOOD)
    table = "\n| 项目 | 数量 |\n|---|---|\n" + "".join(f"| 行{i} | {i % 10} |\n" for i in range(rows))
    return (body + table).encode()


def renamed_main_part_docx() -> bytes:
    """The main part at word/document2.xml, as the package relationships say (WPS and converters do this)."""
    parts = _docx_parts(GOOD)
    parts["word/document2.xml"] = parts.pop("word/document.xml")
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b"word/document.xml", b"word/document2.xml")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"/word/document.xml", b"/word/document2.xml")
    return _docx(parts)


def utf16_meta_html(pad: int) -> bytes:
    """UTF-8 bytes under <meta charset=utf-16>: WHATWG reads them as UTF-8 (a UTF-16 label in bytes a
    scan for ASCII found is wrong by construction); decoding as UTF-16 depended on the length's parity."""
    html = synth.to_html(GOOD, charset="utf-16").replace("</body>", "<p>" + "x" * pad + "</p></body>")
    return html.encode("utf-8")


# name -> (file name, builder, expected outcome: regex of the TextmineError reason, or ("record", agency, year))
GOOD = report(2022, "白鹭市生态环境局")
CASES: dict[str, tuple[str, object, object]] = {
    "zip-bomb-docx": ("bomb.docx", zip_bomb_docx, r"inflate to \d+ MB, over the 200 MB limit"),
    "lying-zip-docx": ("lying.docx", lying_zip_docx, r"damaged \.docx|damaged XML"),
    "bzip2-docx": ("bzip2.docx", bzip2_docx, r"compression Word never writes"),
    "many-entries-docx": ("entries.docx", many_entries_zip, r"archive directory is \d+ MB .*refused"),
    "billion-laughs-docx": ("laughs.docx", billion_laughs_docx, r"billion-laughs|DOCTYPE"),
    "external-entity-docx": ("xxe.docx", external_entity_docx, r"DOCTYPE"),
    "nested-tables-docx": ("nested.docx", nested_tables_docx, r"not a government information disclosure"),
    "deep-html": ("deep.html", deep_html, r"nested more than 512 deep"),
    "span-bomb-html": ("spans.html", span_bomb_html, r"expands to more than 200000 cells"),
    "whitespace-run-html": ("blanks.html", whitespace_run_html, r"not a government information disclosure"),
    "many-elements-html": ("tags.html", many_elements_html, r"more than 200000 elements"),
    "wordy-html": ("wordy.html", wordy_html, r"characters of text, over the 300000 limit"),
    "wordy-docx": ("wordy.docx", wordy_docx, r"characters of text, over the 300000 limit"),
    "concatenated-txt": ("many.txt", lambda: _repeat(synth.to_text(GOOD).encode(), int(1.5 * MB)),
                         r"over the 1 MB limit for \.txt"),
    "error-page-html": ("404.html", error_page_html, r"error page, not a report"),
    "too-many-pages-pdf": ("pages.pdf", lambda: pages_pdf(20_000), r"20000 pages, over the 300-page limit"),
    "scanned-pdf": ("scan.pdf", scanned_pdf, r"no text layer|not a government information disclosure|took longer than"),
    "truncated-pdf": ("cut.pdf", lambda: _cut(render(GOOD, "pdf"), 0.5), r"PDF"),
    "truncated-docx": ("cut.docx", lambda: _cut(render(GOOD, "docx"), 0.6), r"not a \.docx|truncated"),
    "random-pdf": ("noise.pdf", lambda: random_bytes(50_000, 1), r"not a PDF"),
    "random-docx": ("noise.docx", lambda: random_bytes(50_000, 2), r"not a \.docx"),
    "random-html": ("noise.html", lambda: random_bytes(50_000, 3), r"binary|decode|not an HTML"),
    "random-txt": ("noise.txt", lambda: random_bytes(50_000, 4), r"binary|decode"),
    "utf16-txt": ("utf16.txt", lambda: synth.to_text(GOOD).encode("utf-16"), ("record", "白鹭市生态环境局", 2022)),
    "utf16be-nobom-txt": ("utf16be.txt", lambda: synth.to_text(GOOD).encode("utf-16-be"),
                          ("record", "白鹭市生态环境局", 2022)),
    "gb18030-txt": ("gb.txt", lambda: synth.to_text(GOOD).encode("gb18030"), ("record", "白鹭市生态环境局", 2022)),
    "gb18030-html": ("gb.html", lambda: synth.to_html(GOOD, charset="gb2312").encode("gb18030"),
                     ("record", "白鹭市生态环境局", 2022)),
    # issue 19
    "big-number-txt": ("digits.txt", lambda: big_number_txt(25), ("record", "芜湖市人民政府", 2024)),
    "huge-number-txt": ("digits5000.txt", lambda: big_number_txt(5000), ("record", "芜湖市人民政府", 2024)),
    "arabic-indic-txt": ("indic.txt", arabic_indic_txt, ("record", "芜湖市人民政府", 2024)),
    "gridspan-docx": ("gridspan.docx", gridspan_docx, r"tables of the document expand to more than 500000 cells"),
    "span-tables-html": ("spantables.html", many_span_tables_html,
                         r"tables of the document expand to more than 500000 cells"),
    "long-table-md": ("long.md", long_table_md, ("record", "白鹭市生态环境局", 2022)),
    "document2-docx": ("document2.docx", renamed_main_part_docx, ("record", "白鹭市生态环境局", 2022)),
    "utf16-meta-even-html": ("u16even.html", lambda: utf16_meta_html(0), ("record", "白鹭市生态环境局", 2022)),
    "utf16-meta-odd-html": ("u16odd.html", lambda: utf16_meta_html(1), ("record", "白鹭市生态环境局", 2022)),
    **{f"pdf-bomb-{k}": (f"bomb-{k}.pdf", (lambda k=k: _pdf_bombs()[k]), r"decompression bomb")
       for k in ("escaped", "indirect", "indirect-array", "ahx-fl", "cr-only", "lzw", "fl-rl", "image-lie")},
}
# Kinds whose limit is lowered through the environment (no test writes gigabytes).
LOW_LIMITS = {"TEXTMINE_MAX_FILE_MB": "1", "TEXTMINE_MAX_TEXT_MB": "0.5", "TEXTMINE_MAX_PDF_PAGES": "5"}
LOW_CASES: dict[str, tuple[str, object, object]] = {
    "huge-pdf": ("huge.pdf", lambda: render(GOOD, "pdf") + b"%" + b"x" * (2 * MB), r"over the 1 MB limit"),
    "huge-txt": ("huge.txt", lambda: _repeat(synth.to_text(GOOD).encode(), int(0.8 * MB)), r"over the 0\.5 MB limit"),
    "six-pages-pdf": ("six.pdf", lambda: pages_pdf(6), r"6 pages, over the 5-page limit"),
}


# --- the probe: each file in a forked child, its peak memory from wait4 ---------------------------------

PROBE = textwrap.dedent("""
    import contextlib, io, json, os, resource, sys, time
    import textmine.cli, textmine.report
    from textmine.errors import TextmineError

    cases, out_dir, warm, limit_s = json.loads(sys.stdin.read())
    if warm:  # the pipeline is warm: children measure the file, not imports
        textmine.report.load_report(warm)
    for name, path in cases:
        t0 = time.monotonic()
        pid = os.fork()
        if pid == 0:
            cap = 8 << 30  # keeps a runaway child from taking the machine down with it
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
            res = {}
            try:
                rec = textmine.report.load_report(path).to_dict()
                json.dumps(rec, ensure_ascii=False, default=str)
                res.update(outcome="record", agency=rec["meta"]["agency"], year=rec["meta"]["year"])
            except TextmineError as exc:
                res.update(outcome="error", message=str(exc), path=exc.path)
            except BaseException as exc:
                res.update(outcome="crash", message=f"{exc.__class__.__name__}: {exc}"[:500])
            err = io.StringIO()
            try:
                with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
                    res["cli_rc"] = textmine.cli.main(["parse", path, "--json"])
            except BaseException as exc:
                res["cli_rc"] = f"raised {exc.__class__.__name__}: {exc}"[:300]
            res["cli_stderr"] = err.getvalue()
            with open(os.path.join(out_dir, name + ".json"), "w") as fh:
                json.dump(res, fh)
            os._exit(0)
        killed = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() - t0 > limit_s:
                os.kill(pid, 9)
                done, status, usage = os.wait4(pid, 0)
                killed = True
                break
            time.sleep(0.02)
        seconds = time.monotonic() - t0
        try:
            with open(os.path.join(out_dir, name + ".json")) as fh:
                res = json.load(fh)
        except OSError:
            res = {"outcome": "killed after the time limit" if killed else f"died (wait status {status})"}
        res.update(seconds=round(seconds, 2), peak_mb=round(usage.ru_maxrss / 1024))
        print(json.dumps({name: res}), flush=True)
""")


def _run_probe(tmp: Path, cases: dict, env_extra: dict[str, str] | None = None, warm: bool = True) -> dict[str, dict]:
    files = tmp / "files"
    files.mkdir(exist_ok=True)
    out = tmp / "out"
    out.mkdir(exist_ok=True)
    todo = []
    for name, (fname, build, _) in cases.items():
        p = files / fname
        p.write_bytes(build())
        todo.append((name, str(p)))
    warm_file = files / "warm.txt"
    warm_file.write_text(synth.to_text(report()), encoding="utf-8")
    env = dict(os.environ, **(env_extra or {}))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    p = subprocess.run([sys.executable, "-c", PROBE], input=json.dumps([todo, str(out), str(warm_file) if warm else None, TIME_LIMIT_S + 15]),
                       capture_output=True, text=True, env=env, timeout=900)
    assert p.returncode == 0, p.stderr[-3000:]
    results = {}
    for line in p.stdout.splitlines():
        results.update(json.loads(line))
    for name, path in todo:
        results[name]["file"] = path
    return results


@pytest.fixture(scope="module")
def probed(tmp_path_factory) -> dict[str, dict]:
    res = _run_probe(tmp_path_factory.mktemp("hostile"), CASES)
    # These fail before any parsing: no warm-up needed.
    res.update(_run_probe(tmp_path_factory.mktemp("low-limits"), LOW_CASES, LOW_LIMITS, warm=False))
    return res


def _check(res: dict, expected) -> None:
    name = Path(res["file"]).name
    assert res["outcome"] in ("record", "error"), res
    assert res["seconds"] < TIME_LIMIT_S, res
    assert res["peak_mb"] < MEMORY_LIMIT_MB, res
    if isinstance(expected, tuple):  # an odd encoding of a good report
        assert res["outcome"] == "record", res
        assert (res["agency"], res["year"]) == expected[1:], res
        assert res["cli_rc"] == 0, res
        return
    assert res["outcome"] == "error", res
    assert res["path"] == res["file"] and re.search(expected, res["message"]), res
    assert res["cli_rc"] == 1, res
    lines = res["cli_stderr"].strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("textmine: error: ") and name in lines[0], res
    assert re.search(expected, lines[0]), res


@pytest.mark.parametrize("kind", list(CASES))
def test_hostile_file_ends_cleanly_in_bounded_time_and_memory(probed, kind):
    _check(probed[kind], CASES[kind][2])


@pytest.mark.parametrize("kind", list(LOW_CASES))
def test_limits_lowered_through_the_environment(probed, kind):
    _check(probed[kind], LOW_CASES[kind][2])


# pdfium inflates a content stream whole (a 3 MB file took 4 GB): the streams are bounded first.

def test_pdf_decompression_bomb_is_refused(tmp_path):
    from textmine.errors import TextmineError
    from textmine.report import load_report

    p = tmp_path / "bomb.pdf"
    p.write_bytes(flate_bomb_pdf(250))
    with pytest.raises(TextmineError, match="decompression bomb"):
        load_report(p)


@pytest.mark.parametrize("fmt", ["pdf", "txt", "md", "raw"])
def test_every_format_has_the_text_limit(tmp_path, monkeypatch, fmt):
    from textmine.errors import TextmineError
    from textmine.loaders import limits
    from textmine.report import load_report

    monkeypatch.setattr(limits, "MAX_TEXT_CHARS", 300)  # the synthetic report has about 600
    if fmt == "raw":
        target = synth.to_text(GOOD)
    else:
        target = tmp_path / f"r.{fmt}"
        target.write_bytes(render(GOOD, fmt))
    with pytest.raises(TextmineError, match="characters of text"):
        load_report(target)


def test_pdf_stream_check_refuses_a_bomb_and_passes_real_pdfs():
    from textmine.errors import TextmineError
    from textmine.loaders.limits import check_pdf_streams

    t0 = time.monotonic()
    with pytest.raises(TextmineError, match="decompression bomb"):
        check_pdf_streams(flate_bomb_pdf(600), "bomb.pdf")
    assert time.monotonic() - t0 < 20
    check_pdf_streams(render(GOOD, "pdf"), "good.pdf")
    check_pdf_streams(pages_pdf(10), "pages.pdf")


def test_a_bad_limit_value_falls_back_to_the_default(monkeypatch):
    from textmine.loaders import limits

    monkeypatch.setenv("TEXTMINE_MAX_FILE_MB", "lots")
    with pytest.warns(UserWarning, match="TEXTMINE_MAX_FILE_MB"):
        assert limits._env_number("TEXTMINE_MAX_FILE_MB", 100) == 100
    monkeypatch.setenv("TEXTMINE_MAX_FILE_MB", "0")
    assert limits._env_number("TEXTMINE_MAX_FILE_MB", 100) == 0  # 0 switches a limit off


# --- batches -------------------------------------------------------------------------------------------

# Loaded by every Python process of the batch (CLI and workers): files named *stuck* hang the way a
# parser stuck in C code does (SIGALRM blocked, so the worker's own alarm never lands), *hog* files
# grab memory, *crash* files kill their process.
MISBEHAVE = textwrap.dedent("""
    import os, signal, time
    import textmine.report as _report

    _real = _report.load_report

    def load_report(path_or_text, **kw):
        name = os.path.basename(str(path_or_text))
        if "stuck" in name:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(3600)
        if "hog" in name:
            hoard = []
            while True:
                hoard.append(bytearray(64 << 20))
                time.sleep(0.02)
        if "crash" in name:
            os._exit(3)
        return _real(path_or_text, **kw)

    _report.load_report = load_report
""")


def _cli(*args: str, env: dict | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "textmine", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, timeout=timeout)


def _good_folder(folder: Path, n: int, formats=("txt", "docx", "html", "md", "pdf")) -> list[str]:
    names = []
    for i in range(n):
        agency = PLACES[i % len(PLACES)] + ORGANS[i % len(ORGANS)]
        fmt = formats[i % len(formats)]
        name = f"good-{i:02d}.{fmt}"
        (folder / name).write_bytes(render(report(2019 + i % 5, agency), fmt))
        names.append(name)
    return names


def test_batch_reports_every_good_file_and_lists_every_broken_one(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    good = _good_folder(folder, 20)
    bad = {}
    for kind in ("zip-bomb-docx", "lying-zip-docx", "billion-laughs-docx", "many-entries-docx", "deep-html",
                 "span-bomb-html", "error-page-html", "too-many-pages-pdf", "scanned-pdf", "truncated-docx",
                 "random-pdf", "random-html"):
        fname, build, reason = CASES[kind]
        (folder / fname).write_bytes(build())
        bad[fname] = reason
    (folder / "bomb.pdf").write_bytes(flate_bomb_pdf(1024))
    bad["bomb.pdf"] = r"inflate|memory|process died"
    for fname, reason in {"0-stuck.txt": r"took longer than 12 s.*stuck", "hog.txt": r"more than 1200 MB of memory",
                          "crash.txt": r"process died \(exit code 3\)"}.items():
        (folder / fname).write_bytes(render(report(), "txt"))
        bad[fname] = reason
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(MISBEHAVE, encoding="utf-8")
    env = dict(os.environ, TEXTMINE_FILE_TIMEOUT="12", TEXTMINE_MAX_WORKER_MEMORY_MB="1200",
               PYTHONPATH=os.pathsep.join([str(hook), str(ROOT), os.environ.get("PYTHONPATH", "")]))

    t0 = time.monotonic()
    p = _cli("stats", str(folder), "--json", "--workers", "2", env=env)
    assert p.returncode == 0, p.stderr[-3000:]
    assert time.monotonic() - t0 < 120
    st = json.loads(p.stdout)
    assert st["documents"] == 20
    failed = {Path(f["path"]).name: f["reason"] for f in st["failed"]}
    assert set(failed) == set(bad), (sorted(failed), sorted(bad))
    for fname, reason in bad.items():
        assert re.search(reason, failed[fname]), (fname, failed[fname])
    assert not set(failed) & set(good)

    # Same folder, --strict: everything comes from the store; the failures make the exit non-zero.
    p = _cli("stats", str(folder), "--strict", env=env)
    assert p.returncode == 1
    skipped = [ln for ln in p.stderr.splitlines() if ln.startswith("textmine: skipped ")]
    assert len(skipped) == len(bad) and "Traceback" not in p.stderr


DRIVER = textwrap.dedent("""
    import sys, time
    import textmine.store as store

    _put = store.Store.put

    def put(self, *args, **kw):  # report each committed record, then linger: the test kills us mid-way
        _put(self, *args, **kw)
        print("put", flush=True)
        time.sleep(0.7)

    store.Store.put = put
    from textmine.cli import main

    sys.exit(main(["stats", sys.argv[1], "--json", "--workers", "2"]))
""")


def _children(pid: int) -> list[int]:
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                kids.append(int(d.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process tables from /proc (Linux)")
def test_killed_batch_leaves_a_consistent_store_that_resumes_and_a_second_writer_is_refused(tmp_path):
    from textmine.store import Store, default_store_path

    folder = tmp_path / "reports"
    folder.mkdir()
    n = 12
    _good_folder(folder, n, formats=("txt", "md"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(folder)], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=env, start_new_session=True)
    try:
        assert driver.stdout.readline().strip() == "put"
        puts = 1
        # A second textmine writing to the same store while the first is busy: refused, not corrupted.
        p = _cli("stats", str(folder), "--json", env=env, timeout=120)
        assert p.returncode == 1
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1 and "store is busy" in lines[0] and f"process {driver.pid}" in lines[0], p.stderr
        while puts < 4:
            assert driver.stdout.readline().strip() == "put"
            puts += 1
        workers = _children(driver.pid)
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(30)
        # Its workers die with it (no orphan keeps parsing or holding memory).
        deadline = time.monotonic() + 15
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(_alive(w) for w in workers)
    finally:
        if driver.poll() is None:
            os.killpg(driver.pid, signal.SIGKILL)
            driver.wait(30)

    store = default_store_path(folder)
    with Store(store) as st:
        kept = st.con.execute("SELECT count(*) FROM files WHERE record IS NOT NULL").fetchone()[0]
    assert puts <= kept <= puts + 1 and kept < n

    p = _cli("stats", str(folder), "--json", env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    st = json.loads(p.stdout)
    assert st["documents"] == n and st["failed"] == []
    assert st["parsed_this_run"] == n - kept


# --- issue 19: numbers, names, special files, configs and models -----------------------------------

def _one_line_error(p: subprocess.CompletedProcess, pattern: str) -> None:
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 1 and "Traceback" not in p.stderr, p.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("textmine: error: "), p.stderr
    assert re.search(pattern, lines[0]), lines[0]


def test_numbers_beyond_int64_are_findings_and_every_corpus_command_runs(tmp_path):
    from textmine.report import load_report

    rec = load_report(_with_cell("9" * 25)).to_dict()
    assert rec["tables"]["requests"]["new"].get("natural_person") is None
    assert rec["tables"]["requests"]["new"]["total"] == 112
    assert any(f["rule"] == "table" and "range" in f["message"] for f in rec["validation"]), rec["validation"]
    rec = load_report(_with_cell("\u0669\u0661")).to_dict()  # Arabic-Indic digits read as the number they are
    assert rec["tables"]["requests"]["new"]["natural_person"] == 91
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "digits.txt").write_bytes(big_number_txt(25))
    (folder / "digits5000.txt").write_bytes(big_number_txt(5000))
    (folder / "indic.txt").write_bytes(arabic_indic_txt())
    _good_folder(folder, 2, ("txt",))
    for args in (["stats", "--json"], ["validate", "--json"], ["recurring", "--json"],
                 ["export", "--format", "csv", "-o", str(tmp_path / "s.csv")],
                 ["export", "--format", "parquet", "-o", str(tmp_path / "s.parquet")]):
        p = _cli(args[0], str(folder), *args[1:], "--workers", "2")
        assert p.returncode == 0 and "Traceback" not in p.stderr, (args, p.stderr[-2000:])
    st = json.loads(_cli("stats", str(folder), "--json").stdout)
    assert st["documents"] == 5 and not st["failed"]


def test_fifo_and_device_links_are_refused_before_reading(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.txt"
    zero.symlink_to("/dev/zero")
    _one_line_error(_cli("parse", str(fifo), timeout=30), r"named pipe")
    _one_line_error(_cli("parse", str(zero), timeout=30), r"character device")
    folder = tmp_path / "r"
    folder.mkdir()
    good = _good_folder(folder, 2, ("txt",))
    os.mkfifo(folder / "pipe.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    t0 = time.monotonic()
    p = _cli("stats", str(folder), "--json", "--no-store", timeout=120)
    assert p.returncode == 0 and time.monotonic() - t0 < 60, p.stderr[-2000:]
    st = json.loads(p.stdout)
    failed = {Path(f["path"]).name: f["reason"] for f in st["failed"]}
    assert st["documents"] == len(good)
    assert re.search("named pipe", failed["pipe.txt"]) and re.search("character device", failed["zero.txt"])


def test_gbk_and_escape_sequence_file_names_do_not_sink_a_batch(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    good = _good_folder(folder, 2, ("txt",))
    gbk = os.path.join(os.fsencode(folder), "报告2021.txt".encode("gbk"))  # not UTF-8: unpacked from a Windows zip
    with open(gbk, "wb") as fh:
        fh.write(render(report(2021, "云溪区交通运输局"), "txt"))
    (folder / "bad\x1b[31mred.txt").write_bytes(random_bytes(5000, 7))
    p = _cli("stats", str(folder), "--json", "--no-store")
    assert p.returncode == 0, p.stderr[-2000:]
    assert "\x1b" not in p.stderr and "\x1b" not in p.stdout
    st = json.loads(p.stdout)
    assert st["documents"] == len(good) + 1
    assert [Path(f["path"]).name for f in st["failed"]] == ["bad\x1b[31mred.txt"]  # JSON escapes it
    p = _cli("stats", str(folder), "--no-store")
    assert p.returncode == 0 and "\x1b" not in p.stderr + p.stdout and "Traceback" not in p.stderr


def test_timeouts_are_not_cached(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    _good_folder(folder, 3, ("txt",))
    store = tmp_path / "s.duckdb"
    env = dict(os.environ, TEXTMINE_FILE_TIMEOUT="0.0001")
    p = _cli("stats", str(folder), "--json", "--store", str(store), env=env)
    assert p.returncode == 1 and "took longer than" in p.stderr, p.stderr  # too short a budget for any parse
    st = json.loads(_cli("stats", str(folder), "--json", "--store", str(store)).stdout)
    assert st["documents"] == 3 and not st["failed"], st  # the limit raised: parsed, not replayed


ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8))


def test_yaml_alias_bombs_and_deep_nesting_in_user_files_are_refused(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    _good_folder(folder, 1, ("txt",))
    bomb = tmp_path / "map.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    _one_line_error(_cli("stats", str(folder), "--agency-map", str(bomb), "--no-store", timeout=60), r"alias bomb")
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000, encoding="utf-8")
    _one_line_error(_cli("stats", str(folder), "--agency-map", str(deep), "--no-store", timeout=60), r"YAML")
    cb = tmp_path / "codebook.yaml"
    cb.write_text(ALIAS_BOMB + "themes: {t: {cues: [{pattern: x}]}}\n", encoding="utf-8")
    _one_line_error(_cli("export", str(folder), "--format", "label-studio", "-o", str(tmp_path / "o.json"),
                         "--codebook", str(cb), "--no-store", timeout=60), r"alias bomb")


def test_agency_map_in_gb18030_is_read(tmp_path):
    from textmine.corpus import load_agency_map

    m = tmp_path / "map.csv"
    m.write_bytes("name,agency_id\n白鹭市生态环境局,baiLu-eco\n".encode("gb18030"))
    assert load_agency_map(m) == {"白鹭市生态环境局": "baiLu-eco"}
    y = tmp_path / "map.yaml"
    y.write_bytes("白鹭市环保局: baiLu-eco\n".encode("gb18030"))
    assert load_agency_map(y) == {"白鹭市环保局": "baiLu-eco"}
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00\xd8" * 10)
    folder = tmp_path / "r"
    folder.mkdir()
    _good_folder(folder, 1, ("txt",))
    _one_line_error(_cli("stats", str(folder), "--agency-map", str(bad), "--no-store"), r"neither UTF-8 nor GB18030")


def _model_with(tmp_path: Path, name: str, **meta_changes) -> Path:
    """The shipped model file with its meta changed (another codebook, say)."""
    import numpy as np

    from textmine.resources import data_path

    with np.load(data_path("theme_model.npz"), allow_pickle=False) as z:
        a = {k: z[k] for k in z.files}
    meta = json.loads(str(a.pop("meta")))
    meta.update(meta_changes)
    for k in [k for k, v in meta_changes.items() if v is None]:
        del meta[k]
    out = tmp_path / name
    np.savez(out, meta=np.array(json.dumps(meta, ensure_ascii=False)), **a)
    return out


def test_models_with_hostile_codebooks_or_arrays_are_refused(tmp_path):
    from textmine.resources import data_path

    good = tmp_path / "good.txt"
    good.write_bytes(render(GOOD, "txt"))
    codebook = data_path("codebook.yaml").read_text(encoding="utf-8")
    slow = codebook.replace("themes:\n", "themes:\n  slowtheme:\n    cues:\n      - pattern: '(公开+)+$'\n", 1)
    assert slow != codebook
    m = _model_with(tmp_path, "slow.npz", codebook_fingerprint="x", codebook_text=slow)
    t0 = time.monotonic()
    _one_line_error(_cli("parse", str(good), "--model", str(m), timeout=60), r"repeat inside a repeat")
    assert time.monotonic() - t0 < 30
    m = _model_with(tmp_path, "laughs.npz", codebook_fingerprint="x", codebook_text=ALIAS_BOMB + codebook)
    _one_line_error(_cli("parse", str(good), "--model", str(m), timeout=60), r"alias bomb")
    m = _model_with(tmp_path, "damaged.npz", params=None)
    _one_line_error(_cli("parse", str(good), "--model", str(m), timeout=60), r"not a textmine theme model")
    stream, crc, _ = _zeros_deflate(1024)  # a 1 GB array in 1 MB
    bomb = tmp_path / "bomb.npz"
    bomb.write_bytes(_zip([("coef.npy", stream, crc, 1024 * MB, zipfile.ZIP_DEFLATED)]))
    _one_line_error(_cli("parse", str(good), "--model", str(bomb), timeout=60), r"over the 500 MB limit")
    (tmp_path / "noise.npz").write_bytes(random_bytes(4000, 5))
    _one_line_error(_cli("parse", str(good), "--model", str(tmp_path / "noise.npz"), timeout=60),
                    r"not a textmine theme model")


def test_deep_json_inputs_are_one_line_errors(tmp_path):
    deep = tmp_path / "ls.json"
    deep.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    _one_line_error(_cli("import-labels", str(deep), "-o", str(tmp_path / "o.jsonl"), timeout=60), r"JSON")
    train = tmp_path / "train.jsonl"
    train.write_text('{"text": "x", "themes": ' + "[" * 200_000 + "]" * 200_000 + "}\n", encoding="utf-8")
    _one_line_error(_cli("train", str(train), "-o", str(tmp_path / "m.npz"), timeout=60), r"JSON")


def test_csv_export_neutralises_formula_cells(tmp_path):
    import pandas as pd

    from textmine.export import csv_safe

    for payload in ("=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert csv_safe(payload) == "'" + payload
    assert csv_safe("一是公开不够") == "一是公开不够" and csv_safe(3) == 3
    r = report(2022, "白鹭市生态环境局")
    r.sections[4][1][1] = "=HYPERLINK(\"http://example.invalid\")一是部分股室对公开工作重视不够；二是政策解读形式比较单调。"
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "a.txt").write_bytes(render(r, "txt"))
    out = tmp_path / "s.csv"
    p = _cli("export", str(folder), "--format", "csv", "-o", str(out), "--no-store")
    assert p.returncode == 0, p.stderr
    texts = pd.read_csv(out, encoding="utf-8-sig")["text"].tolist()
    assert texts and not any(str(t).startswith(("=", "+", "-", "@")) for t in texts), texts


ISSUE19_KINDS = ["big-number-txt", "huge-number-txt", "arabic-indic-txt", "gridspan-docx", "span-tables-html",
                 "long-table-md", "document2-docx", "utf16-meta-odd-html",
                 *(k for k in CASES if k.startswith("pdf-bomb-"))]


def _frame_rows(df, names: dict[str, str]) -> list[str]:
    """A frame's rows of the documents in ``names`` (doc_id -> file name) as sorted JSON lines, keyed by
    file name (a rendered PDF or DOCX differs in its bytes, and so in its doc_id, from one run to the next)."""
    df = df[df["doc_id"].isin(names)].copy()
    df["doc_id"] = df["doc_id"].map(names)
    df = df.drop(columns=[c for c in ("path", "source", "file", "content_hash") if c in df.columns])
    return sorted(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in df.to_dict("records"))


def test_good_reports_come_out_identical_beside_every_new_hostile_kind(tmp_path):
    from textmine.corpus import Corpus

    alone, mixed = tmp_path / "alone", tmp_path / "mixed"
    alone.mkdir()
    mixed.mkdir()
    _good_folder(alone, 10)
    _good_folder(mixed, 10)
    for kind in ISSUE19_KINDS:
        fname, build, _ = CASES[kind]
        (mixed / fname).write_bytes(build())
    os.mkfifo(mixed / "pipe.txt")
    (mixed / "zero.txt").symlink_to("/dev/zero")
    with open(os.path.join(os.fsencode(mixed), "坏文件.txt".encode("gbk")), "wb") as fh:
        fh.write(random_bytes(3000, 11))
    a = Corpus.from_dir(alone, store=False, workers=2, progress=False)
    b = Corpus.from_dir(mixed, store=False, workers=2, progress=False)
    def good(c) -> dict[str, str]:
        return {d: Path(p).name for d, p in zip(c.documents["doc_id"], c.documents["path"])
                if Path(p).name.startswith("good-")}

    na, nb = good(a), good(b)
    assert len(na) == 10 and sorted(na.values()) == sorted(nb.values())
    for frame in ("documents", "sections", "statements", "findings"):
        assert _frame_rows(getattr(b, frame), nb) == _frame_rows(getattr(a, frame), na), frame
    for table in ("proactive", "requests", "appeals"):
        assert _frame_rows(b.table(table), nb) == _frame_rows(a.table(table), na), table
    failed = {Path(os.fsdecode(f["path"])).name for f in b.failed_files}
    expected_failures = {CASES[k][0] for k in ISSUE19_KINDS if not isinstance(CASES[k][2], tuple)}
    assert expected_failures | {"pipe.txt", "zero.txt"} <= failed, sorted(failed)


def test_report_text_is_never_terminal_markup(tmp_path):
    """A title or statement holding rich markup or an escape sequence is printed as it is written."""
    text = WUHU.read_text(encoding="utf-8").split("\n", 1)[1]
    p = tmp_path / "markup.txt"
    p.write_text("[red]芜湖市人民政府[/red]2024年政府信息公开工作年度报告\x1b[2J\n" + text, encoding="utf-8")
    out = _cli("parse", str(p), "--no-themes")
    assert out.returncode == 0, out.stderr
    assert "[red]芜湖市人民政府[/red]" in out.stdout and "\x1b" not in out.stdout


def test_object_and_stream_keywords_are_found_as_the_patterns_find_them():
    """The PDF check finds 'N G obj' and 'stream' from their keywords (fast); same matches as the patterns."""
    from textmine.loaders import pdf_streams as ps

    samples = [b"xx 1 0" + b" " * 100 + b"obj\n", b"1" + b" " * 60 + b"0 obj", b"12 0 obj 3 4 obj endobj",
               b"1 0 obj1 0 obj 2 0 obj", b"12345678901 0 obj", b"stream\r\nendstream\nstream\r x stream \n",
               *_pdf_bombs().values(), pages_pdf(2)]
    for data in samples:
        want = [(m.start(), m.end(), m.group(1), m.group(2)) for m in ps._OBJ.finditer(data)]
        assert [(m.start(), m.end(), m.group(1), m.group(2)) for m in ps.object_headers(data)] == want
        assert ([(m.start(), m.end()) for m in ps.stream_keywords(data)]
                == [(m.start(), m.end()) for m in ps._STREAM.finditer(data)])
