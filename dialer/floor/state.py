"""The live floor, kept from the bus's events: every seat and every call of the day.

Pure bookkeeping (no I/O): ``FloorState.apply`` takes one event; ``seats``, ``campaigns`` and
``ivr`` (the calls in the IVR, floor-wide) give what a supervisor's screen shows. A seat's time
in state and a call's duration are worked out from the ``since`` times against the reader's
``now``, so nothing ticks. Applying an event twice changes nothing (after a ``BusResync`` the
events that follow the reload may already be in it).
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime

from dialer.floor.events import CallPlaced, IvrCallEnded, IvrCallStarted
from dialer.floor.ivr_lines import IvrLines
from dialer.models import SeatState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallFailed,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    LinkStatusChanged,
    SpyStarted,
    SpyStopped,
)

__all__ = ["CallPhase", "CampaignCounts", "FloorCall", "FloorSeat", "FloorState", "LinkWatch"]

_HUNG_KEPT = 2_000  # hang-ups remembered, to tell a seat change that came after its call ended


class CallPhase(enum.StrEnum):
    """Where a live call is, as the campaign panel counts lines."""

    DIALING = "dialing"
    RINGING = "ringing"
    WAITING = "waiting"  # a person answered and waits for an agent
    TALKING = "talking"
    ENDING = "ending"  # a machine answered, or the call failed: about to hang up


@dataclass(frozen=True, slots=True)
class FloorCall:
    call_id: str
    campaign_id: str
    phase: CallPhase
    since: datetime
    number_masked: str = ""
    agent_id: str = ""
    # The agent's controls, so the grid does not say "talking" of a customer on hold.
    held: bool = False
    muted: bool = False
    consulting: bool = False


@dataclass(frozen=True, slots=True)
class FloorSeat:
    """One seat; ``dead``: on a call whose line has already hung up (VICIdial's DEAD)."""

    agent_id: str
    campaign_id: str
    state: SeatState
    since: datetime
    reason: str = ""
    call_id: str = ""
    dead: bool = False
    calls_today: int = 0
    spied_by: str = ""  # the supervisor listening, whispering or barging, if any
    spy_mode: str = ""


@dataclass(frozen=True, slots=True)
class CampaignCounts:
    """Live lines by phase, seats by state, and today's answers and abandons (abandon rate in
    percent of live answers, against ``abandon_cap_pct``)."""

    campaign_id: str
    lines: dict[CallPhase, int]
    seats: dict[SeatState, int]
    live_answers_today: int
    abandoned_today: int
    abandon_cap_pct: float

    @property
    def abandon_rate_pct(self) -> float:
        if not self.live_answers_today:
            return 0.0
        return 100.0 * self.abandoned_today / self.live_answers_today

    @property
    def at_cap(self) -> bool:
        return self.live_answers_today > 0 and self.abandon_rate_pct >= self.abandon_cap_pct


@dataclass(slots=True)
class _Day:
    """Today's counted calls by id, so a call replayed after a resync counts once."""

    answered: dict[str, set[str]] = field(default_factory=dict)  # campaign → call ids
    abandoned: dict[str, set[str]] = field(default_factory=dict)
    calls_of: Counter[str] = field(default_factory=Counter)  # agent → bridged calls


@dataclass(slots=True)
class LinkWatch:
    """The telephony link as the bus told it: down since when, and the last outage's span."""

    down_since: datetime | None = None
    reason: str = ""
    last_down: datetime | None = None  # the last outage that ended: from …
    last_up: datetime | None = None  # … to

    def apply(self, event: LinkStatusChanged) -> None:
        if not event.up and self.down_since is None:
            self.down_since, self.reason = event.at, event.reason
        elif event.up and self.down_since is not None:
            self.last_down, self.last_up = self.down_since, event.at
            self.down_since, self.reason = None, ""


class FloorState:
    """Seats, live calls and today's counts; ``caps`` maps campaign → abandon cap (percent)."""

    def __init__(self, *, caps: dict[str, float] | None = None) -> None:
        self.caps: dict[str, float] = dict(caps or {})
        self._seats: dict[str, FloorSeat] = {}
        self._calls: dict[str, FloorCall] = {}
        self._day = _Day()
        self._hung: dict[str, None] = {}  # recently hung-up call ids, oldest first
        self.link: LinkStatusChanged | None = None  # the telephony link's last change
        self.outage = LinkWatch()
        self.ivr = IvrLines()  # calls in the IVR's menus, not in any campaign's lines

    # Reading -------------------------------------------------------------------------------

    def seat(self, agent_id: str) -> FloorSeat | None:
        return self._seats.get(agent_id)

    def call(self, call_id: str) -> FloorCall | None:
        return self._calls.get(call_id)

    def seat_on_call(self, call_id: str) -> FloorSeat | None:
        """The seat talking on ``call_id`` (on call, its line up), or None."""
        for seat in self._seats.values():
            if seat.call_id == call_id and seat.state is SeatState.ON_CALL and not seat.dead:
                return seat
        return None

    def seats(self, *, campaign_id: str | None = None) -> list[FloorSeat]:
        """Logged-in seats (of one campaign if named), by agent id."""
        return sorted(
            (s for s in self._seats.values() if campaign_id in (None, s.campaign_id)),
            key=lambda s: s.agent_id,
        )

    def campaigns(self) -> list[CampaignCounts]:
        ids = {c.campaign_id for c in self._calls.values()} | set(self.caps)
        ids |= {s.campaign_id for s in self._seats.values()}
        return [self.counts(c) for c in sorted(i for i in ids if i)]

    def counts(self, campaign_id: str) -> CampaignCounts:
        lines = Counter(c.phase for c in self._calls.values() if c.campaign_id == campaign_id)
        seats = Counter(s.state for s in self._seats.values() if s.campaign_id == campaign_id)
        return CampaignCounts(
            campaign_id=campaign_id,
            lines={phase: lines.get(phase, 0) for phase in CallPhase},
            seats={
                state: seats.get(state, 0) for state in SeatState if state.value != "logged_out"
            },
            live_answers_today=len(self._day.answered.get(campaign_id, ())),
            abandoned_today=len(self._day.abandoned.get(campaign_id, ())),
            abandon_cap_pct=self.caps.get(campaign_id, 3.0),
        )

    # Writing -------------------------------------------------------------------------------

    def new_day(self) -> None:
        """Today's counts start again (the business day changed in the configured zone)."""
        self._day = _Day()
        self._seats = {a: replace(s, calls_today=0) for a, s in self._seats.items()}

    def put_seat(self, seat: FloorSeat) -> None:
        if seat.state is SeatState.LOGGED_OUT:
            self._seats.pop(seat.agent_id, None)
        else:
            self._seats[seat.agent_id] = replace(
                seat, calls_today=self._day.calls_of[seat.agent_id]
            )

    def put_call(self, call: FloorCall) -> None:
        self._calls[call.call_id] = call

    def count_answer(self, campaign_id: str, call_id: str, agent_id: str = "") -> None:
        answered = self._day.answered.setdefault(campaign_id, set())
        if call_id not in answered and agent_id:
            self._day.calls_of[agent_id] += 1
        answered.add(call_id)

    def count_abandon(self, campaign_id: str, call_id: str) -> None:
        self._day.abandoned.setdefault(campaign_id, set()).add(call_id)
        self._day.answered.setdefault(campaign_id, set()).add(call_id)

    def apply(self, event: object) -> None:
        """Take one bus event into account; events the floor does not follow are ignored."""
        if isinstance(event, SeatChanged):
            self._seat_changed(event)
        elif isinstance(event, CallPlaced):
            call = FloorCall(
                event.call_id, event.campaign_id, CallPhase.DIALING, event.at,
                event.number_masked, event.agent_id,
            )  # fmt: skip
            self._calls.setdefault(event.call_id, call)
        elif isinstance(event, CallHungUp):
            self._hung_up(event.call_id)
        elif isinstance(event, SpyStarted | SpyStopped):
            self._spy(event)
        elif isinstance(event, LinkStatusChanged):
            self.link = event
            self.outage.apply(event)
        elif isinstance(event, IvrCallStarted | IvrCallEnded):
            self.ivr.apply(event)
        else:
            self._call_event(event)

    def _seat_changed(self, event: SeatChanged) -> None:
        seat = FloorSeat(
            event.agent_id, event.campaign_id, event.state, event.at, event.reason, event.call_id
        )
        if event.state is SeatState.ON_CALL and event.call_id in self._hung:
            # A short call's hang-up can overtake the seat change: the line is gone, so the
            # seat shows DEAD, not talking, until the desk moves it to wrap-up.
            seat = replace(seat, dead=True)
        self.put_seat(seat)

    def _call_event(self, event: object) -> None:
        call_id = getattr(event, "call_id", None)
        call = self._calls.get(call_id) if isinstance(call_id, str) else None
        if call is None and isinstance(event, CallBridged):
            seat = self._seats.get(event.agent_id)  # placed unseen; the seat names the campaign
            if seat is not None and event.call_id not in self._hung:
                call = FloorCall(event.call_id, seat.campaign_id, CallPhase.WAITING, event.at)
        if call is None:
            return  # placed before this floor followed the bus (the reload knows it)
        if isinstance(event, CallRinging) and call.phase is CallPhase.DIALING:
            self._calls[call.call_id] = replace(call, phase=CallPhase.RINGING, since=event.at)
        elif isinstance(event, CallAnswered):
            person = event.kind is not AnswerKind.MACHINE
            phase = CallPhase.WAITING if person else CallPhase.ENDING
            if call.phase in (CallPhase.DIALING, CallPhase.RINGING):
                self._calls[call.call_id] = replace(call, phase=phase, since=event.at)
        elif isinstance(event, CallBridged):
            self._calls[call.call_id] = replace(
                call, phase=CallPhase.TALKING, since=event.at, agent_id=event.agent_id
            )
            self.count_answer(call.campaign_id, call.call_id, event.agent_id)
            seat = self._seats.get(event.agent_id)
            if seat is not None:
                self._seats[event.agent_id] = replace(
                    seat, calls_today=self._day.calls_of[event.agent_id]
                )
        elif isinstance(event, CallAbandoned):
            self.count_abandon(call.campaign_id, call.call_id)
            self._calls[call.call_id] = replace(call, phase=CallPhase.ENDING, since=event.at)
        elif isinstance(event, CallBusy | CallNoAnswer | CallFailed):
            self._calls[call.call_id] = replace(call, phase=CallPhase.ENDING, since=event.at)
        elif isinstance(event, CallHoldChanged):
            self._calls[call.call_id] = replace(call, held=event.held)
        elif isinstance(event, CallMuteChanged):
            self._calls[call.call_id] = replace(call, muted=event.muted)
        elif isinstance(event, ConsultChanged):
            self._calls[call.call_id] = replace(call, consulting=event.active)
        elif isinstance(event, CallTransferred):  # the next agent starts with none of them
            self._calls[call.call_id] = replace(call, held=False, muted=False, consulting=False)

    def _spy(self, event: SpyStarted | SpyStopped) -> None:
        started = isinstance(event, SpyStarted)
        for agent_id, seat in self._seats.items():
            if seat.call_id == event.call_id:
                self._seats[agent_id] = replace(
                    seat,
                    spied_by=event.supervisor if started else "",
                    spy_mode=event.mode if isinstance(event, SpyStarted) else "",
                )

    def _hung_up(self, call_id: str) -> None:
        self._calls.pop(call_id, None)
        self._hung[call_id] = None
        if len(self._hung) > _HUNG_KEPT:
            del self._hung[next(iter(self._hung))]
        for agent_id, seat in self._seats.items():
            if seat.call_id == call_id and seat.state is SeatState.ON_CALL:
                # The seat still says "on call" until the desk moves it to wrap-up.
                self._seats[agent_id] = replace(seat, dead=True)
