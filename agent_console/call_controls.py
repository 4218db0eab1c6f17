"""The agent's call controls: hold, mute, transfers and the recording's pause, on their own call.

Everything goes through the campaign's telephony port (``CampaignFloor.port``), never around
it. A control is refused with ``NotYours`` (403) for a call that is not the agent's current
call, and with ``SeatProblem`` (409) when the agent has no call to control (wrap-up, no seat).

The recording pause is for card details read aloud: every pause is logged in
``recording_pauses`` (who, when, which call, how long), and resumes by itself after
``recording_pause_limit_s`` unless the agent resumed first or the call ended.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent_console.errors import NotFound, NotYours, SeatProblem
from agent_console.floor import CampaignFloor
from agent_console.models import Role, User
from agent_console.options import ConsoleOptions
from agent_console.seat import SeatService
from dialer.bus import EventBus
from dialer.errors import DialerError, EventQueueOverflow
from dialer.models import Campaign, Seat, SeatState
from dialer.recording_pauses import close_pause, open_pause, pauses_of_call
from dialer.telephony.events import (
    CallEvent,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallTransferred,
    ConsultChanged,
    RecordingPauseChanged,
)
from dialer.telephony.port import TargetKind, TransferTarget
from renewals.clock import Clock

__all__ = ["CallControlService", "ControlState"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ControlState:
    """What the agent's buttons show for one call. Every console process keeps it from the
    port's events on the bus, so a page that reconnects to another process shows the same."""

    held: bool = False
    muted: bool = False
    recording_paused: bool = False
    consult: str = ""  # "kind:id" while an attended transfer's consultation lasts

    def view(self, call_id: str) -> dict[str, object]:
        return {
            "call_id": call_id,
            "held": self.held,
            "muted": self.muted,
            "recording_paused": self.recording_paused,
            "consult": self.consult or None,
        }


