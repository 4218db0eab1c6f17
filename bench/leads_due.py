"""How long ``find_due_leads`` takes on a 100k-lead book in SQLite (median of several runs).

    PYTHONPATH=. python bench/leads_due.py [--leads 100000] [--runs 7] [--worst]
        [--postgres postgresql://postgres@127.0.0.1:5432/postgres]  (a scratch database there)

The book: policies expiring from T-30 to T+60 around the instant, all listed; 75 % open, the rest
won/lost/bad data; 40 % never called, the others with a next contact within ±3 days; 5 % of
customers in Asia/Urumqi; 3,000 numbers on the do-not-call list. ``--worst`` makes every lead
open, never called and between T-50 and T-0 (every lead passes the SQL prefilter).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text

from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from renewals.cadence import DEFAULT_RULES, find_due_leads, stage_for
from renewals.models import Customer, DoNotCall, Lead, LeadStatus, Policy, Vehicle

AT = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TODAY = date(2026, 5, 1)
_STATUSES = [LeadStatus.OPEN] * 75 + [LeadStatus.WON] * 12 + [LeadStatus.LOST] * 9
_STATUSES += [LeadStatus.BAD_DATA] * 4


def _rows(n: int, worst: bool, rng: random.Random) -> dict[str, list[dict[str, object]]]:
    customers, vehicles, policies, leads = [], [], [], []
    for i in range(1, n + 1):
        tz = "Asia/Urumqi" if rng.random() < 0.05 else "Asia/Shanghai"
        customers.append(
            {"id": i, "name": f"客户{i}", "phone": f"13{i:09d}", "region": "上海",
             "timezone": tz, "tenure_years": rng.randint(0, 6), "created_at": AT, "updated_at": AT}
        )  # fmt: skip
        vehicles.append({"id": i, "customer_id": i, "plate": f"沪A{i:06d}", "vin": "", "model": ""})
        days = rng.randint(0, 50) if worst else rng.randint(-30, 60)
        end = TODAY + timedelta(days=days)
        policies.append(
            {"id": i, "vehicle_id": i, "end_date": end, "start_date": end - timedelta(days=364),
             "commercial_premium_cents": 400_000, "compulsory_premium_cents": 95_000}
        )  # fmt: skip
        called = not worst and rng.random() < 0.6
        stage = stage_for(days, DEFAULT_RULES)
        leads.append(
            {"id": i, "policy_id": i, "stage": stage.value if stage else "listed",
             "status": LeadStatus.OPEN if worst else rng.choice(_STATUSES),
             "attempts": 1 if called else 0, "contacts": 0,
             "day_attempts": rng.randint(0, 3) if called else 0,
             "day_attempts_date": TODAY if called else None,
             "last_outcome": "no_answer" if called else None,
             "next_contact_at": AT + timedelta(minutes=rng.randint(-2880, 4320))
             if called else None,
             "notes": "", "created_at": AT, "updated_at": AT}
        )  # fmt: skip
    dnc = [
        {"phone": f"13{rng.randint(1, n):09d}", "reason": "refused", "source": "bench",
         "created_at": AT, "expires_at": AT + timedelta(days=rng.randint(-90, 90))}
        for _ in range(3000)
    ]  # fmt: skip
    return {"customers": customers, "vehicles": vehicles, "policies": policies, "leads": leads,
            "dnc": dnc}  # fmt: skip


def build_book(engine: Engine, n: int, worst: bool) -> None:
    upgrade(engine)
    rows = _rows(n, worst, random.Random(20260501))
    with engine.begin() as conn:
        for model, key in ((Customer, "customers"), (Vehicle, "vehicles"), (Policy, "policies"),
                           (Lead, "leads"), (DoNotCall, "dnc")):  # fmt: skip
            conn.execute(insert(model), rows[key])
        conn.exec_driver_sql("ANALYZE")


@contextmanager
def scratch_database(postgres: str | None) -> Iterator[str]:
    """A throw-away database: a SQLite file, or a new database on the PostgreSQL server."""
    if postgres is None:
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{Path(tmp) / 'bench.db'}"
        return
    name = f"xubao_bench_{uuid.uuid4().hex[:8]}"
    admin = create_db_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield postgres.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--worst", action="store_true")
    parser.add_argument("--postgres", help="server URL; default: a SQLite file")
    args = parser.parse_args()
    with scratch_database(args.postgres) as url:
        engine = create_db_engine(url)
        started = time.perf_counter()
        build_book(engine, args.leads, args.worst)
        print(
            f"{engine.dialect.name}: book of {args.leads} leads built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        sessions = make_session_factory(engine)
        for limit in (50, None):
            timings, count = [], 0
            for _ in range(args.runs):
                with sessions() as session:
                    started = time.perf_counter()
                    count = len(find_due_leads(session, AT, DEFAULT_RULES, limit=limit))
                    timings.append(time.perf_counter() - started)
            print(
                f"find_due_leads limit={limit}: {count} due, median "
                f"{statistics.median(timings) * 1000:.0f} ms (min {min(timings) * 1000:.0f}, "
                f"max {max(timings) * 1000:.0f}, {args.runs} runs)"
            )
        engine.dispose()


if __name__ == "__main__":
    main()
