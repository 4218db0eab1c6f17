"""Header aliases: which column of a renewal book holds which field, in Chinese or English.

Insurers' and dealers' exports name the same column many ways (车牌号, 车牌, 号牌号码, plate …);
headers are compared after NFKC (full-width → ASCII), lower-casing and dropping spaces, unit
suffixes such as ``(元)`` and required-markers ``*``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "COVERAGES",
    "REQUIRED",
    "CoverageColumn",
    "Field",
    "Layout",
    "has_required_columns",
    "normalise_header",
    "resolve_header",
]


class Field(StrEnum):
    """A scalar field of a book row (the value of ``Rejection.field``)."""

    PLATE = "plate"
    NAME = "insured"
    PHONE = "phone"
    END_DATE = "expiry"
    START_DATE = "start_date"
    REGION = "region"
    TENURE = "tenure"
    VIN = "vin"
    MODEL = "model"
    FIRST_REGISTRATION = "first_registration"
    SEATS = "seats"
    INSURER = "insurer"
    COMMERCIAL_NO = "commercial_policy_no"
    COMPULSORY_NO = "compulsory_policy_no"
    COMMERCIAL_PREMIUM = "last_premium"
    COMPULSORY_PREMIUM = "compulsory_premium"
    VESSEL_TAX = "vessel_tax"
    CLAIM_COUNT = "claims"
    CLAIM_AMOUNT = "claim_amount"


REQUIRED = (Field.PLATE, Field.NAME, Field.PHONE, Field.END_DATE)

_ALIASES: dict[Field, tuple[str, ...]] = {
    Field.PLATE: ("车牌号", "车牌", "车牌号码", "号牌号码", "plate", "plateno", "licenseplate"),
    Field.NAME: ("被保险人", "被保险人姓名", "客户姓名", "姓名", "车主", "insured", "name"),
    Field.PHONE: ("手机号", "手机号码", "手机", "联系电话", "电话", "phone", "mobile"),
    Field.END_DATE: (
        "保单到期日",
        "到期日",
        "到期日期",
        "保险止期",
        "终保日期",
        "商业险到期日",
        "expiry",
        "expirydate",
        "enddate",
    ),
    Field.START_DATE: ("起保日期", "保险起期", "起保日", "startdate", "start"),
    Field.REGION: ("地区", "区域", "城市", "region", "city"),
    Field.TENURE: ("续保年限", "连续投保年限", "投保年限", "tenure", "tenureyears"),
    Field.VIN: ("车架号", "vin", "车辆识别代号", "vin码"),
    Field.MODEL: ("厂牌型号", "车型", "品牌型号", "model", "vehiclemodel"),
    Field.FIRST_REGISTRATION: (
        "初次登记日期",
        "初登日期",
        "注册日期",
        "firstregistration",
        "registrationdate",
    ),
    Field.SEATS: ("座位数", "核定载客", "seats"),
    Field.INSURER: ("保险公司", "承保公司", "insurer"),
    Field.COMMERCIAL_NO: ("商业险保单号", "商业险保单号码", "commercialpolicyno"),
    Field.COMPULSORY_NO: ("交强险保单号", "交强险保单号码", "compulsorypolicyno"),
    Field.COMMERCIAL_PREMIUM: (
        "上年保费",
        "商业险保费",
        "上年商业险保费",
        "lastpremium",
        "commercialpremium",
    ),
    Field.COMPULSORY_PREMIUM: ("交强险保费", "compulsorypremium"),
    Field.VESSEL_TAX: ("车船税", "vesseltax"),
    Field.CLAIM_COUNT: ("出险次数", "上年出险次数", "理赔次数", "claims", "claimcount"),
    Field.CLAIM_AMOUNT: ("出险金额", "赔款金额", "理赔金额", "claimamount"),
}

# Coverage codes as agents say them (Coverage.code), with the names books use for each.
COVERAGES: dict[str, tuple[str, ...]] = {
    "车损险": ("车损险", "车损", "机动车损失保险", "车辆损失险", "vehicledamage"),
    "三者险": ("三者险", "三者", "第三者责任险", "第三者责任保险", "thirdparty"),
    "司机险": ("司机险", "车上人员责任险(司机)", "车上人员(司机)", "driver"),
    "乘客险": ("乘客险", "车上人员责任险(乘客)", "车上人员(乘客)", "passenger"),
    "盗抢险": ("盗抢险", "全车盗抢险", "theft"),
    "划痕险": ("划痕险", "车身划痕损失险", "scratch"),
    "玻璃险": ("玻璃险", "玻璃单独破碎险", "glass"),
    "医保外用药": ("医保外用药", "医保外医疗费用责任险", "outofplanmedical"),
}

_AMOUNT_WORDS = ("保额", "保险金额", "sum insured", "suminsured", "amount")
_PREMIUM_WORDS = ("保费", "premium")
_UNIT_SUFFIX = re.compile(r"[(\[](元|万元|rmb|cny|yuan|日期|次|年|座)[)\]]$")
_DROP = re.compile(r"[\s*_\-:：]")


def normalise_header(text: object) -> str:
    """``' 上年保费（元）* '`` → ``'上年保费'``; ``'Plate No'`` → ``'plateno'``."""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    folded = _UNIT_SUFFIX.sub("", _DROP.sub("", folded))
    return folded


def _alias_table() -> dict[str, Field]:
    table: dict[str, Field] = {}
    for field, names in _ALIASES.items():
        for name in names:
            table[normalise_header(name)] = field
    return table


def _coverage_table() -> dict[str, tuple[str, str]]:
    # header → (coverage code, "amount" | "premium")
    table: dict[str, tuple[str, str]] = {}
    for code, names in COVERAGES.items():
        for name in names:
            for word in _AMOUNT_WORDS:
                table[normalise_header(name + word)] = (code, "amount")
            for word in _PREMIUM_WORDS:
                table[normalise_header(name + word)] = (code, "premium")
    return table


@dataclass(frozen=True, slots=True)
class CoverageColumn:
    """Where one coverage's insured amount and premium sit (column indexes, -1 when absent)."""

    code: str
    amount_index: int
    premium_index: int


