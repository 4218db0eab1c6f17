from renewals.importer.report import ImportReport, Rejection


def _report(rejections: int, *, dry_run: bool = False) -> ImportReport:
    return ImportReport(
        path="book.csv",
        kind="csv",
        encoding="gb18030",
        dry_run=dry_run,
        rows_read=rejections + 2,
        inserted=2,
        rejected=[
            Rejection(row=n + 2, field="phone", reason="empty", code="missing")
            for n in range(rejections)
        ],
        ignored_columns=("备注",),
    )


def test_json_has_exactly_three_keys() -> None:
    report = _report(1, dry_run=True)
    assert report.as_json() == {
        "inserted": 2,
        "updated": 0,
        "rejected": [{"row": 2, "field": "phone", "reason": "empty"}],
    }


def test_several_bad_fields_of_one_row_count_as_one_rejected_row() -> None:
    report = _report(0)
    report.rejected = [Rejection(5, "phone", "x", "invalid_phone"), Rejection(5, "plate", "y")]
    assert report.rejected_rows == 1
