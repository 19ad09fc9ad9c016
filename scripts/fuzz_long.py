"""The long fuzz run, outside CI: the strategies of tests/test_fuzz.py for as long as you give them.

    python scripts/fuzz_long.py --minutes 30 --out fuzz-findings/

Round-robin over the kinds (text, raw, docx, pdf), batches of examples each; every input that raises
anything but TextmineError, or takes longer than --timeout seconds, is shrunk by Hypothesis (when it
fails normally) and saved to --out as the input file plus a JSON note (kind, case, error, traceback).
Findings are de-duplicated by error type and the innermost textmine frame. Exit status 1 when
anything was found. Needs the dev extras (hypothesis, reportlab) and reads ../shared when present.
"""

from __future__ import annotations

import argparse
import json
import resource
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import test_fuzz  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402


class Slow(BaseException):
    """Not an Exception: neither a loader's ``except Exception`` nor Hypothesis may swallow it."""


def _alarm(signum, frame):
    raise Slow()


def _signature(exc: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/textmine/" in f.filename]
    where = f"{Path(frames[-1].filename).name}:{frames[-1].name}" if frames else "?"
    return f"{exc.__class__.__name__}@{where}"


def run_batch(kind: str, n: int, timeout: float, tally: Counter) -> tuple[object, BaseException] | None:
    """``n`` examples of one kind; (case, error) of the (shrunk) failure, or None."""
    strategy, build = test_fuzz.KINDS[kind]
    last: dict = {}

    @settings(max_examples=n, deadline=None, database=None, report_multiple_bugs=False,
              suppress_health_check=list(HealthCheck))
    @given(strategy())
    def prop(case):
        last["case"] = case
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            outcome = test_fuzz.check(build(case))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        tally[(kind, "record" if outcome == "record" else "error")] += 1

    try:
        prop()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # an Exception after shrinking, or Slow straight away
        return last.get("case"), exc
    return None


def save(out: Path, kind: str, case, exc: BaseException, seen: dict[str, int]) -> bool:
    sig = _signature(exc) if not isinstance(exc, Slow) else f"Slow@{kind}"
    seen[sig] = seen.get(sig, 0) + 1
    if seen[sig] > 1:
        return False
    n = len(seen)
    data, suffix = test_fuzz.KINDS[kind][1](case)
    name = f"finding-{n:03d}-{kind}"
    if suffix is None:
        (out / f"{name}.txt").write_text(data, encoding="utf-8", errors="surrogatepass")
    else:
        (out / f"{name}{suffix}").write_bytes(data)
    note = {"kind": kind, "signature": sig, "case": repr(case)[:4000],
            "error": f"{exc.__class__.__name__}: {exc}"[:2000],
            "traceback": "".join(traceback.format_exception(exc))[-6000:]}
    (out / f"{name}.json").write_text(json.dumps(note, ensure_ascii=False, indent=2), encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10, help="how long to run (default 10)")
    ap.add_argument("--kinds", default=",".join(test_fuzz.KINDS), help="comma-separated kinds to fuzz")
    ap.add_argument("--batch", type=int, default=200, help="examples per batch (default 200)")
    ap.add_argument("--timeout", type=float, default=30, help="seconds one example may take (default 30)")
    ap.add_argument("--out", default="fuzz-findings", help="folder for findings (default ./fuzz-findings)")
    args = ap.parse_args(argv)
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = set(kinds) - set(test_fuzz.KINDS)
    if unknown:
        ap.error(f"unknown kinds {sorted(unknown)}; choose from {sorted(test_fuzz.KINDS)}")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGALRM, _alarm)
    print(f"sources: {', '.join(test_fuzz.sources())}", file=sys.stderr)
    tally: Counter = Counter()
    seen: dict[str, int] = {}
    end = time.monotonic() + args.minutes * 60
    rounds = 0
    try:
        while time.monotonic() < end:
            for kind in kinds:
                if time.monotonic() >= end:
                    break
                t0 = time.monotonic()
                found = run_batch(kind, args.batch, args.timeout, tally)
                if found:
                    case, exc = found
                    new = save(out, kind, case, exc, seen)
                    print(f"[{kind}] {'NEW ' if new else 'again '}{exc.__class__.__name__}: {str(exc)[:200]}",
                          file=sys.stderr)
                print(f"[{kind}] batch of {args.batch} in {time.monotonic() - t0:.0f} s", file=sys.stderr)
            rounds += 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    summary = {"rounds": rounds, "examples": {f"{k}/{o}": n for (k, o), n in sorted(tally.items())},
               "findings": seen, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    return 1 if seen else 0


if __name__ == "__main__":
    sys.exit(main())