@dataclass(frozen=True, slots=True)
class Layout:
    """The resolved header: field → column index, the coverages, and what was not understood."""

    fields: dict[Field, int]
    headers: dict[Field, str]
    coverages: tuple[CoverageColumn, ...]
    ignored: tuple[str, ...]
    width: int

    def missing_required(self) -> tuple[str, ...]:
        return tuple(f.value for f in REQUIRED if f not in self.fields)


def has_required_columns(row: list[object]) -> bool:
    """Whether ``row`` can be a book's header: it names every column a lead needs."""
    return not resolve_header(row).missing_required()


def resolve_header(row: list[object]) -> Layout:
    """Map a header row to a :class:`Layout`; the first of two columns for one field wins."""
    aliases = _alias_table()
    coverage_names = _coverage_table()
    fields: dict[Field, int] = {}
    headers: dict[Field, str] = {}
    coverage_cols: dict[str, dict[str, int]] = {}
    ignored: list[str] = []
    for index, raw in enumerate(row):
        key = normalise_header(raw)
        if not key:
            continue
        field = aliases.get(key)
        if field is not None:
            if field not in fields:
                fields[field] = index
                headers[field] = str(raw).strip()
            continue
        coverage = coverage_names.get(key)
        if coverage is not None:
            coverage_cols.setdefault(coverage[0], {}).setdefault(coverage[1], index)
            continue
        ignored.append(str(raw).strip())
    coverages = tuple(
        CoverageColumn(
            code=code, amount_index=c.get("amount", -1), premium_index=c.get("premium", -1)
        )
        for code, c in coverage_cols.items()
    )
    return Layout(
        fields=fields, headers=headers, coverages=coverages, ignored=tuple(ignored), width=len(row)
    )
