"""Leads made by the importer: one per policy, whether the policy is new or was leadless."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from renewals.importer import import_book
from renewals.models import Lead, LeadStage, LeadStatus, Policy
from tests.book_files import NOW, FixedClock, count, numbered, write_csv


def test_new_policies_and_a_leadless_known_policy_each_get_one_open_listed_lead(
    engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    import_book(write_csv(tmp_path / "a.csv", numbered(5)), engine=engine, clock=FixedClock())
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM leads WHERE id = (SELECT min(id) FROM leads)"))
    report = import_book(
        write_csv(tmp_path / "b.csv", numbered(12)), engine=engine, clock=FixedClock(), chunk_rows=4
    )
    assert (report.inserted, report.updated, report.leads_created) == (7, 5, 8)
    assert count(engine, "leads") == count(engine, "policies") == 12
    with session_factory() as s:
        leads = s.scalars(select(Lead)).all()
        assert {lead.policy_id for lead in leads} == set(s.scalars(select(Policy.id)))
        for lead in leads:
            assert (lead.stage, lead.status, lead.attempts, lead.contacts, lead.notes) == (
                LeadStage.LISTED,
                LeadStatus.OPEN,
                0,
                0,
                "",
            )
            assert (lead.created_at, lead.updated_at, lead.next_contact_at) == (NOW, NOW, None)
