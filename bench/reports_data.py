"""The synthetic contact center the reports bench reads: agents, shifts, calls and outcomes.

Per agent and day (Beijing time): log in at about 09:00, take calls (ready ~17 min between
calls, talk ~5 min, wrap-up ~1 min), a meal pause at noon, log out at about 18:00. About 40 %
of the attempts reach an agent; the rest are no answer, busy, machine or abandoned. One
disposition per conversation, a quote on 30 % of them. Written with COPY on PostgreSQL and
``executemany`` on SQLite, straight into the tables the migrations built.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")
_KINDS = ["agreed"] * 15 + ["declined"] * 25 + ["callback"] * 20 + ["no_decision"] * 40
_REASONS = ["product", "service", "price", "other"]
_FAILS = ["no_answer"] * 60 + ["busy"] * 20 + ["machine"] * 17 + ["abandoned"] * 3

Row = tuple[object, ...]


@dataclass
class Tables:
    """Rows per table, in the column order of ``COLUMNS``."""

    rows: dict[str, list[Row]] = field(default_factory=dict)

    def add(self, table: str, row: Row) -> None:
        self.rows.setdefault(table, []).append(row)


COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "name", "phone", "region", "timezone", "tenure_years", "created_at",
                  "updated_at"),
    "vehicles": ("id", "customer_id", "plate", "vin", "model"),
    "policies": ("id", "vehicle_id", "insurer", "commercial_policy_no", "compulsory_policy_no",
                 "end_date", "commercial_premium_cents", "compulsory_premium_cents",
                 "vessel_tax_cents", "claim_count", "claim_amount_cents"),
    "leads": ("id", "policy_id", "stage", "status", "owner_agent", "attempts", "contacts",
              "day_attempts", "notes", "created_at", "updated_at"),
    "campaigns": ("id", "name", "mode", "status", "queue", "filter_stages", "filter_regions",
                  "abandon_cap_pct", "max_lines_per_agent", "ring_timeout_s", "wrap_up_limit_s",
                  "caller_ids", "caller_id_daily_cap", "created_at", "updated_at"),
    "seats": ("agent_id", "campaign_id", "state", "since", "pause_reason"),
    "agent_teams": ("id", "agent_id", "team", "starts_at", "ends_at"),
    "seat_events": ("id", "agent_id", "campaign_id", "at", "state", "reason", "call_id"),
    "contact_attempts": ("id", "lead_id", "call_id", "campaign_id", "channel", "agent",
                         "caller_id", "started_at", "answered_at", "bridged_at", "ended_at",
                         "outcome"),
    "dispositions": ("id", "lead_id", "attempt_id", "agent", "at", "kind", "decline_reason",
                     "premium_written_cents", "gifts", "notes"),
    "quotes": ("id", "lead_id", "created_at", "ncd_level", "ncd_coefficient_milli",
               "commercial_premium_cents", "compulsory_premium_cents", "vessel_tax_cents",
               "total_cents", "last_year_total_cents", "lines"),
    "do_not_call": ("id", "phone", "reason", "source", "created_at", "expires_at"),
}  # fmt: skip


def _local(day: date, seconds: float) -> datetime:
    base = datetime(day.year, day.month, day.day, tzinfo=BEIJING)
    return (base + timedelta(seconds=seconds)).astimezone(UTC)


class _Ids:
    def __init__(self) -> None:
        self.counters: dict[str, int] = {}

    def next(self, table: str) -> int:
        self.counters[table] = self.counters.get(table, 0) + 1
        return self.counters[table]


def _book(out: Tables, leads: int, first_day: date, agents: list[str], rng: random.Random) -> None:
    t0 = _local(first_day, 0)
    for i in range(1, leads + 1):
        out.add("customers", (i, f"客户{i}", f"13{i:09d}", "上海", "Asia/Shanghai",
                              rng.randint(0, 7), t0, t0))  # fmt: skip
        out.add("vehicles", (i, i, f"沪A{i:06d}", "", ""))
        end = first_day + timedelta(days=rng.randint(0, 150))
        out.add("policies", (i, i, "", "", "", end, 400_000, 95_000, 0, 0, 0))
        status = rng.choice(["open"] * 6 + ["won"] * 3 + ["lost"])
        out.add("leads", (i, i, "listed", status, rng.choice(agents), rng.randint(0, 8),
                          rng.randint(0, 5), 0, "", t0, t0))  # fmt: skip
    out.add("campaigns", ("bench", "bench", "predictive", "running", "q", "[]", "[]", 3.0, 3.0,
                          25, 60, "[]", 300, t0, t0))  # fmt: skip
    for n in range(1, 3001):
        out.add("do_not_call", (n, f"13{rng.randint(1, leads):09d}", "refused", "bench",
                                t0, t0 + timedelta(days=rng.randint(1, 120))))  # fmt: skip


def _teams(out: Tables, agents: list[str], first_day: date, days: int) -> None:
    ids = 0
    change = _local(first_day + timedelta(days=days // 2), 0)
    for n, agent in enumerate(agents):
        team = f"T{n % 10:02d}"
        ids += 1
        if n % 20 == 0:  # one agent in twenty changes team half-way
            out.add("agent_teams", (ids, agent, team, None, change))
            ids += 1
            out.add("agent_teams", (ids, agent, f"T{(n + 1) % 10:02d}", change, None))
        else:
            out.add("agent_teams", (ids, agent, team, None, None))


def _call(
    out: Tables, ids: _Ids, agent: str, at: float, day: date, leads: int, rng: random.Random
) -> float:
    """One conversation from ``at`` (seconds into the day); returns when the agent is ready."""
    talk, wrap = rng.expovariate(1 / 300), rng.expovariate(1 / 60)
    bridged, ended, ready = _local(day, at), _local(day, at + talk), _local(day, at + talk + wrap)
    lead, attempt = rng.randint(1, leads), ids.next("contact_attempts")
    call_id = f"b{attempt}"
    for state, when in (("on_call", bridged), ("wrap_up", ended), ("ready", ready)):
        out.add("seat_events", (ids.next("seat_events"), agent, "bench", when, state, "",
                                call_id if state != "ready" else None))  # fmt: skip
    started = bridged - timedelta(seconds=20)
    out.add("contact_attempts", (attempt, lead, call_id, "bench", "call", agent, "",
                                 started, bridged, bridged, ended, "completed"))  # fmt: skip
    kind = rng.choice(_KINDS)
    agreed = kind == "agreed"
    out.add("dispositions", (
        ids.next("dispositions"), lead, attempt, agent, ended, kind,
        rng.choice(_REASONS) if kind == "declined" else None,
        rng.randint(200_000, 600_000) if agreed else None,
        "洗车券" if agreed and rng.random() < 0.3 else "", "",
    ))  # fmt: skip
    if rng.random() < 0.3:
        out.add("quotes", (ids.next("quotes"), lead, bridged + timedelta(seconds=60), 0, 1000,
                           400_000, 95_000, 0, 495_000, 495_000, "[]"))  # fmt: skip
    return at + talk + wrap


def _shift(out: Tables, ids: _Ids, agent: str, day: date, leads: int, rng: random.Random) -> int:
    """One agent's day; returns the conversations it had."""

    def event(at: float, state: str, reason: str = "") -> None:
        out.add("seat_events", (ids.next("seat_events"), agent, "bench", _local(day, at), state,
                                reason, None))  # fmt: skip

    clock, calls, paused = 9 * 3600 + rng.uniform(-600, 600), 0, False
    event(clock, "ready")
    while True:
        clock += rng.expovariate(1 / 1000)
        if clock > 18 * 3600:
            event(clock, "logged_out")
            return calls
        if not paused and clock > 12 * 3600:
            event(clock, "paused", "meal")
            clock += 1800
            event(clock, "ready")
            paused = True
            continue
        clock = _call(out, ids, agent, clock, day, leads, rng)
        calls += 1


