"""A small streaming XLSX writer: one sheet of plain values, rows written as they come.

Enough for demo books and benchmarks (strings, numbers, dates) without a runtime dependency on
openpyxl, which is only a development tool here; memory stays flat because each row goes
straight into the compressed sheet entry.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from xml.sax.saxutils import escape

__all__ = ["write_xlsx"]

_EXCEL_EPOCH = datetime(1899, 12, 30)
_OOXML = "http://schemas.openxmlformats.org"
_DOC_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_REL_TYPE = f"{_OOXML}/officeDocument/2006/relationships"

_CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_DOC_TYPE}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_DOC_TYPE}.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="{_DOC_TYPE}.styles+xml"/>
</Types>"""
_ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL_TYPE}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{ns}/spreadsheetml/2006/main"
 xmlns:r="{ns}/officeDocument/2006/relationships">
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>
</workbook>"""
_WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{_REL_TYPE}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{_REL_TYPE}/styles" Target="styles.xml"/>
</Relationships>"""
# Style 1 is a date (built-in format 14), style 2 a date and time (built-in format 22).
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell(ref: str, value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        serial = (value.replace(tzinfo=None) - _EXCEL_EPOCH).total_seconds() / 86400
        return f'<c r="{ref}" s="2"><v>{serial!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="1"><v>{(value - _EXCEL_EPOCH.date()).days}</v></c>'
    return (
        f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'
    )


def write_xlsx(
    path: Path,
    rows: Iterable[list[object]],
    *,
    sheet_name: str = "Sheet1",
    size: tuple[int, int] | None = None,
) -> int:
    """Write ``rows`` (the first is usually the header) to a new workbook; return rows written.

    ``size`` (rows, columns), when the caller knows it, is declared as the sheet's used range
    (``<dimension>``), as Excel and WPS write it: readers use it to show progress.
    """
    letters: list[str] = []
    count = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(ns=_OOXML, name=escape(sheet_name)))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            head = _SHEET_HEAD
            if size is not None and size[0] > 0 and size[1] > 0:
                last = f"{_column_letters(size[1] - 1)}{size[0]}"
                head = head.replace("<sheetData>", f'<dimension ref="A1:{last}"/><sheetData>')
            sheet.write(head.encode())
            for count, row in enumerate(rows, start=1):
                while len(letters) < len(row):
                    letters.append(_column_letters(len(letters)))
                cells = "".join(_cell(f"{letters[i]}{count}", v) for i, v in enumerate(row))
                sheet.write(f'<row r="{count}">{cells}</row>'.encode())
            sheet.write(_SHEET_TAIL.encode())
    return count
