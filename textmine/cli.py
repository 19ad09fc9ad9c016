"""Command line: ``textmine COMMAND``. Argument parsing and printing only: each command parses its flags
and makes one call into the Python API; heavy modules load only when used."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .errors import TextmineError, shown

EPILOG = "Run 'textmine COMMAND --help' for a command's options. Docs: README.md."


def _bundled_corpus() -> str:
    from .resources import sample_corpus

    return str(sample_corpus())


def _print_json(obj) -> None:
    # A non-UTF-8 file name (a lone surrogate in Python) as the JSON escape "\udcb1": valid JSON that
    # json.loads turns back into the same name, where writing it raw would raise.
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write(text.encode("utf-8", "backslashreplace").decode("utf-8") + "\n")


def _console():
    import shutil

    from rich.console import Console

    from .summary import WIDTH

    # Never wider than 80 columns (CJK characters count 2): readable in any terminal and in a log.
    return Console(soft_wrap=False, width=min(WIDTH, shutil.get_terminal_size((WIDTH, 24)).columns))


# --- parse -------------------------------------------------------------------------------------------

def cmd_parse(args: argparse.Namespace) -> int:
    from .report import load_report
    from .summary import headline, plain_findings

    path = args.file
    if path != "-" and not os.path.exists(path):
        raise TextmineError("no such file", path)
    model = _model_arg(args)
    if path == "-":
        report = load_report(sys.stdin.read() or " ", themes=not args.no_themes, classifier=model)
    else:
        report = load_report(Path(path), themes=not args.no_themes, classifier=model)
    rec = report.to_dict()
    if args.json:
        _print_json(rec)
        return 0
    from rich.table import Table

    con = _console()
    meta = rec["meta"]
    region = meta.get("region") or {}
    con.print(f"[bold]{_plain(meta.get('title') or rec['source'])}[/bold]")  # report text: never markup
    con.print(f"agency: {_plain(meta.get('agency'))}   year: {meta.get('year')}   published: {meta.get('published')}   "
              f"template: {meta.get('template')}   format: {rec['format']}")
    if region:
        con.print("region: " + _plain(" / ".join(v for v in region.values() if v)))
    t = Table(title="sections", show_lines=False)
    for col in ("key", "title", "chars", "subsections"):
        t.add_column(col)
    for key, sec in rec["sections"].items():
        title = sec["title"] or "(heading lost; inferred)"
        t.add_row(key, _plain(title), str(len(sec["text"])), str(len(sec.get("subsections", []))))
    con.print(t)
    figures = headline(rec)
    if figures:
        con.print(_table("headline figures (总计 column; NA: printed blank)", ["figure", "key", "value"],
                         [[f["label"], f["key"], "NA" if f["value"] is None else
                           f"{f['value']}" + (" (derived: 总计 blank)" if f["derived"] else "")] for f in figures]))
    if rec["validation"]:
        con.print(f"[bold]consistency findings ({len(rec['validation'])})[/bold]")
        for line in plain_findings(rec["validation"], con.width):
            con.print(line, markup=False, highlight=False)
    if rec["statements"]:
        st = Table(title="section 5 statements", show_lines=True)
        for col in ("id", "role", "themes", "text"):
            st.add_column(col, overflow="fold")
        for s in rec["statements"]:
            st.add_row(s["id"], s["role"], ", ".join(s.get("themes") or []), _plain(s["text"]))
        con.print(st)
    return 0


def _model_arg(args: argparse.Namespace) -> str | None:
    model = getattr(args, "model", None)
    if model and not os.path.exists(model):
        raise TextmineError("no such model file", model)
    return model


# --- themes: train / evaluate ---------------------------------------------------------------------------

def cmd_train(args: argparse.Namespace) -> int:
    from .themes import train_model

    msg = train_model(args.labeled, args.output, codebook=args.codebook, cv=args.cv)
    if args.json:
        _print_json(msg)
    else:
        print(f"trained on {msg['statements']} statements; model written to {msg['model']}")
        if "cross_validated_micro_f1" in msg:
            print(f"{args.cv}-fold cross-validated micro-F1: {msg['cross_validated_micro_f1']}")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .themes import evaluate, load_labeled

    if os.path.isdir(args.labeled):
        return _evaluate_gold(args)
    if args.against:
        from .gold import agreement_files

        _print_json(agreement_files(args.labeled, args.against)) if args.json else \
            print(_agreement_text(agreement_files(args.labeled, args.against)))
        return 0
    df = load_labeled(args.labeled)
    model = _model_arg(args)
    backends = args.compare.split(",") if args.compare else None
    rep = evaluate(df["text"].tolist(), df["themes"].tolist(), model=model, cv=args.cv, backends=backends,
                   codebook=args.codebook)
    if args.json:
        _print_json(rep.to_dict())
    else:
        print(str(rep))
    return 0


def _evaluate_gold(args: argparse.Namespace) -> int:
    from .gold import compare_gold, evaluate_gold

    if args.compare:
        reports = compare_gold(args.labeled, args.compare.split(","), n_boot=args.bootstrap)
        if args.json:
            _print_json({name: rep.to_dict() for name, rep in reports.items()})
        else:
            for name, rep in reports.items():
                print(f"== {name}\n{rep}")
        return 0
    rep = evaluate_gold(args.labeled, model=_model_arg(args), n_boot=args.bootstrap, grouped=args.grouped)
    if args.json:
        _print_json(rep.to_dict())
    else:
        print(str(rep))
        print(rep.themes.round(3).to_string())
    return 0


def _agreement_text(res: dict) -> str:
    lines = [f"{res['statements']} statements coded twice; Krippendorff's alpha {res['alpha']:.3f}, "
             f"exact agreement {res['exact_agreement']:.3f}", "Cohen's kappa per theme:"]
    lines += [f"  {t:16s} {k:.3f}" for t, k in res["kappa"].items()]
    return "\n".join(lines)


# --- corpus commands ---------------------------------------------------------------------------------

def _corpus(args: argparse.Namespace):
    from .corpus import Corpus

    folder = args.dir or _bundled_corpus()
    store = False if args.no_store else (args.store or None)
    corpus = Corpus.from_dir(folder, store=store, workers=args.workers, agency_map=args.agency_map,
                             progress=None if not args.json else False)
    return corpus.require_reports()


def _batch_exit(args: argparse.Namespace, corpus) -> int:
    """``corpus``: a Corpus, or the list of its failed files."""
    failed = corpus if isinstance(corpus, list) else corpus.failed_files
    if failed and not args.json:
        for f in failed:
            print(shown(f"textmine: skipped {f['path']}: {_why(f)}"), file=sys.stderr)
    return 1 if (args.strict and failed) else 0


def _plain(text: object) -> str:
    """Third-party text (a file name, a report's title) inside rich markup: escaped, control bytes shown."""
    from rich.markup import escape

    from .errors import shown

    return escape(shown(text))


def _why(f: dict) -> str:
    return f"{f['reason']} (hint: {f['hint']})" if f.get("hint") else str(f["reason"])


def _table(title: str, columns: list[str], rows: list[list]) -> object:
    from rich.table import Table
    from rich.text import Text

    from .errors import shown

    t = Table(title=Text(shown(title)))
    for c in columns:
        t.add_column(c, overflow="fold")
    for r in rows:
        # Text, not a markup string: a file name like "[red]x.txt" or one with ESC bytes is shown as it is.
        t.add_row(*[Text("" if v is None else shown(v)) for v in r])
    return t


def cmd_stats(args: argparse.Namespace) -> int:
    from .stats import TOTAL_KEYS, stats_for_dir, total_cell

    st, failed = stats_for_dir(args.dir or _bundled_corpus(), store=False if args.no_store else (args.store or None),
                               workers=args.workers, agency_map=args.agency_map,
                               progress=None if not args.json else False)
    if not args.dir:
        from .resources import SAMPLE_NOTE

        st["note"] = SAMPLE_NOTE
    if args.json:
        _print_json(st)
        return _batch_exit(args, failed)
    con = _console()
    if "note" in st:
        print(f"Note: {st['note']}.")  # plain print: one line at any terminal width
    con.print(f"[bold]{st['documents']} reports, {st['agencies']} agencies[/bold]  "
              f"({len(st['duplicates'])} duplicates, {len(st['failed'])} skipped; "
              f"parsed {st['parsed_this_run']} this run; store: {st['store'] or 'none'})")
    con.print(_table("agencies", ["agency", "reports"], [[a["agency"], a["reports"]] for a in st["agency_reports"]]))
    con.print(_table("reports by year", ["year", "reports"], [[y, n] for y, n in st["years"].items()]))
    con.print(_table("levels, templates, formats", ["what", "value", "reports"],
                     [["level", k, v] for k, v in st["levels"].items()]
                     + [["template", k, v] for k, v in st["templates"].items()]
                     + [["format", k, v] for k, v in st["formats"].items()]))
    con.print(_table("sections found", ["section", "reports"], [[k, v] for k, v in st["sections_found"].items()]))
    con.print(_table("statements by role", ["role", "statements"], [[k, v] for k, v in st["statements"].items()]))
    con.print(_table("themes", ["theme", "statements"],
                     sorted(([k, v] for k, v in st["themes"].items()), key=lambda r: -r[1])))
    con.print(_table("table totals by year (empty: no report of that year has the table; NA: a report "
                     "left the cell blank)",
                     ["year", "reports with table 3", "requests received", "granted", "processed",
                      "administrative review", "litigation"],
                     [[t["year"], t["reports_with_table_3"], *(total_cell(t, k) for k in TOTAL_KEYS)]
                      for t in st["table_totals"]]))
    con.print(_table("consistency findings by rule", ["rule", "findings"],
                     [[k, v] for k, v in st["validation"].items()]))
    if st["duplicates"]:
        con.print(_table("duplicates (counted once)", ["file", "duplicate of", "same"],
                         [[shown(d["file"]), shown(d["duplicate_of"]), d["by"]] for d in st["duplicates"]]))
    if st["failed"]:
        con.print(_table("files skipped", ["path", "reason"], [[f["path"], _why(f)] for f in st["failed"]]))
    return _batch_exit(args, failed)


def cmd_validate(args: argparse.Namespace) -> int:
    corpus = _corpus(args)
    if args.json:
        _print_json(corpus.validation_report())
        return _batch_exit(args, corpus)
    fin, docs = corpus.findings, corpus.documents
    con = _console()
    for d in docs.itertuples():
        f = fin[fin["doc_id"] == d.doc_id]
        head = f"{d.agency} {d.year}  ({Path(d.path).name})"
        if f.empty:
            con.print(f"[green]✓[/green] {_plain(head)}: consistent")
            continue
        con.print(_table(head, ["rule", "severity", "where", "expected", "found", "message"],
                         [[r.rule, r.severity, r.where, r.expected, r.found, r.message] for r in f.itertuples()]))
    summary = fin.groupby(["rule", "severity"]).size().reset_index(name="findings") if not fin.empty else None
    if summary is not None:
        con.print(_table("summary", ["rule", "severity", "findings"], summary.values.tolist()))
    return _batch_exit(args, corpus)


def cmd_recurring(args: argparse.Namespace) -> int:
    from .tracking import compare_themes, recurring_report

    strata = _strata(args)  # before parsing: a typo should not cost a corpus parse
    corpus = _corpus(args)
    if args.compare_themes:
        sources = [s.strip() for s in args.compare_themes.split(",") if s.strip()]
        if len(sources) < 2:
            raise TextmineError("--compare-themes needs two or more sources, e.g. rules,model")
        cmp = compare_themes(corpus, sources, strata=strata)
        if args.json:
            _print_json(cmp)
        else:
            con = _console()
            con.print(_table("recurring findings per theme source", ["source", "findings", "q < 0.05"],
                             [[n, v["findings"], v["significant"]] for n, v in cmp["sources"].items()]))
            con.print(_table("agreement", ["a", "b", "both", "only a", "only b", "jaccard"],
                             [[p["a"], p["b"], p["both"], len(p["only_a"]), len(p["only_b"]), p["jaccard"]]
                              for p in cmp["pairs"]]))
        return _batch_exit(args, corpus)
    rep = recurring_report(corpus, threshold=args.threshold, strata=strata)
    if args.json:
        _print_json(rep)
        return _batch_exit(args, corpus)
    _print_recurring(rep)
    return _batch_exit(args, corpus)


def _strata(args: argparse.Namespace) -> list[str]:
    strata = [s.strip() for s in args.strata.split(",") if s.strip()]
    if not strata or set(strata) - {"year", "level", "era"}:
        raise TextmineError(f"--strata takes year, level and era, not {args.strata!r}")
    return strata


def _print_recurring(rep: dict) -> None:
    con = _console()
    con.print(_table("themes recurring across years (per agency)",
                     ["agency", "theme", "role", "years", "longest run", "expected", "p"],
                     [[r["agency"], r["theme"], r["role"], ", ".join(map(str, r["years"])), r["longest_run"],
                       r["expected"], r["p_value"]] for r in rep["recurring"]]))
    con.print(_table("measures of year N against problems and rectifications of year N+1",
                     ["agency", "theme", "measure year", "status", "p", "measure"],
                     [[u["agency"], u["theme"] or u["key_phrases"], u["year_measure"], u["status"], u["p_value"],
                       u["measure"][:60]] for u in rep["unkept_promises"]]))
    con.print(_table("repeated text (near-identical statements)", ["similarity", "kind", "a", "b", "text"],
                     [[p["similarity"], p["kind"], f"{p['a']['agency']} {p['a']['year']}",
                       f"{p['b']['agency']} {p['b']['year']}", p["a"]["text"][:60]] for p in rep["repeated_text"]]))
    con.print(_table("copy chains", ["chain", "step", "agency", "year", "share copied"],
                     [[c["chain_id"], c["step"], c["agency"], c["year"], c["share"]] for c in rep["copy_chains"]]))


def cmd_export(args: argparse.Namespace) -> int:
    from .export import export, parse_years

    parse_years(args.year)  # before parsing: a typo should not cost a corpus parse
    corpus = _corpus(args)
    res = export(corpus.statements, args.format, args.output, codebook=args.codebook, prefill=args.prefill,
                 role=args.role, theme=args.theme, year=args.year, sample=args.sample, seed=args.seed)
    if args.frames:
        res["frames"] = [str(p) for p in corpus.to_parquet(args.frames)]
    if args.json:
        _print_json(res)
    else:
        for p in res["files"] + res.get("frames", []):
            print(p)
        print(f"{res['statements']} of {res['statements_before_filters']} statements written", file=sys.stderr)
    return _batch_exit(args, corpus)


def cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import ingest

    folder = args.dir or _bundled_corpus()
    res = ingest(folder, store=args.store, engine=args.engine, scheduler=args.scheduler, workers=args.workers,
                 parquet=args.parquet, agency_map=args.agency_map, progress=None if not args.json else False)
    if args.json:
        _print_json(res)
    else:
        print(f"{res['reports']} reports in the store ({res['parsed']} parsed now, {res['cached']} unchanged, "
              f"{len(res['failed'])} failed, {len(res['duplicates'])} duplicates) in {res['seconds_total']} s; "
              f"store: {res['store']}"
              + (f"; parquet: {res['parquet']}" if res["parquet"] else ""))
        for f in res["failed"]:
            print(shown(f"textmine: skipped {f['path']}: {_why(f)}"), file=sys.stderr)
    if not res["reports"] and res["failed"]:
        return 1
    return 1 if (args.strict and res["failed"]) else 0


def cmd_import_labels(args: argparse.Namespace) -> int:
    from .export import read_labels

    res = read_labels(args.file, args.output)
    print(f"{res['labeled']} labeled statements written to {args.output} ({res['format']} export; "
          f"{res['skipped']} unreviewed skipped)", file=sys.stderr)
    return 0


WORKERS_HELP = ("worker processes (default: one per core); 1 parses in this process, where no memory limit "
                "and only Python's alarm bound a file (for debugging)")


def _add_corpus_args(sp: argparse.ArgumentParser) -> None:
    sp.add_argument("dir", nargs="?", help="folder of reports (recursively); default: the bundled sample corpus")
    sp.add_argument("--json", action="store_true", help="print JSON for machines instead of tables")
    sp.add_argument("--store", metavar="FILE", help="DuckDB store (default: DIR/.textmine/corpus.duckdb)")
    sp.add_argument("--no-store", action="store_true", help="parse everything in memory, keep no store")
    sp.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    sp.add_argument("--agency-map", metavar="FILE",
                    help="CSV/TSV/YAML of 'name, agency_id' overriding the agency identity rule")
    sp.add_argument("--strict", action="store_true", help="exit non-zero when any file could not be read")


# --- parser ------------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = argparse.ArgumentParser(
        prog="textmine",
        description="Text mining for Chinese government information-disclosure annual reports "
                    "(政府信息公开工作年度报告): sections, tables, section-5 statements, themes.",
        epilog=EPILOG,
    )
    p.add_argument("--version", action="version", version=f"textmine {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for add in COMMANDS:
        add(sub)
    return p


def _add_parse(sub) -> None:
    from .loaders import LOADERS

    sp = sub.add_parser("parse", help=f"parse one report ({', '.join(LOADERS)})",
                        description="Parse one report into sections, metadata, tables, consistency findings "
                                    "and section-5 statements. Prints a summary, or the JSON record with --json.")
    sp.add_argument("file", help="report file, or - to read raw text from standard input")
    sp.add_argument("--json", action="store_true", help="print the JSON record (docs/record.md) on stdout")
    sp.add_argument("--no-themes", action="store_true", help="skip theme classification (faster)")
    sp.add_argument("--model", metavar="MODEL", help="theme model from 'textmine train' (default: the shipped one)")
    sp.set_defaults(func=cmd_parse)


def _add_train(sub) -> None:
    sp = sub.add_parser("train", help="train a theme classifier on labeled statements",
                        description="Train a ThemeClassifier (jieba word and character n-grams, one linear model "
                                    "per theme with calibrated probabilities and tuned thresholds) on labeled "
                                    "statements: JSONL or CSV with 'text', 'themes' (codebook ids; a JSON list or "
                                    "'a;b'), optional 'role'.")
    sp.add_argument("labeled", help="labeled statements (JSONL or CSV)")
    sp.add_argument("--output", "-o", required=True, help="model file to write (.npz)")
    sp.add_argument("--codebook", metavar="FILE", help="your own codebook YAML (default: the bundled one)")
    sp.add_argument("--cv", type=int, default=0, help="also report K-fold cross-validated micro-F1")
    sp.add_argument("--json", action="store_true", help="print a JSON summary")
    sp.set_defaults(func=cmd_train)


def _add_evaluate(sub) -> None:
    sp = sub.add_parser("evaluate", help="per-theme precision, recall, F1 (held-out or cross-validated)",
                        description="Evaluate theme classification on labeled statements: per-theme precision, "
                                    "recall, F1 and support, micro and macro averages, and the confusion between "
                                    "themes. With --model the model is scored on the file as held-out data; "
                                    "without, a new model is cross-validated on it.")
    sp.add_argument("labeled", help="labeled statements (JSONL or CSV), or a folder of gold files (the format "
                                    "of shared/real-dev/gold): each report is parsed and scored end to end")
    sp.add_argument("--model", metavar="MODEL", help="a model from 'textmine train' (held-out evaluation)")
    sp.add_argument("--against", metavar="LABELED2",
                    help="a second coder's labels of the same statements: Cohen's kappa per theme, "
                         "Krippendorff's alpha")
    sp.add_argument("--bootstrap", type=int, default=1000, metavar="N",
                    help="bootstrap resamples of reports for the intervals of a gold folder (default 1000)")
    sp.add_argument("--cv", type=int, default=5, help="folds when no model is given (default 5)")
    sp.add_argument("--grouped", nargs="?", const=r"^[^_]+_[^-]+-([a-z]+)", metavar="REGEX",
                    help="for a gold folder: also refit the shipped tagger's thresholds leave-one-agency-out and "
                         "report the grouped figures (an agency is the first group of REGEX on a gold file "
                         "name; default: the shared/real-dev naming)")
    sp.add_argument("--compare", metavar="BACKENDS",
                    help="comma-separated backends to compare on the same folds: sklearn,spacy,rules; "
                         "for a gold folder: rules,model,calibrated")
    sp.add_argument("--codebook", metavar="FILE", help="your own codebook YAML")
    sp.add_argument("--json", action="store_true", help="print the report as JSON")
    sp.set_defaults(func=cmd_evaluate)


def _add_stats(sub) -> None:
    sp = sub.add_parser("stats", help="corpus statistics (documents, agencies, years, sections, themes, tables)",
                        description="Parse a folder of reports (cached in a DuckDB store) and print corpus "
                                    "statistics: reports by year, level, template; sections found; statements "
                                    "by role and theme; table totals by year; findings by rule; failed files.")
    _add_corpus_args(sp)
    sp.set_defaults(func=cmd_stats)


def _add_validate(sub) -> None:
    sp = sub.add_parser("validate", help="consistency findings (rules R1-R6) per report",
                        description="Check tables 2-4 against the consistency rules R1-R6 of the form "
                                    "(勾稽关系) and the narrative counts. Exits 0 even when reports are "
                                    "inconsistent: inconsistency is data.")
    _add_corpus_args(sp)
    sp.set_defaults(func=cmd_validate)


def _add_recurring(sub) -> None:
    sp = sub.add_parser("recurring", help="themes that recur across years per agency, and repeated text",
                        description="Themes an agency states in two or more years (with a p-value under "
                                    "the null of docs/tracking.md), measures of year N against the problems and "
                                    "rectifications of year N+1 (kept, unkept, unclear), near-identical "
                                    "statements, clause reuse per report, copy chains and template families. "
                                    "Every finding lists its evidence in --json.")
    _add_corpus_args(sp)
    sp.add_argument("--threshold", type=float, default=0.85, help="similarity for repeated text (default 0.85)")
    sp.add_argument("--compare-themes", metavar="A,B", help="compare the recurring findings under theme sources "
                                                            "(rules, model, calibrated), e.g. rules,model")
    sp.add_argument("--strata", default="year,level,era",
                    help="what the null model holds fixed (default year,level,era; e.g. year to pool levels)")
    sp.set_defaults(func=cmd_recurring)


def _add_export(sub) -> None:
    from .export import FORMATS

    sp = sub.add_parser("export", help=f"export labeled statements ({', '.join(FORMATS)})",
                        description="Write the section-5 statements with role, themes, scores, agency, year "
                                    "and doc_id in one of the formats. label-studio also writes the matching "
                                    "labeling config and puts the model's labels in predictions; spacy writes a "
                                    "DocBin with doc.cats. CSV is UTF-8 with a BOM, themes joined with ';'.")
    _add_corpus_args(sp)
    sp.add_argument("--format", "-f", required=True, choices=FORMATS)
    sp.add_argument("--output", "-o", required=True, help="output file")
    sp.add_argument("--frames", metavar="DIR", help="also write every corpus frame as Parquet into DIR")
    sp.add_argument("--codebook", metavar="FILE", help="your own codebook YAML (theme labels of the export)")
    sp.add_argument("--role", metavar="ROLE", help="only these roles (comma-separated: problem,measure,rectification)")
    sp.add_argument("--theme", metavar="THEME", help="only statements with any of these theme ids (comma-separated)")
    sp.add_argument("--year", metavar="YEAR", help="only this year, or a range like 2019-2021")
    sp.add_argument("--sample", type=int, metavar="N", help="a random sample of N of the statements kept")
    sp.add_argument("--seed", type=int, help="seed of --sample (default: drawn, and shown by --json)")
    sp.add_argument("--prefill", action="store_true",
                    help="doccano: put the model's labels in 'label' (by default they go in meta only, and "
                         "import-labels reads only what an annotator labeled)")
    sp.set_defaults(func=cmd_export)


def _add_ingest(sub) -> None:
    from .ingest import ENGINES

    sp = sub.add_parser("ingest", help="parse a folder into the store (streamed; local or Dask) and write Parquet",
                        description="Parse every new or changed report under DIR into the DuckDB store without "
                                    "holding the corpus in memory, then rebuild the frames as SQL tables and, with "
                                    "--parquet, as Parquet datasets partitioned by year. --engine dask maps the "
                                    "same per-file parse over a Dask cluster (--scheduler ADDRESS, or a local "
                                    "cluster); the workers must see the files at the same paths.")
    sp.add_argument("dir", nargs="?", help="folder of reports (default: the bundled sample corpus)")
    sp.add_argument("--store", metavar="FILE", help="DuckDB store (default: DIR/.textmine/corpus.duckdb)")
    sp.add_argument("--engine", choices=ENGINES, default="local",
                    help="local worker processes (default) or a Dask cluster")
    sp.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (default: start a local cluster)")
    sp.add_argument("--workers", type=int, default=None, help=WORKERS_HELP)
    sp.add_argument("--parquet", metavar="DIR", help="also write the frames as Parquet datasets into DIR")
    sp.add_argument("--agency-map", metavar="FILE", help="CSV/TSV/YAML of 'name, agency_id'")
    sp.add_argument("--strict", action="store_true", help="exit non-zero when any file could not be read")
    sp.add_argument("--json", action="store_true", help="print a JSON summary")
    sp.set_defaults(func=cmd_ingest)


def _add_import_labels(sub) -> None:
    sp = sub.add_parser("import-labels", help="read a Label Studio or doccano export into labeled JSONL",
                        description="Convert annotations made in Label Studio (JSON or JSON-MIN export) or "
                                    "doccano (JSONL export) into the labeled JSONL that train and evaluate take. "
                                    "Rows nobody labeled (no annotation, an empty label list) are skipped.")
    sp.add_argument("file", help="the annotation tool's export")
    sp.add_argument("--output", "-o", required=True, help="labeled JSONL to write")
    sp.set_defaults(func=cmd_import_labels)


# One sub-parser per command, in the order --help lists them.
COMMANDS = [_add_parse, _add_train, _add_evaluate, _add_stats, _add_validate, _add_recurring, _add_export,
            _add_ingest, _add_import_labels]


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
