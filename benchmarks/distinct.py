"""A benchmark corpus of distinct texts, made at run time from the reports at hand.

Copies of the same file repeat the same statements, words and numbers, and every per-text cache then
answers for them. Each copy here is rewritten with its own random generator: in running prose (a
sentence with at least ten CJK characters), numbers of two or more digits get new digits (years and
table digit runs are kept, so the form's arithmetic and the dates still parse), and clauses get a
neutral adverb put in front of them now and then (切实, 持续, …), so no two copies share their statements.
Headings, table rows and labels are left as they are. The sources are read where they are (the sample
corpus, and ../shared when it is there); nothing made here is written into the repository.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

_ADVERBS = ["切实", "持续", "进一步", "全面", "扎实", "认真", "积极", "不断", "有效", "着力", "深入", "稳步"]
_SENTENCE = re.compile(r"[^。！？；\n]+[。！？；]?")
_NUMBER = re.compile(r"(?<![\d.])\d{2,}(?![\d.])")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_HEADING = re.compile(r"[一二三四五六七八九十]{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,2}[)）]|^\s*\d{1,2}[、.．]")


def _year(s: str) -> bool:
    return len(s) == 4 and s[:2] in ("19", "20")


def mutate_sentence(s: str, rng: random.Random) -> str:
    """The sentence with new digits in its numbers and adverbs before some clauses (prose only)."""
    if len(_CJK.findall(s)) < 10 or _HEADING.search(s[:8]):
        return s
    s = _NUMBER.sub(lambda m: m.group(0) if _year(m.group(0)) else
                    str(rng.randint(10 ** (len(m.group(0)) - 1), 10 ** len(m.group(0)) - 1)), s)
    parts = s.split("，")
    for i in range(1, len(parts)):
        if rng.random() < 0.35 and parts[i][:1] and _CJK.match(parts[i][:1]):
            parts[i] = rng.choice(_ADVERBS) + parts[i]
    return "，".join(parts)


def mutate_text(text: str, rng: random.Random) -> str:
    return _SENTENCE.sub(lambda m: mutate_sentence(m.group(0), rng), text)


def mutate_markup(markup: str, rng: random.Random) -> str:
    """The text between tags of HTML or Word XML, mutated; the tags untouched."""
    return re.sub(r">([^<]{10,})<", lambda m: ">" + mutate_text(m.group(1), rng) + "<", markup)


def _docx(data: bytes, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "word/document.xml":
                body = mutate_markup(body.decode("utf-8"), rng).encode("utf-8")
            zout.writestr(item, body)
    return buf.getvalue()


def distinct_copy(path: Path, i: int) -> bytes:
    """Copy ``i`` of ``path``: the text rewritten as above (txt, md, html, docx); a PDF is copied with a
    comment after %%EOF (its text layer is not rewritten: PDF loading has no per-text cache)."""
    rng = random.Random(f"{path.name}:{i}")
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from textmine.loaders.text import decode

        return mutate_text(decode(data, str(path)), rng).encode("utf-8")
    if suffix in (".html", ".htm"):
        from textmine.loaders.html import decode_html

        text = decode_html(str(path), data)
        text = re.sub(r"""(<meta[^>]*charset\s*=\s*["']?)[A-Za-z0-9_-]+""", r"\1utf-8", text, flags=re.I)
        return mutate_markup(text, rng).encode("utf-8")
    if suffix == ".docx":
        return _docx(data, rng)
    return data + f"\n%copy {i}\n".encode()


def write_corpus(sources: list[Path], dest: Path, n: int) -> list[Path]:
    """``n`` distinct copies of ``sources`` (round robin) under ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        target = dest / f"{src.stem}-{i:05d}{src.suffix.lower()}"
        target.write_bytes(distinct_copy(src, i))
        out.append(target)
    return out
