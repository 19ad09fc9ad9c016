"""The Parquet output of ``ingest --parquet DIR``: a folder textmine owns, replaced whole, never a user file lost.

The datasets are written into a staging folder beside ``DIR`` and swapped in when complete; a marker
file (``.textmine-parquet.json``) lists every file textmine wrote. ``DIR`` is replaced only when it is
new, empty, or holds exactly the files of its marker: anything else in it is refused, not deleted.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

from .errors import TextmineError

MARKER = ".textmine-parquet.json"
_STAGING = ".textmine-staging"  # inside a staging or retired folder: ours to delete


def _files(root: Path) -> list[str]:
    out = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            out.append((Path(dirpath) / n).relative_to(root).as_posix())
    return sorted(out)


def check_replaceable(root: Path) -> None:
    """A clear error unless ``root`` may be replaced by a new output (see the module docstring)."""
    if not root.exists():
        return
    if not root.is_dir() or root.is_symlink():
        raise TextmineError("the Parquet output must be a folder (it is a file or a link)", str(root))
    try:
        present = _files(root)
    except OSError as exc:
        raise TextmineError(f"cannot read the Parquet output folder ({exc.strerror})", str(root)) from None
    if not present:
        return
    try:
        listed = set(json.loads((root / MARKER).read_text(encoding="utf-8"))["files"])
    except (OSError, ValueError, KeyError, TypeError):
        raise TextmineError("the folder holds files textmine did not write; give --parquet a new or empty "
                            "folder (nothing was changed)", str(root)) from None
    foreign = [f for f in present if f != MARKER and f not in listed]
    if foreign:
        raise TextmineError(f"the folder holds files textmine did not write ({foreign[0]}"
                            f"{f' and {len(foreign) - 1} more' if len(foreign) > 1 else ''}); move them or give "
                            "--parquet another folder (nothing was changed)", str(root))


class ParquetTree:
    """Datasets written into a staging folder, then swapped in for ``root`` by :meth:`commit`."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root).absolute()
        check_replaceable(self.root)
        self._sweep()
        tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.stage = self.root.parent / f".{self.root.name}.textmine-new-{tag}"
        self.retired = self.root.parent / f".{self.root.name}.textmine-old-{tag}"
        try:
            self.stage.mkdir(parents=True)
            (self.stage / _STAGING).touch()
        except OSError as exc:
            raise TextmineError(f"cannot create the Parquet output ({exc.strerror})", str(self.root)) from None

    def _sweep(self) -> None:
        """Staging and retired folders of runs killed before they finished (only ours: they carry the tag file)."""
        try:
            leftovers = list(self.root.parent.glob(f".{self.root.name}.textmine-*"))
        except OSError:
            return
        for d in leftovers:
            if not d.is_dir() or d.is_symlink():
                continue
            if (d / _STAGING).is_file():
                shutil.rmtree(d, ignore_errors=True)
            elif (d / MARKER).is_file():  # killed between marking and swapping in: still only our files
                try:
                    check_replaceable(d)
                except TextmineError:
                    continue
                shutil.rmtree(d, ignore_errors=True)

    def dataset(self, name: str) -> Path:
        return self.stage / name

    def write_batches(self, name: str, batches, partition: str | None) -> None:
        """Append Arrow record batches to dataset ``name``, partitioned by ``partition`` (a column) if given."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        root = self.dataset(name)
        root.mkdir(parents=True, exist_ok=True)
        for i, batch in enumerate(batches):
            table = pa.Table.from_batches([batch]).replace_schema_metadata(None)
            if not table.num_rows:
                continue
            pq.write_to_dataset(table, root_path=str(root), partition_cols=[partition] if partition else None,
                                basename_template=f"part-{i}-{{i}}.parquet")

    def commit(self) -> None:
        """Mark the staged tree as textmine's and put it in place of ``root`` (the old tree is deleted
        only after the new one is in place)."""
        listed = [f for f in _files(self.stage) if f != _STAGING]
        (self.stage / MARKER).write_text(json.dumps({"format": 1, "files": listed}), encoding="utf-8")
        check_replaceable(self.root)  # again: a user may have put a file there while we parsed
        if self.root.exists():
            (self.root / _STAGING).touch()  # checked above: empty or all ours
            os.rename(self.root, self.retired)
        (self.stage / _STAGING).unlink()
        os.rename(self.stage, self.root)
        shutil.rmtree(self.retired, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.stage, ignore_errors=True)
