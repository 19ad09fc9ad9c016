"""Regenerate textmine/data/t2s_chars.txt: every character that OpenCC t2s changes on its own.

The detector in textmine.script reads this list instead of importing OpenCC, so a simplified
report never loads the converter. Run after upgrading ``opencc``:
``python scripts/gen_t2s_chars.py``; tests/test_script.py checks the file is current.
"""

from __future__ import annotations

from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "textmine" / "data" / "t2s_chars.txt"
# CJK Unified Ideographs + Extension A + Compatibility Ideographs: where t2s can change anything.
RANGES = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF)]


def changed_chars() -> str:
    import opencc

    cc = opencc.OpenCC("t2s")
    chars = [chr(c) for lo, hi in RANGES for c in range(lo, hi + 1)]
    # One call; newline-separated so no phrase can match across two characters.
    out = cc.convert("\n".join(chars)).split("\n")
    assert len(out) == len(chars)
    return "".join(c for c, o in zip(chars, out) if o != c)


def main() -> None:
    chars = changed_chars()
    lines = [chars[i:i + 64] for i in range(0, len(chars), 64)]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(chars)} characters -> {OUT}")


if __name__ == "__main__":
    main()
