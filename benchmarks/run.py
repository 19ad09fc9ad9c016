"""Time and memory of every stage, on a corpus of distinct texts made at run time (benchmarks/distinct.py)
from the real reports in ../shared when present (else the bundled sample corpus).

    python benchmarks/run.py --quick             # small sizes, a few minutes
    python benchmarks/run.py                     # stages, then ingest at 1,000 / 4,000 / 10,000 reports,
                                                 # warm `stats` at the largest, `recurring` at the same sizes
    python benchmarks/run.py --sizes 1000 4000   # other scaling sizes
    python benchmarks/run.py --recurring         # only `recurring` at 2,500 and 10,000 reports (recurring_scaling.py)
    python benchmarks/run.py --startup           # only the start-up of `textmine parse` against `import pandas`

Results go to benchmarks/results.json; docs/performance.md quotes them (tools: benchmarks/report.py writes
its tables from that file). Every ratio is of two timings taken in the same run, in the same process where
they can be: the floor is a plain regex splitter (headings 一、…六、 and table rows by number order, the kind
of parser other tools of these reports are) over the raw loader's text (read and decode only). The peer
parser govnianbao is timed in the same process when it can be imported (it is not on the package index
this machine uses: `pip index versions govnianbao` finds no distribution).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
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

from textmine.loaders import load_document  # noqa: E402  (FORMATS: suffix -> format, from LOADERS)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _clear_string_caches() -> int:
    """Empty textmine's caches of results per string (bounded lru caches of 1,024 entries or more: cells, labels,
    line pieces, words). Every timed pass starts from them empty: a second pass over the same files would
    find its own lines there, which a corpus of distinct reports does not. Returns how many were emptied."""
    import functools

    caches = {id(obj): obj for name, mod in list(sys.modules.items())
              if name == "textmine" or name.startswith("textmine.") for obj in list(vars(mod).values())
              if isinstance(obj, functools._lru_cache_wrapper) and (obj.cache_info().maxsize or 0) >= 1024}
    for c in caches.values():
        c.cache_clear()
    return len(caches)


def timed(fn, items):
    _clear_string_caches()
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
                  "peak_rss_mb": round(int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024)}))
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


def _sources(fmt: str) -> list[Path]:
    """The files distinct copies are made from: the real reports when ../shared has them."""
    shared = ROOT.parent / "shared"
    corpus = ROOT / "corpus"
    if fmt == "txt":
        real = sorted((shared / "real-dev").glob("*.txt"))
        return real or sorted(corpus.glob("*.txt"))
    if fmt == "pdf_real":
        return sorted((shared / "real").glob("*.pdf"))
    real = sorted((shared / "real").glob(f"*.{fmt}")) if fmt in ("html", "md") else []
    return sorted(corpus.glob(f"*.{fmt}")) + real


def _per_report(secs: float, n: int) -> float:
    return round(1000 * secs / max(n, 1), 2)


def _stage(name: str, results: dict, n: int, secs: float, **more) -> None:
    results["stages"][name] = {"reports": n, "seconds": round(secs, 3), "ms_per_report": _per_report(secs, n), **more}


def _raw_text(path: Path) -> str:
    """The raw loader: bytes to text, nothing else (HTML: lxml's text of the tree; docx: the text runs of
    word/document.xml, a paragraph a line)."""
    from textmine.loaders.text import decode

    data = path.read_bytes()
    if path.suffix.lower() == ".docx":
        import io
        import zipfile

        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in xml.split("</w:p>"))
    if path.suffix.lower() in (".html", ".htm"):
        from lxml import html as lhtml

        return lhtml.document_fromstring(data).text_content()
    return decode(data, str(path))


def _peer() -> object | None:
    try:
        import govnianbao  # noqa: F401  (the peer parser, when installed)
    except ImportError:
        return None
    # Its table reader logs a warning per table it reads leniently: stderr writes are not parse time.
    logging.getLogger("govnianbao").setLevel(logging.ERROR)
    return govnianbao


def parse_stages(results: dict, files: list[Path], fmt: str) -> None:
    """Per-stage ms/report on ``files`` (one format), the floor and the peer in the same process."""
    from textmine.batch import parse_files
    from textmine.meta import extract_meta
    from textmine.sections import segment
    from textmine.statements import extract_statements
    from textmine.tables import parse_tables
    from textmine.themes.stage import classify
    from textmine.validate import check_report

    parse_files([(str(f), None) for f in files[:3]])  # first use: word tables, lazily built patterns
    n = len(files)
    texts, secs_raw = timed(_raw_text, files)
    _, secs_base = timed(baseline_sections_tables, texts)
    docs, secs_load = timed(load_document, files)
    segs, secs_seg = timed(segment, docs)
    _, secs_meta = timed(lambda i: extract_meta(docs[i], segs[i]), range(n))

    def tables(s):
        parsed = parse_tables({k: v.blocks for k, v in s.sections.items()})
        return check_report(parsed.tables, {k: v.text for k, v in s.sections.items()})

    _, secs_tab = timed(tables, segs)
    sts, secs_st = timed(lambda s: extract_statements(s.sections["problems"].paragraphs
                                                      if "problems" in s.sections else [], year=None), segs)
    per_report = [[x.text for x in st] for st in sts]
    _, secs_th1 = timed(lambda xs: classify(xs) if xs else [], per_report)
    _, secs_thb = timed(lambda xs: classify(xs), [[t for xs in per_report for t in xs]])
    n_st = sum(map(len, per_report))
    floor = secs_raw + secs_base
    p = f"{fmt}_"
    _stage(p + "floor_raw_loader", results, n, secs_raw)
    _stage(p + "floor_regex_sections_tables", results, n, secs_base)
    _stage(p + "load", results, n, secs_load)
    _stage(p + "sections", results, n, secs_seg)
    _stage(p + "meta", results, n, secs_meta)
    _stage(p + "tables_validate", results, n, secs_tab)
    _stage(p + "statements", results, n, secs_st, statements=n_st)
    _stage(p + "themes_per_report", results, n, secs_th1, statements=n_st)
    _stage(p + "themes_batched", results, n, secs_thb, statements=n_st)

    from textmine.report import load_report

    # The end-to-end passes and the peer's alternate, ROUNDS times, and each keeps its median: on a shared
    # machine one slow pass of either side would otherwise move the ratio by a third.
    peer = _peer()
    runs: dict[str, list[float]] = {"full": [], "no_themes": [], "raw": [], "peer": [], "peer_split": []}
    chunks = _worker_chunks(files)
    # The stage passes' documents, sections and statements are the benchmark's, not a worker's: they go,
    # and what is left (modules, models, dictionaries) is frozen out of the collector's sight, as a worker
    # freezes its start-up objects before it takes files (batch.py). Else every full collection below walks
    # hundreds of thousands of leftover objects. The peer runs here too, under the same conditions.
    docs = segs = sts = per_report = None  # noqa: F841  (released: the closures above held them)
    gc.collect()
    gc.freeze()
    try:
        for _ in range(ROUNDS):
            runs["full"].append(timed(parse_files, chunks)[1])
            runs["no_themes"].append(timed(lambda f: load_report(f, themes=False), files)[1])
            if peer is not None:
                runs["raw"].append(timed(_raw_text, files)[1])
                runs["peer"].append(timed(peer.parse_annual_report_text, texts)[1])
                runs["peer_split"].append(timed(lambda t: peer.parse_annual_report_text(t, with_tables=False),
                                                texts)[1])
    finally:
        gc.unfreeze()
    med = {k: statistics.median(v) for k, v in runs.items() if v}
    secs_full, secs_nothemes = med["full"], med["no_themes"]
    _stage(p + "end_to_end_full", results, n, secs_full, over_floor=round(secs_full / floor, 1), rounds=ROUNDS,
           note="batch.parse_files: parse, themes of 16 files in one call, JSON record")
    _stage(p + "end_to_end_no_themes", results, n, secs_nothemes, over_floor=round(secs_nothemes / floor, 1),
           rounds=ROUNDS)
    if peer is None:
        results["stages"][p + "peer"] = {"available": False, "reason": PEER_MISSING}
        return
    # The peer reads plain text, so its cost is the raw loader's plus its parse of that text.
    peer_total = med["raw"] + med["peer"]
    _stage(p + "peer", results, n, peer_total, available=True, source=getattr(peer, "__file__", ""), rounds=ROUNDS,
           parse_only_ms=_per_report(med["peer"], n), sections_only_ms=_per_report(med["peer_split"], n),
           full_over_peer=round(secs_full / peer_total, 1), no_themes_over_peer=round(secs_nothemes / peer_total, 1))


ROUNDS = 5
PEER_MISSING = ("govnianbao is not installable here (not on the package index); put its source on PYTHONPATH "
                "to compare")


_INGEST_CHILD = """
import json, resource, sys, time
from textmine.ingest import ingest
t0 = time.perf_counter()
r = ingest(sys.argv[1], store=sys.argv[2], workers=2, progress=False)
wall = time.perf_counter() - t0
print(json.dumps({"reports": r["reports"], "failed": len(r["failed"]), "seconds": round(wall, 2),
                  "seconds_parse": r["seconds_parse"],
                  "peak_rss_mb_parent": round(int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024),
                  "peak_rss_mb_worker": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}))
