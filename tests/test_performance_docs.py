"""docs/performance.md quotes benchmarks/results.json: the measured part is what benchmarks/report.py writes."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _report():
    spec = importlib.util.spec_from_file_location("bench_report", ROOT / "benchmarks" / "report.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_measured_part_of_the_doc_is_rendered_from_results_json() -> None:
    rep = _report()
    results = json.loads((ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    _, body, _ = rep._split((ROOT / "docs" / "performance.md").read_text(encoding="utf-8"))
    assert body == rep.render(results)


def test_the_rest_of_the_doc_states_no_measured_figure() -> None:
    rep = _report()
    head, _, tail = rep._split((ROOT / "docs" / "performance.md").read_text(encoding="utf-8"))
    # Units of a measurement (ms, s, MB, reports/s, ×) after a number: only the generated part has them.
    assert not re.findall(r"\d[\d,.]*\s*(?:ms|MB|GB|reports/s|×|x\b|s\b)", head + tail)
