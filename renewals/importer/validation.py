"""Row validation: raw cells + the resolved header → a clean :class:`BookRow` or rejections."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import NamedTuple

from renewals.importer.columns import Field, Layout
from renewals.importer.parsers import (
    BadValue,
    parse_count,
    parse_date,
    parse_money_cents,
    parse_phone,
    parse_plate,
    parse_text,
    parse_vin,
)
from renewals.importer.report import Rejection

__all__ = ["FIELD_SPECS", "REQUIRED_FIELD", "BookRow", "FieldSpec", "RowValidator"]


class BookRow(NamedTuple):
    """One good row. Money in cents; ``coverages`` is ``(code, insured cents, premium cents)``."""

    number: int
    plate: str
    name: str
    phone: str
    end_date: date
    start_date: date | None
    region: str
    tenure: int
    vin: str
    model: str
    first_registration: date | None
    seats: int | None
    insurer: str
    commercial_no: str
    compulsory_no: str
    commercial_premium: int
    compulsory_premium: int
    vessel_tax: int
    claim_count: int
    claim_amount: int
    coverages: tuple[tuple[str, int, int], ...]


def _text(limit: int) -> Callable[[object], str]:
    return lambda raw: parse_text(raw, limit)


_MISS = object()
REQUIRED_FIELD = object()  # "no default": a blank cell rejects the row
_CACHE_LIMIT = 4096  # distinct values remembered per column: dates and insurers repeat


class FieldSpec(NamedTuple):
    field: Field
    parse: Callable[[object], object]
    memoise: bool  # remember parsed values per raw cell (values that repeat)
    default: object  # for a blank cell or an absent column
    kind: str  # which whole-column fast path applies (renewals.importer.columnar)
    limit: int = 0


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec(Field.PLATE, parse_plate, False, REQUIRED_FIELD, "plate"),
    FieldSpec(Field.NAME, _text(100), False, REQUIRED_FIELD, "text", 100),
    FieldSpec(Field.PHONE, parse_phone, False, REQUIRED_FIELD, "phone"),
    FieldSpec(Field.END_DATE, parse_date, True, REQUIRED_FIELD, "date"),
    FieldSpec(Field.START_DATE, parse_date, True, None, "date"),
    FieldSpec(Field.REGION, _text(40), True, "", "text", 40),
    FieldSpec(Field.TENURE, parse_count, True, 0, "count"),
    FieldSpec(Field.VIN, parse_vin, False, "", "vin"),
    FieldSpec(Field.MODEL, _text(100), True, "", "text", 100),
    FieldSpec(Field.FIRST_REGISTRATION, parse_date, True, None, "date"),
    FieldSpec(Field.SEATS, parse_count, True, None, "count"),
    FieldSpec(Field.INSURER, _text(60), True, "", "text", 60),
    FieldSpec(Field.COMMERCIAL_NO, _text(40), False, "", "text", 40),
    FieldSpec(Field.COMPULSORY_NO, _text(40), False, "", "text", 40),
    FieldSpec(Field.COMMERCIAL_PREMIUM, parse_money_cents, False, 0, "money"),
    FieldSpec(Field.COMPULSORY_PREMIUM, parse_money_cents, False, 0, "money"),
    FieldSpec(Field.VESSEL_TAX, parse_money_cents, False, 0, "money"),
    FieldSpec(Field.CLAIM_COUNT, parse_count, True, 0, "count"),
    FieldSpec(Field.CLAIM_AMOUNT, parse_money_cents, False, 0, "money"),
)


class RowValidator:
    """Validates the rows of one file, one row at a time.

    The reference for the rules: imports run :class:`~renewals.importer.chunkcheck.
    ChunkValidator`, which gives the same verdicts column by column (a test compares them).

    Runs once per row of a 100k-row book, so it is written for speed: absent columns are filled
    from a template, and columns whose values repeat (dates, amounts, insurers, models) look the
    raw cell up in a per-column memo before parsing it (amounts are mostly distinct: no memo).
    """

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self._template: list[object] = [0]
        # (position in BookRow, cell index, field name, parser, memo or None, required)
        self._present: list[
            tuple[int, int, str, Callable[[object], object], dict[object, object] | None, bool]
        ] = []
        for position, (field, parse, memoise, default, *_) in enumerate(FIELD_SPECS, start=1):
            required = default is REQUIRED_FIELD
            self._template.append(None if required else default)
            index = layout.fields.get(field)
            if index is not None:
                memo: dict[object, object] | None = {} if memoise else None
                self._present.append((position, index, field.value, parse, memo, required))
        self._coverage_cells = [(c.code, c.amount_index, c.premium_index) for c in layout.coverages]

    def validate(self, number: int, cells: list[object]) -> BookRow | list[Rejection]:
        """The clean row, or every problem found in it (one rejection per bad field)."""
        width = len(cells)
        values = self._template.copy()
        values[0] = number
        problems: list[Rejection] = []
        for position, index, name, parse, memo, required in self._present:
            raw = cells[index] if index < width else ""
            if raw == "" or raw is None:
                if required:
                    problems.append(Rejection(number, name, "empty", "missing"))
                continue
            value = _MISS if memo is None else memo.get(raw, _MISS)
            if value is _MISS:
                try:
                    value = parse(raw)
                except BadValue as exc:
                    value = exc
                if memo is not None:
                    _remember(memo, raw, value)
            if value.__class__ is BadValue:
                problems.append(Rejection(number, name, value.reason, value.code))  # type: ignore[attr-defined]
            elif value == "" and required:
                problems.append(Rejection(number, name, "empty", "missing"))
            elif value is not None:
                values[position] = value
        coverages = self._coverages(number, cells, problems) if self._coverage_cells else ()
        if problems:
            return problems
        values.append(coverages)
        row = BookRow(*values)  # type: ignore[arg-type]
        if row.start_date is not None and row.start_date >= row.end_date:
            reason = f"start {row.start_date} is not before expiry {row.end_date}"
            return [Rejection(number, Field.START_DATE.value, reason, "start_after_end")]
        return row

    def _coverages(
        self, number: int, cells: list[object], problems: list[Rejection]
    ) -> tuple[tuple[str, int, int], ...]:
        found: list[tuple[str, int, int]] = []
        width = len(cells)
        for code, amount_index, premium_index in self._coverage_cells:
            pair = [0, 0]
            for slot, index in enumerate((amount_index, premium_index)):
                raw = cells[index] if 0 <= index < width else ""
                if raw == "" or raw is None:
                    continue
                try:
                    pair[slot] = parse_money_cents(raw)
                except BadValue as exc:
                    what = "amount" if slot == 0 else "premium"
                    problems.append(Rejection(number, f"{code}.{what}", exc.reason, exc.code))
            if pair[0] or pair[1]:  # blank or zero both: the coverage was not bought
                found.append((code, pair[0], pair[1]))
        return tuple(found)


def _remember(memo: dict[object, object], raw: object, value: object) -> None:
    if len(memo) >= _CACHE_LIMIT:  # bounded, so a huge file cannot grow it without end
        memo.clear()
    with suppress(TypeError):  # an unhashable cell value is just not remembered
        memo[raw] = value
