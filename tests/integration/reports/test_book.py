"""Funnel, tenure cohorts and leads at risk against hand-worked figures (``dataset.py``).

January 2027's renewal list holds L1-L6, L8 and L9 (L7 expires in February): 8 leads.
Contacted (a completed call): L1 L2 L3 L4 L5 L9 = 6. Quoted: L1 L2 L3 = 3. Won: L1 L3 L4.
Lost: L5 (lost; declined for service, then, latest, for the product) and L6 (do-not-call,
never declined: "none"). Open: L2 L8 L9.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from renewals.cadence.rules import DEFAULT_RULES
from reports.cohorts import cohort_report, leads_at_risk
from reports.funnel import funnel_report
from reports.periods import Period
from tests.integration.reports import dataset

JANUARY = Period(date(2027, 1, 1), date(2027, 1, 31), "Asia/Shanghai")


@pytest.fixture
def sessions(session_factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with session_factory.begin() as s:
        dataset.build(s)
    return session_factory


def test_funnel_of_the_january_list(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        funnel = funnel_report(s, JANUARY)
    stages = (funnel.listed, funnel.contacted, funnel.quoted, funnel.won, funnel.lost, funnel.open)
    assert stages == (8, 6, 3, 3, 2, 3)
    assert funnel.lost_by_reason == {"product": 1, "service": 0, "price": 0, "other": 0, "none": 1}
    assert funnel.renewal_rate == 3 / 8


def test_funnel_of_one_team_goes_by_the_owner_at_the_period_end(
    sessions: sessionmaker[Session],
) -> None:
    # On 1 February A1 is in east and A2 in west: east owns L1, L2 and L8.
    with sessions() as s:
        east = funnel_report(s, JANUARY, team="east")
        west = funnel_report(s, JANUARY, team="west")
    assert (east.listed, east.contacted, east.quoted, east.won, east.lost, east.open) == (
        3, 2, 2, 1, 0, 2,
    )  # fmt: skip
    assert (west.listed, west.won) == (2, 2)  # L3 and L4


def test_cohorts_by_tenure(sessions: sessionmaker[Session]) -> None:
    """First renewal (0-1 years): L1 won (1 contact), L5 lost (2), L6 lost (0).
    2-3 years: L2 open (1), L4 won (1). 4 years and more: L3 won (1), L8 open (0), L9 open (1)."""
    with sessions() as s:
        rows = cohort_report(s, JANUARY, rules=DEFAULT_RULES)
    assert [(r.target.min_years, r.leads, r.won, r.lost, r.contacts) for r in rows] == [
        (0, 3, 1, 2, 3),
        (2, 2, 1, 0, 2),
        (4, 3, 1, 0, 2),
    ]
    assert [r.renewal_rate for r in rows] == [1 / 3, 1 / 2, 1 / 3]
    assert [r.contacts_per_win for r in rows] == [3.0, 2.0, 2.0]


def test_an_empty_cohort_has_no_rates(sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        rows = cohort_report(s, Period(date(2027, 2, 1), date(2027, 2, 28), "Asia/Shanghai"),
                             rules=DEFAULT_RULES)  # fmt: skip
    assert [(r.leads, r.won) for r in rows] == [(1, 0), (0, 0), (0, 0)]
    assert rows[1].renewal_rate is None and rows[0].contacts_per_win is None


def test_leads_at_risk_on_new_year(sessions: sessionmaker[Session]) -> None:
    """Open leads expiring by 16 January: L2 (5 Jan, 2 years, 1 contact of 3), L9 (7 Jan, 4 years,
    1 of 1: on target) and L8 (10 Jan, 4 years, 0 of 1)."""
    with sessions() as s:
        risky = leads_at_risk(
            s, now=dataset.dec(1, 10).replace(year=2027, month=1), rules=DEFAULT_RULES,
            zone="Asia/Shanghai",
        )  # fmt: skip
    assert [(r.expires, r.days_left, r.contacts, r.target_contacts) for r in risky] == [
        (date(2027, 1, 5), 4, 1, 3),
        (date(2027, 1, 10), 9, 0, 1),
    ]
    assert all("****" in r.phone_masked for r in risky)
