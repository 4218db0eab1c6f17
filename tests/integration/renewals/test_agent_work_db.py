"""The agent's work rules on SQLite and PostgreSQL: sticky callbacks in the due query, booking
callbacks, the agent's callback list, lead search, manual-dial refusals and the agent's
do-not-call entry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from renewals.agent_leads import check_manual_dial, is_agents_lead, search_leads
from renewals.cadence import DEFAULT_RULES, LeadClosed, find_due_leads
from renewals.cadence.errors import ManualDialRefused
from renewals.cadence.outcomes import apply_outcome, record_opt_out
from renewals.cadence.query import LeadFilter
from renewals.cadence.rules import Outcome
from renewals.cadence.sticky import StickyCallbacks, callback_holder
from renewals.callbacks import callbacks_due, schedule_callback
from renewals.dispositions import DispositionInput, record_disposition
from renewals.errors import InvalidDisposition
from renewals.models import (
    ContactAttempt,
    DispositionKind,
    DncReason,
    DoNotCall,
    Lead,
    LeadStage,
    LeadStatus,
)
from tests import factories as f

TZ = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 5, 1)
AT = datetime(2026, 5, 1, 10, 0, tzinfo=TZ).astimezone(UTC)
GRACE = DEFAULT_RULES.callback_grace


def _lead(**kwargs: object) -> Lead:
    return f.lead(end_date=TODAY + timedelta(days=20), stage=LeadStage.QUOTE, **kwargs)


def _callback(agent: str | None, due: datetime) -> Lead:
    return _lead(last_outcome="callback", next_contact_at=due, callback_agent=agent)


def _due_ids(s: Session, at: datetime, agent: str | None, present: tuple[str, ...]) -> set[int]:
    sticky = StickyCallbacks(agent=agent, present=present, at=at, grace=GRACE)
    return {
        d.decision.lead_id
        for d in find_due_leads(s, at, DEFAULT_RULES, where=LeadFilter(sticky=sticky))
    }


def test_a_kept_callback_goes_to_its_agent_alone_until_released(
    session_factory: sessionmaker[Session],
) -> None:
    due_at = AT - timedelta(minutes=5)
    with session_factory.begin() as s:
        kept, team, plain = _callback("1001", due_at), _callback(None, due_at), _lead()
        f.add(s, kept, team, plain)
        ids = kept.id, team.id, plain.id
    kept_id, team_id, plain_id = ids
    with session_factory() as s:
        assert _due_ids(s, AT, None, ("1001",)) == {team_id, plain_id}  # the queue: not it
        assert _due_ids(s, AT, "1002", ("1001",)) == {team_id, plain_id}
        assert _due_ids(s, AT, "1001", ("1001",)) == set(ids)
        # 1001 is away: theirs during the grace, the team's after it.
        assert _due_ids(s, AT, None, ()) == {team_id, plain_id}
        later = due_at + GRACE
        assert _due_ids(s, later, None, ()) == set(ids)
        assert _due_ids(s, later, None, ("1001",)) == {team_id, plain_id}
        only = find_due_leads(s, AT, DEFAULT_RULES, where=LeadFilter(kept_for=("1001",)))
        assert [d.decision.lead_id for d in only] == [kept_id]
        # The SQL and the pure rule agree on every case above.
        for at, present in ((AT, ("1001",)), (AT, ()), (later, ()), (later, ("1001",))):
            released = (
                callback_holder(
                    callback_agent="1001", due_at=due_at, at=at, grace=GRACE, present=present
                )
                is None
            )
            assert (kept_id in _due_ids(s, at, None, present)) is released


def test_a_disposition_keeps_the_callback_and_the_next_outcome_ends_it(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        lead = _lead()
        f.add(s, lead)
        form = DispositionInput(
            lead_id=lead.id, agent="1001", kind=DispositionKind.CALLBACK,
            callback_at=AT + timedelta(hours=2), callback_kept=True,
        )  # fmt: skip
        record_disposition(s, form, at=AT, rules=DEFAULT_RULES)
        assert (lead.callback_agent, lead.last_outcome) == ("1001", "callback")
        apply_outcome(s, lead.id, Outcome.NO_ANSWER, AT + timedelta(hours=2), DEFAULT_RULES)
        assert lead.callback_agent is None
        with pytest.raises(InvalidDisposition) as bad:
            record_disposition(
                s,
                DispositionInput(lead_id=lead.id, agent="1001", kind=DispositionKind.NO_DECISION,
                                 callback_kept=True),
                at=AT, rules=DEFAULT_RULES,
            )  # fmt: skip
        assert bad.value.field == "callback_kept"


def test_booking_a_callback_and_the_agents_list_of_the_day(
    session_factory: sessionmaker[Session],
) -> None:
    end_of_day = datetime(2026, 5, 2, tzinfo=TZ)
    with session_factory.begin() as s:
        mine, team, theirs, tomorrow, closed = (_lead(owner_agent="1001") for _ in range(5))
        closed.status = LeadStatus.WON
        f.add(s, mine, team, theirs, tomorrow, closed)
        book = dict(at=AT, rules=DEFAULT_RULES)
        schedule_callback(
            s,
            lead_id=mine.id,
            agent="1001",
            due_at=AT + timedelta(hours=3),
            kept=True,
            notes="after lunch",
            **book,
        )
        schedule_callback(
            s, lead_id=team.id, agent="1001", due_at=AT + timedelta(hours=1), kept=False, **book
        )
        schedule_callback(
            s, lead_id=theirs.id, agent="1002", due_at=AT + timedelta(hours=1), kept=True, **book
        )
        schedule_callback(
            s, lead_id=tomorrow.id, agent="1001", due_at=AT + timedelta(days=1), kept=True, **book
        )
        assert (mine.callback_agent, team.callback_agent) == ("1001", None)
        assert mine.next_contact_at == AT + timedelta(hours=3) and mine.attempts == 0
        for due_at, field in ((AT - timedelta(minutes=1), "callback_at"),
                              (datetime(2026, 5, 1, 22, 0, tzinfo=TZ), "callback_at")):  # fmt: skip
            with pytest.raises(InvalidDisposition) as bad:
                schedule_callback(
                    s, lead_id=mine.id, agent="1001", due_at=due_at, kept=True, **book
                )
            assert bad.value.field == field
        with pytest.raises(LeadClosed):
            schedule_callback(
                s,
                lead_id=closed.id,
                agent="1001",
                due_at=AT + timedelta(hours=1),
                kept=True,
                **book,
            )
        rows = callbacks_due(s, "1001", before=end_of_day)
        assert [(r.lead_id, r.kept) for r in rows] == [(team.id, False), (mine.id, True)]
        assert [r.lead_id for r in callbacks_due(s, "1002", before=end_of_day)] == [theirs.id]


def _reached(s: Session, lead: Lead, agent: str) -> None:
    f.add(s, ContactAttempt(lead_id=lead.id, call_id=f"c{lead.id}-{agent}", agent=agent,
                            started_at=AT))  # fmt: skip


def test_search_finds_only_the_agents_own_leads(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        owned = _lead(
            owner_agent="1001",
            pol=f.policy(
                end_date=TODAY + timedelta(days=20),
                car=f.vehicle(plate="沪B12345", owner=f.customer(name="李四", phone="13900001234")),
            ),
        )
        reached, other, other_reached = (
            _lead(),
            _lead(owner_agent="1002"),
            _lead(owner_agent="1002"),
        )
        f.add(s, owned, reached, other, other_reached)
        _reached(s, reached, "1001")
        _reached(s, other_reached, "1001")  # reached once, but assigned to 1002: never 1001's
        everything = search_leads(s, "1001", "")
        assert {h.lead_id for h in everything.hits} == {owned.id, reached.id}
        assert everything.total == 2
        assert is_agents_lead(s, owned.id, "1001") and not is_agents_lead(s, other.id, "1001")
        assert not is_agents_lead(s, other_reached.id, "1001")
        policy_no = owned.policy.commercial_policy_no
        for text in ("1234", "李四", "沪b123", policy_no[-6:]):
            assert [h.lead_id for h in search_leads(s, "1001", text).hits] == [owned.id], text
        assert search_leads(s, "1001", "0000123").hits == []  # digits that are not the last 4
        assert search_leads(s, "1001", "%").hits == []  # a wildcard is a character, not "all"
        assert search_leads(s, "1002", "1234").hits == []
        page2 = search_leads(s, "1001", "", page=2, page_size=1)
        assert (page2.total, len(page2.hits)) == (2, 1)


def test_manual_dial_is_refused_when_closed_blocked_out_of_hours_or_under_way(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        ok, closed, blocked, leased = _lead(), _lead(status=LeadStatus.LOST), _lead(), _lead()
        leased.lease_owner, leased.lease_expires_at = "runtime-x", AT + timedelta(minutes=1)
        f.add(s, ok, closed, blocked, leased)
        phone = blocked.policy.vehicle.customer.phone
        f.add(s, f.dnc(phone=phone, reason=DncReason.REFUSED, at=AT,
                       expires_at=AT + timedelta(days=30)))  # fmt: skip
        dial = check_manual_dial(s, ok.id, at=AT, rules=DEFAULT_RULES)
        assert dial.phone == ok.policy.vehicle.customer.phone
        night = datetime(2026, 5, 1, 21, 0, tzinfo=TZ)
        cases = ((closed.id, AT, "closed"), (blocked.id, AT, "do_not_call"),
                 (ok.id, night, "outside_hours"), (leased.id, AT, "in_progress"))  # fmt: skip
        for lead_id, at, code in cases:
            with pytest.raises(ManualDialRefused) as refused:
                check_manual_dial(s, lead_id, at=at, rules=DEFAULT_RULES)
            assert refused.value.code == code


def test_the_agents_do_not_call_entry_names_them_and_the_call_and_closes_the_lead(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        lead = _lead(owner_agent="1001")
        f.add(s, lead)
        _reached(s, lead, "1001")
        record_opt_out(s, lead.id, AT, DEFAULT_RULES, source="agent", call_id="call-1",
                       agent="1001")  # fmt: skip
        entry = s.scalars(select(DoNotCall)).one()
        assert (entry.source, entry.agent, entry.call_id) == ("agent", "1001", "call-1")
        assert (entry.reason, entry.expires_at) == (DncReason.OPT_OUT, None)
        assert lead.status is LeadStatus.DO_NOT_CALL
        # The call's disposition afterwards says the same; it is stored, nothing is re-blocked.
        record_disposition(
            s, DispositionInput(lead_id=lead.id, agent="1001", kind=DispositionKind.DO_NOT_CALL),
            at=AT, rules=DEFAULT_RULES,
        )  # fmt: skip
        assert len(s.scalars(select(DoNotCall)).all()) == 1
