"""Throughput and memory of every stage, measured on a corpus replicated from the bundled sample corpus.

    python benchmarks/run.py --quick          # about a minute; CI-friendly
    python benchmarks/run.py --reports 10000  # the full ingest target
    python benchmarks/run.py --json           # machine-readable; always written to benchmarks/results.json
    python benchmarks/run.py --recurring      # only `recurring` at 2,500 and 10,000 reports (recurring_scaling.py)
    python benchmarks/run.py --startup        # only the start-up of `textmine parse` against `import pandas`

Ratios are against baselines run in the same process (a plain regex section/table splitter of the kind
other parsers of these reports use; the rule tagger alone for themes), since the machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textmine.loaders import FORMATS, load_document  # noqa: E402  (FORMATS: suffix -> format, from LOADERS)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def replicate(src: Path, dest: Path, n: int, formats: set[str] | None = None) -> list[Path]:
    """Copy the sample corpus round-robin until ``n`` files exist; each copy differs (so hashes differ)."""
    files = sorted(p for p in src.iterdir() if p.suffix.lower() in FORMATS and
                   (formats is None or FORMATS[p.suffix.lower()] in formats))
    out = []
    for i in range(n):
        f = files[i % len(files)]
        target = dest / f"{f.stem}-{i:05d}{f.suffix}"
        data = f.read_bytes()
        fmt = FORMATS[f.suffix.lower()]
        if fmt in ("txt", "md"):
            data = data + f"\n\n<!-- copy {i} -->\n".encode() if fmt == "md" else data + f"\n{i}\n".encode()
        elif fmt == "html":
            data = data + f"<!-- copy {i} -->".encode()
        elif fmt == "pdf":  # bytes after %%EOF are ignored by readers
            data = data + f"\n%copy {i}\n".encode()
        else:  # docx: a zip comment makes each copy distinct
            import io
            import zipfile

            buf = io.BytesIO()
            with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zout:
                for item in zin.infolist():
                    zout.writestr(item, zin.read(item.filename))
                zout.comment = f"copy {i}".encode()
            data = buf.getvalue()
        target.write_bytes(data)
        out.append(target)
    return out


def timed(fn, items):
    t = time.perf_counter()
    out = [fn(x) for x in items]
    return out, time.perf_counter() - t


# --- the baseline: a plain regex splitter (headings 一、…六、 and numbers after row labels) -------------

_BASE_HEAD = re.compile(r"^\s*([一二三四五六])、(.*)$", re.M)
_BASE_NUM = re.compile(r"(本年新收政府信息公开申请数量|上年结转政府信息公开申请数量|（七）总计|结转下年度继续办理)\D*((?:\d+\s*){7})")


def baseline_sections_tables(text: str) -> dict:
    heads = list(_BASE_HEAD.finditer(text))
    sections = {m.group(1): text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
                for i, m in enumerate(heads)}
    rows = {m.group(1): [int(x) for x in m.group(2).split()] for m in _BASE_NUM.finditer(text)}
    return {"sections": sections, "rows": rows}


# OCR in a process of its own: its peak memory is the engine's, not the benchmark's; CPU time, not wall
# time, makes pages/s per core (the machines are shared).
_OCR_CODE = """
import json, resource, sys, time
from textmine.loaders import load_bytes
from textmine.loaders import ocr
data = open(sys.argv[1], "rb").read()
t0 = time.process_time(); ocr.engine(); load = time.process_time() - t0
w0, t0 = time.perf_counter(), time.process_time()
doc = load_bytes(data, "pdf", "scan.pdf")
cpu, wall = time.process_time() - t0, time.perf_counter() - w0
pages = int(doc.extra["ocr_pages"])
print(json.dumps({"pages": pages, "dpi": ocr.OCR_DPI, "engine_load_cpu_s": round(load, 2),
                  "cpu_seconds": round(cpu, 2), "wall_seconds": round(wall, 2),
                  "pages_per_s_per_core": round(pages / cpu, 3), "mean_confidence": float(doc.extra["ocr_confidence"]),
                  "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))
"""


def ocr_stage() -> dict:
    """OCR throughput and memory on the committed scan fixture (3 pages: prose, table 2, tables 3-4)."""
    scan = ROOT / "tests" / "fixtures" / "scan" / "wuhu-city-gov-2023-scan.pdf"
    env = dict(os.environ, OMP_NUM_THREADS="1")
    p = subprocess.run([sys.executable, "-c", _OCR_CODE, str(scan)], capture_output=True, text=True, env=env,
                       cwd=ROOT)
    if p.returncode:
        return {"error": p.stderr.strip().splitlines()[-1] if p.stderr.strip() else f"exit {p.returncode}"}
    return json.loads(p.stdout)


def _child_cpu(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds, wall seconds) of one run of ``cmd`` (user + system, from the reaped child's rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, capture_output=True, check=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


STARTUP_TARGET = 1.5  # parse start-up CPU at most 1.5 x that of `import pandas` (issue 16)


def startup_stage(runs: int = 7) -> dict:
    """CPU of `textmine parse FILE --json` (themes included) against `python -c "import pandas"`, the two
    run alternately in this run so that the machine's load affects both alike; medians of ``runs``.
    One warm-up run of each first: it writes the bytecode and builds the user cache (textmine/cache.py)
    once, as any first use does. PYTHONDONTWRITEBYTECODE is dropped for the children, so an editable
    install gets bytecode as an installed one has."""
    exe = shutil.which("textmine")
    parse = ([exe] if exe else [sys.executable, "-m", "textmine"]) + [
        "parse", str(ROOT / "corpus" / "wuhu-city-gov-2024.txt"), "--json"]
    pandas = [sys.executable, "-c", "import pandas"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory() as empty:  # the very first parse: it builds the cache
        cold = _child_cpu(parse, {**env, "TEXTMINE_CACHE_DIR": empty})[0]
    _child_cpu(parse, env)
    _child_cpu(pandas, env)
    p_cpu, p_wall, b_cpu, b_wall = [], [], [], []
    for _ in range(runs):
        c, w = _child_cpu(parse, env)
        p_cpu.append(c)
        p_wall.append(w)
        c, w = _child_cpu(pandas, env)
        b_cpu.append(c)
        b_wall.append(w)
    med = statistics.median
    ratio = med(p_cpu) / med(b_cpu)
    return {"runs": runs, "parse_cpu_s": round(med(p_cpu), 3), "import_pandas_cpu_s": round(med(b_cpu), 3),
            "parse_over_pandas_cpu": round(ratio, 2), "target": STARTUP_TARGET, "within_target": ratio <= STARTUP_TARGET,
            "parse_wall_s": round(med(p_wall), 3), "import_pandas_wall_s": round(med(b_wall), 3),
            "cold_cache_parse_cpu_s": round(cold, 3)}


def _startup_only(args: argparse.Namespace) -> None:
    """--startup: measure only that, and update its entry in results.json (the other stages stay)."""
    path = ROOT / "benchmarks" / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"stages": {}}
    results["stages"]["startup"] = r = startup_stage()
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        print("  startup " + "  ".join(f"{k}={v}" for k, v in r.items()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    ap.add_argument("--reports", type=int, default=None, help="reports for the store ingest (default 10000, quick 400)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--ocr", action="store_true", help="also OCR the scan fixture (needs textmine[ocr]; ~30 s)")
    ap.add_argument("--recurring", action="store_true",
                    help="only the `recurring` scaling (2,500 vs 10,000 synthetic reports; benchmarks/recurring_scaling.py)")
    ap.add_argument("--startup", action="store_true",
                    help="only the parse start-up against `import pandas` (about 30 s); updates results.json")
    args = ap.parse_args()
    if args.recurring:
        from benchmarks.recurring_scaling import scaling

        print(json.dumps(scaling(), indent=2))
        return
    if args.startup:
        _startup_only(args)
        return
    n_text = 120 if args.quick else 600
    n_pdf = 12 if args.quick else 60
    n_ingest = args.reports or (400 if args.quick else 10000)

    from textmine.meta import extract_meta
    from textmine.sections import segment
    from textmine.statements import extract_statements
    from textmine.tables import parse_tables
    from textmine.themes import RuleTagger, get_classifier
    from textmine.validate import check_report

    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "cpus": os.cpu_count()}, "quick": args.quick, "stages": {}}
    tmp = Path(tempfile.mkdtemp(prefix="textmine-bench-"))
    try:
        corpus = ROOT / "corpus"
        # Load per format.
        by_fmt: dict[str, list[Path]] = {}
        for fmt in ("txt", "html", "docx", "md", "pdf"):
            d = tmp / fmt
            d.mkdir()
            n = n_pdf if fmt == "pdf" else max(10, n_text // 4)
            srcs = corpus
            if fmt == "md":  # the sample corpus has no Markdown: render the text reports as pipe-table-free md
                srcs = tmp / "md-src"
                srcs.mkdir()
                for p in corpus.glob("*.txt"):
                    (srcs / (p.stem + ".md")).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
            by_fmt[fmt] = replicate(srcs, d, n, {fmt})
        real = ROOT.parent / "shared" / "real"
        if real.is_dir() and list(real.glob("*.pdf")):
            # The real reports embed their fonts; the sample corpus's PDFs do not (see docs/performance.md).
            d = tmp / "pdf_real"
            d.mkdir()
            by_fmt["pdf_real"] = replicate(real, d, n_pdf, {"pdf"})
        docs = {}
        for fmt, files in by_fmt.items():
            mb = sum(p.stat().st_size for p in files) / 1e6
            docs[fmt], secs = timed(load_document, files)
            results["stages"][f"load_{fmt}"] = {"reports": len(files), "seconds": round(secs, 3),
                                                "reports_per_s": round(len(files) / secs, 1),
                                                "mb_per_s": round(mb / secs, 2)}
        all_docs = [d for fmt in ("txt", "html", "docx", "md") for d in docs[fmt]]
        segs, secs = timed(lambda d: (segment(d), d), all_docs)
        metas, secs_m = timed(lambda sd: extract_meta(sd[1], sd[0]), segs)
        results["stages"]["sections_meta"] = {"reports": len(all_docs), "seconds": round(secs + secs_m, 3),
                                              "reports_per_s": round(len(all_docs) / (secs + secs_m), 1)}

        def tables(sd):
            s = sd[0]
            parsed = parse_tables({k: v.blocks for k, v in s.sections.items()})
            return check_report(parsed.tables, {k: v.text for k, v in s.sections.items()})

        _, secs_t = timed(tables, segs)
        results["stages"]["tables_validate"] = {"reports": len(segs), "seconds": round(secs_t, 3),
                                                "reports_per_s": round(len(segs) / secs_t, 1)}
        # Same-run baseline on the same documents' text.
        texts = [d.text for d in all_docs]
        _, secs_b = timed(baseline_sections_tables, texts)
        ours = secs + secs_m + secs_t
        results["stages"]["baseline_regex_sections_tables"] = {
            "reports": len(texts), "seconds": round(secs_b, 3), "reports_per_s": round(len(texts) / secs_b, 1),
            "textmine_over_baseline_time": round(ours / secs_b, 1)}
        # jieba/spaCy start-up is once per process, not per report: warm up on a real section first.
        for sd in segs[:3]:
            if "problems" in sd[0].sections:
                extract_statements(sd[0].sections["problems"].paragraphs, year=2023)
        sts, secs_s = timed(lambda sd: extract_statements(
            sd[0].sections["problems"].paragraphs if "problems" in sd[0].sections else [], year=None), segs)
        n_st = sum(len(x) for x in sts)
        results["stages"]["statements"] = {"reports": len(segs), "statements": n_st, "seconds": round(secs_s, 3),
                                           "reports_per_s": round(len(segs) / secs_s, 1),
                                           "statements_per_s": round(n_st / secs_s, 1)}
        # Themes: the classifier against the rule tagger, on the same statements (repeated to at least 20k).
        st_texts = [s.text for x in sts for s in x] or ["政策解读形式单一。"]
        st_texts = (st_texts * (20000 // len(st_texts) + 1))[:20000]
        t0 = time.perf_counter()
        clf = get_classifier()
        load_s = time.perf_counter() - t0
        clf.predict(st_texts[:100])
        _, secs_c = timed(lambda xs: clf.predict(xs), [st_texts])
        tagger = RuleTagger()
        _, secs_r = timed(lambda xs: tagger.predict(xs), [st_texts])
        results["stages"]["themes"] = {"statements": len(st_texts), "model_load_seconds": round(load_s, 2),
                                       "classifier_statements_per_s": round(len(st_texts) / secs_c, 0),
                                       "rules_statements_per_s": round(len(st_texts) / secs_r, 0),
                                       "classifier_over_rules_time": round(secs_c / secs_r, 2)}
        # End to end, one process, text reports and PDFs (themes included).
        from textmine.report import load_report

        for fmt in [f for f in ("txt", "pdf", "pdf_real") if f in by_fmt]:
            files = by_fmt[fmt][: (40 if fmt == "txt" else n_pdf)]
            _, secs_e = timed(load_report, files)
            results["stages"][f"end_to_end_{fmt}"] = {"reports": len(files), "seconds": round(secs_e, 3),
                                                      "reports_per_s_per_core": round(len(files) / secs_e, 1)}
        # Store ingest with worker processes.
        ingest = tmp / "ingest"
        ingest.mkdir()
        replicate(corpus, ingest, n_ingest, {"txt", "html", "docx"})
        store = tmp / "store.duckdb"
        t0 = time.perf_counter()
        p = subprocess.run([sys.executable, "-c",
                            "import sys, resource; from textmine.ingest import ingest;"
                            f"r = ingest({str(ingest)!r}, store={str(store)!r}, progress=False);"
                            "print(r['reports'], len(r['failed']));"
                            "r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
                            "k = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss;"
                            "print(r, k)"], capture_output=True, text=True, cwd=ROOT)
        secs_i = time.perf_counter() - t0
        lines = p.stdout.split("\n")
        if p.returncode != 0:
            results["stages"]["ingest"] = {"error": p.stderr[-500:]}
        else:
            n_ok, n_fail = map(int, lines[0].split())
            rss_self, rss_child = (int(x) / 1024 for x in lines[1].split())
            results["stages"]["ingest"] = {"reports": n_ok, "failed": n_fail, "seconds": round(secs_i, 1),
                                           "reports_per_s": round(n_ok / secs_i, 1),
                                           "peak_rss_mb_parent": round(rss_self), "peak_rss_mb_worker": round(rss_child)}
        # CLI start-up.
        exe = shutil.which("textmine")
        cmd = [exe] if exe else [sys.executable, "-m", "textmine"]
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run(cmd + ["--help"], capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        results["stages"]["cli_help"] = {"median_seconds": round(statistics.median(times), 3)}
        results["stages"]["startup"] = startup_stage()
        if args.ocr:
            results["stages"]["ocr_scan"] = ocr_stage()
        results["peak_rss_mb_benchmark"] = round(peak_rss_mb())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
        return
    print(f"textmine benchmark ({'quick' if args.quick else 'full'}) on {results['machine']['platform']}, "
          f"{results['machine']['cpus']} cpus")
    for name, r in results["stages"].items():
        print(f"  {name:34s} " + "  ".join(f"{k}={v}" for k, v in r.items()))
    print(f"  peak RSS of the benchmark process: {results['peak_rss_mb_benchmark']} MB")


if __name__ == "__main__":
    main()
