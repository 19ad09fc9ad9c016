"""How `textmine recurring` scales: every tracking frame (recurring + null model, promises, repeated text,
clause reuse, copy chains, families, timeline, evidence) on synthetic statement frames of growing size.

    python benchmarks/run.py --recurring             # 2,500 and 10,000 reports (about two minutes)
    python benchmarks/recurring_scaling.py 1000 4000 # any sizes

Each size runs in a fresh process, so its peak RSS is its own. Statements are distinct random text (CJK
characters in clauses), with what real corpora have: 30% of statements carried over from the agency's
previous report, 10% drawn from 60 boilerplate sentences every agency uses.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, resource, sys, time
import numpy as np
import pandas as pd
sys.path.insert(0, sys.argv[2])
from textmine.tracking import track

n = int(sys.argv[1])
rng = np.random.default_rng(0)
themes = ["awareness", "institutions", "oversight", "staffing", "timeliness", "coverage", "standardization",
          "interpretation", "engagement", "requests", "platforms", "accessibility", "security"]

def sentence():
    parts = ["".join(chr(c) for c in rng.integers(0x4E00, 0x9FA5, rng.integers(8, 18))) for _ in range(rng.integers(2, 4))]
    return "，".join(parts) + "。"

pool = [sentence() for _ in range(60)]
years = list(range(2016, 2024))
rows, docs, last = [], [], {}
for i in range(n):
    agency, year = f"ag{i // len(years)}", years[i % len(years)]
    doc = f"d{i}"
    docs.append({"doc_id": doc, "path": f"/r/{doc}.txt", "agency": agency, "agency_id": agency, "year": year,
                 "level": ["county", "city"][(i // len(years)) % 2], "template": "2021" if year >= 2021 else "2019"})
    prev = last.get(agency, [])
    texts = []
    for k in range(8):
        u = rng.random()
        texts.append(prev[k] if u < 0.3 and k < len(prev) else pool[rng.integers(len(pool))] if u < 0.4 else sentence())
    last[agency] = texts
    for k, t in enumerate(texts):
        rows.append({"doc_id": doc, "agency": agency, "agency_id": agency, "year": year, "level": docs[-1]["level"],
                     "statement_id": f"s{k + 1}", "order": k, "role": "problem" if k < 4 else "measure", "text": t,
                     "themes": list(rng.choice(themes, size=rng.integers(1, 3), replace=False))})
st, dd = pd.DataFrame(rows), pd.DataFrame(docs)
t0 = time.perf_counter()
t = track(st, dd)
secs = time.perf_counter() - t0
print(json.dumps({"reports": n, "statements": len(st), "seconds": round(secs, 2),
                  "peak_rss_mb": round(int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024),
                  "recurring": len(t.recurring), "promises": len(t.promises), "repeated": len(t.repeated),
                  "copies": len(t.copies), "families": int(t.families["family_id"].nunique()) if len(t.families) else 0}))
"""


def measure(n: int) -> dict:
    p = subprocess.run([sys.executable, "-c", _CHILD, str(n), str(ROOT)], capture_output=True, text=True, cwd=ROOT)
    if p.returncode:
        return {"reports": n, "error": (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]}
    return json.loads(p.stdout)


def scaling(sizes: tuple[int, ...] = (2500, 10000)) -> dict:
    """Seconds and peak RSS per size, and the time ratio of the largest to the smallest."""
    runs = [measure(n) for n in sizes]
    out: dict = {"runs": runs}
    ok = [r for r in runs if "seconds" in r]
    if len(ok) >= 2:
        out["size_ratio"] = round(ok[-1]["reports"] / ok[0]["reports"], 2)
        out["time_ratio"] = round(ok[-1]["seconds"] / max(ok[0]["seconds"], 1e-9), 2)
    return out


if __name__ == "__main__":
    sizes = tuple(int(a) for a in sys.argv[1:]) or (2500, 10000)
    print(json.dumps(scaling(sizes), indent=2))
