#!/usr/bin/env python3
"""Write the bundled sample corpus and its ground truth.

    python tools/sample_corpus/generate.py

It writes into corpus/ (which holds data and a README only) and tests/fixtures/.

Sixteen short annual reports (政府信息公开工作年度报告) of four agencies at four levels, written by the
team in their own words: real place names (the gazetteer needs them), fictional content. They exist so
that ``textmine stats``, ``validate``, ``recurring`` and the notebooks show something real out of the box,
and so that the parser has a regression corpus whose every number is known.

- 芜湖市人民政府 (city government) 2021–2024; 肥西县农业农村局 (county department; 2018 as 肥西县农业局, in
  the legacy free-form layout; 2020 in the 2019 form) 2018, 2020–2023; 三河镇人民政府 (a town of 肥西县)
  2021–2024; 安徽省生态环境厅 (provincial department) 2022–2024.
- Formats: txt (Word converted to text: one cell per tab-led line, a blank line ends a row), docx (real
  tables with merged cells), html (a government site page with chrome around the body, rowspan/colspan),
  pdf (reportlab, built-in CID font STSong-Light, hard-wrapped lines, page numbers, ruled tables).
- Planted on purpose: problems that recur in consecutive years (the town's staffing, the county
  department's timeliness, the city's policy interpretation), measures promised in year N whose theme
  returns as a problem in N+1, near-verbatim boilerplate measures, and one break each of the
  consistency rules R1, R3, R5 and R6 (standard-form.md). Everything else adds up.

Ground truth goes to tests/fixtures/sample_corpus_truth.json (read by tests/test_sample_corpus.py): per
file the metadata, section keys, every table value, the planted inconsistencies and the statements of
section 5 (role, themes by codebook.md, and the first ten characters of the text).

Output is deterministic: fixed content, no randomness, fixed timestamps inside the docx and pdf files.
reportlab and python-docx are needed (dev dependencies).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CORPUS = ROOT / "corpus"  # where the files go; the generator lives apart from the data it writes
TRUTH_PATH = ROOT / "tests" / "fixtures" / "sample_corpus_truth.json"

# The generator is its modules beside this file (model, renderers, one module of reports per agency);
# run as a script or loaded from its path (tests/test_sample_corpus.py), they are importable by name.
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from reports_env import env_2022, env_2023, env_2024  # noqa: E402
from reports_feixi import feixi_2018, feixi_2020, feixi_2021, feixi_2022, feixi_2023  # noqa: E402
from reports_sanhe import sanhe_2021, sanhe_2022, sanhe_2023, sanhe_2024  # noqa: E402
from reports_wuhu import wuhu_2021, wuhu_2022, wuhu_2023, wuhu_2024  # noqa: E402
from sample_model import APPEAL_COLUMNS, APPLICANTS, COLUMNS, RESULT_ROWS, Report  # noqa: E402
from sample_render import RENDERERS  # noqa: E402


def build() -> list[Report]:
    w21 = wuhu_2021()
    w22 = wuhu_2022()
    w23 = wuhu_2023()
    w24 = wuhu_2024(w23.tables["requests"])
    f18 = feixi_2018()
    f20 = feixi_2020()
    f21 = feixi_2021(f20.tables["requests"])
    f22 = feixi_2022(f21.tables["requests"])
    f23 = feixi_2023(f22.tables["requests"])
    s21 = sanhe_2021()
    s22 = sanhe_2022()
    s23 = sanhe_2023()
    s24 = sanhe_2024(s23.tables["requests"])
    e22 = env_2022()
    e23 = env_2023(e22.tables["requests"])
    e24 = env_2024(e23.tables["requests"])
    return [w21, w22, w23, w24, f18, f20, f21, f22, f23, s21, s22, s23, s24, e22, e23, e24]


def self_check(reports: list[Report]) -> None:
    """The planted errors are the only ones: R1–R4 by arithmetic, R6 across years; R5 is checked by the test."""
    by_agency: dict[str, dict[int, Report]] = {}
    for r in reports:
        by_agency.setdefault(r.agency, {})[r.year] = r
        req = r.tables.get("requests")
        found = set()
        if req:
            results = [k for k in RESULT_ROWS if k in req]
            for col in COLUMNS:
                if req["new"][col] + req["carried_over"][col] != req["total_processed"][col] + req["carried_forward"][col]:
                    found.add(("R1", f"requests.{col}"))
                if sum(req[k][col] for k in results) != req["total_processed"][col]:
                    found.add(("R2", f"requests.{col}"))
            for row, cols in req.items():
                if sum(cols[c] for c in APPLICANTS) != cols["total"]:
                    found.add(("R3", f"requests.{row}"))
        for g, cols in (r.tables.get("appeals") or {}).items():
            if sum(cols[c] for c in APPEAL_COLUMNS[:4]) != cols["total"]:
                found.add(("R4", f"appeals.{g}"))
        planted = {(p["rule"], p["where"]) for p in r.planted if p["rule"] in ("R1", "R2", "R3", "R4")}
        assert found == planted, (r.slug, found, planted)
        assert len(r.statements()) >= 3, r.slug
    r6 = set()
    for years in by_agency.values():
        for y, r in years.items():
            nxt = years.get(y + 1)
            if nxt and "requests" in r.tables and "requests" in nxt.tables:
                for col in COLUMNS:
                    if r.tables["requests"]["carried_forward"][col] != nxt.tables["requests"]["carried_over"][col]:
                        r6.add((nxt.slug, f"requests.carried_over.{col}"))
    planted6 = {(r.slug, p["where"]) for r in reports for p in r.planted if p["rule"] == "R6"}
    assert r6 == planted6, (r6, planted6)


def render_all(reports: list[Report]) -> dict[str, bytes]:
    """File name → file bytes, for every report."""
    out = {}
    for r in reports:
        data = RENDERERS[r.fmt](r)
        out[r.filename] = data.encode("utf-8") if isinstance(data, str) else data
    return out


def truth_of(reports: list[Report]) -> dict:
    return {
        "description": "Ground truth of the sample corpus, written by tools/sample_corpus/generate.py (do not edit by hand).",
        "corpus_dir": "corpus",
        "files": [r.truth() for r in reports],
    }


def truth_text(reports: list[Report]) -> str:
    return json.dumps(truth_of(reports), ensure_ascii=False, indent=1) + "\n"


def main() -> None:
    reports = build()
    self_check(reports)
    for name, data in render_all(reports).items():
        (CORPUS / name).write_bytes(data)
        print(f"wrote corpus/{name}")
    TRUTH_PATH.parent.mkdir(parents=True, exist_ok=True)
    TRUTH_PATH.write_text(truth_text(reports), encoding="utf-8")
    print(f"wrote {TRUTH_PATH.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
