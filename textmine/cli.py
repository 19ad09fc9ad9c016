"""Command line: ``textmine COMMAND``. Mirrors the Python API; heavy modules load only when used."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import TextmineError

EPILOG = "Run 'textmine COMMAND --help' for a command's options. Docs: README.md."


def _bundled_corpus() -> str:
    """The sample corpus: ./corpus when run from a checkout, else the copy installed with the package."""
    here = Path(__file__).resolve().parent
    for cand in (here.parent / "corpus", here / "data" / "corpus"):
        if cand.is_dir():
            return str(cand)
    raise TextmineError("no bundled sample corpus found; pass a folder")


def _print_json(obj) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")


def _console():
    from rich.console import Console

    return Console(soft_wrap=False)


# --- parse -------------------------------------------------------------------------------------------

def cmd_parse(args: argparse.Namespace) -> int:
    from .report import load_report

    path = args.file
    if path != "-" and not os.path.exists(path):
        raise TextmineError("no such file", path)
    if path == "-":
        report = load_report(sys.stdin.read() or " ", themes=not args.no_themes)
    else:
        report = load_report(Path(path), themes=not args.no_themes)
    rec = report.to_dict()
    if args.json:
        _print_json(rec)
        return 0
    from rich.table import Table

    con = _console()
    meta = rec["meta"]
    region = meta.get("region") or {}
    con.print(f"[bold]{meta.get('title') or rec['source']}[/bold]")
    con.print(f"agency: {meta.get('agency')}   year: {meta.get('year')}   published: {meta.get('published')}   "
              f"template: {meta.get('template')}   format: {rec['format']}")
    if region:
        con.print("region: " + " / ".join(v for v in region.values() if v))
    t = Table(title="sections", show_lines=False)
    for col in ("key", "title", "chars", "subsections"):
        t.add_column(col)
    for key, sec in rec["sections"].items():
        title = sec["title"] or "(heading lost; inferred)"
        t.add_row(key, title, str(len(sec["text"])), str(len(sec.get("subsections", []))))
    con.print(t)
    if rec["tables"]:
        con.print("tables: " + ", ".join(f"{k} ({len(v)} rows)" for k, v in rec["tables"].items()))
    if rec["validation"]:
        v = Table(title="consistency findings")
        for col in ("rule", "severity", "where", "expected", "found", "message"):
            v.add_column(col)
        for f in rec["validation"]:
            v.add_row(f["rule"], f["severity"], f["where"], str(f.get("expected")), str(f.get("found")),
                      f["message"])
        con.print(v)
    if rec["statements"]:
        st = Table(title="section 5 statements", show_lines=True)
        for col in ("id", "role", "themes", "text"):
            st.add_column(col, overflow="fold")
        for s in rec["statements"]:
            st.add_row(s["id"], s["role"], ", ".join(s.get("themes") or []), s["text"])
        con.print(st)
    return 0


# --- parser ------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="textmine",
        description="Text mining for Chinese government information-disclosure annual reports "
                    "(政府信息公开工作年度报告): sections, tables, section-5 statements, themes.",
        epilog=EPILOG,
    )
    from . import __version__

    p.add_argument("--version", action="version", version=f"textmine {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    sp = sub.add_parser("parse", help="parse one report (txt, docx, pdf, html, md)",
                        description="Parse one report into sections, metadata, tables, consistency findings "
                                    "and section-5 statements. Prints a summary, or the JSON record with --json.")
    sp.add_argument("file", help="report file, or - to read raw text from standard input")
    sp.add_argument("--json", action="store_true", help="print the JSON record (interface.md) on stdout")
    sp.add_argument("--no-themes", action="store_true", help="skip theme classification (faster)")
    sp.set_defaults(func=cmd_parse)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except TextmineError as exc:
        print(f"textmine: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("textmine: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
