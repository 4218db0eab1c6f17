"""Seat states: allowed changes only, each one timestamped in the seat history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialer.errors import SeatTransitionNotAllowed
from dialer.models import SeatEvent, SeatState
from dialer.seats import change_seat, expire_wrap_ups

T0 = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def test_a_shift_is_recorded_change_by_change(session_factory: sessionmaker[Session]) -> None:
    steps = [
        (SeatState.READY, ""),
        (SeatState.RESERVED, ""),
        (SeatState.ON_CALL, ""),
        (SeatState.WRAP_UP, ""),
        (SeatState.PAUSED, "lunch"),
        (SeatState.READY, ""),
        (SeatState.LOGGED_OUT, ""),
    ]
    with session_factory.begin() as s:
        for i, (state, reason) in enumerate(steps):
            change_seat(s, "1001", state, at=T0 + timedelta(minutes=i), reason=reason, call_id="c1")
    with session_factory() as s:
        events = s.scalars(select(SeatEvent).order_by(SeatEvent.id)).all()
    assert [e.state for e in events] == [state for state, _ in steps]
    assert [e.at for e in events] == [T0 + timedelta(minutes=i) for i in range(len(steps))]
    assert events[4].reason == "lunch"


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        ([], SeatState.RESERVED),  # preview dialing never reserves a logged-out seat
        ([SeatState.READY, SeatState.ON_CALL], SeatState.READY),  # a call ends in wrap-up
        ([SeatState.PAUSED], SeatState.WRAP_UP),
        ([SeatState.READY, SeatState.ON_CALL], SeatState.LOGGED_OUT),
    ],
)
def test_impossible_changes_are_refused(
    session_factory: sessionmaker[Session], path: list[SeatState], bad: SeatState
) -> None:
    with session_factory.begin() as s:
        for state in path:
            change_seat(s, "1001", state, at=T0, reason="break")
        with pytest.raises(SeatTransitionNotAllowed):
            change_seat(s, "1001", bad, at=T0)


def test_a_pause_needs_a_reason(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s, pytest.raises(SeatTransitionNotAllowed):
        change_seat(s, "1001", SeatState.PAUSED, at=T0)


def test_wrap_up_past_its_limit_returns_the_seat_to_ready(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        for agent in ("a", "b"):
            change_seat(s, agent, SeatState.READY, at=T0)
            change_seat(s, agent, SeatState.ON_CALL, at=T0)
        change_seat(s, "a", SeatState.WRAP_UP, at=T0)
        change_seat(s, "b", SeatState.WRAP_UP, at=T0 + timedelta(seconds=50))
    with session_factory.begin() as s:
        assert expire_wrap_ups(s, now=T0 + timedelta(seconds=60), limit_s=60) == ["a"]


def test_a_lapsed_seat_the_queue_still_offered_a_call_shows_the_call(
    session_factory: sessionmaker[Session],
) -> None:
    # The queue offered the call in the instant before the lapsed seat's QueueRemove reached it.
    with session_factory.begin() as s:
        change_seat(s, "1001", SeatState.READY, at=T0)
        change_seat(s, "1001", SeatState.LOGGED_OUT, at=T0, reason="lapsed")
        seat = change_seat(s, "1001", SeatState.ON_CALL, at=T0, call_id="c1")
        assert (seat.state, seat.call_id) == (SeatState.ON_CALL, "c1")
