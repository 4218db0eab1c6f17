"""Following calls: the campaign runtime's side of the port's event stream.

Every event of one of our calls goes through its ``CallMachine`` (the ledger); each fact is
stored as it happens, the end of a call is stored with the lead's next contact, the seat is
moved on. The stream itself is looked after too:

- a seat action the backend refuses (``ActionFailed``, ``BackendUnavailable``) is logged and the
  stream goes on: the stored seat state is right, and the queue is re-built when the link is up;
- ``LinkStatusChanged(up=False)`` pauses dialing (nothing is closed as failed for an outage);
  ``up=True`` re-joins the live seats to the queue, re-syncs the calls and resumes dialing;
- an overflowed subscription (``EventQueueOverflow``) is replaced by a new one, then re-synced;
- ``CustomerOptedOut`` puts the number on the do-not-call list at once (a legal obligation);
- a recording paused past its limit is resumed here if its console did not (``recording_watch``).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from dialer.calls.ledger import CallLedger
from dialer.calls.machine import CallMachine
from dialer.calls.states import CallState, Outcome
from dialer.errors import DialerError, EventQueueOverflow, IllegalTransition
from dialer.leasing import renew_leases
from dialer.models import Seat, SeatState
from dialer.recording_pauses import close_pause
from dialer.runtime.attempts import close_attempt, record_fact, withdraw_attempt
from dialer.runtime.options import RuntimeOptions
from dialer.runtime.optouts import store_opt_out
from dialer.runtime.recording_watch import overdue_pauses
from dialer.runtime.stats import CallStats, fate_of
from dialer.seats import SeatDesk
from dialer.telephony.events import (
    CallAnswered,
    CallBridged,
    CallEvent,
    CallFailed,
    CallHungUp,
    CallTransferred,
    CustomerOptedOut,
    LinkStatusChanged,
    PortEvent,
    RecordingStarted,
)
from dialer.telephony.port import LiveCall, TelephonyPort
from renewals.cadence.rules import CadenceRules
from renewals.clock import Clock
from renewals.logctx import bound
from renewals.models import ContactAttempt, Lead

__all__ = ["CallFollowing"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _OpenRow:
    call_id: str
    lead_id: int
    started_at: datetime
    answered_at: datetime | None
    bridged_at: datetime | None
    agent: str | None


class CallFollowing:
    """The calls one runtime follows, and the event stream it follows them on."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        port: TelephonyPort,
        clock: Clock,
        campaign_id: str,
        owner: str,
        rules: CadenceRules,
        desk: SeatDesk,
        stats: CallStats,
        options: RuntimeOptions,
    ) -> None:
        self._sessions, self._port, self._clock = sessions, port, clock
        self._campaign_id, self._owner, self._rules = campaign_id, owner, rules
        self._desk, self._stats, self._options = desk, stats, options
        self.ledger = CallLedger()
        self._lead_of: dict[str, int] = {}
        self._preview_agent: dict[str, str] = {}
        self._fate_counted: set[str] = set()
        self._originating: set[str] = set()  # sent, not yet acknowledged: never "lost"
        # Originates refused as "backend unavailable": placed or not, the next re-sync says;
        # if not, the attempt is withdrawn and the lead goes back un-attempted.
        self._unsure: set[str] = set()
        # Calls whose end was reported by the backend's re-sync, not seen (link down).
        self._ended_unseen: set[str] = set()
        self._events: AsyncIterator[PortEvent] | None = None
        self.link_up = True

    # --- the stream -------------------------------------------------------------------------

    async def _follow(self) -> None:
        """Consume the port's events until cancelled (or the port ends the stream)."""
        while True:
            events = self._events or self._port.events()
            self._events = events
            try:
                async for event in events:
                    await self._dispatch(event)
                return
            except EventQueueOverflow:
                # Subscribe again first, so nothing after the re-sync's snapshot is missed.
                log.error("campaign %s: event queue overflowed; re-syncing", self._campaign_id)
                self._events = self._port.events()
                await self._resync_safely()

    async def _dispatch(self, event: PortEvent) -> None:
        if isinstance(event, LinkStatusChanged):
            await self._link_changed(event)
            return
        if not isinstance(event, CallEvent):
            return  # seat changes are ours already
        if isinstance(event, CustomerOptedOut):
            self._opted_out(event)
            return
        if event.call_id not in self.ledger:
            return  # other runtimes' calls are theirs
        if not isinstance(event, CallFailed | CallHungUp):
            self._unsure.discard(event.call_id)  # it rings, answers: it was placed
        elif not self.link_up:
            self._ended_unseen.add(event.call_id)  # only the backend's re-sync speaks now
        lead = self._lead_of.get(event.call_id, "-")
        with bound(call_id=event.call_id, lead_id=lead, campaign_id=self._campaign_id):
            try:
                changed = self.ledger.apply(event)
            except IllegalTransition:
                log.exception("call %s: event out of order, ignored", event.call_id)
                return
            if changed:
                await self._on_event(event)

    async def _link_changed(self, event: LinkStatusChanged) -> None:
        if not event.up:
            log.warning(
                "campaign %s: link to the backend down (%s); dialing paused",
                self._campaign_id,
                event.reason or "no reason given",
            )
            self.link_up = False
            return
        log.info("campaign %s: link up; re-joining seats and re-syncing", self._campaign_id)
        try:
            await self._desk.rejoin()
        except DialerError as exc:
            log.warning("campaign %s: seats not re-joined (%s); waiting", self._campaign_id, exc)
            return
        if await self._resync_safely():
            self.link_up = True
            log.info("campaign %s: dialing resumed", self._campaign_id)

    async def _resync_safely(self) -> bool:
        try:
            await self.resync()
        except DialerError as exc:
            log.warning("campaign %s: re-sync failed (%s)", self._campaign_id, exc)
            return False
        return True

    # --- one call ---------------------------------------------------------------------------

    def _fate_known(self, event: CallEvent) -> None:
        """Count the line's fate for the pacer as soon as it is known (see ``CallStats``)."""
        if event.call_id in self._fate_counted:
            return
        fate = fate_of(event, dialed_at=self.ledger.get(event.call_id).dialed_at)
        if fate is not None:
            self._fate_counted.add(event.call_id)
            self._stats.fate_known(fate[0], ring_s=fate[1])

    def _store(self, call_id: str, **facts: object) -> None:
        with self._sessions.begin() as session:
            record_fact(session, call_id, **facts)

    async def _on_event(self, event: CallEvent) -> None:
        call_id = event.call_id
        self._fate_known(event)
        machine = self.ledger.get(call_id)
        if isinstance(event, CallAnswered) and machine.answered_at == event.at:
            self._store(call_id, answered_at=event.at)
        elif isinstance(event, CallBridged):
            self._store(call_id, bridged_at=event.at, agent=event.agent_id)
            agent = event.agent_id
            await self._seat(f"seat {agent} on call", lambda: self._desk.bridged(agent, call_id))
            # A transferred call is recorded already: one file per call.
            if self._options.record_calls and not machine.recording_path:
                path = f"{event.at:%Y/%m/%d}/{call_id}.wav"
                await self._seat(
                    f"recording {path}", lambda: self._port.start_recording(call_id, path=path)
                )
        elif isinstance(event, CallTransferred):
            # The transferring agent is done with the customer: wrap-up, as after a hang-up.
            gone = event.from_agent
            await self._seat(f"seat {gone} wrap-up", lambda: self._desk.call_ended(gone, call_id))
        elif isinstance(event, RecordingStarted):
            self._store(call_id, recording_path=event.path)
        elif isinstance(event, CallHungUp):
            await self._hung_up(machine)

    async def _hung_up(self, machine: CallMachine) -> None:
        call_id, outcome = machine.call_id, machine.outcome
        assert outcome is not None
        if call_id in self._unsure and outcome is Outcome.FAILED:
            self._withdraw([call_id])  # never placed: Asterisk had no such call
            return
        if call_id in self._ended_unseen:
            self._ended_unseen.discard(call_id)
            if outcome is Outcome.FAILED:
                # It ended while the link was down, result unseen: not the number's failure.
                await self._finish(call_id, Outcome.INTERRUPTED, None)
                return
        await self._finish(call_id, outcome, machine.hangup_cause)

    def _withdraw(self, call_ids: list[str]) -> None:
        """Calls never placed: their attempts are deleted and their leads go back
        un-attempted (the backend was unavailable)."""
        if not call_ids:
            return
        with self._sessions.begin() as session:
            for call_id in call_ids:
                withdraw_attempt(session, call_id=call_id, owner=self._owner)
        for call_id in call_ids:
            self.ledger.discard(call_id)
            self._lead_of.pop(call_id, None)
            self._preview_agent.pop(call_id, None)
            self._unsure.discard(call_id)
            self._fate_counted.discard(call_id)
        log.warning(
            "campaign %s: backend unavailable; %d leads returned un-attempted",
            self._campaign_id,
            len(call_ids),
        )

    async def _seat(self, what: str, action: Callable[[], Awaitable[None] | None]) -> None:
        """Run a seat or media action; a refusal is logged, never the end of the stream."""
        try:
            result = action()
            if result is not None:
                await result
        except DialerError as exc:
            log.warning("campaign %s: %s failed: %s", self._campaign_id, what, exc)

    def _opted_out(self, event: CustomerOptedOut) -> None:
        with bound(call_id=event.call_id, campaign_id=self._campaign_id):
            with self._sessions.begin() as session:
                stored = store_opt_out(
                    session,
                    call_id=event.call_id,
                    campaign_id=self._campaign_id,
                    at=event.at,
                    rules=self._rules,
                )
            if stored:
                log.info("call %s: the customer opted out (key %s)", event.call_id, event.digit)

    async def _finish(self, call_id: str, outcome: Outcome, cause: int | None) -> None:
        machine = self.ledger.get(call_id) if call_id in self.ledger else None
        now = self._clock.now()
        with self._sessions.begin() as session:
            close_attempt(
                session,
                call_id=call_id,
                outcome=outcome,
                cause=cause,
                machine=machine,
                owner=self._owner,
                rules=self._rules,
                at=now,
                recordings_root=self._options.recordings_dir,
            )
            # A pause its console did not close (that process is gone) ends with the call.
            close_pause(session, call_id=call_id, at=now, by="call_end")
        if call_id not in self._fate_counted and outcome is not Outcome.INTERRUPTED:
            # Ended before its fate was reported (e.g. an originate the network refused).
            fate = Outcome.COMPLETED if outcome is Outcome.ABANDONED else outcome
            self._stats.fate_known(fate)
        self._fate_counted.discard(call_id)
        self._stats.call_ended(outcome, at=now, talk_s=machine.talk_s if machine else None)
        agent = self._preview_agent.pop(call_id, "")
        if machine is not None and machine.agent_id:
            held = machine.agent_id
            await self._seat(f"seat {held} wrap-up", lambda: self._desk.call_ended(held, call_id))
        elif agent:  # the preview call never reached the agent
            await self._seat(f"seat {agent} ready", lambda: self._desk.ready(agent))
        elif machine is None:
            self._desk.call_lost(call_id)
        self._lead_of.pop(call_id, None)
        self._ended_unseen.discard(call_id)
        self.ledger.discard(call_id)

    async def _resume_overdue_recordings(self) -> None:
        """Resume the live calls' recordings paused past the limit and the grace."""
        limit = self._options.recording_pause_limit_s
        live = [m.call_id for m in self.ledger.live()]
        if limit is None or not live:
            return
        now = self._clock.now()
        after_s = limit + self._options.recording_pause_grace_s
        with self._sessions() as session:
            overdue = overdue_pauses(session, live, now=now, after_s=after_s)
        for call_id in overdue:
            try:
                await self._port.pause_recording(call_id, paused=False)
            except DialerError as exc:  # tried again next tick; the call's end closes it
                log.warning("%s: recording not resumed after %.0f s: %s", call_id, after_s, exc)
                continue
            with self._sessions.begin() as session:
                close_pause(session, call_id=call_id, at=now, by="limit")
            log.warning(
                "%s: recording resumed by the runtime: still paused %.0f s after the pause "
                "(its console did not resume it at the limit)", call_id, after_s,
            )  # fmt: skip

    # --- re-sync ----------------------------------------------------------------------------

    def _open_rows(self, now: datetime) -> list[_OpenRow]:
        with self._sessions() as session:
            # Ours (our lease) or orphaned (the holder's lease ran out): never another live
            # runtime's call.
            rows = session.execute(
                select(
                    ContactAttempt.call_id,
                    ContactAttempt.lead_id,
                    ContactAttempt.started_at,
                    ContactAttempt.answered_at,
                    ContactAttempt.bridged_at,
                    ContactAttempt.agent,
                )
                .join(Lead, Lead.id == ContactAttempt.lead_id)
                .where(
                    ContactAttempt.campaign_id == self._campaign_id,
                    ContactAttempt.outcome.is_(None),
                    or_(Lead.lease_owner == self._owner, Lead.lease_expires_at <= now),
                )
            ).all()
        return [_OpenRow(*row) for row in rows if row[0] not in self._originating]

    async def resync(self) -> None:
        """After a (re)start, a reconnect or an overflow: adopt our calls still up, close those
        that ended unseen.

        A call that ended unseen is closed ``completed`` if it was bridged to an agent (stored
        as it happened, or known to this runtime), else ``interrupted`` (its real result is
        unknown) with its lead rescheduled, so no attempt stays without an outcome.
        """
        live = {call.call_id: call for call in await self._port.live_calls()}
        rows = self._open_rows(self._clock.now())
        adopted = 0
        for row in rows:
            if row.call_id in live:
                self._unsure.discard(row.call_id)
                await self._adopt(row, live[row.call_id])
                adopted += 1
            elif row.call_id in self._unsure:
                self._withdraw([row.call_id])
            else:
                await self._close_unseen(row)
        self._free_seats_of_ended_calls()
        with self._sessions.begin() as session:
            renew_leases(
                session,
                list(self._lead_of.values()),
                owner=self._owner,
                now=self._clock.now(),
                ttl_s=self._options.lease_ttl_s,
            )
        log.info(
            "campaign %s re-synced: %d calls adopted, %d closed unseen",
            self._campaign_id,
            adopted,
            len(rows) - adopted,
        )

    def _free_seats_of_ended_calls(self) -> None:
        # A runtime killed between storing a call's end and moving its seat on leaves the seat
        # on a call that is over; an agent's next login would be refused.
        with self._sessions() as session:
            stuck = session.scalars(
                select(Seat.call_id)
                .join(ContactAttempt, ContactAttempt.call_id == Seat.call_id)
                .where(
                    Seat.campaign_id == self._campaign_id,
                    Seat.state.in_((SeatState.ON_CALL, SeatState.RESERVED)),
                    ContactAttempt.outcome.is_not(None),
                )
            ).all()
        for call_id in stuck:
            if call_id is not None:
                self._desk.call_lost(call_id)

    async def _adopt(self, row: _OpenRow, call: LiveCall) -> None:
        state = CallState(call.state)
        old = self.ledger.get(row.call_id) if row.call_id in self.ledger else None
        self._lead_of[row.call_id] = row.lead_id
        if old is not None and old.state is state:
            return  # followed all along
        # The backend may not know the agent after a restart; the stored facts and seat do.
        agent = call.agent_id or row.agent or self._desk.agent_holding(row.call_id)
        self.ledger.discard(row.call_id)
        machine = self.ledger.begin(row.call_id, at=row.started_at)
        machine.resume(state, agent_id=agent)
        if old is not None:
            _carry_facts(old, machine)
        if state is CallState.BRIDGED and agent and (old is None or old.state is not state):
            call_id = row.call_id
            await self._seat(f"seat {agent} on call", lambda: self._desk.bridged(agent, call_id))

    async def _close_unseen(self, row: _OpenRow) -> None:
        machine = self.ledger.get(row.call_id) if row.call_id in self.ledger else None
        talked = row.bridged_at is not None or (
            machine is not None and machine.bridged_at is not None
        )
        if machine is not None and machine.state is CallState.BRIDGED:
            talked = True
        answered = row.answered_at is not None or (
            machine is not None and machine.answered_at is not None
        )
        await self._finish(row.call_id, Outcome.COMPLETED if talked else Outcome.INTERRUPTED, None)
        if answered and not talked:  # fate unknown: counted against the cap (abandon_counting)
            self._stats.unseen_after_answer(at=self._clock.now())


def _carry_facts(old: CallMachine, new: CallMachine) -> None:
    """What this runtime saw of a call before it lost sight of it stays known."""
    new.kind = old.kind
    new.ringing_at, new.answered_at = old.ringing_at, old.answered_at
    new.bridged_at = old.bridged_at or new.bridged_at
    new.agent_id = new.agent_id or old.agent_id
    new.recording_path = old.recording_path
