"""The measured part of docs/performance.md, written from benchmarks/results.json (and only from it).

    python benchmarks/report.py          # rewrite the part between the markers in docs/performance.md
    python benchmarks/report.py --check  # exit 1 when the doc does not say what results.json holds

tests/test_performance_docs.py runs the check, so the doc cannot drift from the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results.json"
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- results.json: begin (benchmarks/report.py writes this part) -->"
END = "<!-- results.json: end -->"
FORMATS = ("txt", "html", "docx")
STAGES = ("floor_raw_loader", "floor_regex_sections_tables", "load", "sections", "meta", "tables_validate",
          "statements", "themes_per_report", "themes_batched", "end_to_end_no_themes", "end_to_end_full")


def _row(cells: list[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "met" if ok else "**missed**"


def _stage_table(st: dict) -> list[str]:
    lines = [_row(["stage (ms per report)", *FORMATS]), _row(["---"] * (1 + len(FORMATS)))]
    for name in STAGES:
        lines.append(_row([name.replace("_", " "), *(st.get(f"{f}_{name}", {}).get("ms_per_report", "")
                                                      for f in FORMATS)]))
    lines.append(_row(["full parse over the floor (×)", *(st.get(f"{f}_end_to_end_full", {}).get("over_floor", "")
                                                         for f in FORMATS)]))
    lines.append(_row(["without themes over the floor (×)",
                       *(st.get(f"{f}_end_to_end_no_themes", {}).get("over_floor", "") for f in FORMATS)]))
    return lines


def _scaling(st: dict) -> list[str]:
    ing = st.get("ingest_scaling", {})
    lines = [f"Ingest with 2 workers into a fresh store; the model is the in-process parse time "
             f"of the same corpus ({ing.get('parse_ms_per_report_in_process')} ms a report, full parse, "
             f"txt and html copies) / 2 workers + 5 s.", "",
             _row(["reports", "wall s", "model s", "wall / model", "peak RSS parent MB", "peak RSS worker MB", "failed"]),
             _row(["---"] * 7)]
    for r in ing.get("runs", []):
        lines.append(_row([r.get("size"), r.get("seconds", r.get("error")), r.get("model_seconds", ""),
                           r.get("over_model", ""), r.get("peak_rss_mb_parent", ""), r.get("peak_rss_mb_worker", ""),
                           r.get("failed", "")]))
    rec = st.get("recurring_scaling", {})
    lines += ["", "`recurring` (every tracking frame) on synthetic statement frames "
              "(benchmarks/recurring_scaling.py), each size in a process of its own:", "",
              _row(["reports", "statements", "seconds", "peak RSS MB"]), _row(["---"] * 4)]
    for r in rec.get("runs", []):
        lines.append(_row([r.get("reports"), r.get("statements", ""), r.get("seconds", r.get("error")),
                           r.get("peak_rss_mb", "")]))
    return lines


def _targets(st: dict) -> list[str]:
    full = st.get("txt_end_to_end_full", {})
    runs = {r.get("size"): r for r in st.get("ingest_scaling", {}).get("runs", [])}
    big = runs.get(max(runs)) if runs else {}
    rec = st.get("recurring_scaling", {})
    rec_runs = rec.get("runs", [])
    warm = st.get("warm_stats", {})
    peer = st.get("txt_peer", {})
    over = [r.get("over_model") for r in runs.values() if r.get("over_model") is not None]

    def ok(v, limit):
        return None if v is None else v <= limit

    rows = [
        ("full parse ≤ 6× the peer", f"{peer['full_over_peer']}×" if peer.get("available") else "peer not installed",
         ok(peer.get("full_over_peer"), 6)),
        ("without themes ≤ 4× the peer (goal ≤ 2×)",
         f"{peer['no_themes_over_peer']}×" if peer.get("available") else "peer not installed",
         ok(peer.get("no_themes_over_peer"), 4)),
        ("full parse, over the regex floor (same texts)", f"{full.get('over_floor')}×", None),
        ("ingest wall ≤ 1.5 × model", ", ".join(f"{r.get('size')}: {r.get('over_model')}×" for r in runs.values()),
         ok(max(over), 1.5) if over else None),
        (f"{big.get('size')} reports < 180 s", big.get("seconds"), ok(big.get("seconds"), 180) if big else None),
        ("peak RSS < 1,024 MB, parent / worker", f"{big.get('peak_rss_mb_parent')} / {big.get('peak_rss_mb_worker')}",
         ok(max(big.get("peak_rss_mb_parent", 1e9), big.get("peak_rss_mb_worker", 1e9)), 1024) if big else None),
        (f"warm `stats` on {warm.get('reports')} < 10 s and < 1,024 MB", f"{warm.get('seconds')} s, {warm.get('peak_rss_mb')} MB",
         (warm.get("seconds", 1e9) < 10 and warm.get("peak_rss_mb", 1e9) < 1024) if "seconds" in warm else None),
    ]
    if len(rec_runs) >= 2 and all("seconds" in r for r in rec_runs):
        small = next((r for r in rec_runs if r["reports"] * 4 in {x["reports"] for x in rec_runs}), None)
        if small:
            large = next(r for r in rec_runs if r["reports"] == 4 * small["reports"])
            ratio = round(large["seconds"] / small["seconds"], 2)
            rows.append((f"`recurring` {small['reports']} → {large['reports']} ≤ 6× the time", f"{ratio}×", ratio <= 6))
        top = rec_runs[-1]
        rows.append((f"`recurring` at {top['reports']} < 1,024 MB", top.get("peak_rss_mb"), top.get("peak_rss_mb", 1e9) < 1024))
    lines = [_row(["target (issue 17)", "measured", ""]), _row(["---"] * 3)]
    lines += [_row([t, m, _verdict(v)]) for t, m, v in rows]
    return lines


def _peer_line(peer: dict) -> list[str]:
    if not peer.get("available"):
        return [f"The peer parser: {peer.get('reason', 'not measured')}."]
    return ["", f"The peer parser (govnianbao, from {peer.get('source', '?')}, in the same process on the same "
            f"text reports): {peer['ms_per_report']} ms a report (raw loader + its parse; its parse alone "
            f"{peer['parse_only_ms']} ms, sections only {peer['sections_only_ms']} ms). textmine's full parse is "
            f"{peer['full_over_peer']}× that, without themes {peer['no_themes_over_peer']}×."]


def render(results: dict) -> str:
    st = results["stages"]
    m = results["machine"]
    lines = [BEGIN, "",
             f"Run of {results.get('date', '?')} (`python benchmarks/run.py{' --quick' if results.get('quick') else ''}`), "
             f"Python {m['python']}, {m['cpus']} CPUs, on a machine that may be shared with other jobs: absolute times are rough, "
             "ratios of timings in the same run are the comparison.",
             f"Corpus: {results.get('corpus', '?')}.", "",
             "### Parse stages", "", *_stage_table(st), "",
             "The floor is the raw loader (read and decode; HTML: lxml's text of the tree; docx: the text runs) "
             "plus a regex splitter (headings 一、…六、, table rows by number order) on its text.",
             *_peer_line(st.get("txt_peer", {}))]
    if "pdf_real_end_to_end_full" in st:
        p = st["pdf_real_end_to_end_full"]
        lines += ["", f"Real PDFs, full parse: {p['ms_per_report']} ms a report ({p['reports']} reports)."]
    lines += ["", "### Scaling", "", *_scaling(st)]
    if "warm_stats" in st:
        w = st["warm_stats"]
        lines += ["", f"Warm `textmine stats` on the {w.get('reports')}-report store (nothing to parse): "
                  f"{w.get('seconds')} s, peak RSS {w.get('peak_rss_mb')} MB."]
    lines += ["", "### Against the targets", "", *_targets(st)]
    if "startup" in st:
        s = st["startup"]
        lines += ["", f"Start-up: `textmine parse FILE --json` takes {s['parse_cpu_s']} CPU-s against "
                  f"{s['import_pandas_cpu_s']} for `import pandas` ({s['parse_over_pandas_cpu']}×, target "
                  f"{s['target']}); `textmine --help` {st.get('cli_help', {}).get('median_seconds')} s."]
    lines += ["", END]
    return "\n".join(lines)


def _split(doc: str) -> tuple[str, str, str]:
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"{DOC}: the markers of the measured part are missing")
    head, rest = doc.split(BEGIN, 1)
    body, tail = rest.split(END, 1)
    return head, BEGIN + body + END, tail


def main() -> int:
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    doc = DOC.read_text(encoding="utf-8")
    head, body, tail = _split(doc)
    want = render(results)
    if "--check" in sys.argv:
        if body != want:
            print("docs/performance.md does not match benchmarks/results.json: run python benchmarks/report.py")
            return 1
        return 0
    DOC.write_text(head + want + tail, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
