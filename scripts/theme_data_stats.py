"""Summarise the labeled theme data: counts, roles, lengths, themes per statement, theme distribution and
near-duplicates (character-bigram Jaccard, the measure tests/test_theme_data.py uses).

    python scripts/theme_data_stats.py [--from-line N] [--dups]

--from-line N restricts the summary to lines N.. of each file (e.g. the statements added for issue #14).
"""
from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "textmine" / "data" / "themes"
PREFIX = re.compile(r"^(（[一二三四五六七八九十\d]+）|[一二三四五六七八九十]是|第[一二三四五六]，|首先，|其次，|\d+[.、．])")


def normalise(text: str) -> str:
    return re.sub(r"[\s，。；：、！？,.;:!?\"“”（）()]", "", PREFIX.sub("", text.strip()))


def bigrams(text: str) -> set[str]:
    t = normalise(text)
    return {t[i:i + 2] for i in range(len(t) - 1)}


def summary(name: str, rows: list[dict]) -> None:
    n = len(rows)
    if not n:
        print(f"== {name}: no statements")
        return
    lengths = sorted(len(r["text"]) for r in rows)
    roles = Counter(r["role"] for r in rows)
    k = Counter(len(r["themes"]) for r in rows)
    themes = Counter(t for r in rows for t in r["themes"])
    bands = Counter("<25" if x < 25 else "25-80" if x <= 80 else "81-200" for x in lengths)
    print(f"== {name}: {n} statements")
    print("  roles:", {r: f"{c} ({c / n:.0%})" for r, c in roles.most_common()})
    print(f"  length: mean {sum(lengths) / n:.1f}, median {lengths[n // 2]}, bands",
          {b: f"{c / n:.0%}" for b, c in sorted(bands.items())})
    print(f"  themes/statement: mean {sum(len(r['themes']) for r in rows) / n:.2f},",
          {f"{m} themes": f"{c / n:.0%}" for m, c in sorted(k.items())})
    print("  themes:", ", ".join(f"{t} {c}" for t, c in themes.most_common()))
    markers = sum(bool(PREFIX.match(r["text"])) for r in rows)
    print(f"  enumeration markers: {markers / n:.0%}; 下一步/将 measures:",
          sum(r["role"] == "measure" and ("下一步" in r["text"] or "将" in r["text"][:12]) for r in rows))


def near_duplicates(rows: list[dict], threshold: float = 0.8) -> list[tuple[float, str, str]]:
    grams = [bigrams(r["text"]) for r in rows]
    out = []
    for i in range(len(rows)):
        for j in range(i):
            a, b = grams[i], grams[j]
            if a and b and len(a & b) / len(a | b) > threshold:
                out.append((round(len(a & b) / len(a | b), 2), rows[j]["text"], rows[i]["text"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from-line", type=int, default=1, help="first line of train.jsonl to summarise")
    ap.add_argument("--eval-from-line", type=int, default=1, help="first line of eval.jsonl to summarise")
    ap.add_argument("--dups", action="store_true", help="list near-duplicates (Jaccard > 0.8) within each file")
    args = ap.parse_args()
    for name in ("train", "eval"):
        rows = [json.loads(line) for line in open(DATA / f"{name}.jsonl", encoding="utf-8")]
        start = args.from_line if name == "train" else args.eval_from_line
        summary(name, rows[start - 1:])
        if args.dups:
            exact = [t for t, c in Counter(normalise(r["text"]) for r in rows).items() if c > 1]
            near = near_duplicates(rows)
            print(f"  exact duplicates: {len(exact)}; near-duplicates (>0.8): {len(near)}")
            for x in near[:20]:
                print("   ", *x)


if __name__ == "__main__":
    main()
