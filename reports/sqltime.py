"""Time arithmetic in SQL that reads the same on SQLite and PostgreSQL.

SQLite stores our instants as text (``YYYY-MM-DD HH:MM:SS.ffffff``, naive UTC), PostgreSQL as
``timestamptz``; these functions give seconds as numbers on both, so reports sum durations
and bucket days in the database instead of in Python. On PostgreSQL ``date_part`` (a double)
rather than ``EXTRACT`` (a numeric since version 14, several times slower over a million rows).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Float, Integer, String, literal_column
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

__all__ = [
    "EMPTY",
    "day_number",
    "epoch_s",
    "greatest",
    "least",
    "second_of_day",
    "seconds_between",
]

# The empty string as SQL text, not a parameter: PostgreSQL matches a GROUP BY expression to
# the selected one only when their constants are the same text, and parameters never are.
EMPTY = literal_column("''", String())


class epoch_s(FunctionElement[float]):
    """Seconds since 1970-01-01 UTC of an instant, with its fraction."""

    type = Float()
    inherit_cache = True


class seconds_between(FunctionElement[float]):
    """``seconds_between(later, earlier)``: seconds from ``earlier`` to ``later`` (signed)."""

    type = Float()
    inherit_cache = True


class greatest(FunctionElement[Any]):
    """The largest of its arguments (instants compare as instants on both databases)."""

    inherit_cache = True


class least(FunctionElement[Any]):
    inherit_cache = True


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(clause, **kw) for clause in element.clauses]


@compiles(epoch_s)
def _epoch_pg(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return f"date_part('epoch', {value})"


def _sqlite_epoch(value: str) -> str:
    # Whole seconds from the first 19 characters (SQLite would round a fraction to the
    # millisecond: 15:59:59.999999 would become the next day), the fraction from the rest
    # (".ffffff"). julianday() would be shorter but is off by microseconds.
    return f"({_sqlite_whole(value)} + CAST(substr({value}, 20) AS REAL))"


def _sqlite_whole(value: str) -> str:
    return f"CAST(strftime('%s', substr({value}, 1, 19)) AS INTEGER)"


@compiles(epoch_s, "sqlite")
def _epoch_sqlite(element: epoch_s, compiler: SQLCompiler, **kw: Any) -> str:
    (value,) = _args(element, compiler, **kw)
    return _sqlite_epoch(value)


@compiles(seconds_between)
def _between_pg(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"date_part('epoch', {later} - {earlier})"


@compiles(seconds_between, "sqlite")
def _between_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = _args(element, compiler, **kw)
    return f"({_sqlite_epoch(later)} - {_sqlite_epoch(earlier)})"


@compiles(greatest)
def _greatest_pg(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({', '.join(_args(element, compiler, **kw))})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite's many-argument max() is a scalar; our instants are same-format text there.
    return f"max({', '.join(_args(element, compiler, **kw))})"


@compiles(least)
def _least_pg(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"LEAST({', '.join(_args(element, compiler, **kw))})"


@compiles(least, "sqlite")
def _least_sqlite(element: least, compiler: SQLCompiler, **kw: Any) -> str:
    return f"min({', '.join(_args(element, compiler, **kw))})"


class day_number(FunctionElement[int]):
    """Whole days since 1970-01-01 of an instant shifted by a fixed UTC offset (seconds)."""

    type = Integer()
    inherit_cache = True


@compiles(day_number)
def _day_pg(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    value, offset = _args(element, compiler, **kw)
    return f"CAST(FLOOR((date_part('epoch', {value}) + {offset}) / 86400) AS INTEGER)"


@compiles(day_number, "sqlite")
def _day_sqlite(element: day_number, compiler: SQLCompiler, **kw: Any) -> str:
    value, offset = _args(element, compiler, **kw)
    return f"(({_sqlite_whole(value)} + {offset}) / 86400)"


class second_of_day(FunctionElement[int]):
    """Whole seconds since local midnight of an instant shifted by a fixed UTC offset (seconds)."""

    type = Integer()
    inherit_cache = True


@compiles(second_of_day)
def _sod_pg(element: second_of_day, compiler: SQLCompiler, **kw: Any) -> str:
    value, offset = _args(element, compiler, **kw)
    return f"MOD(CAST(FLOOR(date_part('epoch', {value})) AS BIGINT) + {offset}, 86400)"


@compiles(second_of_day, "sqlite")
def _sod_sqlite(element: second_of_day, compiler: SQLCompiler, **kw: Any) -> str:
    value, offset = _args(element, compiler, **kw)
    return f"(({_sqlite_whole(value)} + {offset}) % 86400)"
