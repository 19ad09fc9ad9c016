"""What the traditional-script step (textmine.script) costs: per simplified and per traditional report.

    python benchmarks/script_cost.py            # sample corpus, plus ../shared seed and real-dev if present

For each simplified file: load time with the script step and the step alone (detection + pinyin search
on the loaded document). For its OpenCC s2t copy: load time (two loads + conversion + alignment).
Figures in docs/script.md.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from traditional import write_traditional  # noqa: E402

from textmine import script  # noqa: E402
from textmine.loaders import FORMATS, _loader, load_document  # noqa: E402


def best(fn, n: int = 5) -> float:
    """Best of n wall times in ms (the machine is shared: the minimum is the least noisy)."""
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return min(out)


def main() -> None:
    files = sorted(p for p in (ROOT / "corpus").iterdir() if p.suffix in {".txt", ".html", ".docx"})
    shared = ROOT.parent / "shared"
    dev = sorted((shared / "real-dev").glob("*.txt"))
    seed = shared / "seed" / "changle-natural-resources-2023.txt"
    imp = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); import opencc; "
                          "a=time.perf_counter(); opencc.OpenCC('t2s').convert('測試'); "
                          "print((a-t)*1000, (time.perf_counter()-a)*1000)"],
                         capture_output=True, text=True, check=True).stdout.split()
    print(f"opencc import {float(imp[0]):.0f} ms, t2s init {float(imp[1]):.0f} ms (once per process)")
    step, rows = [], []
    for p in dev + ([seed] if seed.exists() else []):
        raw = _loader("txt")(str(p), p.read_bytes())
        step.append(best(lambda raw=raw: script.normalize_document(raw, traditional=script.is_traditional(raw.text))))
    print(f"script step on {len(step)} simplified real-dev/seed documents: median {statistics.median(step):.2f} ms, "
          f"max {max(step):.2f} ms")
    load_document(files[0])  # warm imports
    with tempfile.TemporaryDirectory() as tmp:
        for p in files:
            fmt = FORMATS[p.suffix]
            raw = _loader(fmt)(str(p), p.read_bytes())
            t_step = best(lambda raw=raw: script.normalize_document(raw, traditional=script.is_traditional(raw.text)))
            t_plain = best(lambda p=p, fmt=fmt: _loader(fmt)(str(p), p.read_bytes()))
            t_simp = best(lambda p=p: load_document(p))
            trad = write_traditional(p, Path(tmp))
            t_trad = best(lambda trad=trad: load_document(trad))
            rows.append((p.name, len(raw.text), t_plain, t_step, t_simp, t_trad))
    print(f"{'file':38} {'chars':>6} {'loader':>8} {'step':>6} {'simp':>8} {'trad':>8}  (ms)")
    for name, n, a, s, b, c in rows:
        print(f"{name:38} {n:6d} {a:8.1f} {s:6.2f} {b:8.1f} {c:8.1f}")
    ratio = [c / a for *_, a, _s, _b, c in rows]
    print(f"traditional / simplified load: median {statistics.median(ratio):.2f}x")


if __name__ == "__main__":
    main()
