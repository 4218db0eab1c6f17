"""What an import did: counts, rejected rows (row number, field, reason) and a readable summary."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ImportReport", "Progress", "Rejection", "summarise_zh"]

# Chinese wording of each rejection code for the default summary.
_REASONS_ZH = {
    "missing": "必填项为空",
    "invalid_plate": "车牌号格式不正确",
    "invalid_phone": "不是有效的手机号码",
    "invalid_date": "日期无法识别",
    "invalid_money": "金额无法识别",
    "invalid_number": "不是非负整数",
    "invalid_vin": "车架号应为17位",
    "too_long": "内容过长",
    "duplicate_plate": "车牌号在本文件中重复",
    "start_after_end": "起保日期不早于到期日",
}
_FIELD_ZH = {
    "plate": "车牌号",
    "insured": "被保险人",
    "phone": "手机号",
    "expiry": "保单到期日",
    "start_date": "起保日期",
    "region": "地区",
    "tenure": "续保年限",
    "vin": "车架号",
    "model": "厂牌型号",
    "first_registration": "初次登记日期",
    "seats": "座位数",
    "insurer": "保险公司",
    "commercial_policy_no": "商业险保单号",
    "compulsory_policy_no": "交强险保单号",
    "last_premium": "上年保费",
    "compulsory_premium": "交强险保费",
    "vessel_tax": "车船税",
    "claims": "出险次数",
    "claim_amount": "出险金额",
}


@dataclass(frozen=True, slots=True)
class Rejection:
    """One bad cell: ``row`` as the spreadsheet numbers it (header = 1), the field and why."""

    row: int
    field: str
    reason: str
    code: str = "invalid"

    def as_json(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class Progress:
    """How far an import is: rows read so far and the share of the file (0..1) when known."""

    rows: int
    fraction: float | None


@dataclass(slots=True)
class ImportReport:
    """The outcome of one file. ``inserted``/``updated`` count policies (one per good row)."""

    path: str
    kind: str
    encoding: str
    dry_run: bool
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    customers_inserted: int = 0
    vehicles_inserted: int = 0
    leads_created: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()

    @property
    def rejected_rows(self) -> int:
        return len({r.row for r in self.rejected})

    def as_json(self) -> dict[str, object]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "rejected": [r.as_json() for r in self.rejected],
        }


def summarise_zh(report: ImportReport, *, limit: int = 50) -> str:
    """The default, readable summary for the CLI (Chinese), listing at most ``limit`` rejections."""
    kind = report.kind.upper() + (f", {report.encoding}" if report.encoding else "")
    lines = [
        f"导入 {report.path}（{kind}）：读取 {report.rows_read:,} 行",
        f"  新增保单 {report.inserted:,} 条，更新 {report.updated:,} 条，"
        f"拒绝 {report.rejected_rows:,} 行",
        f"  新客户 {report.customers_inserted:,} 位，新车辆 {report.vehicles_inserted:,} 辆，"
        f"新续保线索 {report.leads_created:,} 条",
    ]
    if report.ignored_columns:
        lines.append("  未识别的列（已忽略）：" + "、".join(report.ignored_columns))
    if report.rejected:
        lines.append("  拒绝明细：")
        for r in report.rejected[:limit]:
            label = _FIELD_ZH.get(r.field, r.field)
            lines.append(
                f"    第 {r.row} 行 {label}：{_REASONS_ZH.get(r.code, r.code)}（{r.reason}）"
            )
        if len(report.rejected) > limit:
            lines.append(
                f"    …另有 {len(report.rejected) - limit:,} 条未列出（用 --json 查看全部）"
            )
    if report.dry_run:
        lines.append("  试运行（--dry-run）：未写入数据库")
    return "\n".join(lines)
