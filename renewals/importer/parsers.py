"""Field parsers for book cells: plates, phones, dates, money (→ cents), counts and text.

Each parser takes what a reader gives (``str`` from CSV; ``str``/``float``/``int``/``date``/
``datetime`` from XLSX) and returns the value or raises :class:`BadValue` with a reason code.
They sit on the hot path of a 100k-row import, so the common, clean form is checked first and the
slow normalisation (NFKC, regexes) runs only when it fails.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from renewals.phones import InvalidPhone, normalise_phone

__all__ = [
    "BadValue",
    "parse_count",
    "parse_date",
    "parse_money_cents",
    "parse_phone",
    "parse_plate",
    "parse_text",
    "parse_vin",
]

PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
# Ordinary plates: province, city letter, 5 alphanumerics (the last may be 挂/学/警/港/澳);
# new-energy plates have 6 alphanumerics after the city letter (8 characters in all).
_PLATE = re.compile(f"[{PROVINCES}][A-Z](?:[A-Z0-9]{{4}}[A-Z0-9挂学警港澳]|[A-Z0-9]{{6}})")
_PLATE_NOISE = re.compile(r"[\s·•.\-_]")
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 is 1900-01-01 once Lotus's 1900-02-29 is skipped
_MAX_SERIAL = 2958465  # 9999-12-31
_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time part, as datetime cells export
)
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_MONEY_NOISE = re.compile(r"[\s,，￥¥元]|rmb|cny", re.IGNORECASE)
_COUNT_UNITS = re.compile(r"(次|年|座|人|个)$")
_CENT = Decimal("0.01")


class BadValue(ValueError):
    """A cell that cannot be used; ``code`` is stable (``invalid_date``), ``reason`` readable."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def parse_plate(raw: object) -> str:
    """``'京a·12345'``, ``'京Ａ １２３４５'`` → ``'京A12345'``; 8-character new-energy too."""
    if isinstance(raw, str) and _PLATE.fullmatch(raw):
        return raw
    text = _PLATE_NOISE.sub("", unicodedata.normalize("NFKC", str(raw))).upper()
    if not text:
        raise BadValue("missing", "empty")
    if not _PLATE.fullmatch(text):
        raise BadValue(
            "invalid_plate", f"not a plate (province, letter, 5-6 letters/digits): {text}"
        )
    return text


def parse_phone(raw: object) -> str:
    if (
        isinstance(raw, str)
        and len(raw) == 11
        and raw.isdigit()
        and raw.isascii()
        and raw[0] == "1"
        and raw[1] in "3456789"
    ):
        return raw
    try:
        return normalise_phone(raw)
    except InvalidPhone as exc:
        code = "missing" if str(exc) == "empty" else "invalid_phone"
        raise BadValue(code, str(exc)) from None


def parse_date(raw: object) -> date:
    """A date from a date/datetime cell, an Excel serial, or text in the common Chinese forms."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return _from_serial(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        raise BadValue("missing", "empty")
    match = _DATE_TEXT.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise BadValue("invalid_date", f"no such day: {text}") from None
    try:
        serial = float(text)
    except ValueError:
        raise BadValue("invalid_date", f"not a date: {text}") from None
    return _from_serial(serial)


def _from_serial(serial: float) -> date:
    if not 1 <= serial <= _MAX_SERIAL:
        raise BadValue("invalid_date", f"not an Excel date serial: {serial:g}")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_money_cents(raw: object) -> int:
    """``'1,234.50'``, ``'￥1234.5'``, ``1234.5`` → ``123450``; half a cent rounds up."""
    if raw.__class__ is str:
        whole, _, fraction = raw.partition(".")  # type: ignore[attr-defined]
        if whole.isdigit() and whole.isascii() and len(fraction) <= 2:
            if not fraction:
                return int(whole) * 100
            if fraction.isdigit() and fraction.isascii():
                return int(whole) * 100 + int(fraction.ljust(2, "0"))
    if isinstance(raw, float):
        cents = round(raw * 100)
        if abs(raw * 100 - cents) > 1e-6:  # more than two decimals: round half up, exactly
            cents = int(Decimal(repr(raw)).quantize(_CENT, ROUND_HALF_UP) * 100)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        cents = raw * 100
    else:
        text = _MONEY_NOISE.sub("", unicodedata.normalize("NFKC", str(raw)))
        if not text:
            return 0
        try:
            cents = int(Decimal(text).quantize(_CENT, ROUND_HALF_UP) * 100)
        except (InvalidOperation, ValueError):
            raise BadValue("invalid_money", f"not an amount of money: {raw}") from None
    if cents < 0:
        raise BadValue("invalid_money", f"negative amount: {raw}")
    return cents


def parse_count(raw: object) -> int:
    """A non-negative whole number: ``2``, ``2.0``, ``'2'``, ``'2次'``, ``'３年'``."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    else:
        text = _COUNT_UNITS.sub("", unicodedata.normalize("NFKC", str(raw)).strip())
        if not text:
            return 0
        if text.endswith(".0"):
            text = text[:-2]
        if not text.isdigit():
            raise BadValue("invalid_number", f"not a whole number: {raw}")
        value = int(text)
    if value < 0:
        raise BadValue("invalid_number", f"negative: {raw}")
    return value


def parse_vin(raw: object) -> str:
    text = unicodedata.normalize("NFKC", str(raw)).strip().upper().replace(" ", "")
    if not text:
        return ""
    if not _VIN.fullmatch(text):
        raise BadValue("invalid_vin", f"not a 17-character VIN: {text}")
    return text


def parse_text(raw: object, limit: int) -> str:
    """Trimmed text of at most ``limit`` characters; a float-stored number loses its ``.0``."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = raw.strip() if isinstance(raw, str) else str(raw).strip()
    if len(text) > limit:
        raise BadValue("too_long", f"longer than {limit} characters")
    return text
