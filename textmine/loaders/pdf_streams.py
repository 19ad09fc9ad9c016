"""How much a PDF's streams inflate to, measured by decoding them with bounded decoders.

pdfium decodes a content, font or object stream whole into memory, so a 1 MB file whose streams inflate
to gigabytes (a decompression bomb) must be refused before pdfium sees it. Guessing from the raw bytes
is not enough: a filter name can be written ``/F#6cateDecode`` or abbreviated (``/Fl``, ``/AHx``), held
in an indirect object or in an array of several filters, and LZW and RunLength expand too. So each
stream's dictionary is parsed the way the PDF spec (ISO 32000-1 §7.3, §7.4) defines it — names with
``#xx`` escapes, arrays, indirect references (also those inside object streams), any end of line after
``stream`` — and its filters are applied in order, each decoder stopping one byte past what is left of
the budget. A bomb costs the budget, never its inflated size.

Image streams are sized by their own dictionary instead (width × height × components × bits): they
never count against the text budget (a scan holds hundreds of megabytes of pictures), but one whose data
inflates past what its dimensions allow is a bomb too. Filters pdfium decodes with its own size bound
(DCT, JPX, JBIG2, CCITT) end the chain; so does an unknown one (pdfium does not decode it either).
"""

from __future__ import annotations

import bisect
import re
import zlib
from collections.abc import Callable

# Abbreviations of inline images (§8.9.7) are accepted by pdfium on streams too.
_FILTERS = {"FlateDecode": "flate", "Fl": "flate", "LZWDecode": "lzw", "LZW": "lzw",
            "RunLengthDecode": "rl", "RL": "rl", "ASCIIHexDecode": "ahx", "AHx": "ahx",
            "ASCII85Decode": "a85", "A85": "a85"}
_OBJ = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+obj\b")
_STREAM = re.compile(rb"(?<!end)stream[ \t]*(?:\r\n|\n|\r)")
# The same matches found from their keyword: a pattern that opens with \d or a lookbehind is tried at
# every byte of the compressed data (several ms a file); a literal is searched for.
_OBJ_WORD = re.compile(rb"obj\b")
_OBJ_HEAD = re.compile(rb"(\d{1,10})\s+(\d{1,5})\s+\Z")
_STREAM_WORD = re.compile(rb"stream[ \t]*(?:\r\n|\n|\r)")


class _Found:
    """A match found by keyword: start, end and the two object numbers, as the regex match gives."""

    __slots__ = ("_start", "_end", "_groups")

    def __init__(self, start: int, end: int, groups: tuple[bytes, ...] = ()) -> None:
        self._start, self._end, self._groups = start, end, groups

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, i: int) -> bytes:
        return self._groups[i - 1]


def object_headers(data: bytes) -> list[_Found]:
    """The matches of ``_OBJ.finditer(data)``: "N G obj" headers, each found from its ``obj``."""
    out: list[_Found] = []
    last_end = 0
    for m in _OBJ_WORD.finditer(data):
        lo = max(last_end, m.start() - 40)  # 10 + 5 digits and the blanks between
        head = _OBJ_HEAD.search(data, lo, m.start())
        if (head is None or head.start() == lo) and lo > last_end and data[m.start() - 1:m.start()].isspace():
            lo = max(last_end, m.start() - (1 << 20))  # a longer run of blanks (rare): look further back
            head = _OBJ_HEAD.search(data, lo, m.start())
        if head is not None:
            out.append(_Found(head.start(), m.end(), (head.group(1), head.group(2))))
            last_end = m.end()
    return out


def stream_keywords(data: bytes) -> list[_Found]:
    """The matches of ``_STREAM.finditer(data)``: ``stream`` and its end of line, not ``endstream``."""
    return [_Found(m.start(), m.end()) for m in _STREAM_WORD.finditer(data) if data[max(0, m.start() - 3):m.start()] != b"end"]


