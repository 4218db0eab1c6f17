"""The import summary the command line prints, in Chinese by default and in English."""

from __future__ import annotations

from config.import_summary import summarise
from config.messages import Messages
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
        ignored_columns=("备注", "备用"),
    )


def test_chinese_summary_counts_rows_and_lists_rejections_up_to_a_limit() -> None:
    text = summarise(_report(60), Messages("zh_CN"), limit=50)
    assert "导入 book.csv（CSV, gb18030）：读取 62 行" in text
    assert "新增保单 2 条，更新 0 条，拒绝 60 行" in text
    assert "未识别的列（已忽略）：备注、备用" in text
    assert "第 2 行 手机号：必填项为空（empty）" in text
    assert "第 52 行" not in text
    assert "…另有 10 条未列出（用 --json 查看全部）" in text
    assert "试运行" not in text


def test_english_summary_has_no_chinese_but_the_data() -> None:
    text = summarise(_report(60, dry_run=True), Messages("en"), limit=50)
    assert "Import book.csv (CSV, gb18030): 62 rows read" in text
    assert "2 policies added, 0 updated, 60 rows rejected" in text
    assert "Columns not recognised (ignored): 备注, 备用" in text
    assert "row 2 mobile: required value is empty (empty)" in text
    assert "…10 more not listed (--json lists them all)" in text
    assert "Dry run (--dry-run): nothing was written to the database" in text
    assert "行" not in text


def test_an_unknown_code_or_field_is_shown_as_is() -> None:
    report = _report(0)
    report.rejected = [Rejection(7, "colour", "purple", "odd_code")]
    assert "第 7 行 colour：odd_code（purple）" in summarise(report, Messages("zh_CN"))


def test_chinese_dry_run_is_said() -> None:
    assert "试运行（--dry-run）：未写入数据库" in summarise(
        _report(1, dry_run=True), Messages("zh_CN")
    )
