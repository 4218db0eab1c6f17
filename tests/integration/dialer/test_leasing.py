"""Leases: exclusive across connections and processes, expiring, released only by their holder."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from dialer.leasing import lease_leads, release_lease, renew_leases
from renewals.models import Customer, Lead, LeadStatus, Policy, Vehicle

NOW = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def _book(session: Session, n: int) -> list[int]:
    ids = []
    for i in range(n):
        customer = Customer(name=f"客户{i}", phone=f"138{i:08d}", created_at=NOW, updated_at=NOW)
        vehicle = Vehicle(customer=customer, plate=f"沪A{i:05d}")
        policy = Policy(vehicle=vehicle, end_date=date(2027, 1, 1))
        lead = Lead(policy=policy, created_at=NOW, updated_at=NOW)
        session.add(lead)
        session.flush()
        ids.append(lead.id)
    session.commit()
    return ids


def test_lease_takes_candidates_in_priority_order(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s:
        ids = _book(s, 5)
    order = [ids[3], ids[0], ids[4], ids[1]]
    with session_factory.begin() as s:
        got = lease_leads(s, order, owner="r1", now=NOW, count=3, ttl_s=60)
    assert got == order[:3]


def test_a_leased_lead_is_not_leased_again_until_its_lease_expires(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory() as s:
        ids = _book(s, 2)
    with session_factory.begin() as s:
        assert lease_leads(s, ids, owner="r1", now=NOW, count=2, ttl_s=60) == ids
    with session_factory.begin() as s:
        assert (
            lease_leads(s, ids, owner="r2", now=NOW + timedelta(seconds=59), count=2, ttl_s=60)
            == []
        )
    with session_factory.begin() as s:
        # r1 died: after the TTL its leases are taken over.
        assert (
            lease_leads(s, ids, owner="r2", now=NOW + timedelta(seconds=61), count=1, ttl_s=60)
            == ids[:1]
        )


def test_only_open_leads_are_leased(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s:
        ids = _book(s, 2)
        lead = s.get(Lead, ids[0])
        assert lead is not None
        lead.status = LeadStatus.DO_NOT_CALL
        s.commit()
    with session_factory.begin() as s:
        assert lease_leads(s, ids, owner="r1", now=NOW, count=2, ttl_s=60) == ids[1:]


def test_release_and_renew_only_act_for_the_holder(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as s:
        ids = _book(s, 1)
    with session_factory.begin() as s:
        lease_leads(s, ids, owner="r1", now=NOW, count=1, ttl_s=60)
    with session_factory.begin() as s:
        assert not release_lease(s, ids[0], owner="r2")
        assert renew_leases(s, ids, owner="r2", now=NOW, ttl_s=600) == 0
        assert renew_leases(s, ids, owner="r1", now=NOW, ttl_s=600) == 1
        assert release_lease(s, ids[0], owner="r1")
    with session_factory() as s:
        lead = s.scalars(select(Lead)).one()
        assert lead.lease_owner is None and lead.lease_expires_at is None


def test_concurrent_runtimes_never_lease_the_same_lead(engine: Engine) -> None:
    """Four workers on their own connections race for 200 leads: every lead goes to exactly one."""
    factory = sessionmaker(engine)
    with factory() as s:
        ids = _book(s, 200)
    taken: dict[str, list[int]] = {}
    errors: list[BaseException] = []

    def work(owner: str) -> None:
        # Each thread's session checks out its own pooled connection.
        mine: list[int] = []
        try:
            for _ in range(60):
                with factory.begin() as s:
                    mine += lease_leads(s, ids, owner=owner, now=NOW, count=5, ttl_s=300)
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        taken[owner] = mine

    threads = [threading.Thread(target=work, args=(f"r{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    every = [lead for mine in taken.values() for lead in mine]
    assert len(every) == len(set(every)) == 200
    with factory() as s:
        owners = {lead.id: lead.lease_owner for lead in s.scalars(select(Lead))}
    for owner, mine in taken.items():
        assert all(owners[lead] == owner for lead in mine)
