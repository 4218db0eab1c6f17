"""The floor kept from bus events: lines by phase, seats, today's counts, DEAD seats, spies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialer.floor import CallPhase, CallPlaced, FloorState
from dialer.models import SeatState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallHungUp,
    CallNoAnswer,
    CallRinging,
    LinkStatusChanged,
    SpyStarted,
    SpyStopped,
)

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def at(s: float) -> datetime:
    return T0 + timedelta(seconds=s)


def placed(call: str, campaign: str = "q4", s: float = 0) -> CallPlaced:
    return CallPlaced(
        call_id=call, campaign_id=campaign, lead_id="7", number_masked="138****5678", at=at(s)
    )


def seat(
    agent: str, state: SeatState, s: float = 0, call: str = "", reason: str = ""
) -> SeatChanged:
    return SeatChanged(
        agent_id=agent, campaign_id="q4", state=state, at=at(s), call_id=call, reason=reason
    )


def test_a_call_moves_through_the_campaign_panel_lines() -> None:
    floor = FloorState(caps={"q4": 3.0})
    floor.apply(placed("c1"))
    assert floor.counts("q4").lines[CallPhase.DIALING] == 1
    floor.apply(CallRinging(call_id="c1", at=at(1)))
    assert floor.counts("q4").lines[CallPhase.RINGING] == 1
    floor.apply(CallAnswered(call_id="c1", at=at(9), kind=AnswerKind.HUMAN))
    assert floor.counts("q4").lines[CallPhase.WAITING] == 1
    floor.apply(CallBridged(call_id="c1", at=at(10), agent_id="1001"))
    counts = floor.counts("q4")
    assert counts.lines[CallPhase.TALKING] == 1 and counts.live_answers_today == 1
    call = floor.call("c1")
    assert call is not None and call.since == at(10) and call.number_masked == "138****5678"
    floor.apply(CallHungUp(call_id="c1", at=at(90)))
    assert sum(floor.counts("q4").lines.values()) == 0
    assert floor.counts("q4").live_answers_today == 1


def test_machines_and_no_answers_leave_the_live_lines() -> None:
    floor = FloorState()
    for n in (1, 2):
        floor.apply(placed(f"c{n}"))
    floor.apply(CallAnswered(call_id="c1", at=at(5), kind=AnswerKind.MACHINE))
    floor.apply(CallNoAnswer(call_id="c2", at=at(25)))
    lines = floor.counts("q4").lines
    assert lines[CallPhase.ENDING] == 2 and lines[CallPhase.WAITING] == 0
    assert floor.counts("q4").live_answers_today == 0


def test_abandon_rate_today_against_the_cap() -> None:
    floor = FloorState(caps={"q4": 3.0})
    for n in range(33):
        floor.apply(placed(f"c{n}"))
        if n == 0:
            floor.apply(CallAbandoned(call_id="c0", at=at(3), wait_s=2.0))
        else:
            floor.apply(CallBridged(call_id=f"c{n}", at=at(3), agent_id="1001"))
    counts = floor.counts("q4")
    assert (counts.live_answers_today, counts.abandoned_today) == (33, 1)
    assert round(counts.abandon_rate_pct, 2) == 3.03 and counts.at_cap
    floor.apply(placed("c99"))
    floor.apply(CallBridged(call_id="c99", at=at(4), agent_id="1001"))
    assert not floor.counts("q4").at_cap


def test_replayed_events_count_once() -> None:
    floor = FloorState()
    events = [placed("c1"), CallBridged(call_id="c1", at=at(3), agent_id="1001")]
    floor.apply(seat("1001", SeatState.READY))
    for event in events + events:
        floor.apply(event)
    assert floor.counts("q4").live_answers_today == 1
    assert floor.seat("1001").calls_today == 1  # type: ignore[union-attr]


def test_seats_by_state_with_time_in_state_and_the_call() -> None:
    floor = FloorState()
    floor.apply(seat("1001", SeatState.READY, 0))
    floor.apply(seat("1002", SeatState.PAUSED, 5, reason="lunch"))
    floor.apply(placed("c1"))
    floor.apply(CallBridged(call_id="c1", at=at(12), agent_id="1001"))
    floor.apply(seat("1001", SeatState.ON_CALL, 12, call="c1"))
    on_call = floor.seat("1001")
    assert on_call is not None and on_call.state is SeatState.ON_CALL and on_call.since == at(12)
    assert on_call.calls_today == 1 and not on_call.dead
    assert floor.seat_on_call("c1") == on_call
    paused = floor.seat("1002")
    assert paused is not None and paused.reason == "lunch"
    counts = floor.counts("q4").seats
    assert counts[SeatState.ON_CALL] == 1 and counts[SeatState.PAUSED] == 1
    floor.apply(seat("1002", SeatState.LOGGED_OUT, 20))
    assert [s.agent_id for s in floor.seats()] == ["1001"]


def test_a_seat_on_a_call_whose_line_is_gone_is_dead_not_talking() -> None:
    floor = FloorState()
    floor.apply(placed("c1"))
    floor.apply(CallBridged(call_id="c1", at=at(3), agent_id="1001"))
    floor.apply(seat("1001", SeatState.ON_CALL, 3, call="c1"))
    floor.apply(CallHungUp(call_id="c1", at=at(30)))
    dead = floor.seat("1001")
    assert dead is not None and dead.dead and floor.seat_on_call("c1") is None
    floor.apply(seat("1001", SeatState.WRAP_UP, 31, call="c1"))
    assert not floor.seat("1001").dead  # type: ignore[union-attr]
    # A short call: the hang-up overtakes the seat change.
    floor.apply(placed("c2"))
    floor.apply(CallBridged(call_id="c2", at=at(40), agent_id="1002"))
    floor.apply(CallHungUp(call_id="c2", at=at(41)))
    floor.apply(seat("1002", SeatState.ON_CALL, 40, call="c2"))
    assert floor.seat("1002").dead  # type: ignore[union-attr]


def test_a_bridged_call_placed_unseen_is_counted_under_the_seats_campaign() -> None:
    floor = FloorState()
    floor.apply(seat("1001", SeatState.READY))
    floor.apply(CallBridged(call_id="c7", at=at(3), agent_id="1001"))
    assert floor.counts("q4").lines[CallPhase.TALKING] == 1


def test_the_screen_shows_who_is_monitored_and_the_link() -> None:
    floor = FloorState()
    floor.apply(placed("c1"))
    floor.apply(seat("1001", SeatState.ON_CALL, 3, call="c1"))
    floor.apply(SpyStarted(call_id="c1", at=at(5), supervisor="9001", mode="whisper"))
    spied = floor.seat("1001")
    assert spied is not None and (spied.spied_by, spied.spy_mode) == ("9001", "whisper")
    floor.apply(SpyStopped(call_id="c1", at=at(9), supervisor="9001"))
    assert floor.seat("1001").spied_by == ""  # type: ignore[union-attr]
    down = LinkStatusChanged(up=False, at=at(10), reason="connection reset")
    floor.apply(down)
    assert floor.link == down


def test_a_new_day_restarts_the_counts_but_not_the_floor() -> None:
    floor = FloorState()
    floor.apply(seat("1001", SeatState.READY))
    floor.apply(placed("c1"))
    floor.apply(CallBridged(call_id="c1", at=at(3), agent_id="1001"))
    floor.new_day()
    assert floor.counts("q4").live_answers_today == 0
    assert floor.seat("1001").calls_today == 0  # type: ignore[union-attr]
    assert floor.counts("q4").lines[CallPhase.TALKING] == 1
