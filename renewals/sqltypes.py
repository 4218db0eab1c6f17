"""Column types shared by every part's models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Enum
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

__all__ = ["UtcDateTime", "value_enum"]


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on every backend.

    SQLite keeps no zone, so values are stored as naive UTC and handed back aware; a naive value
    given to us is a programming error (it would silently mean local time).
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: pass an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        stored: datetime = value
        if stored.tzinfo is None:
            return stored.replace(tzinfo=UTC)
        return stored.astimezone(UTC)


def value_enum(cls: type[enum.Enum], name: str) -> Enum:
    """An enum column storing the members' values (stable lowercase words) as VARCHAR + CHECK.

    Not a native PostgreSQL enum: adding a member later is then a plain migration on every backend.
    """
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=24,
        values_callable=lambda e: [m.value for m in e],
    )
