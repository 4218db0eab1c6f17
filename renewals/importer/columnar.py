"""Whole-column fast paths: a chunk's column of clean cells → parsed values, at C speed.

Per-cell parsing costs about a microsecond a cell, and a 100k-row book has 2.7 million cells.
Clean exports are the rule, so each column of a chunk is first checked as a whole: string cells
are joined and matched by one regular expression (each item of which is exactly the clean form
the per-cell parser accepts unchanged), typed XLSX cells are checked by their types; the values
are then converted with C-level ``map``. Any cell outside the clean form makes the fast path give
up (``None``) and the caller parses that column cell by cell, so results never differ from the
per-cell parsers in :mod:`renewals.importer.parsers`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from itertools import repeat

from renewals.importer.parsers import PROVINCES

__all__ = ["FastParse", "fast_parser"]

FastParse = Callable[[Sequence[object]], list[object] | None]

_SEP = "\x00"  # joins a column's cells; no item pattern matches it, so items cannot run together
_PLATE = f"[{PROVINCES}][A-Z](?:[A-Z0-9]{{4}}[A-Z0-9挂学警港澳]|[A-Z0-9]{{6}})"
_PHONE = "1[3-9][0-9]{9}"
_ISO_DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
_COUNT = "[0-9]{1,9}"
# At most 12 digits before the point: float(text) * 100 is then within 0.02 cent of the exact
# value, so rounding it gives the same cents as the per-cell parser's integer arithmetic.
_MONEY = r"[0-9]{1,12}(?:\.[0-9]{0,2})?"
_VIN = "[A-HJ-NPR-Z0-9]{17}"
_NUMBERS = frozenset({int, float})  # exactly these types: a bool cell is not a number here


def _text(limit: int) -> str:
    # Non-blank, no surrounding whitespace (so strip() is a no-op), at most ``limit`` characters.
    return rf"(?!\s)[^\x00]{{1,{limit}}}(?<!\s)"


def _column_pattern(item: str, *, blanks: bool) -> re.Pattern[str]:
    one = f"(?:{item})?" if blanks else f"(?:{item})"
    return re.compile(f"(?:{one}{_SEP})*+{one}")  # possessive: no backtracking


def _all_str(column: Sequence[object], pattern: re.Pattern[str]) -> bool:
    try:
        joined = _SEP.join(column)  # type: ignore[arg-type]
    except TypeError:  # a typed (XLSX) cell
        return False
    return pattern.fullmatch(joined) is not None


def _types(column: Sequence[object]) -> set[type]:
    return set(map(type, column))


def _identity(item: str, *, blanks: bool) -> FastParse:
    pattern = _column_pattern(item, blanks=blanks)

    def parse(column: Sequence[object]) -> list[object] | None:
        return list(column) if _all_str(column, pattern) else None

    return parse


def _dates(*, blanks: bool, default: object) -> FastParse:
    pattern = _column_pattern(_ISO_DATE, blanks=blanks)

    def parse(column: Sequence[object]) -> list[object] | None:
        if _types(column) == {date}:  # XLSX date cells (a datetime would need .date())
            return list(column)
        if not _all_str(column, pattern):
            return None
        try:
            converted = {v: date.fromisoformat(v) if v else default for v in set(column)}  # type: ignore[arg-type]
        except ValueError:  # 2026-02-30: the per-cell parser words the reason
            return None
        return list(map(converted.__getitem__, column))

    return parse


def _counts(*, blanks: bool, default: object) -> FastParse:
    pattern = _column_pattern(_COUNT, blanks=blanks)

    def parse(column: Sequence[object]) -> list[object] | None:
        types = _types(column)
        if types and types <= _NUMBERS:  # XLSX number cells: int when whole, else float
            numbers: Sequence[float] = column  # type: ignore[assignment]
            if float in types and not all(map(float.is_integer, map(float, numbers))):
                return None
            return list(map(int, numbers)) if min(numbers) >= 0 else None
        if not _all_str(column, pattern):
            return None
        converted = {v: int(v) if v else default for v in set(column)}  # type: ignore[call-overload]
        return list(map(converted.__getitem__, column))

    return parse


def _money(*, blanks: bool) -> FastParse:
    pattern = _column_pattern(_MONEY, blanks=blanks)

    def parse(column: Sequence[object]) -> list[object] | None:
        types = _types(column)
        if types and types <= _NUMBERS:
            return _float_cents(list(map(float, column)))  # type: ignore[arg-type]
        numbers = types - {str}
        if blanks and str in types and numbers and numbers <= _NUMBERS:  # XLSX: empty cells
            filled = [0.0 if v == "" else v for v in column]
            if not _types(filled) <= _NUMBERS:
                return None
            return _float_cents(list(map(float, filled)))  # type: ignore[arg-type]
        if not _all_str(column, pattern):
            return None
        scaled = [float(v) * 100 if v else 0.0 for v in column]  # type: ignore[arg-type]
        return list(map(round, scaled))

    return parse


def _float_cents(column: Sequence[float]) -> list[object] | None:
    # Negative amounts are refused by the per-cell parser; from 10^12 on, a float no longer
    # holds every cent exactly (integer cells there are converted exactly, cell by cell).
    if min(column, default=0.0) < 0 or max(column, default=0.0) >= 1e12:
        return None
    scaled = list(map(float.__mul__, column, repeat(100.0)))
    cents = list(map(round, scaled))
    # More than two decimals: the per-cell parser rounds half up exactly (Decimal).
    if max(map(abs, map(float.__sub__, scaled, cents)), default=0.0) > 1e-6:
        return None
    return cents  # type: ignore[return-value]


def fast_parser(kind: str, *, required: bool, default: object, limit: int = 0) -> FastParse:
    """The whole-column fast path for a field parsed by ``kind``.

    ``kind`` is one of plate, phone, date, count, money, vin, text (with ``limit``). Blank
    cells (``""``) take ``default`` when the field is optional; a required field's blank
    falls to the per-cell path, which reports it.
    """
    blanks = not required
    if kind == "plate":
        return _identity(_PLATE, blanks=blanks)
    if kind == "phone":
        return _identity(_PHONE, blanks=blanks)
    if kind == "vin":
        return _identity(_VIN, blanks=blanks)
    if kind == "text":
        return _identity(_text(limit), blanks=blanks)
    if kind == "date":
        return _dates(blanks=blanks, default=default)
    if kind == "count":
        return _counts(blanks=blanks, default=default)
    if kind == "money":
        return _money(blanks=blanks)
    raise ValueError(f"no fast path for {kind!r}")
