"""How many rows an XLSX sheet says it has, read from its ``<dimension>`` without reading the sheet.

The streaming reader cannot know a sheet's height before the end, but Excel, WPS, openpyxl and
xlsxwriter all declare the used range near the top of the sheet's XML (``<dimension
ref="A1:AA100001"/>``). That is enough for a progress bar; anything missing or odd gives
``None`` (no percentage, only the row count), never an error.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

__all__ = ["declared_rows"]

_HEAD_BYTES = 4096  # the dimension comes before the rows, right after the root element
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"(?:[A-Z]{1,3}\d+:)?[A-Z]{1,3}(\d{1,7})\"")
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAX_PART_BYTES = 1 << 20  # workbook.xml and its rels are small; refuse to inflate a bomb


def declared_rows(path: Path, sheet_name: str) -> int | None:
    """The last row of the sheet named ``sheet_name`` as the workbook declares it, or None."""
    try:
        with zipfile.ZipFile(path) as book:
            part = _sheet_part(book, sheet_name)
            if part is None:
                return None
            with book.open(part) as sheet:
                head = sheet.read(_HEAD_BYTES)
    except (OSError, KeyError, zipfile.BadZipFile, ParseError, DefusedXmlException, ValueError):
        return None
    found = _DIMENSION.search(head)
    return int(found[1]) if found else None


def _sheet_part(book: zipfile.ZipFile, sheet_name: str) -> str | None:
    workbook = _small_xml(book, "xl/workbook.xml")
    rel_id = next(
        (
            sheet.get(f"{_REL}id")
            for sheet in workbook.iter(f"{_MAIN}sheet")
            if sheet.get("name") == sheet_name
        ),
        None,
    )
    if rel_id is None:
        return None
    rels = _small_xml(book, "xl/_rels/workbook.xml.rels")
    for rel in rels.iter(f"{_PACKAGE_REL}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            # Relative to xl/ unless absolute within the package.
            return target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return None


def _small_xml(book: zipfile.ZipFile, name: str) -> Element:
    if book.getinfo(name).file_size > _MAX_PART_BYTES:
        raise ValueError(f"{name} is implausibly large")
    return fromstring(book.read(name))  # defused: no entities, no external references