_TOKEN = re.compile(rb"""\s*(?:%[^\r\n]*\s*)*(?:
    (?P<dict><<)|(?P<enddict>>>)|(?P<arr>\[)|(?P<endarr>\])|
    (?P<name>/[^\s/\[\]<>(){}%]*)|
    (?P<ref>\d+\s+\d+\s+R\b)|
    (?P<num>[+-]?(?:\d+\.?\d*|\.\d+))|
    (?P<str>\()|(?P<hex><[^<>]*>)|
    (?P<word>[A-Za-z]+))""", re.X)
_MAX_DEPTH = 64
_MAX_ITEMS = 100_000


class Bomb(Exception):
    """A stream inflates past its budget."""


class Ref(tuple):
    """An indirect reference (object number, generation)."""


def name_of(raw: bytes) -> str:
    """A name token without its slash, ``#xx`` escapes decoded (§7.3.5)."""
    return re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw[1:]).decode("latin-1")


def _skip_string(data: bytes, pos: int) -> int:
    """Past a literal string starting after its ``(``: balanced parentheses, backslash escapes."""
    depth = 1
    while pos < len(data) and depth:
        c = data[pos]
        if c == 0x5C:  # backslash
            pos += 2
            continue
        depth += (c == 0x28) - (c == 0x29)
        pos += 1
    return pos


def parse_value(data: bytes, pos: int, depth: int = 0) -> tuple[object, int]:
    """The object at ``pos``: dicts, arrays, names (str), numbers and references; strings as None."""
    m = _TOKEN.match(data, pos)
    if not m or depth > _MAX_DEPTH:
        return None, len(data)
    kind, end = m.lastgroup, m.end()
    if kind == "dict":
        out: dict[str, object] = {}
        while len(out) < _MAX_ITEMS:
            k = _TOKEN.match(data, end)
            if not k or k.lastgroup == "enddict":
                return out, (k.end() if k else len(data))
            if k.lastgroup != "name":  # malformed: skip the token
                _, end = parse_value(data, end, depth + 1)
                continue
            value, end = parse_value(data, k.end(), depth + 1)
            out[name_of(k.group("name"))] = value
        return out, end
    if kind == "arr":
        items: list[object] = []
        while len(items) < _MAX_ITEMS:
            k = _TOKEN.match(data, end)
            if not k or k.lastgroup == "endarr":
                return items, (k.end() if k else len(data))
            value, end = parse_value(data, end, depth + 1)
            items.append(value)
        return items, end
    if kind == "name":
        return name_of(m.group("name")), end
    if kind == "ref":
        num, gen, _ = m.group("ref").split()
        return Ref((int(num), int(gen))), end
    if kind == "num":
        return float(m.group("num")), end
    if kind == "str":
        return None, _skip_string(data, end)
    return None, end  # hex strings, true/false/null, stray ends


class _Objects:
    """Indirect objects by number: top level first, then those inside object streams (decoded lazily)."""

    def __init__(self, data: bytes, decode: Callable[[bytes, int, dict], bytes | None]) -> None:
        self.data, self.decode = data, decode
        headers = object_headers(data)
        self.starts = [m.start() for m in headers]  # in file order, for the header before a stream
        self.ends = [m.end() for m in headers]
        self.offsets = {int(m.group(1)): m.end() for m in headers}  # the last one wins, as in an update
        self.packed: dict[int, object] | None = None

    def get(self, ref: object, seen: frozenset = frozenset()) -> object:
        while isinstance(ref, Ref) and ref not in seen:
            seen = seen | {ref}
            num = ref[0]
            if num in self.offsets:
                ref = parse_value(self.data, self.offsets[num])[0]
            else:
                ref = self._packed().get(num)
        return None if isinstance(ref, Ref) else ref

    def _packed(self) -> dict[int, object]:
        if self.packed is None:
            self.packed = {}
            for m in stream_keywords(self.data):
                head = stream_dict(self.data, m.start(), self)
                if head and head.get("Type") == "ObjStm":
                    body = self.decode(self.data, m.end(), head)
                    if body:
                        self.packed.update(_objstm(body, head))
        return self.packed


