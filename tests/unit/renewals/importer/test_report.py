from renewals.importer.report import ImportReport, Rejection, summarise_zh


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


def test_summary_counts_rows_and_lists_rejections_up_to_a_limit() -> None:
    text = summarise_zh(_report(60), limit=50)
    assert "导入 book.csv（CSV, gb18030）：读取 62 行" in text
    assert "新增保单 2 条，更新 0 条，拒绝 60 行" in text
    assert "未识别的列（已忽略）：备注" in text
    assert "第 2 行 手机号：必填项为空（empty）" in text
    assert "第 52 行" not in text
    assert "…另有 10 条未列出（用 --json 查看全部）" in text
    assert "试运行" not in text


def test_dry_run_is_said_and_json_has_exactly_three_keys() -> None:
    report = _report(1, dry_run=True)
    assert "试运行（--dry-run）：未写入数据库" in summarise_zh(report)
    assert report.as_json() == {
        "inserted": 2,
        "updated": 0,
        "rejected": [{"row": 2, "field": "phone", "reason": "empty"}],
    }


def test_several_bad_fields_of_one_row_count_as_one_rejected_row() -> None:
    report = _report(0)
    report.rejected = [Rejection(5, "phone", "x", "invalid_phone"), Rejection(5, "plate", "y")]
    assert report.rejected_rows == 1
