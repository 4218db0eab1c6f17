"""Pongs from many sockets are written together: one flush renews every noted seat (never a
logged-out one) and sends a socket its seat only if it changed since the socket showed it."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent_console.floor import Floor
from agent_console.heartbeats import Heartbeats
from agent_console.hub import AgentHub
from agent_console.options import ConsoleOptions
from agent_console.seat import SeatService
from dialer.models import CampaignMode, Seat, SeatState
from dialer.seats import change_seat
from renewals.clock import FixedClock
from tests.integration.dialer.runtime.campaign_process import START, seed_book


def _heard_at(sessions: sessionmaker[Session]) -> dict[str, datetime | None]:
    with sessions() as s:
        return {seat.agent_id: seat.heard_at for seat in s.scalars(select(Seat))}


async def test_one_flush_renews_the_noted_seats_and_sends_only_changed_ones(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=1, mode=CampaignMode.PROGRESSIVE, now=START)  # the campaign q4
    with session_factory.begin() as s:
        for agent in ("1001", "1002"):
            change_seat(s, agent, SeatState.READY, at=START, campaign_id="q4")
        change_seat(s, "1003", SeatState.LOGGED_OUT, at=START)
    clock = FixedClock(START + timedelta(seconds=3))
    hub = AgentHub()
    seats = SeatService(sessions=session_factory, floor=Floor({}), options=ConsoleOptions(),
                        clock=clock)  # fmt: skip
    beats = Heartbeats(sessions=session_factory, clock=clock, seats=seats, hub=hub)
    shown, stale = hub.connect("1001", "zh_CN"), hub.connect("1002", "en")
    shown.last_seat = seats.view("1001")
    stale.last_seat = {**seats.view("1002"), "state": "paused"}  # a change it never got
    for agent in ("1001", "1002", "1003", "1001"):
        beats.heard(agent)
    await beats.flush()
    heard = _heard_at(session_factory)
    assert heard["1001"] == heard["1002"] == clock.now()
    assert heard["1003"] is None  # a heartbeat never brings a logged-out seat back
    assert shown.queue.empty()
    message = stale.queue.get_nowait()
    assert message["type"] == "seat" and message["seat"]["state"] == "ready"  # type: ignore[index]
    await beats.flush()  # nothing noted since: nothing written
    assert _heard_at(session_factory) == heard