def _objstm(body: bytes, head: dict) -> dict[int, object]:
    """The objects of an object stream (§7.5.7): N pairs (number, offset), offsets from /First."""
    try:
        n, first = int(head.get("N") or 0), int(head.get("First") or 0)
    except (TypeError, ValueError):
        return {}
    nums = body[:first].split()
    out = {}
    for i in range(0, min(2 * n, len(nums) - 1), 2):
        try:
            out[int(nums[i])] = parse_value(body, first + int(nums[i + 1]))[0]
        except ValueError:
            continue
    return out


def stream_dict(data: bytes, at: int, objects: _Objects) -> dict | None:
    """The dictionary of the stream whose keyword is at ``at``: the value of the object it belongs to."""
    i = bisect.bisect_left(objects.starts, at) - 1
    if i < 0:
        return None
    value, end = parse_value(data, objects.ends[i])
    return value if isinstance(value, dict) and end <= at + 1 else None


# --- bounded decoders: each returns at most ``cap + 1`` bytes (one more means "over") -----------------

def _flate(data: bytes, cap: int) -> bytes:
    d = zlib.decompressobj()
    out, size, pos = [], 0, 0
    try:
        while pos < len(data) and not d.eof and size <= cap:
            piece = d.decompress(data[pos:pos + 65536], cap - size + 1)
            pos += 65536
            while True:  # drain a chunk before reading more: output is bounded per call
                out.append(piece)
                size += len(piece)
                if size > cap or not d.unconsumed_tail or d.eof:
                    break
                piece = d.decompress(d.unconsumed_tail, cap - size + 1)
    except zlib.error:
        pass  # pdfium keeps what inflated before the damage
    return b"".join(out)


def _lzw(data: bytes, cap: int, early: int = 1) -> bytes:
    """LZW (§7.4.4) with the code width growing one code early by default (EarlyChange 1)."""
    parts: list[bytes] = []
    size = 0
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width, prev, buf, nbits = 9, b"", 0, 0
    for byte in data:
        buf, nbits = ((buf << 8) | byte) & 0xFFFFFF, nbits + 8
        while nbits >= width:
            nbits -= width
            code = (buf >> nbits) & ((1 << width) - 1)
            if code == 256:  # clear the table
                del table[258:]
                width, prev = 9, b""
                continue
            if code == 257:  # end of data
                return b"".join(parts)
            if code < len(table):
                entry = table[code]
            elif prev and code == len(table):
                entry = prev + prev[:1]
            else:
                return b"".join(parts)  # damaged: keep what came before, as pdfium does
            parts.append(entry)
            size += len(entry)
            if size > cap:
                return b"".join(parts)
            if prev and len(table) < 4096:
                table.append(prev + entry[:1])
            prev = entry
            if len(table) + early >= (1 << width) and width < 12:
                width += 1
    return b"".join(parts)


def _runlength(data: bytes, cap: int) -> bytes:
    parts: list[bytes] = []
    size = i = 0
    while i < len(data) and size <= cap:
        n = data[i]
        if n == 128:  # end of data
            break
        piece = data[i + 1:i + 2 + n] if n < 128 else data[i + 1:i + 2] * (257 - n)
        i += n + 2 if n < 128 else 2
        parts.append(piece)
        size += len(piece)
    return b"".join(parts)


def _asciihex(data: bytes, cap: int) -> bytes:
    end = data.find(b">")
    digits = re.sub(rb"[^0-9A-Fa-f]", b"", data[:end if end >= 0 else len(data)][:2 * cap + 4])
    return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())


