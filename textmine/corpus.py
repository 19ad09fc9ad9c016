"""A folder of reports as tidy pandas frames: documents, sections, statements, findings, tables.

``Corpus`` is the data model: the parsed records and the frames built from them (by
:mod:`textmine.frames`). Parsing is the batch runtime's (:mod:`textmine.batch`): each file by the same
pure :func:`parse_file`, in worker processes, cached in the DuckDB store by content hash.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Re-exported: textmine.corpus.parse_file and friends were the batch API before textmine.batch.
from .batch import cache_version, cacheable, file_hash, find_reports, hash_files, parse_file, parse_many
from .errors import TextmineError, shown

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

_parse_many = parse_many  # the old private name, for code written against it


def __getattr__(name: str) -> str:
    if name == "CACHE_VERSION":  # re-exported as textmine.batch has it: computed when first asked for
        return cache_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = ["Corpus", "cache_version", "file_hash", "find_reports", "hash_files", "load_agency_map", "parse_file",
           "parse_many"]


def _frame_property(name: str, doc: str) -> property:
    return property(lambda self: self._frame(name), doc=doc)


@dataclass
class Corpus:
    """Parsed reports and the frames built from them."""

    records: list[dict]
    failed_files: list[dict] = field(default_factory=list)
    root: str | None = None
    store_path: str | None = None
    parsed: int = 0  # how many files this run actually parsed (the rest came from the store)
    agency_map: Mapping[str, str] | None = None
    duplicates: list[dict] = field(default_factory=list)  # {"file", "duplicate_of", "by"}: textmine.duplicates

    # --- construction ------------------------------------------------------------------------------
    @classmethod
    def from_dir(
        cls,
        path: str | os.PathLike,
        *,
        store: str | os.PathLike | bool | None = None,
        workers: int | None = None,
        progress: bool | None = None,
        agency_map: Mapping[str, str] | str | os.PathLike | None = None,
    ) -> Corpus:
        """Parse every report under ``path``. ``store``: None → ``PATH/.textmine/corpus.duckdb``;
        False → no store (parse everything in memory); a path → that DuckDB file."""
        from .store import default_store_path, frames_key, open_or_uncached

        unlisted: list[dict] = []
        files = find_reports(path, unlisted)
        mapping = load_agency_map(agency_map)
        hashes, failed = hash_files(files)
        failed[:0] = unlisted
        results: dict[str, dict] = {}

        if store is False:
            parse_many(list(hashes.items()), workers, progress, lambda r: results.__setitem__(r["path"], r))
            corpus = cls._from_results(files, results, failed, str(path), None, len(hashes), mapping)
            return corpus
        store_path = Path(store) if store not in (None, True) else default_store_path(
            path if Path(path).is_dir() else Path(path).parent)
        if store_path is None:  # the installed sample corpus with the user cache switched off
            return cls.from_dir(path, store=False, workers=workers, progress=progress, agency_map=agency_map)
        with open_or_uncached(store_path) as st:
            if st is None:  # the location cannot be written: parse everything, keep nothing
                parse_many(list(hashes.items()), workers, progress, lambda r: results.__setitem__(r["path"], r))
                return cls._from_results(files, results, failed, str(path), None, len(hashes), mapping)
            known = st.known(cache_version())
            todo = []
            for p, h in hashes.items():
                if h in known:
                    rec, err = known[h]
                    results[p] = {"path": p, "hash": h, "record": rec} if rec else {"path": p, "hash": h,
                                                                                   "error": err}
                else:
                    todo.append((p, h))

            def sink(res: dict) -> None:
                results[res["path"]] = res
                if cacheable(res):
                    st.put(res["hash"], shown(res["path"]), cache_version(), res.get("record"), res.get("error"))

            parse_many(todo, workers, progress, sink)
            corpus = cls._from_results(files, results, failed, str(path), str(store_path), len(todo), mapping)
            # The key names the records in the tables: the documents kept, without their duplicates (as
            # ingest writes them), so a warm `stats` on a folder with duplicates takes the full path.
            kept = {r["source"] for r in corpus.records}
            written = [(p, r["hash"]) for p, r in results.items() if r.get("record") and r.get("hash") and p in kept]
            st.save_frames(corpus.frames_for_store(), frames_key(cache_version(), written, mapping))
        return corpus

    @classmethod
    def _from_results(cls, files, results, failed, root, store_path, parsed, mapping) -> Corpus:
        from .duplicates import find_duplicates
        from .frames import doc_id_of

        records = {}
        for f in files:
            res = results.get(str(f))
            if res is None:
                continue
            if res.get("record"):
                rec = dict(res["record"])
                rec["source"] = str(f)
                # The content hash, as `ingest` has it: one id per document (duplicates are dropped below).
                rec["doc_id"] = res["hash"][:12] if res.get("hash") else doc_id_of(rec)
                records[str(f)] = (rec, res.get("hash"))
            else:
                failed.append({"path": str(f), "reason": res.get("error") or "unknown error"})
        kept, dups = find_duplicates((p, h, rec.get("text_hash")) for p, (rec, h) in records.items())
        return cls([records[p][0] for p in kept], failed, root, store_path, parsed, mapping, dups)

    @classmethod
    def from_records(cls, records: Iterable[dict], agency_map: Mapping[str, str] | None = None) -> Corpus:
        """A corpus of JSON records (``report.to_dict()``), e.g. read back from JSONL."""
        from .frames import doc_id_of

        return cls([dict(r, doc_id=doc_id_of(r)) for r in records], agency_map=agency_map)

    @classmethod
    def from_files(cls, paths: Iterable[str | os.PathLike]) -> Corpus:
        """Parse the given files in this process (no store)."""
        records, failed = [], []
        for p in paths:
            res = parse_file(str(p))
            if res.get("record"):
                records.append(res["record"])
            else:
                failed.append({"path": str(p), "reason": res["error"]})
        return cls(records, failed)

    # --- frames ------------------------------------------------------------------------------------
    def _rows(self):
        """Frame rows of every record, computed once (records do not change after construction)."""
        cached = self.__dict__.get("_rows_cache")
        if cached is None:
            from .frames import collect_rows

            cached = self.__dict__["_rows_cache"] = collect_rows(self.records, self.agency_map)
        return cached

    def _frame(self, name: str) -> pd.DataFrame:
        from .frames import build_frames

        return build_frames(self._rows(), names=[name])[name]

    # The frames of build_frames, one property each (a fresh pandas frame on every access).
    documents = _frame_property(
        "documents", "One row per report: doc_id, path, agency, agency_id, year, level, region, template, sections found, …")
    sections = _frame_property("sections", "One row per section of each report, with its title and text.")
    statements = _frame_property("statements", "One row per section-5 statement: role, text, themes, scores, subsection, …")
    statement_themes = _frame_property(
        "statement_themes", "One row per (statement, theme): doc_id, statement_id, theme, score — statements' list cells, long.")
    findings = _frame_property("findings", "One row per consistency finding: R1–R5 per report and R6 across years of one agency.")

    def table(self, name: str) -> pd.DataFrame:
        """Tidy frame of one standard table: doc_id, agency, agency_id, year, row, column, value (NA where
        the report printed the cell blank: missing, never 0), value_derived (value, or for a blank the value
        the form's sums give it) and derived (True where value_derived is such a value)."""
        from .frames import TABLES

        if name not in TABLES:
            raise TextmineError(f"unknown table {name!r}; expected proactive, requests or appeals")
        return self._frame(f"table_{name}")

    @property
    def failed(self) -> pd.DataFrame:
        import pandas as pd

        rows = [{"path": shown(f.get("path")), "reason": shown(f.get("reason"))} for f in self.failed_files]
        return pd.DataFrame(rows, columns=["path", "reason"])

    def require_reports(self) -> Corpus:
        """The empty-corpus policy of the batch commands: an error when no report could be read (naming
        the first failure) or there is none; otherwise the corpus itself."""
        from .loaders import supported_suffixes

        if not self.records and self.failed_files:
            first = self.failed_files[0]
            raise TextmineError(f"no report could be read ({len(self.failed_files)} failed; first: "
                                f"{first['path']}: {first['reason']})", self.root)
        if not self.records:
            raise TextmineError(f"no report files ({' '.join(supported_suffixes())}) found", self.root)
        return self

    def validation_report(self) -> dict[str, Any]:
        """Findings per report, a count per rule and the files that failed: ``textmine validate --json``."""
        fin, docs = self.findings, self.documents
        keys = ("rule", "severity", "where", "expected", "found", "message")
        reports = [{"doc_id": d.doc_id, "path": d.path, "agency": d.agency,
                    "year": None if _missing_none(d.year) is None else int(d.year),
                    "findings": [{k: _missing_none(f[k]) for k in keys}
                                 for f in fin[fin["doc_id"] == d.doc_id].to_dict(orient="records")]}
                   for d in docs.itertuples()]
        return {"reports": reports,
                "summary": {r: int(n) for r, n in fin["rule"].value_counts().sort_index().items()},
                "failed": self.failed_files}

    def frames_for_sql(self) -> list[tuple[str, Any]]:
        """The frames as stored in DuckDB and Parquet (lists of text as lists, dict cells as JSON text)."""
        from .frames import portable

        out = [(name, portable(getattr(self, name).copy()))
               for name in ("documents", "sections", "statements", "statement_themes", "findings", "failed")]
        for t in ("proactive", "requests", "appeals"):
            out.append((f"table_{t}", self.table(t)))
        return out

    def frames_for_store(self) -> list[tuple[str, Any]]:
        """The derived tables of the store (``store.DERIVED``), as `ingest` writes them too."""
        from .frames import build_frames, portable
        from .store import DERIVED

        frames = build_frames(self._rows(), names=[n for n in DERIVED if n != "failed"])
        frames["failed"] = self.failed
        return [(name, portable(frames[name])) for name in DERIVED]

    def to_parquet(self, out_dir: str | os.PathLike) -> list[Path]:
        """Write every frame as Parquet into ``out_dir``; returns the files written."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        from .frames import list_schema

        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, df in self.frames_for_sql():
            p = out / f"{name}.parquet"
            pq.write_table(pa.Table.from_pandas(df, schema=list_schema(df), preserve_index=False), p)
            written.append(p)
        return written


def _missing_none(v: Any) -> Any:
    """pandas' missing value (<NA>, NaN) as None: JSON has null, not the text '<NA>' or NaN."""
    import pandas as pd

    return None if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)) else v


