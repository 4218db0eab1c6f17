"""Column-wise validation of a chunk of rows: the same verdicts as ``RowValidator.validate``.

Each column of the chunk is parsed at once, by its whole-column fast path when every cell is in
its clean form (:mod:`renewals.importer.columnar`), else cell by cell with the per-cell parser.
Problems are gathered per row in the order the per-row validator finds them (fields in
``FIELD_SPECS`` order, then coverages), so reports read the same whichever path ran.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from itertools import repeat, zip_longest
from typing import cast

from renewals.importer.columnar import FastParse, fast_parser
from renewals.importer.columns import Field, Layout
from renewals.importer.parsers import BadValue, parse_money_cents
from renewals.importer.report import Rejection
from renewals.importer.validation import FIELD_SPECS, REQUIRED_FIELD, BookRow

__all__ = ["ChunkValidator"]

_CACHE_LIMIT = 4096
_MISS = object()
_START = [s.field for s in FIELD_SPECS].index(Field.START_DATE)
_END = [s.field for s in FIELD_SPECS].index(Field.END_DATE)
Problems = dict[int, list[Rejection]]  # row number → its problems, in the order found


class _Column:
    """One present field: where its cells are and how to parse them."""

    def __init__(self, *, index: int, name: str, spec_index: int) -> None:
        spec = FIELD_SPECS[spec_index]
        self.index = index
        self.name = name
        self.parse = spec.parse
        self.required = spec.default is REQUIRED_FIELD
        self.default = None if self.required else spec.default
        self.memo: dict[object, object] | None = {} if spec.memoise else None
        self.fast: FastParse = fast_parser(
            spec.kind, required=self.required, default=self.default, limit=spec.limit
        )


class ChunkValidator:
    """Validates the rows of one file a chunk at a time."""

    def __init__(self, layout: Layout) -> None:
        self._columns: list[_Column | None] = []
        width = 0
        for position, spec in enumerate(FIELD_SPECS):
            index = layout.fields.get(spec.field)
            if index is None:
                self._columns.append(None)
                continue
            width = max(width, index + 1)
            self._columns.append(_Column(index=index, name=spec.field.value, spec_index=position))
        self._coverages = [(c.code, c.amount_index, c.premium_index) for c in layout.coverages]
        self._money = fast_parser("money", required=False, default=0)
        indexes = [i for _, a, p in self._coverages for i in (a, p)]
        self._width = max([width, *(i + 1 for i in indexes)])

    def validate(self, chunk: Sequence[tuple[int, list[object]]]) -> tuple[list[BookRow], Problems]:
        """Good rows in order, and the problems of the others (keyed by row number)."""
        numbers = [number for number, _ in chunk]
        cells = [cells for _, cells in chunk]
        # zip_longest pads short rows with "" (a missing trailing cell reads as blank).
        columns = list(zip_longest(*cells, fillvalue=""))
        columns.extend(repeat(("",) * len(chunk), self._width - len(columns)))
        problems: Problems = {}
        values: list[Sequence[object]] = [numbers]
        for spec, column in zip(FIELD_SPECS, self._columns, strict=True):
            if column is None:
                values.append(repeat(None if spec.default is REQUIRED_FIELD else spec.default))  # type: ignore[arg-type]
            else:
                values.append(self._parse(column, columns[column.index], numbers, problems))
        values.append(self._coverage_tuples(columns, numbers, problems))
        rows = list(map(tuple.__new__, repeat(BookRow), zip(*values, strict=False)))
        self._check_dates(rows, problems)
        if problems:
            rows = [row for row in rows if row.number not in problems]
        return rows, problems

    def _parse(
        self, column: _Column, cells: Sequence[object], numbers: list[int], problems: Problems
    ) -> Sequence[object]:
        fast = column.fast(cells)
        if fast is not None:
            return fast
        return _cell_by_cell(column, cells, numbers, problems)

    def _coverage_tuples(
        self, columns: list[tuple[object, ...]], numbers: list[int], problems: Problems
    ) -> Sequence[tuple[tuple[str, int, int], ...]]:
        if not self._coverages:
            return [()] * len(numbers)
        pairs: list[tuple[str, Sequence[int], Sequence[int]]] = []
        for code, amount_index, premium_index in self._coverages:
            sides: list[Sequence[int]] = []
            for what, index in (("amount", amount_index), ("premium", premium_index)):
                if index < 0:
                    sides.append([0] * len(numbers))
                    continue
                cells = columns[index]
                fast = cast("list[int] | None", self._money(cells))
                if fast is None:
                    fast = _money_by_cell(f"{code}.{what}", cells, numbers, problems)
                sides.append(fast)
            pairs.append((code, sides[0], sides[1]))
        return [
            tuple((code, a[i], p[i]) for code, a, p in pairs if a[i] or p[i])
            for i in range(len(numbers))
        ]

    @staticmethod
    def _check_dates(rows: list[BookRow], problems: Problems) -> None:
        for row in rows:
            start = row.start_date
            if start is not None and row.number not in problems and start >= row.end_date:
                reason = f"start {start} is not before expiry {row.end_date}"
                problems[row.number] = [
                    Rejection(row.number, Field.START_DATE.value, reason, "start_after_end")
                ]


def _cell_by_cell(
    column: _Column, cells: Sequence[object], numbers: list[int], problems: Problems
) -> list[object]:
    """The per-row validator's rules for one field, applied down a column."""
    out: list[object] = []
    memo, parse, name, required = column.memo, column.parse, column.name, column.required
    for i, raw in enumerate(cells):
        value: object = column.default
        if raw == "" or raw is None:
            if required:
                _add(problems, numbers[i], name, "empty", "missing")
            out.append(value)
            continue
        parsed = _parse_memo(parse, memo, raw)
        if parsed.__class__ is BadValue:
            error: BadValue = parsed  # type: ignore[assignment]
            _add(problems, numbers[i], name, error.reason, error.code)
        elif parsed == "" and required:
            _add(problems, numbers[i], name, "empty", "missing")
        elif parsed is not None:
            value = parsed
        out.append(value)
    return out


def _parse_memo(
    parse: Callable[[object], object], memo: dict[object, object] | None, raw: object
) -> object:
    if memo is not None:
        value = memo.get(raw, _MISS)
        if value is not _MISS:
            return value
    try:
        value = parse(raw)
    except BadValue as exc:
        value = exc
    if memo is not None:
        if len(memo) >= _CACHE_LIMIT:  # bounded, so a huge file cannot grow it without end
            memo.clear()
        with suppress(TypeError):  # an unhashable cell value is just not remembered
            memo[raw] = value
    return value


def _add(problems: Problems, number: int, name: str, reason: str, code: str) -> None:
    problems.setdefault(number, []).append(Rejection(number, name, reason, code))


def _money_by_cell(
    name: str, cells: Sequence[object], numbers: list[int], problems: Problems
) -> list[int]:
    out: list[int] = []
    for i, raw in enumerate(cells):
        cents = 0
        if raw != "" and raw is not None:
            try:
                cents = parse_money_cents(raw)
            except BadValue as exc:
                _add(problems, numbers[i], name, exc.reason, exc.code)
        out.append(cents)
    return out
