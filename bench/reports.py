"""How long each report takes over 1M calls, 200 agents and 90 days (medians of several runs).

    PYTHONPATH=. python -m bench.reports [--calls 1000000] [--agents 200] [--days 90] [--runs 5]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]  (a scratch database there)

The data (``bench/reports_data.py``): shifts of 09:00-18:00 Beijing time with a meal pause,
about 22 conversations per agent and day, the rest of the attempts unanswered; one agent in
twenty changes team half-way. Each report is timed for a day, a month (30 days) and the whole
90 days, in the middle of the data; the compliance report also over the campaign's history.
Goal (issue 14): a month in at most 1 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from functools import partial

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bench.leads_due import scratch_database
from bench.reports_data import COLUMNS, Tables, generate, sqlite_rows
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from renewals.cadence import DEFAULT_RULES
from reports.cohorts import cohort_report, leads_at_risk
from reports.compliance import compliance_report, refresh_compliance
from reports.funnel import funnel_report
from reports.periods import Period
from reports.rollup import refresh_rollup
from reports.seats import seat_report

FIRST_DAY = date(2026, 9, 1)
ZONE = "Asia/Shanghai"
ORDER = ("customers", "vehicles", "policies", "leads", "campaigns", "seats", "agent_teams",
         "seat_events", "contact_attempts", "dispositions", "quotes", "do_not_call")  # fmt: skip


def load(engine: Engine, tables: Tables) -> None:
    """Bulk-write every table: COPY on PostgreSQL, one executemany per table on SQLite."""
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "sqlite":
            # A scratch file: no foreign-key checks or fsyncs while it is filled.
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
        for table in ORDER:
            columns = COLUMNS[table]
            rows = tables.rows.get(table, [])
            if engine.dialect.name == "postgresql":
                with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                cursor.executemany(  # streamed: a list of 1M converted rows costs gigabytes
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                    sqlite_rows(rows),
                )
        raw.commit()
        cursor.execute("ANALYZE")
        raw.commit()
    finally:
        raw.close()


def _median_ms(runs: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def time_reports(engine: Engine, days: int, runs: int) -> None:
    """First without rollups (every figure from the raw rows), then after the days are rolled."""
    sessions = make_session_factory(engine)
    middle = FIRST_DAY + timedelta(days=days // 2)
    spans = {
        "day": Period(middle, middle, ZONE),
        "month": Period(middle - timedelta(days=15), middle + timedelta(days=14), ZONE),
        f"{days} days": Period(FIRST_DAY, FIRST_DAY + timedelta(days=days - 1), ZONE),
    }
    now = datetime.combine(FIRST_DAY + timedelta(days=days), datetime.min.time(), tzinfo=UTC)
    reports: dict[str, Callable[[Session, Period], object]] = {
        "seats per agent": lambda s, p: seat_report(s, p, now=now),
        "seats per team": lambda s, p: seat_report(s, p, now=now, by_team=True),
        "funnel": lambda s, p: funnel_report(s, p),
        "cohorts": lambda s, p: cohort_report(s, p, rules=DEFAULT_RULES),
        "compliance": lambda s, p: compliance_report(
            s, "bench", now=now, business_tz=ZONE, period=p
        ),
    }

    def table(names: list[str], title: str) -> None:
        print(f"{title:<26}" + "".join(f"{name:>12}" for name in spans))
        for name in names:
            cells = []
            for period in spans.values():
                with sessions() as session:
                    cells.append(_median_ms(runs, partial(reports[name], session, period)))
            print(f"{name:<26}" + "".join(f"{ms:>9.0f} ms" for ms in cells))

    table(["seats per agent", "compliance"], "no rollup yet")
    started = time.perf_counter()
    with sessions.begin() as session:
        rolled = refresh_rollup(session, spans[f"{days} days"], now=now)
    print(f"rolling up {rolled} days of seats: {time.perf_counter() - started:.1f} s (once)")
    started = time.perf_counter()
    with sessions.begin() as session:
        rolled = refresh_compliance(session, "bench", now=now, business_tz=ZONE)
    print(f"rolling up {rolled} days of compliance: {time.perf_counter() - started:.1f} s (once)")
    table(list(reports), "days rolled up")
    with sessions() as session:
        at_risk = _median_ms(runs, lambda: leads_at_risk(
            session, now=now, rules=DEFAULT_RULES, zone=ZONE))  # fmt: skip
        history = _median_ms(runs, lambda: compliance_report(
            session, "bench", now=now, business_tz=ZONE))  # fmt: skip
    print(f"{'leads at risk':<26}{at_risk:>9.0f} ms (today)")
    print(f"{'compliance, whole campaign':<26}{history:>9.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", help="server URL; default: a SQLite file")
    args = parser.parse_args()
    started = time.perf_counter()
    tables = generate(calls=args.calls, agents=args.agents, days=args.days, first_day=FIRST_DAY)
    counts = {t: len(r) for t, r in tables.rows.items()}
    print(f"generated in {time.perf_counter() - started:.1f} s: " + ", ".join(
        f"{counts.get(t, 0):,} {t}" for t in ("contact_attempts", "seat_events", "dispositions",
                                             "quotes", "leads")))  # fmt: skip
    with scratch_database(args.postgres) as url:
        engine = create_db_engine(url)
        upgrade(engine)
        started = time.perf_counter()
        load(engine, tables)
        print(f"{engine.dialect.name}: loaded in {time.perf_counter() - started:.1f} s")
        del tables
        time_reports(engine, args.days, args.runs)
        engine.dispose()


if __name__ == "__main__":
    main()
