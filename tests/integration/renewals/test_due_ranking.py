"""The SQL prefilter and ranking agree with the pure rule applied to every lead of a mixed book."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from renewals.cadence import DEFAULT_RULES, DncBlock, LeadSnapshot, decide, find_due_leads
from renewals.models import DncReason, DoNotCall, Lead, LeadStage, LeadStatus
from tests import factories as f

ZONES = ["Asia/Shanghai", "Asia/Shanghai", "Asia/Urumqi", "Asia/Tokyo", "America/New_York"]
OUTCOMES = [None, "no_answer", "busy", "callback", "contacted", "declined"]


def _random_book(session: Session, at: datetime, rng: random.Random) -> None:
    today = at.date()
    for _ in range(300):
        phone = f"137{rng.randint(0, 150):08d}"  # shared numbers: some customers share a phone
        owner = f.customer(phone=phone, timezone=rng.choice(ZONES), tenure_years=rng.randint(0, 6))
        pol = f.policy(car=f.vehicle(owner=owner), end_date=today + timedelta(rng.randint(-5, 65)))
        outcome = rng.choice(OUTCOMES)
        session.add(
            f.lead(
                pol=pol,
                status=rng.choice([LeadStatus.OPEN] * 8 + [LeadStatus.WON, LeadStatus.LOST]),
                stage=rng.choice([LeadStage.LISTED, LeadStage.QUOTE, LeadStage.CLOSED]),
                contacts=rng.randint(0, 6),
                attempts=rng.randint(0, 9),
                day_attempts=rng.randint(0, 4),
                day_attempts_date=today + timedelta(rng.randint(-1, 1)),
                last_outcome=outcome,
                next_contact_at=(
                    None if outcome is None else at + timedelta(minutes=rng.randint(-600, 600))
                ),
            )
        )
    for n in range(0, 150, 7):
        expires = None if n % 3 == 0 else at + timedelta(days=rng.randint(-30, 30))
        reason = DncReason.OPT_OUT if expires is None else DncReason.REFUSED
        session.add(f.dnc(phone=f"137{n:08d}", reason=reason, at=at, expires_at=expires))


def _expected(session: Session, at: datetime) -> list[tuple[int, int]]:
    blocks: dict[str, DncBlock] = {}
    for entry in session.scalars(select(DoNotCall)):
        block = DncBlock(reason=entry.reason, expires_at=entry.expires_at)
        if block.active(at):
            blocks[entry.phone] = block
    decisions = []
    for lead in session.scalars(select(Lead)):
        customer = lead.policy.vehicle.customer
        snapshot = LeadSnapshot(
            lead_id=lead.id,
            status=lead.status,
            stage=lead.stage,
            end_date=lead.policy.end_date,
            timezone=customer.timezone,
            tenure_years=customer.tenure_years,
            attempts=lead.attempts,
            contacts=lead.contacts,
            day_attempts=lead.day_attempts,
            day_attempts_date=lead.day_attempts_date,
            last_outcome=lead.last_outcome,
            next_contact_at=lead.next_contact_at,
            dnc=blocks.get(customer.phone),
        )
        d = decide(snapshot, at, DEFAULT_RULES)
        if d.due:
            decisions.append((d, lead.policy.end_date))
    decisions.sort(key=lambda x: (-x[0].priority, x[1], x[0].lead_id))
    return [(d.lead_id, d.priority) for d, _ in decisions]


def test_sql_ranking_matches_the_pure_rule_over_a_random_book(
    session_factory: sessionmaker[Session],
) -> None:
    rng = random.Random(7)
    base = datetime(2026, 5, 1, tzinfo=UTC)
    with session_factory.begin() as s:
        _random_book(s, base + timedelta(hours=4), rng)
    # Several instants: Shanghai morning/evening, Urumqi still asleep, New York daytime.
    for hour in (1, 4, 11, 12.99, 14, 23):
        at = base + timedelta(hours=hour)
        with session_factory() as s:
            expected = _expected(s, at)
            got = find_due_leads(s, at, DEFAULT_RULES)
            top = find_due_leads(s, at, DEFAULT_RULES, limit=10)
        assert [(x.decision.lead_id, x.decision.priority) for x in got] == expected, hour
        assert all(x.sql_priority == x.decision.priority for x in got)
        assert [x.decision.lead_id for x in top] == [lead_id for lead_id, _ in expected[:10]]


def test_the_book_has_due_and_blocked_leads(session_factory: sessionmaker[Session]) -> None:
    # Guards the test above against passing vacuously on an empty due list.
    at = datetime(2026, 5, 1, 4, tzinfo=UTC)
    with session_factory.begin() as s:
        _random_book(s, at, random.Random(7))
    with session_factory() as s:
        due = find_due_leads(s, at, DEFAULT_RULES)
    assert len(due) > 20
    assert {x.decision.reason.code for x in due} >= {"callback_due", "quote", "follow_up"}
    assert max(x.end_date for x in due) <= date(2026, 5, 1) + timedelta(days=50)
