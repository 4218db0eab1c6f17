"""Campaign and seat control from the supervisors' page: within the rules, every attempt audited
with who, when, the old and the new value; a forced log-out ends the agent's call cleanly."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.bus import BusRelay, PortBridge
from config.shift import agent_bots, compose_runtime
from dialer.bus import MemoryBus
from dialer.errors import CampaignError, SeatTransitionNotAllowed
from dialer.floor import (
    AnnouncingPort,
    AuditOutcome,
    FloorService,
    Supervision,
    SupervisorAction,
)
from dialer.floor.control import CampaignControl
from dialer.floor.seat_control import SeatControl
from dialer.floor.stats import campaign_stats
from dialer.models import Campaign, CampaignMode, CampaignStatus, Seat, SeatEvent, SeatState
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony import SpyMode
from dialer.telephony.events import SpyStarted
from renewals.cadence.rules import CadenceRules
from renewals.clock import FixedClock
from renewals.models import ContactAttempt, Lead
from tests.integration.dialer.floor.test_floor_shift import _first_talking_seat
from tests.integration.dialer.runtime.campaign_process import START, seed_book
from tests.integration.dialer.simulated.support import only


def _audit(sessions: sessionmaker[Session]) -> list[SupervisorAction]:
    with sessions() as s:
        return list(s.scalars(select(SupervisorAction).order_by(SupervisorAction.id)))


def test_campaign_changes_within_the_rules_are_audited_with_old_and_new(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=3, mode=CampaignMode.PROGRESSIVE, now=START)
    clock = FixedClock(START + timedelta(minutes=5))
    control = CampaignControl(sessions=session_factory, clock=clock)
    control.set_status("q4", CampaignStatus.PAUSED, supervisor="super1")
    control.set_mode("q4", CampaignMode.PREDICTIVE, supervisor="super1")
    control.set_dial_level_cap("q4", 2.5, supervisor="super1")
    with pytest.raises(CampaignError):
        control.set_dial_level_cap("q4", 11, supervisor="super1")
    control.set_status("q4", CampaignStatus.STOPPED, supervisor="super2")
    with pytest.raises(CampaignError):
        control.set_status("q4", CampaignStatus.RUNNING, supervisor="super2")
    with pytest.raises(CampaignError):
        control.set_mode("q4", CampaignMode.PREVIEW, supervisor="super2")
    with session_factory() as s:
        campaign = s.get(Campaign, "q4")
        assert campaign is not None
        assert (campaign.status, campaign.mode, campaign.max_lines_per_agent) == (
            CampaignStatus.STOPPED, CampaignMode.PREDICTIVE, 2.5,
        )  # fmt: skip
    rows = [
        (a.supervisor, a.action, a.outcome, a.old_value, a.new_value)
        for a in _audit(session_factory)
    ]
    assert rows == [
        ("super1", "campaign.status", AuditOutcome.DONE, "running", "paused"),
        ("super1", "campaign.mode", AuditOutcome.DONE, "progressive", "predictive"),
        ("super1", "campaign.dial_level", AuditOutcome.DONE, "3", "2.5"),
        ("super1", "campaign.dial_level", AuditOutcome.REFUSED, "", "11"),
        ("super2", "campaign.status", AuditOutcome.DONE, "paused", "stopped"),
        ("super2", "campaign.status", AuditOutcome.REFUSED, "", "running"),
        ("super2", "campaign.mode", AuditOutcome.REFUSED, "", "preview"),
    ]
    audit = _audit(session_factory)
    assert all(a.at == clock.now() and a.campaign_id == "q4" for a in audit)
    assert "stopped to running" in audit[5].detail


def test_the_panel_numbers_read_from_the_database(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=5, mode=CampaignMode.PROGRESSIVE, now=START)
        lead = s.scalars(select(Lead)).first()
        assert lead is not None
        t = START + timedelta(seconds=10)
        s.add_all([
            ContactAttempt(lead_id=lead.id, call_id="a1", campaign_id="q4", started_at=START,
                           answered_at=t, bridged_at=t + timedelta(seconds=2),
                           ended_at=t + timedelta(seconds=92), outcome="completed", agent="1001"),
            ContactAttempt(lead_id=lead.id, call_id="a2", campaign_id="q4", started_at=START,
                           answered_at=t, ended_at=t, outcome="abandoned"),
            ContactAttempt(lead_id=lead.id, call_id="a3", campaign_id="q4", started_at=START,
                           ended_at=t, outcome="no_answer"),
        ])  # fmt: skip
        # Agent 1001's day: ready 10 s, a call, wrap-up 30 s, ready 70 s, lunch 60 s, ready
        # 40 s, and a pause still going on (not counted: its length is not known yet).
        for offset, state in ((0, "ready"), (10, "on_call"), (100, "wrap_up"), (130, "ready"),
                              (200, "paused"), (260, "ready"), (300, "paused")):  # fmt: skip
            s.add(SeatEvent(agent_id="1001", campaign_id="q4", state=SeatState(state),
                            at=START + timedelta(seconds=offset), reason="lunch"))  # fmt: skip
    with session_factory() as s:
        (stats,) = campaign_stats(
            s, now=START + timedelta(minutes=1), day_start=START - timedelta(hours=2),
            rules=CadenceRules(),
        )  # fmt: skip
    assert (stats.attempts_today, stats.answered_today) == (3, 2)
    assert (stats.abandoned_30d, stats.live_answers_30d) == (1, 2)
    assert (stats.avg_talk_s, stats.avg_wait_s) == (90.0, 2.0)
    assert (stats.avg_ready_s, stats.avg_wrap_s, stats.avg_pause_s) == (40.0, 30.0, 60.0)
    # The lead tried a minute ago waits (cadence); it is due again later today.
    assert stats.leads_ready == 4 and stats.leads_today == 5
    assert stats.status == "running" and stats.dial_level_cap == 3.0


def test_forced_logout_hangs_up_the_call_and_a_pause_on_a_call_is_refused(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory.begin() as s:
        seed_book(s, leads=40, mode=CampaignMode.PROGRESSIVE, now=START)
        lead = s.scalars(select(Lead)).first()
        assert lead is not None
        lead_id = lead.id

    async def shift() -> dict[str, object]:
        clock = VirtualClock(start=START)
        net = SimulatedNetwork(
            profile=only("human", talk_s={"mean": 120, "sd": 5}), clock=clock, seed=4,
            recordings_dir=tmp_path,
        )  # fmt: skip
        await net.start()
        bus = MemoryBus()
        relay = BusRelay(bus=bus, clock=clock)
        port = AnnouncingPort(port=net, post=relay.post, clock=clock)
        bridge = PortBridge(port_events=port.events, relay=relay, clock=clock)
        runtime, desk = compose_runtime(
            sessions=session_factory, port=port, clock=clock, campaign_id="q4", owner="r1",
            rules=CadenceRules(), on_seat_change=relay.post,
        )  # fmt: skip
        floor = FloorService(bus=bus, sessions=session_factory, clock=clock, timezone="UTC")
        control = SeatControl(sessions=session_factory, clock=clock, bus=bus)
        await runtime.start()
        bots = agent_bots(
            sessions=session_factory, desk=desk, clock=clock, rules=CadenceRules(), agents=1,
            wrap=only("human").wrap_s, seed=4,
        )  # fmt: skip
        bot_events = net.events()
        seen: dict[str, object] = {}
        async with asyncio.TaskGroup() as group:
            helpers = [
                group.create_task(relay.run()),
                group.create_task(bridge.run()),
                group.create_task(floor.run()),
            ]
            await bots.login_all()
            helpers.append(group.create_task(bots.run(bot_events)))
            running = group.create_task(runtime.run())
            call_id = await _first_talking_seat(floor, clock)
            seen["call_id"] = call_id
            # The supervisor's own phone is rung; the audit names the supervisor.
            spies = bus.subscribe(SpyStarted)
            supervision = Supervision(port=port, floor=floor, sessions=session_factory, clock=clock)
            await supervision.spy(call_id, supervisor="super1", mode=SpyMode.WHISPER, phone="9001")
            async with asyncio.timeout(5):
                seen["spy"] = await anext(aiter(spies))
            with pytest.raises(SeatTransitionNotAllowed):
                await control.force_pause(desk, "1001", reason="coaching", supervisor="super1")
            await control.force_logout(desk, port, "1001", reason="sent home", supervisor="super1")
            with session_factory() as s:
                seat = s.get(Seat, "1001")
                seen["seat"] = seat.state if seat else None
            control.reassign_lead(lead_id, "1002", supervisor="super1")
            runtime.stop()
            await running
            for task in helpers:
                task.cancel()
        await net.close()
        return seen

    seen = run_virtual(shift())
    assert seen["seat"] is SeatState.LOGGED_OUT
    with session_factory() as s:
        attempt = s.scalars(
            select(ContactAttempt).where(ContactAttempt.call_id == seen["call_id"])
        ).one()
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.owner_agent == "1002"
    # The call was hung up and stored as every call is (no leg left, an outcome written).
    assert attempt.ended_at is not None and attempt.outcome == "completed"
    assert attempt.bridged_at is not None
    assert attempt.ended_at - attempt.bridged_at < timedelta(seconds=60)  # talk was ~120 s
    spy = seen["spy"]
    assert isinstance(spy, SpyStarted) and (spy.supervisor, spy.mode) == ("9001", "whisper")
    rows = [(a.action, a.outcome, a.agent_id, a.old_value) for a in _audit(session_factory)]
    assert _audit(session_factory)[0].supervisor == "super1"
    assert rows == [
        ("spy.whisper", AuditOutcome.DONE, "1001", ""),
        ("seat.pause", AuditOutcome.REFUSED, "1001", "on_call"),
        ("seat.logout", AuditOutcome.DONE, "1001", "on_call"),
        ("lead.reassign", AuditOutcome.DONE, "1002", ""),
    ]