def _ascii85(data: bytes, cap: int) -> bytes:
    import base64

    end = data.find(b"~>")
    body = re.sub(rb"\s", b"", data[:end if end >= 0 else len(data)])
    if body.startswith(b"<~"):
        body = body[2:]
    body = body[:cap + 8]  # 'z' is the densest code: 1 byte for 4, so this bounds the output by 4 × cap
    try:
        return base64.a85decode(body)[:cap + 1]
    except ValueError:
        return b""


_DECODERS: dict[str, Callable[[bytes, int], bytes]] = {
    "flate": _flate, "lzw": _lzw, "rl": _runlength, "ahx": _asciihex, "a85": _ascii85}


def _chain(filters: object, parms: object, objects: _Objects) -> list[tuple[str | None, dict]]:
    filters = objects.get(filters) if isinstance(filters, Ref) else filters
    parms = objects.get(parms) if isinstance(parms, Ref) else parms
    names = filters if isinstance(filters, list) else [filters] if filters is not None else []
    plist = parms if isinstance(parms, list) else [parms] * len(names)
    out = []
    for i, n in enumerate(names):
        n = objects.get(n) if isinstance(n, Ref) else n
        p = objects.get(plist[i]) if i < len(plist) and isinstance(plist[i], Ref) else (plist[i] if i < len(plist) else None)
        out.append((_FILTERS.get(n) if isinstance(n, str) else None, p if isinstance(p, dict) else {}))
    return out


def decode_stream(data: bytes, start: int, head: dict, objects: _Objects, cap: int) -> bytes | None:
    """The stream's data after every filter pdfium would apply, at most ``cap + 1`` bytes; None when a
    filter ends the chain before the data is decoded (an image codec, an unknown filter)."""
    chain = _chain(head.get("Filter", head.get("F")), head.get("DecodeParms", head.get("DP")), objects)
    body = memoryview(data)[start:]
    if not chain:
        return None  # raw data: its size is the file's, bounded by the file size limit
    out: bytes | memoryview = body
    for kind, parms in chain:
        if kind is None:
            return None
        if kind == "lzw":
            early = parms.get("EarlyChange", 1)
            out = _lzw(bytes(out), cap, 0 if early == 0 else 1)
        else:
            out = _DECODERS[kind](bytes(out) if kind != "flate" else out, cap)
        if len(out) > cap:
            raise Bomb()
    return bytes(out)


def _image_cap(head: dict, objects: _Objects) -> int:
    """Bytes an image's data can decode to (its dimensions say), with slack for row padding."""
    def num(key: str, default: float) -> float:
        v = objects.get(head.get(key)) if isinstance(head.get(key), Ref) else head.get(key, default)
        return float(v) if isinstance(v, float) else default

    cs = head.get("ColorSpace")
    comps = 4 if cs in ("DeviceCMYK",) else 3 if cs in ("DeviceRGB", "CalRGB", "Lab") or isinstance(cs, (list, Ref)) else 1
    bits = num("BitsPerComponent", 8)
    return int(num("Width", 0) * (num("Height", 0)) * comps * max(bits, 1) / 8 * 1.05) + 65536


def inflated_size(data: bytes, budget: int) -> int:
    """Bytes the non-image streams of a PDF decode to; raises :class:`Bomb` past ``budget`` (or an
    image stream past what its dimensions allow)."""
    total = 0

    def decode_for_objstm(d: bytes, start: int, head: dict) -> bytes | None:
        try:
            return decode_stream(d, start, head, objects, budget)
        except Bomb:
            return None  # counted (and refused) where the stream itself is measured

    objects = _Objects(data, decode_for_objstm)
    for m in stream_keywords(data):
        head = stream_dict(data, m.start(), objects)
        if head is None:
            continue
        subtype = objects.get(head["Subtype"]) if isinstance(head.get("Subtype"), Ref) else head.get("Subtype")
        if subtype == "Image":
            decode_stream(data, m.end(), head, objects, min(budget, _image_cap(head, objects)))
            continue
        out = decode_stream(data, m.end(), head, objects, budget - total)
        total += len(out or b"")
    return total
