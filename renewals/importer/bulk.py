"""Bulk statements over one connection: executemany with plain tuples, keyed look-ups with IN.

Core's dict-per-row inserts cost several microseconds a row in parameter handling; a 100k-row
book writes about 800k rows (customers, vehicles, policies, leads, coverages). So rows go to the
driver as tuples through ``exec_driver_sql``, and only the columns whose SQLAlchemy type converts
values on this dialect (dates and UTC timestamps on SQLite) pass through that type's own bind
processor, so what lands in the table is exactly what the ORM would have written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Connection, Table, delete
from sqlalchemy.exc import DBAPIError

__all__ = ["Bulk", "constant_checks_skipped"]

# The SQL text is built only from our own table metadata (quoted identifiers) and placeholders;
# every value is bound, hence the S608 waivers below.

# Keys per IN (...) look-up: well under SQLite's 32,766 variables and PostgreSQL's 65,535.
IN_BATCH = 5000


class Bulk:
    """Statement helpers bound to one connection (and so to one transaction)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._placeholder = "?" if conn.dialect.paramstyle in {"qmark", "numeric"} else "%s"
        self._sql_cache: dict[tuple[str, str, tuple[str, ...]], str] = {}
        self._arrays = conn.dialect.name == "postgresql"

    def insert(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        if self._arrays:
            self._unnest(table, columns, rows, "INSERT INTO {t} ({names}) SELECT * FROM {arrays}")
            return
        key = ("insert", table.name, tuple(columns))
        sql = self._sql_cache.get(key)
        if sql is None:
            names = ", ".join(self._quote(c) for c in columns)
            marks = ", ".join([self._placeholder] * len(columns))
            sql = f"INSERT INTO {self._quote(table.name)} ({names}) VALUES ({marks})"  # noqa: S608
            self._sql_cache[key] = sql
        self.conn.exec_driver_sql(sql, self._process(table, columns, rows))

    def insert_ids(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> list[int] | None:
        """Insert ``rows`` and return their new ids in order, where the backend allows it.

        SQLite gives a row without an explicit id the table's largest rowid plus one, and this
        transaction holds the write lock from its first insert to commit, so the n rows just
        inserted are exactly ``max(id) - n + 1 .. max(id)``: one cheap query instead of looking
        the new rows up again by their keys. ``None`` on PostgreSQL (sequences may interleave
        with other sessions): the caller looks the ids up.
        """
        self.insert(table, columns, rows)
        if self._arrays or not rows:
            return None if self._arrays else []
        sql = f"SELECT max(id) FROM {self._quote(table.name)}"  # noqa: S608
        last = int(self.conn.exec_driver_sql(sql).scalar_one())
        return list(range(last - len(rows) + 1, last + 1))

    def insert_per_id(
        self,
        table: Table,
        columns: Sequence[str],
        source: Table,
        first: int,
        last: int,
        constants: Sequence[Any],
    ) -> None:
        """One row of ``table`` per ``source`` id in ``first..last``: that id, then ``constants``.

        ``columns[0]`` receives the id; the constants pass through their columns' bind
        processors, so they land exactly as :meth:`insert` would write them.
        """
        names = ", ".join(self._quote(c) for c in columns)
        marks = ", ".join([self._placeholder] * len(constants))
        sql = (
            f"INSERT INTO {self._quote(table.name)} ({names}) "  # noqa: S608
            f"SELECT id, {marks} FROM {self._quote(source.name)} "
            f"WHERE id BETWEEN {self._placeholder} AND {self._placeholder}"
        )
        (values,) = self._process(table, columns[1:], [tuple(constants)])
        self.conn.exec_driver_sql(sql, (*values, first, last))

    def update(self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        """``UPDATE table SET columns… WHERE id = ?``: each row is the new values, then the id."""
        if not rows or not columns:
            return
        if self._arrays:
            sets = ", ".join(f"{self._quote(c)} = v.{self._quote(c)}" for c in columns)
            template = "UPDATE {t} SET " + sets + " FROM {arrays} AS v({names}) WHERE {t}.id = v.id"  # noqa: S608
            self._unnest(table, [*columns, "id"], rows, template)
            return
        key = ("update", table.name, tuple(columns))
        sql = self._sql_cache.get(key)
        if sql is None:
            sets = ", ".join(f"{self._quote(c)} = {self._placeholder}" for c in columns)
            sql = f"UPDATE {self._quote(table.name)} SET {sets} WHERE id = {self._placeholder}"  # noqa: S608
            self._sql_cache[key] = sql
        self.conn.exec_driver_sql(sql, self._process(table, [*columns, "id"], rows))

    def _unnest(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]], template: str
    ) -> None:
        # PostgreSQL: one statement per call, each column sent as one typed array; psycopg's
        # executemany would send (and the server plan) a statement per row.
        key = ("unnest", table.name, (template, *columns))
        sql = self._sql_cache.get(key)
        if sql is None:
            dialect = self.conn.dialect
            casts = ", ".join(f"%s::{table.c[c].type.compile(dialect=dialect)}[]" for c in columns)
            names = ", ".join(self._quote(c) for c in columns)
            sql = template.format(t=self._quote(table.name), names=names, arrays=f"unnest({casts})")
            self._sql_cache[key] = sql
        processed = self._process(table, columns, rows)
        self.conn.exec_driver_sql(
            sql, tuple(list(column) for column in zip(*processed, strict=True))
        )

    def select_in(
        self, table: Table, columns: Sequence[str], key: str, values: Iterable[Any]
    ) -> list[tuple[Any, ...]]:
        """Rows of ``columns`` whose ``key`` is one of ``values`` (batched IN look-ups).

        Values come back as the driver gives them (on SQLite a date is its ISO text): compare
        them with :meth:`db_value` of what the file holds.
        """
        unique = list(dict.fromkeys(values))
        names = ", ".join(self._quote(c) for c in columns)
        head = f"SELECT {names} FROM {self._quote(table.name)} WHERE {self._quote(key)}"  # noqa: S608
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(unique), IN_BATCH):
            batch = [
                v
                for (v,) in self._process(
                    table, [key], [(v,) for v in unique[start : start + IN_BATCH]]
                )
            ]
            if self._arrays:
                # One array parameter: psycopg re-parses (and does not cache) long SQL texts.
                result = self.conn.exec_driver_sql(head + " = ANY(%s)", (batch,))
            else:
                marks = ", ".join([self._placeholder] * len(batch))
                result = self.conn.exec_driver_sql(f"{head} IN ({marks})", tuple(batch))
            found.extend(tuple(r) for r in result)
        return found

    def db_value(self, column: Column[Any], value: Any) -> Any:
        """``value`` as the driver stores and returns it for ``column`` (dates on SQLite: text)."""
        process = column.type._cached_bind_processor(self.conn.dialect)
        return value if process is None or value is None else process(value)

    def delete_in(self, table: Table, key: Column[Any], values: Sequence[Any]) -> None:
        for start in range(0, len(values), IN_BATCH):
            self.conn.execute(delete(table).where(key.in_(values[start : start + IN_BATCH])))

    def _quote(self, name: str) -> str:
        return str(self.conn.dialect.identifier_preparer.quote(name))

    def _process(
        self, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> list[tuple[Any, ...]]:
        processors = [
            (i, p)
            for i, name in enumerate(columns)
            if (p := table.c[name].type._cached_bind_processor(self.conn.dialect)) is not None
        ]
        if not processors or not rows:
            return rows
        # Column by column: dates and the import's timestamp repeat, so each distinct value is
        # converted once and the columns are rebuilt with C-level map/zip.
        by_column: list[Sequence[Any]] = list(zip(*rows, strict=True))
        for i, process in processors:
            converted = {v: None if v is None else process(v) for v in set(by_column[i])}
            by_column[i] = list(map(converted.__getitem__, by_column[i]))
        return list(zip(*by_column, strict=True))


@contextmanager
def constant_checks_skipped(conn: Connection) -> Iterator[None]:
    """On SQLite, skip CHECK constraints for the importer's own statements, then restore them.

    SQLite evaluates an enum's ``CHECK (stage IN (...))`` for every row an executemany inserts,
    rebuilding the IN list each time: measured, the two on ``leads`` made its insert about 2.4
    times slower (0.89 s against 0.37 s for 100k rows). The importer writes only constants
    (``LeadStage.LISTED``, ``LeadStatus.OPEN``) into checked columns, and the pragma is a
    connection flag, so it is switched back off before the connection returns to the pool,
    whatever happened. PostgreSQL checks cheaply and has no such switch: nothing changes there.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    conn.exec_driver_sql("PRAGMA ignore_check_constraints=ON")
    try:
        yield
    finally:
        try:
            conn.exec_driver_sql("PRAGMA ignore_check_constraints=OFF")
        except DBAPIError:
            # A connection that cannot be reset is discarded rather than pooled with checks
            # off; the import's own error (if any) is the one worth raising.
            conn.invalidate()