"""

_STATS_CHILD = """
import contextlib, io, json, resource, sys, time
from textmine.cli import main
t0 = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(["stats", sys.argv[1], "--store", sys.argv[2], "--json"])
wall = time.perf_counter() - t0
st = json.loads(out.getvalue())
print(json.dumps({"exit": code, "documents": st["documents"], "parsed_this_run": st["parsed_this_run"],
                  "seconds": round(wall, 2),
                  "peak_rss_mb": round(int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024)}))
"""


# Children report their own peak from VmHWM: ru_maxrss survives exec on Linux, so a child's would be at
# least this benchmark process's size when it forked. Workers (spawned by the ingest child, which is small
# then) report through RUSAGE_CHILDREN.


def _child(code: str, *args: str) -> dict:
    p = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if p.returncode:
        return {"error": (p.stderr.strip().splitlines() or [f"exit {p.returncode}"])[-1]}
    return json.loads(p.stdout.strip().splitlines()[-1])


def corpus_parse_ms(files: list[Path], sample: int = 400) -> float:
    """In-process full parse (batch.parse_files, 16 files a call, as a worker does) of an even sample of
    ``files``, ms per report: the ingest model's parse time, on the ingest corpus's own mix of formats."""
    from textmine.batch import parse_files

    picked = files[::max(1, len(files) // sample)][:sample]
    _, secs = timed(parse_files, _worker_chunks(picked))
    return _per_report(secs, len(picked))


def _worker_chunks(files: list[Path]) -> list[list[tuple[str, None]]]:
    """``files`` as batch.parse_files calls of 16, the chunks a worker parses (themes of 16 files at once)."""
    return [[(str(f), None) for f in files[i:i + 16]] for i in range(0, len(files), 16)]


def scaling_stages(results: dict, tmp: Path, sizes: list[int]) -> None:
    """Ingest (2 workers) at each size into a fresh store, warm `stats` at the largest, `recurring` at
    each size; the ingest model: in-process parse time of the same corpus / 2 workers + 5 s of start-up."""
    from distinct import write_corpus

    sources = _sources("txt") + _sources("html")
    parse_ms = None
    runs = []
    for n in sizes:
        folder = tmp / f"ingest-{n}"
        files = write_corpus(sources, folder, n)
        if parse_ms is None:  # the copies differ, the mix of sources is the same at every size
            parse_ms = corpus_parse_ms(files)
        store = tmp / f"store-{n}.duckdb"
        r = _child(_INGEST_CHILD, str(folder), str(store))
        model = n * parse_ms / 1000 / 2 + 5
        if "seconds" in r:
            r["model_seconds"] = round(model, 1)
            r["over_model"] = round(r["seconds"] / model, 2)
        r["size"] = n
        runs.append(r)
        if n == sizes[-1]:
            results["stages"]["warm_stats"] = {"reports": n, **_child(_STATS_CHILD, str(folder), str(store))}
        shutil.rmtree(folder, ignore_errors=True)
        store.unlink(missing_ok=True)
    results["stages"]["ingest_scaling"] = {"parse_ms_per_report_in_process": parse_ms,
                                           "corpus": "distinct copies of the txt and html sources, round robin",
                                           "runs": runs}
    from recurring_scaling import scaling

    results["stages"]["recurring_scaling"] = scaling(tuple(sizes))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes (ingest 200 / 800)")
    ap.add_argument("--sizes", type=int, nargs="+", default=None, help="scaling sizes (default 1000 4000 10000)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--ocr", action="store_true", help="also OCR the scan fixture (needs textmine[ocr]; ~30 s)")
    ap.add_argument("--recurring", action="store_true",
                    help="only the `recurring` scaling (2,500 vs 10,000 synthetic reports; benchmarks/recurring_scaling.py)")
    ap.add_argument("--startup", action="store_true",
                    help="only the parse start-up against `import pandas` (about 30 s); updates results.json")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if args.recurring:
        from recurring_scaling import scaling

        print(json.dumps(scaling(), indent=2))
        return
    if args.startup:
        _startup_only(args)
        return
    sizes = args.sizes or ([200, 800] if args.quick else [1000, 4000, 10000])
    n_stage = 120 if args.quick else 400
    from distinct import write_corpus

    results: dict = {"machine": {"python": platform.python_version(), "platform": platform.platform(),
                                 "cpus": os.cpu_count()}, "quick": args.quick,
                     "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                     "corpus": "distinct copies (benchmarks/distinct.py) of " + ", ".join(
                         f"{len(_sources(f))} {f}" for f in ("txt", "html", "docx", "pdf_real")), "stages": {}}
    tmp = Path(tempfile.mkdtemp(prefix="textmine-bench-"))
    try:
        from textmine.themes.stage import classify

        classify(["政府信息公开工作仍存在不足。"])  # the model and word tables load once per process
        for fmt, n in (("txt", n_stage), ("html", n_stage // 4), ("docx", n_stage // 8)):
            files = write_corpus(_sources(fmt), tmp / fmt, n)
            parse_stages(results, files, fmt)
        pdfs = _sources("pdf_real")
        if pdfs:
            files = write_corpus(pdfs, tmp / "pdf", 12 if args.quick else 30)
            from textmine.report import load_report

            _, secs = timed(load_report, files)
            _stage("pdf_real_end_to_end_full", results, len(files), secs)
        scaling_stages(results, tmp, sizes)
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