class CallControlService:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        seats: SeatService,
        options: ConsoleOptions,
        clock: Clock,
    ) -> None:
        self._sessions, self._seats, self._clock = sessions, seats, clock
        self._limit_s = options.recording_pause_limit_s
        self._states: dict[str, ControlState] = {}
        self._resumers: dict[str, asyncio.Task[None]] = {}

    # ----- whose call ---------------------------------------------------------------------
    def _own(self, agent_id: str, call_id: str) -> tuple[CampaignFloor, ControlState]:
        view = self._seats.view(agent_id)
        if view.get("call_id") != call_id:
            raise NotYours("call", call_id)
        if view.get("state") != SeatState.ON_CALL.value:
            raise SeatProblem("There is no call to control.")
        floor = self._seats.floor_of(agent_id)
        return floor, self._states.setdefault(call_id, ControlState())

    def state(self, agent_id: str, call_id: str) -> dict[str, object]:
        view = self._seats.view(agent_id)
        if view.get("call_id") != call_id:
            raise NotYours("call", call_id)
        body = self._states.get(call_id, ControlState()).view(call_id)
        with self._sessions() as session:
            body["recording_pauses"] = pauses_of_call(session, call_id)
        body["recording_pause_limit_s"] = self._limit_s
        return body

    # ----- hold, mute -----------------------------------------------------------------------
    async def hold(self, agent_id: str, call_id: str, *, held: bool) -> dict[str, object]:
        floor, state = self._own(agent_id, call_id)
        await floor.port.hold(call_id, held=held)
        state.held = held
        return state.view(call_id)

    async def mute(self, agent_id: str, call_id: str, *, muted: bool) -> dict[str, object]:
        floor, state = self._own(agent_id, call_id)
        await floor.port.mute(call_id, muted=muted)
        state.muted = muted
        return state.view(call_id)

    # ----- transfers ------------------------------------------------------------------------
    def targets(self, agent_id: str) -> dict[str, object]:
        """Who the agent may transfer to: the campaign's other logged-in agents (ready ones
        first), the supervisors who have a phone, and the campaign's queue."""
        floor = self._seats.floor_of(agent_id)
        with self._sessions() as session:
            seats = session.execute(
                select(Seat.agent_id, Seat.state, User.name)
                .outerjoin(User, User.extension == Seat.agent_id)
                .where(
                    Seat.campaign_id == floor.campaign_id,
                    Seat.agent_id != agent_id,
                    Seat.state != SeatState.LOGGED_OUT,
                )
                .order_by(Seat.agent_id)
            ).all()
            supervisors = session.execute(
                select(User.extension, User.name).where(
                    User.role == Role.SUPERVISOR,
                    User.extension.is_not(None),
                    User.disabled.is_(False),
                )
            ).all()
            campaign = session.get(Campaign, floor.campaign_id)
            queue = campaign.queue if campaign is not None else ""
        agents = [
            {"id": s.agent_id, "name": s.name or s.agent_id, "state": s.state.value}
            for s in sorted(seats, key=lambda s: (s.state is not SeatState.READY, s.agent_id))
        ]
        return {
            "agents": agents,
            "supervisors": [{"id": x.extension, "name": x.name} for x in supervisors],
            "queue": queue or None,
        }

    def _check_target(self, agent_id: str, target: TransferTarget) -> None:
        listed = self.targets(agent_id)
        found = {
            TargetKind.AGENT: [a["id"] for a in listed["agents"]],  # type: ignore[attr-defined]
            TargetKind.SUPERVISOR: [s["id"] for s in listed["supervisors"]],  # type: ignore[attr-defined]
            TargetKind.QUEUE: [listed["queue"]],
        }[target.kind]
        if target.id not in found:
            raise NotFound("transfer target", str(target))

    async def transfer(
        self, agent_id: str, call_id: str, target: TransferTarget, *, attended: bool
    ) -> dict[str, object]:
        """Blind: the customer goes now. Attended: the consultation starts (customer held)."""
        floor, state = self._own(agent_id, call_id)
        self._check_target(agent_id, target)
        if attended:
            await floor.port.start_consult(call_id, target)
            state.consult = str(target)
        else:
            await floor.port.transfer(call_id, target)
            state.held = state.muted = False
        log.info("%s: %s transfers to %s (attended=%s)", call_id, agent_id, target, attended)
        return state.view(call_id)

    async def complete_consult(self, agent_id: str, call_id: str) -> dict[str, object]:
        floor, state = self._own(agent_id, call_id)
        await floor.port.complete_consult(call_id)
        state.consult, state.held, state.muted = "", False, False
        return state.view(call_id)

    async def cancel_consult(self, agent_id: str, call_id: str) -> dict[str, object]:
        floor, state = self._own(agent_id, call_id)
        await floor.port.cancel_consult(call_id)
        state.consult = ""
        return state.view(call_id)

    # ----- the recording's pause ------------------------------------------------------------
    async def pause_recording(
        self, agent_id: str, call_id: str, *, paused: bool
    ) -> dict[str, object]:
        floor, state = self._own(agent_id, call_id)
        if state.recording_paused is paused:
            return state.view(call_id)
        await floor.port.pause_recording(call_id, paused=paused)
        state.recording_paused = paused
        now = self._clock.now()
        with self._sessions.begin() as session:
            if paused:
                open_pause(session, call_id=call_id, agent_id=agent_id, at=now)
            else:
                close_pause(session, call_id=call_id, at=now, by="agent")
        self._cancel_resumer(call_id)
        if paused:
            self._resumers[call_id] = asyncio.create_task(
                self._resume_later(floor, call_id), name=f"recording-resume-{call_id}"
            )
        log.info("%s: recording %s by %s", call_id, "paused" if paused else "resumed", agent_id)
        return state.view(call_id)

    async def _resume_later(self, floor: CampaignFloor, call_id: str) -> None:
        await self._clock.sleep(self._limit_s)
        self._resumers.pop(call_id, None)
        state = self._states.get(call_id)
        if state is None or not state.recording_paused:
            return
        try:
            await floor.port.pause_recording(call_id, paused=False)
        except DialerError as exc:  # the call ended meanwhile: its hang-up closes the pause
            log.warning("%s: recording not resumed at the limit: %s", call_id, exc)
            return
        state.recording_paused = False
        with self._sessions.begin() as session:
            close_pause(session, call_id=call_id, at=self._clock.now(), by="limit")
        log.info("%s: recording resumed at the %.0f s limit", call_id, self._limit_s)

    def _cancel_resumer(self, call_id: str) -> None:
        task = self._resumers.pop(call_id, None)
        if task is not None:
            task.cancel()

    # ----- the call's events ----------------------------------------------------------------
    def call_ended(self, call_id: str) -> None:
        """The call is over: its open pause ends with it, its buttons are forgotten."""
        self._cancel_resumer(call_id)
        state = self._states.pop(call_id, None)
        if state is not None and state.recording_paused:
            with self._sessions.begin() as session:
                close_pause(session, call_id=call_id, at=self._clock.now(), by="call_end")

    def transferred(self, call_id: str) -> None:
        """The next agent starts with the customer off hold and unmuted (the pause stays)."""
        state = self._states.get(call_id)
        if state is not None:
            state.held = state.muted = False
            state.consult = ""

    def apply(self, event: CallEvent) -> None:
        """A control done by any process (or by Asterisk itself) shows on every page."""
        if isinstance(event, CallHungUp):
            self.call_ended(event.call_id)
        elif isinstance(event, CallTransferred):
            self.transferred(event.call_id)
        elif isinstance(event, CallHoldChanged):
            self._states.setdefault(event.call_id, ControlState()).held = event.held
        elif isinstance(event, CallMuteChanged):
            self._states.setdefault(event.call_id, ControlState()).muted = event.muted
        elif isinstance(event, RecordingPauseChanged):
            self._states.setdefault(event.call_id, ControlState()).recording_paused = event.paused
        elif isinstance(event, ConsultChanged):
            state = self._states.setdefault(event.call_id, ControlState())
            state.consult = event.target if event.active else ""

    async def follow(self, bus: EventBus) -> None:
        """Apply the calls' control events from the bus until cancelled."""
        kinds = (CallHungUp, CallTransferred, CallHoldChanged, CallMuteChanged,
                 RecordingPauseChanged, ConsultChanged)  # fmt: skip
        while True:
            try:
                async for event in bus.subscribe(*kinds):
                    if isinstance(event, CallEvent):
                        self.apply(event)
                return
            except EventQueueOverflow:
                log.error("call controls fell behind the bus; resubscribing")

    async def close(self) -> None:
        tasks = list(self._resumers.values())
        self._resumers.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
