"""Calls in the IVR on the floor: counted floor-wide by direction from the IVR's bus events,
once each, gone at their end or when their end never came."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialer.floor import (
    IVR_STALE_S,
    CallPhase,
    FloorState,
    IvrCallEnded,
    IvrCallStarted,
    IvrCounts,
    IvrDirection,
)
from dialer.floor.feed import AlertLimits, floor_feed
from dialer.floor.stats import CampaignStats

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
STATS = CampaignStats(
    campaign_id="q4", name="四季度", mode="progressive", status="running", dial_level_cap=3.0,
    abandon_cap_pct=3.0, attempts_today=0, answered_today=0, abandoned_30d=0,
    live_answers_30d=0, avg_talk_s=None, avg_wait_s=None, leads_ready=1, leads_today=1,
)  # fmt: skip


def at(s: float) -> datetime:
    return T0 + timedelta(seconds=s)


def started(
    call: str, s: float = 0, direction: IvrDirection = IvrDirection.INBOUND
) -> IvrCallStarted:
    flow = "inbound_callback" if direction is IvrDirection.INBOUND else "reminder"
    return IvrCallStarted(call_id=call, at=at(s), flow=flow, direction=direction, lead_id=7)


def ended(call: str, s: float) -> IvrCallEnded:
    return IvrCallEnded(call_id=call, at=at(s), outcome="contacted")


def test_started_sessions_are_counted_by_direction_and_ended_ones_leave() -> None:
    floor = FloorState()
    floor.apply(started("in-1"))
    floor.apply(started("in-2", 1))
    floor.apply(started("rem-1", 2, IvrDirection.REMINDER))
    counts = floor.ivr.counts(at(3))
    assert counts == IvrCounts(inbound=2, reminder=1) and counts.total == 3
    floor.apply(ended("in-1", 30))
    floor.apply(ended("rem-1", 40))
    assert floor.ivr.counts(at(41)) == IvrCounts(inbound=1, reminder=0)


def test_ivr_lines_are_not_a_campaigns_lines() -> None:
    floor = FloorState(caps={"q4": 3.0})
    floor.apply(started("in-1"))
    assert sum(floor.counts("q4").lines.values()) == 0
    assert floor.counts("q4").lines[CallPhase.WAITING] == 0


def test_a_duplicate_end_and_a_start_replayed_after_its_end_change_nothing() -> None:
    floor = FloorState()
    floor.apply(started("in-1"))
    floor.apply(started("in-1"))  # replayed after a resync
    assert floor.ivr.counts(at(1)).total == 1
    floor.apply(ended("in-1", 20))
    floor.apply(ended("in-1", 20))
    floor.apply(ended("never-started", 21))
    assert floor.ivr.counts(at(22)).total == 0
    floor.apply(started("in-1"))  # the start again, after the end: the call is over
    assert floor.ivr.counts(at(23)).total == 0


def test_a_session_whose_end_never_came_is_dropped_when_stale() -> None:
    floor = FloorState()
    floor.apply(started("lost"))
    floor.apply(started("fresh", IVR_STALE_S - 60, IvrDirection.REMINDER))
    assert floor.ivr.counts(at(IVR_STALE_S)).total == 2  # an hour is not yet stale
    assert floor.ivr.counts(at(IVR_STALE_S + 1)) == IvrCounts(inbound=0, reminder=1)
    assert floor.ivr.started("lost") is None
    # A late end for the dropped session is harmless.
    floor.apply(ended("lost", IVR_STALE_S + 5))
    assert floor.ivr.counts(at(IVR_STALE_S + 6)).total == 1


def test_starts_drop_stale_sessions_even_when_nobody_reads_the_count() -> None:
    floor = FloorState()
    for n in range(5):
        floor.apply(started(f"lost-{n}", n))
    floor.apply(started("much-later", 2 * IVR_STALE_S))
    assert floor.ivr.drop_stale(at(2 * IVR_STALE_S)) == 0  # already gone at the last start
    assert floor.ivr.started("lost-0") is None and floor.ivr.started("much-later") is not None


def test_the_feed_shows_the_floor_wide_ivr_count_split_by_direction() -> None:
    floor = FloorState(caps={"q4": 3.0})
    floor.apply(started("in-1"))
    floor.apply(started("rem-1", 1, IvrDirection.REMINDER))
    floor.apply(started("rem-2", 2, IvrDirection.REMINDER))
    feed = floor_feed(floor, [STATS], now=at(10), wins={}, limits=AlertLimits())
    assert feed["ivr"] == {"total": 3, "inbound": 1, "reminder": 2}
    (campaign,) = feed["campaigns"]  # type: ignore[misc]
    assert campaign["lines_in_use"] == 0  # the dial level is not moved by IVR calls
    floor.apply(ended("rem-1", 20))
    later = floor_feed(floor, [STATS], now=at(IVR_STALE_S + 30), wins={}, limits=AlertLimits())
    assert later["ivr"] == {"total": 0, "inbound": 0, "reminder": 0}