def load_agency_map(spec: Mapping[str, str] | str | os.PathLike | None) -> dict[str, str] | None:
    """A user mapping ``name -> agency_id`` from a dict, or a CSV/TSV (name, agency_id) or YAML/JSON file."""
    if spec is None:
        return None
    if isinstance(spec, Mapping):
        return dict(spec)
    from .resources import read_user_text, safe_yaml

    p = Path(spec)
    if not p.exists():
        raise TextmineError("no such agency mapping file", str(p))
    text = read_user_text(p, "agency mapping", max_mb=20)
    if p.suffix.lower() in (".yaml", ".yml", ".json"):
        import yaml

        try:  # JSON is YAML too
            data = safe_yaml(text, str(p), untrusted=True) or {}
        except yaml.YAMLError as exc:
            raise TextmineError(f"agency mapping is not valid YAML/JSON: {str(exc).splitlines()[0]}", str(p)) from None
        if not isinstance(data, dict):
            raise TextmineError("agency mapping must be a mapping of name: agency_id", str(p))
        return {str(k): str(v) for k, v in data.items()}
    sep = "\t" if "\t" in text else ","
    out = {}
    for line in text.splitlines():
        parts = [x.strip() for x in line.split(sep)]
        if len(parts) >= 2 and parts[0] and parts[0] not in ("name", "agency"):
            out[parts[0]] = parts[1]
    return out
