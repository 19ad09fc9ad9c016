"""Resource limits for untrusted files (sizes, zip bombs, XML entity expansion)."""

from __future__ import annotations

import os
import zipfile

from ..errors import TextmineError

# Defaults; override with environment variables (documented in the README).
MAX_FILE_MB = float(os.environ.get("TEXTMINE_MAX_FILE_MB", "100"))
MAX_UNZIPPED_MB = float(os.environ.get("TEXTMINE_MAX_UNZIPPED_MB", "200"))
MAX_PDF_PAGES = int(os.environ.get("TEXTMINE_MAX_PDF_PAGES", "300"))


def check_size(path: str, size: int) -> None:
    if size > MAX_FILE_MB * 1024 * 1024:
        raise TextmineError(f"file is {size / 1048576:.0f} MB, over the {MAX_FILE_MB:.0f} MB limit", path)


def check_zip(zf: zipfile.ZipFile, path: str) -> None:
    """Refuse archives that would inflate beyond the limit, before inflating anything."""
    total = sum(i.file_size for i in zf.infolist())
    if total > MAX_UNZIPPED_MB * 1024 * 1024:
        raise TextmineError(
            f"archive would inflate to {total / 1048576:.0f} MB, over the {MAX_UNZIPPED_MB:.0f} MB limit", path
        )


def safe_xml(data: bytes, path: str):
    """Parse XML with entity expansion, DTD loading and network access off."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise TextmineError(f"damaged XML inside the file ({exc.msg})", path) from None
