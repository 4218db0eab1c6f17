"""Who may take a callback kept for one agent (the pure rule)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from renewals.cadence.sticky import callback_holder

DUE = datetime(2026, 5, 1, 2, 0, tzinfo=UTC)
GRACE = timedelta(minutes=30)


def holder(at: datetime, present: tuple[str, ...], agent: str | None = "1001") -> str | None:
    return callback_holder(callback_agent=agent, due_at=DUE, at=at, grace=GRACE, present=present)


def test_a_team_callback_is_anyones() -> None:
    assert holder(DUE, (), agent=None) is None


def test_a_kept_callback_stays_with_its_agent_while_they_are_logged_in() -> None:
    assert holder(DUE, ("1001",)) == "1001"
    assert holder(DUE + timedelta(days=1), ("1001", "1002")) == "1001"


def test_an_absent_agent_keeps_it_until_the_grace_runs_out_then_the_team_gets_it() -> None:
    assert holder(DUE - timedelta(hours=1), ()) == "1001"  # not due yet
    assert holder(DUE + GRACE - timedelta(seconds=1), ("1002",)) == "1001"
    assert holder(DUE + GRACE, ("1002",)) is None
    assert holder(DUE + GRACE, ("1001",)) == "1001"  # came back in time: still theirs


def test_no_grace_releases_it_as_soon_as_it_is_due() -> None:
    assert (
        callback_holder(callback_agent="1001", due_at=DUE, at=DUE, grace=timedelta(0), present=())
        is None
    )
