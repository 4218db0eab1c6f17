"""The supervisors' feed: seats with their call, the campaign panel, the link and the alerts."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dialer.floor import CallPlaced, FloorState
from dialer.floor.feed import AlertLimits, floor_feed
from dialer.floor.stats import CampaignStats
from dialer.models import SeatState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallTransferred,
    ConsultChanged,
    LinkStatusChanged,
)

T0 = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
STATS = CampaignStats(
    campaign_id="q4", name="四季度", mode="progressive", status="running", dial_level_cap=3.0,
    abandon_cap_pct=3.0, attempts_today=10, answered_today=4, abandoned_30d=1,
    live_answers_30d=100, avg_talk_s=95.5, avg_wait_s=0.8, leads_ready=12, leads_today=30,
)  # fmt: skip


def at(s: float) -> datetime:
    return T0 + timedelta(seconds=s)


def _talking(floor: FloorState, agent: str, call: str, s: float) -> None:
    floor.apply(
        CallPlaced(call_id=call, campaign_id="q4", lead_id="1", number_masked="138****5678",
                   at=at(s))
    )  # fmt: skip
    floor.apply(CallAnswered(call_id=call, at=at(s + 1), kind=AnswerKind.HUMAN))
    floor.apply(CallBridged(call_id=call, at=at(s + 2), agent_id=agent))
    floor.apply(
        SeatChanged(agent_id=agent, campaign_id="q4", state=SeatState.ON_CALL, at=at(s + 2),
                    call_id=call)
    )  # fmt: skip


def _feed(floor: FloorState, now_s: float, stats: CampaignStats = STATS) -> dict[str, object]:
    return floor_feed(floor, [stats], now=at(now_s), wins={"1001": 2}, limits=AlertLimits())


def test_a_talking_seat_shows_the_masked_customer_the_call_time_and_todays_counts() -> None:
    floor = FloorState(caps={"q4": 3.0})
    _talking(floor, "1001", "c1", 0)
    feed = _feed(floor, 62)
    (seat,) = feed["seats"]  # type: ignore[misc]
    assert seat["state"] == "on_call" and not seat["dead"]
    assert seat["number"] == "138****5678" and seat["in_state_s"] == 60
    assert seat["call_since"] == at(2).isoformat()
    assert (seat["calls_today"], seat["wins_today"]) == (1, 2)
    (campaign,) = feed["campaigns"]  # type: ignore[misc]
    assert campaign["lines_in_use"] == 1 and campaign["lines"]["talking"] == 1
    assert campaign["dial_level"] == 1.0 and campaign["logged_in"] == 1
    assert campaign["answer_rate_pct"] == 40.0 and campaign["abandon_30d_pct"] == 1.0
    assert feed["alerts"] == []


def test_a_seat_whose_line_is_gone_is_dead_and_raises_an_alert() -> None:
    floor = FloorState()
    _talking(floor, "1001", "c1", 0)
    floor.apply(CallHungUp(call_id="c1", at=at(5)))
    feed = _feed(floor, 6)
    (seat,) = feed["seats"]  # type: ignore[misc]
    assert seat["dead"] and seat["state"] == "on_call"
    assert feed["alerts"] == [{"kind": "dead", "agent_id": "1001", "call_id": "c1"}]


def test_too_long_in_one_state_is_an_alert_past_its_limit_only() -> None:
    floor = FloorState()
    floor.apply(
        SeatChanged(agent_id="1002", campaign_id="q4", state=SeatState.PAUSED, at=at(0),
                    reason="lunch")
    )  # fmt: skip
    assert _feed(floor, 899)["alerts"] == []
    (alert,) = _feed(floor, 900)["alerts"]  # type: ignore[misc]
    assert alert == {"kind": "long_state", "agent_id": "1002", "state": "paused", "in_state_s": 900}


def test_abandon_rate_near_then_at_the_cap() -> None:
    floor = FloorState(caps={"q4": 3.0})
    near = replace(STATS, abandoned_30d=25, live_answers_30d=1000)  # 2.5% of a 3% cap
    (alert,) = _feed(floor, 0, near)["alerts"]  # type: ignore[misc]
    assert alert["kind"] == "abandon_near_cap" and alert["rate_pct"] == 2.5
    # Today's rate at the cap: one abandon in ten live answers.
    for n in range(10):
        _talking(floor, "1001", f"c{n}", n * 10)
        floor.apply(CallHungUp(call_id=f"c{n}", at=at(n * 10 + 5)))
    floor.apply(
        CallPlaced(call_id="lost", campaign_id="q4", lead_id="1", number_masked="", at=at(200))
    )
    floor.apply(CallAbandoned(call_id="lost", at=at(203)))
    feed = _feed(floor, 210)
    (campaign,) = feed["campaigns"]  # type: ignore[misc]
    assert campaign["at_cap"] and campaign["abandon_today_pct"] > 3.0
    assert [a["kind"] for a in feed["alerts"]] == ["dead", "abandon_at_cap"]  # type: ignore[attr-defined]


def test_no_leads_left_is_an_alert_for_a_running_campaign() -> None:
    empty = replace(STATS, leads_ready=0, leads_today=0)
    assert _feed(FloorState(), 0, empty)["alerts"] == [{"kind": "no_leads", "campaign_id": "q4"}]
    assert _feed(FloorState(), 0, replace(empty, status="paused"))["alerts"] == []


def test_the_link_down_alert_comes_first_with_the_time_lost_then_the_recovery() -> None:
    floor = FloorState()
    floor.apply(LinkStatusChanged(up=False, at=at(10), reason="connection lost"))
    floor.apply(LinkStatusChanged(up=False, at=at(12), reason="again"))  # still the same outage
    down = _feed(floor, 40)
    assert down["alerts"] == [{"kind": "link_down", "since": at(10).isoformat()}]
    assert down["link"]["down_s"] == 30 and down["link"]["reason"] == "connection lost"  # type: ignore[index]
    floor.apply(LinkStatusChanged(up=True, at=at(55)))
    up = _feed(floor, 60)
    assert up["alerts"] == []
    link = up["link"]
    assert link["up"] and link["last_lost_s"] == 45  # type: ignore[index]
    assert (link["last_down"], link["last_up"]) == (at(10).isoformat(), at(55).isoformat())  # type: ignore[index]


def test_each_seat_carries_its_agents_team() -> None:
    floor = FloorState()
    _talking(floor, "1001", "c1", 0)
    feed = floor_feed(
        floor, [STATS], now=at(5), wins={}, limits=AlertLimits(), teams={"1001": "一组"}
    )
    assert [s["team"] for s in feed["seats"]] == ["一组"]  # type: ignore[attr-defined]
    assert [s["team"] for s in _feed(floor, 5)["seats"]] == [""]  # type: ignore[attr-defined]


def test_a_pause_code_with_its_own_limit_is_held_to_it() -> None:
    floor = FloorState()
    for agent, code in (("1001", "lunch"), ("1002", "meeting")):
        floor.apply(
            SeatChanged(agent_id=agent, campaign_id="q4", state=SeatState.PAUSED, at=at(0),
                        reason=code)
        )  # fmt: skip
    limits = AlertLimits(paused_s=600, paused_by_code_s={"lunch": 3600})
    alerts = floor_feed(floor, [STATS], now=at(3599), wins={}, limits=limits)["alerts"]
    assert alerts == [{"kind": "long_state", "agent_id": "1002", "state": "paused",
                       "in_state_s": 3599}]  # fmt: skip
    alerts = floor_feed(floor, [STATS], now=at(3600), wins={}, limits=limits)["alerts"]
    assert [a["agent_id"] for a in alerts] == ["1001", "1002"]  # type: ignore[index]


def test_a_held_customer_is_shown_held_not_just_talking() -> None:
    floor = FloorState(caps={"q4": 3.0})
    _talking(floor, "1001", "c1", 0)
    floor.apply(CallHoldChanged(call_id="c1", at=at(5), held=True))
    floor.apply(CallMuteChanged(call_id="c1", at=at(6), muted=True))
    (seat,) = _feed(floor, 7)["seats"]  # type: ignore[misc]
    assert (seat["held"], seat["muted"], seat["consulting"]) == (True, True, False)
    floor.apply(CallHoldChanged(call_id="c1", at=at(8), held=False))
    floor.apply(ConsultChanged(call_id="c1", at=at(9), active=True, target="agent:1002"))
    (seat,) = _feed(floor, 10)["seats"]  # type: ignore[misc]
    assert (seat["held"], seat["muted"], seat["consulting"]) == (False, True, True)
    floor.apply(CallTransferred(call_id="c1", at=at(11), from_agent="1001", target="agent:1002"))
    call = floor.call("c1")
    assert call is not None and not (call.held or call.muted or call.consulting)