def _unanswered(out: Tables, ids: _Ids, n: int, first_day: date, days: int, leads: int,
                rng: random.Random) -> None:  # fmt: skip
    for _ in range(n):
        day = first_day + timedelta(days=rng.randrange(days))
        started = _local(day, rng.uniform(9 * 3600, 20 * 3600))
        outcome = rng.choice(_FAILS)
        answered = started + timedelta(seconds=8) if outcome in ("abandoned", "machine") else None
        attempt = ids.next("contact_attempts")
        out.add("contact_attempts", (attempt, rng.randint(1, leads), f"b{attempt}", "bench",
                                     "call", None, "", started, answered, None,
                                     started + timedelta(seconds=rng.uniform(16, 30)),
                                     outcome))  # fmt: skip


def generate(*, calls: int, agents: int, days: int, first_day: date, seed: int = 14) -> Tables:
    """About ``calls`` attempts, 40 % of them conversations with the ``agents`` over ``days``."""
    rng, ids, out = random.Random(seed), _Ids(), Tables()
    names = [f"agent{n:03d}" for n in range(agents)]
    leads = max(calls // 5, 1000)
    _book(out, leads, first_day, names, rng)
    _teams(out, names, first_day, days)
    for name in names:
        out.add("seats", (name, "bench", "logged_out", _local(first_day, 0), ""))
    for d in range(days):
        for name in names:
            _shift(out, ids, name, first_day + timedelta(days=d), leads, rng)
    talked = ids.counters.get("contact_attempts", 0)
    _unanswered(out, ids, max(calls - talked, 0), first_day, days, leads, rng)
    return out


def sqlite_value(value: object) -> object:
    """Our SQLite storage: instants as naive-UTC text with microseconds."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def sqlite_rows(rows: list[Row]) -> Iterator[Row]:
    for row in rows:
        yield tuple(sqlite_value(v) for v in row)
