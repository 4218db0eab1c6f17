"""Why a lead is (or is not) due: a stable code for programs, Chinese and English for people."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Reason", "Reasons"]


@dataclass(frozen=True, kw_only=True)
class Reason:
    code: str
    zh: str
    en: str


class Reasons:
    """The catalogue; ``code`` values are part of the CLI's JSON output, keep them stable."""

    # Not due.
    NOT_OPEN = Reason(code="not_open", zh="线索已结束（成交/流失/错误数据）", en="lead is closed")
    DO_NOT_CALL_REFUSED = Reason(
        code="dnc_refused", zh="客户拒绝，免打扰期内", en="customer refused: blocked for now"
    )
    DO_NOT_CALL_OPT_OUT = Reason(
        code="dnc_opt_out", zh="客户要求永不来电", en="customer opted out: never call"
    )
    EXPIRED = Reason(code="expired", zh="保单已到期", en="policy has expired")
    NOT_LISTED = Reason(
        code="not_listed", zh="尚未进入续保清单（到期前60天）", en="not yet in the renewal list"
    )
    WAITING_FIRST_CALL = Reason(
        code="waiting_first_call",
        zh="已进入续保清单，首拨在到期前50天",
        en="listed; first call is due at T-50",
    )
    OUTSIDE_HOURS = Reason(
        code="outside_hours",
        zh="不在客户当地的可拨打时段内",
        en="outside calling hours in the customer's time zone",
    )
    RETRY_WAIT = Reason(code="retry_wait", zh="重拨间隔未到", en="waiting before the next retry")
    CALLBACK_LATER = Reason(
        code="callback_later", zh="客户预约的回拨时间未到", en="callback time not reached"
    )
    DAILY_CAP = Reason(code="daily_cap", zh="今日拨打次数已达上限", en="daily attempt cap reached")
    # Due.
    CALLBACK_DUE = Reason(
        code="callback_due", zh="客户预约的回拨时间已到", en="callback the customer asked for"
    )
    FIRST_CALL = Reason(
        code="first_call", zh="首拨提醒及了解需求", en="first call: reminder and needs"
    )
    QUOTE = Reason(code="quote", zh="报价及促成", en="quote and close")
    FOLLOW_UP = Reason(
        code="follow_up", zh="临近到期，加大跟踪力度", en="close to expiry: step up follow-up"
    )
    RETRY_DUE = Reason(code="retry_due", zh="重拨时间已到", en="retry is due")
