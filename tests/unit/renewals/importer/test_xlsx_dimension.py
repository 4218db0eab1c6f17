"""The declared row count of an XLSX sheet, for the import's progress bar."""

from __future__ import annotations

import zipfile
from pathlib import Path

from renewals.importer.xlsx_dimension import declared_rows
from renewals.xlsxwrite import write_xlsx

ROWS: list[list[object]] = [["车牌号", "手机号"], ["沪A12345", "13800138000"]]


def _rewrite(path: Path, name: str, change: bytes) -> Path:
    """``path`` with the part ``name`` replaced by ``change``."""
    out = path.with_name("changed-" + path.name)
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, change if item.filename == name else source.read(item))
    return out


def test_the_declared_dimension_gives_the_last_row(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(path, ROWS, sheet_name="续保清单", size=(100_001, 27))
    assert declared_rows(path, "续保清单") == 100_001
    assert declared_rows(path, "另一张表") is None


def test_no_dimension_or_no_workbook_gives_none(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(path, ROWS)
    assert declared_rows(path, "Sheet1") is None
    text = tmp_path / "book.csv"
    text.write_text("车牌号\n", encoding="utf-8")
    assert declared_rows(text, "Sheet1") is None


def test_a_sheet_part_named_from_the_package_root_is_found(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_xlsx(path, ROWS, size=(2, 2))
    with zipfile.ZipFile(path) as book:
        rels = book.read("xl/_rels/workbook.xml.rels")
    absolute = rels.replace(b'Target="worksheets/', b'Target="/xl/worksheets/')
    assert absolute != rels
    assert declared_rows(_rewrite(path, "xl/_rels/workbook.xml.rels", absolute), "Sheet1") == 2


def test_entities_in_the_workbook_part_are_refused_not_expanded(tmp_path: Path) -> None:
    # Harmless here, but entity expansion is how XML bombs work: a part declaring entities is
    # not read at all (a plain parser would expand this one and find the sheet).
    path = tmp_path / "book.xlsx"
    write_xlsx(path, ROWS, size=(2, 2))
    with_entity = (
        b'<?xml version="1.0"?><!DOCTYPE workbook [<!ENTITY n "Sheet1">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
        b' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<sheets><sheet name="&n;" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    assert declared_rows(_rewrite(path, "xl/workbook.xml", with_entity), "Sheet1") is None
