import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from renewals.importer.errors import UnreadableBook
from renewals.importer.readers import detect_encoding, open_book
from tests.book_files import HEADER, break_sheet_after_row, numbered, row, write_csv, write_xlsx


def _read(path: Path) -> tuple[list[object], list[tuple[int, list[object]]]]:
    reader = open_book(path)
    try:
        return reader.header, list(reader.rows())
    finally:
        reader.close()


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_encodings_are_detected_and_chinese_text_survives(
    tmp_path: Path, encoding: str, detected: str
) -> None:
    path = write_csv(
        tmp_path / "book.csv", [row(name="欧阳娜娜", model="别克GL8")], encoding=encoding
    )
    assert detect_encoding(path) == detected
    header, rows = _read(path)
    assert header == HEADER
    assert rows[0][1][1] == "欧阳娜娜"


def test_gbk_character_far_past_the_first_megabyte_is_still_detected(tmp_path: Path) -> None:
    rows = [*numbered(30_000), row(plate="京B99999", name="龘")]
    path = write_csv(tmp_path / "big.csv", rows, encoding="gbk")
    assert path.stat().st_size > 1 << 20
    assert detect_encoding(path) == "gb18030"


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them_skipping_blank_lines(
    tmp_path: Path,
) -> None:
    path = tmp_path / "book.csv"
    path.write_text(
        "\n" + ",".join(HEADER) + "\n" + ",".join(map(str, row())) + "\n,,,\n\n"
        + ",".join(map(str, row(plate="京B12345"))) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    _, rows = _read(path)
    assert [n for n, _ in rows] == [3, 6]


def test_tab_separated_text_as_excel_saves_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "book.txt"
    path.write_text("\t".join(HEADER) + "\n" + "\t".join(map(str, row())) + "\n", "utf-16")
    header, rows = _read(path)
    assert header == HEADER and rows[0][1][0] == "京A12345"


def test_xlsx_rows_keep_their_sheet_numbers_and_typed_cells(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [
            row(expiry=datetime(2026, 2, 15), premium=3210.5),
            [],
            row(plate="京B12345", expiry=46070),
        ],
        blank_rows_above=2,
    )
    reader = open_book(path)
    try:
        assert reader.header_row == 3
        rows = list(reader.rows())
        assert reader.fraction_done() == 1.0
    finally:
        reader.close()
    assert [n for n, _ in rows] == [4, 6]
    assert rows[0][1][3] in (datetime(2026, 2, 15), date(2026, 2, 15))
    assert rows[0][1][4] == 3210.5
    assert rows[1][1][3] == 46070


def test_xlsx_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "book.xlsx", [row()])
    renamed = path.rename(tmp_path / "export.dat")
    header, rows = _read(renamed)
    assert header == HEADER and len(rows) == 1


def test_missing_file_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableBook, match="No such file"):
        open_book(tmp_path / "nope.csv")


def test_corrupt_xlsx_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(UnreadableBook):
        open_book(path)


def test_empty_files_are_unreadable(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(UnreadableBook, match="empty"):
        open_book(tmp_path / "empty.csv")
    with pytest.raises(UnreadableBook, match="empty"):
        open_book(write_xlsx(tmp_path / "empty.xlsx", [], header=[]))


def test_binary_garbage_is_not_taken_for_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    with pytest.raises(UnreadableBook):
        open_book(path)


def _looks_like_header(cells: list[object]) -> bool:
    return "车牌号" in cells


def test_title_rows_above_the_header_are_skipped_and_numbering_kept(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_text(
        "2026年1月续保清单,,\n导出人：张三,,\n"
        + ",".join(HEADER)
        + "\n"
        + ",".join(map(str, row())),
        encoding="gbk",
    )
    reader = open_book(path, is_header=_looks_like_header)
    try:
        assert (reader.header_row, reader.header) == (3, HEADER)
        assert [n for n, _ in reader.rows()] == [4]
    finally:
        reader.close()
    xlsx = write_xlsx(tmp_path / "titled.xlsx", [row()], blank_rows_above=0)
    reader = open_book(xlsx, is_header=_looks_like_header)
    try:
        assert reader.header_row == 1
    finally:
        reader.close()


def test_when_no_row_looks_like_a_header_the_first_non_blank_row_is_returned(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "odd.csv", [row()], header=["a", "b"])
    reader = open_book(path, is_header=_looks_like_header)
    try:
        assert reader.header == ["a", "b"]
    finally:
        reader.close()


def test_an_xlsx_sheet_broken_half_way_is_unreadable_at_that_row(tmp_path: Path) -> None:
    # Rows are streamed from the file, so a sheet can turn out broken after the header.
    path = break_sheet_after_row(write_xlsx(tmp_path / "book.xlsx", [row()] * 5), 4)
    reader = open_book(path)
    try:
        assert reader.header == HEADER
        seen: list[int] = []
        # calamine looks one row ahead, so row 4 (intact) is lost with the break after it.
        with pytest.raises(UnreadableBook, match="cannot read the sheet past row 3: XmlError"):
            for number, _cells in reader.rows():
                seen.append(number)
        assert seen == [2, 3]
    finally:
        reader.close()


def test_xlsx_progress_comes_from_the_declared_dimension(tmp_path: Path) -> None:
    from renewals.xlsxwrite import write_xlsx as stream_xlsx

    rows: list[list[object]] = [list(HEADER), *([row()] * 3)]
    declared = stream_xlsx(tmp_path / "declared.xlsx", rows, size=(4, len(HEADER)))
    assert declared == 4
    silent = tmp_path / "silent.xlsx"
    stream_xlsx(silent, rows)  # no size: no <dimension>
    for path, halfway in ((tmp_path / "declared.xlsx", 0.5), (silent, None)):
        reader = open_book(path)
        try:
            assert reader.fraction_done() == (0.25 if halfway else None)
            rows_iter = reader.rows()
            next(rows_iter)
            assert reader.fraction_done() == halfway
            assert len(list(rows_iter)) == 2
        finally:
            reader.close()


def test_a_spreadsheet_that_cannot_stream_is_read_whole(tmp_path: Path) -> None:
    # An OpenDocument sheet (a zip, so it reaches the workbook reader): calamine reads it,
    # but not as a stream.
    path = tmp_path / "book.ods"
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    cells = "".join(cell.format(h) for h in HEADER)
    values = "".join(cell.format(v) for v in row())
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="续保清单">'
        f"<table:table-row>{cells}</table:table-row><table:table-row>{values}</table:table-row>"
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest'
        ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/"'
        ' manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    header, rows = _read(path)
    assert header == HEADER
    assert [n for n, _ in rows] == [2] and rows[0][1][0] == "京A12345"
