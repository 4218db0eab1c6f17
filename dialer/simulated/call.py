"""One simulated call: the customer's side of the line, as a task on the injected clock.

The events each scenario publishes mirror what the AMI adapter makes of a real Asterisk call
(fixtures 02 and 03 in ``shared/fixtures/asterisk-ami``):

- answered: CallRinging, CallAnswered(human), CallBridged, [RecordingStarted, RecordingStopped],
  CallHungUp(customer or agent, 16)
- machine: CallRinging, CallAnswered(machine), CallHungUp(system, 16) once AMD has decided
- busy: CallBusy(17), CallHungUp(customer, 17) with no ringing (03: ``DialEnd BUSY``)
- no answer: CallRinging, CallNoAnswer(19) after the ring timeout, CallHungUp(system, 19)
- failed: CallFailed(21 or 1), CallHungUp(system, same cause) with no ringing (03)
- abandoned: CallRinging, CallAnswered(human), CallAbandoned after ``abandon_after_s`` with no
  seat, the safe message is played, CallHungUp(system, 16); a share of these customers
  (``opt_out_share``) press 9 half-way through it: CustomerOptedOut("9") before the hangup
- hung up at once (``hang_up_at_once_share`` of the people who answer): CallRinging,
  CallAnswered(unknown: AMD never decided), CallHungUp(customer, 16) half-way through AMD,
  as fixture 09's customer who is gone before AMD's UserEvent runs

A hangup asked through the port cancels the task; the cancellation is caught and ends the call
with the asked cause (party agent when bridged, else system).

Call controls (issue 11) on a bridged call, as the AMI adapter reports them: CallHoldChanged,
CallMuteChanged, RecordingPauseChanged (silence is recorded meanwhile), ConsultChanged, and a
transfer: CallTransferred, then CallBridged(next agent) when the target's seat takes the customer
(or, for no seat within ``TRANSFER_RING_S``, CallHungUp(system, 16)). The next agent talks with
the customer for a fresh ``talk_s``.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dialer.calls.states import CallState
from dialer.errors import ActionFailed
from dialer.simulated.conversation import Conversation, Side, Voices
from dialer.simulated.fate import CallFate, Response
from dialer.simulated.profile import SimProfile
from dialer.simulated.recorder import StereoRecorder
from dialer.simulated.seats import SeatPool
from dialer.telephony.events import (
    AnswerKind,
    BackendRef,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    CustomerOptedOut,
    HangupParty,
    RecordingPauseChanged,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode, TargetKind, TransferTarget
from renewals.clock import Clock

__all__ = ["CallEnv", "SimCall"]

logger = logging.getLogger(__name__)

_CAUSE_TEXT = {16: "Normal Clearing", 17: "User busy", 19: "User alerting, no answer"}
TRANSFER_RING_S = 20.0  # as [xubao-ivr-transfer]'s Dial(...,20): then the customer is let go
_SUPERVISOR_ANSWER_S = 1.0  # a supervisor's phone has no seat in the pool: it just answers


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEnv:
    """What every call of one network shares."""

    clock: Clock
    publish: Callable[[CallEvent], None]
    seats: SeatPool
    profile: SimProfile
    voices: Voices


class SimCall:
    """A call from originate to hangup; ``run`` is its whole life."""

    def __init__(
        self,
        *,
        request: OriginateRequest,
        fate: CallFate,
        rng: random.Random,
        ref: BackendRef,
        env: CallEnv,
    ) -> None:
        self.request, self.fate, self.ref = request, fate, ref
        self.call_id = request.call_id
        self.state = CallState.DIALING
        self.agent_id = ""
        self._rng, self._env = rng, env
        self._pinned = ""
        self._hangup_cause: int | None = None
        self._answered_at = 0.0
        self._bridged_at: float | None = None
        self._conversation: Conversation | None = None
        self._recorder: StereoRecorder | None = None
        self._recording_path = ""
        self._spies: list[str] = []
        self._held = self._muted = self._recording_paused = False
        self._consult: TransferTarget | None = None
        self._handover: asyncio.Future[tuple[TransferTarget, bool]] | None = None

    def live(self) -> LiveCall:
        return LiveCall(
            call_id=self.call_id, ref=self.ref, state=self.state.value, agent_id=self.agent_id
        )

    def _emit(self, event_type: type[CallEvent], **fields: object) -> None:
        at = self._env.clock.now()
        self._env.publish(event_type(call_id=self.call_id, at=at, ref=self.ref, **fields))

    async def _pause(self, seconds: float) -> None:
        await self._env.clock.sleep(seconds)

    async def run(self) -> None:
        try:
            await self._life()
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if self._hangup_cause is None or task is None:
                raise  # the network is closing: stop without events
            task.uncancel()
            party = HangupParty.AGENT if self.state is CallState.BRIDGED else HangupParty.SYSTEM
            self._end(party, self._hangup_cause)
        finally:
            self._env.seats.give_up(self.call_id)
            self._close_recording(emit=False)

    async def _life(self) -> None:
        fate, profile = self.fate, self._env.profile
        await self._pause(profile.setup_s)
        if fate.response is Response.BUSY:
            self._emit(CallBusy, cause=17)
            return self._end(HangupParty.CUSTOMER, 17)
        if fate.response is Response.FAILED:
            self._emit(CallFailed, cause=fate.cause, cause_text=fate.cause_text)
            return self._end(HangupParty.SYSTEM, fate.cause, fate.cause_text)
        self.state = CallState.RINGING
        self._emit(CallRinging)
        if fate.response is Response.NO_ANSWER:
            await self._pause(self.request.ring_timeout_s)
            self._emit(CallNoAnswer, cause=19)
            return self._end(HangupParty.SYSTEM, 19)
        if fate.response is Response.HUMAN and self._hangs_up_at_once():
            await self._pause(fate.ring_s)
            self.state = CallState.ANSWERED
            self._emit(CallAnswered, kind=AnswerKind.UNKNOWN)
            await self._pause(profile.amd_s / 2)
            return self._end(HangupParty.CUSTOMER, 16)
        await self._pause(fate.ring_s + profile.amd_s)  # picked up; AMD listens to the greeting
        machine = fate.response is Response.MACHINE
        self.state = CallState.ANSWERED
        self._answered_at = self._env.clock.monotonic()
        self._emit(CallAnswered, kind=AnswerKind.MACHINE if machine else AnswerKind.HUMAN)
        if machine:
            return self._end(HangupParty.SYSTEM, 16)
        agent_id = await self._wait_for_seat()
        if not agent_id:
            return await self._safe_message()
        self._bridge(agent_id)
        if await self._talk():
            return self._end(HangupParty.CUSTOMER, 16)
        return self._end(HangupParty.SYSTEM, 16)  # transferred, and nobody took it

    async def _talk(self) -> bool:
        """Talk until the customer hangs up (True); a transfer hands them to the next agent,
        who talks for a new ``talk_s``; False when no seat took the transfer in time."""
        while True:
            handover = self._handover = asyncio.get_running_loop().create_future()
            timer = asyncio.create_task(
                self._pause(self.fate.talk_s), name=f"sim-talk-{self.call_id}"
            )
            try:
                either: set[asyncio.Future[Any]] = {timer, handover}
                await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
            finally:
                timer.cancel()
                self._handover = None
            if not handover.done():
                return True
            agent_id = await self._transfer_seat(handover.result()[0])
            if not agent_id:
                return False
            self._bridge(agent_id)

    async def _transfer_seat(self, target: TransferTarget) -> str:
        if target.kind is TargetKind.SUPERVISOR:
            await self._pause(_SUPERVISOR_ANSWER_S)
            return target.id
        if target.kind is TargetKind.QUEUE:
            return await self._wait_for_seat(queue=target.id, limit_s=TRANSFER_RING_S)
        return await self._wait_for_seat(agent_id=target.id, limit_s=TRANSFER_RING_S)

    async def _safe_message(self) -> None:
        self.state = CallState.ABANDONED
        self._emit(CallAbandoned, wait_s=self._env.clock.monotonic() - self._answered_at)
        message_s = self._env.voices.safe_message.duration_s
        # Drawn only here: an abandoned call draws nothing else, so other calls stay as seeded.
        share = self._env.profile.opt_out_share
        if share and self._rng.random() < share:
            await self._pause(message_s / 2)
            self._emit(CustomerOptedOut, digit="9")
            await self._pause(message_s / 2)
        else:
            await self._pause(message_s)
        return self._end(HangupParty.SYSTEM, 16)

    def _hangs_up_at_once(self) -> bool:
        # Drawn only when the share is set, so that other profiles' calls stay as seeded.
        share = self._env.profile.hang_up_at_once_share
        return bool(share) and self._rng.random() < share

    async def _wait_for_seat(
        self, *, queue: str = "", agent_id: str = "", limit_s: float | None = None
    ) -> str:
        seats, clock = self._env.seats, self._env.clock
        queue, agent_id = queue or self.request.queue, agent_id or self._pinned
        limit_s = self._env.profile.abandon_after_s if limit_s is None else limit_s
        taken = seats.wait(self.call_id, queue=queue, agent_id=agent_id)
        timer = asyncio.create_task(clock.sleep(limit_s), name=f"sim-abandon-{self.call_id}")
        try:
            either: set[asyncio.Future[Any]] = {taken, timer}
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            timer.cancel()
        if taken.done() and not taken.cancelled():
            return taken.result()
        seats.give_up(self.call_id)
        return ""

    def _bridge(self, agent_id: str) -> None:
        clock, voices = self._env.clock, self._env.voices
        self.agent_id, self.state = agent_id, CallState.BRIDGED
        self._bridged_at = clock.monotonic()
        self._conversation = Conversation.script(
            rng=self._rng, length_s=self.fate.talk_s, agent=voices.agent, customer=voices.customer
        )
        self._emit(CallBridged, agent_id=agent_id, wait_s=self._bridged_at - self._answered_at)
        if self._recorder is not None:
            self._recorder.bridged(self._conversation, offset_s=0.0)

    def _end(self, party: HangupParty, cause: int, text: str = "") -> None:
        self._close_recording(emit=True)
        for supervisor in self._spies:
            self._emit(SpyStopped, supervisor=supervisor)
        self._spies.clear()
        self.state = CallState.ENDED
        self._emit(
            CallHungUp, party=party, cause=cause, cause_text=text or _CAUSE_TEXT.get(cause, "")
        )
        if self.agent_id:
            self._env.seats.release(self.agent_id)

    def _bridged_seconds(self) -> float:
        return 0.0 if self._bridged_at is None else self._env.clock.monotonic() - self._bridged_at

    def _close_recording(self, *, emit: bool) -> None:
        recorder, self._recorder = self._recorder, None
        self._recording_paused = False
        if recorder is None:
            return
        recorder.advance(self._bridged_seconds())
        recorder.close()
        if emit:
            self._emit(RecordingStopped, path=self._recording_path)

    # --- requests from the port ---

    def request_hangup(self, task: asyncio.Task[None], cause: int) -> None:
        if self._hangup_cause is None:
            self._hangup_cause = cause
            task.cancel()

    def route(self, agent_id: str) -> None:
        if self.state in (CallState.DIALING, CallState.RINGING):
            self._pinned = agent_id  # taken into account when the customer answers
        elif not (self.state is CallState.ANSWERED and self._env.seats.pin(self.call_id, agent_id)):
            raise ActionFailed(f"call is {self.state}, not waiting", call_id=self.call_id)

    def start_recording(self, target: Path, *, path: str) -> None:
        if self.state not in (CallState.ANSWERED, CallState.BRIDGED):
            raise ActionFailed(f"cannot record a call that is {self.state}", call_id=self.call_id)
        if self._recorder is not None:
            if path == self._recording_path:
                return
            raise ActionFailed("already recording elsewhere", call_id=self.call_id)
        self._recorder, self._recording_path = StereoRecorder(path=target), path
        if self._conversation is not None:
            self._recorder.bridged(self._conversation, offset_s=self._bridged_seconds())
        self._emit(RecordingStarted, path=path)
        self._silence()

    def stop_recording(self) -> None:
        if self._recorder is None:
            raise ActionFailed("no recording", call_id=self.call_id)
        self._close_recording(emit=True)

    def spy(self, supervisor: str, mode: SpyMode) -> None:
        if self.state is not CallState.BRIDGED:
            raise ActionFailed(f"cannot spy on a call that is {self.state}", call_id=self.call_id)
        if supervisor not in self._spies:
            self._spies.append(supervisor)
            self._emit(SpyStarted, supervisor=supervisor, mode=mode.value)

    # --- call controls (issue 11) ---

    def _on_agent(self) -> str:
        if self.state is not CallState.BRIDGED or not self.agent_id or self._handover is None:
            raise ActionFailed("call is not bridged to an agent", call_id=self.call_id)
        return self.agent_id

    def _silence(self) -> None:
        """What the recording hears: nothing while paused, held or consulting (the customer
        hears music, the agent talks to the target), no agent while muted."""
        if self._recorder is None or self._conversation is None:
            return
        sides: frozenset[Side] = frozenset()
        if self._recording_paused or self._held or self._consult is not None:
            sides = frozenset(Side)
        elif self._muted:
            sides = frozenset({Side.AGENT})
        self._recorder.silence(sides, at_s=self._bridged_seconds())

    def hold(self, held: bool) -> None:
        self._on_agent()
        if self._consult is not None:
            raise ActionFailed("a consultation is in progress", call_id=self.call_id)
        if self._held is not held:
            self._held = held
            self._silence()
            self._emit(CallHoldChanged, held=held)

    def mute(self, muted: bool) -> None:
        self._on_agent()
        self._muted = muted
        self._silence()
        self._emit(CallMuteChanged, muted=muted)

    def pause_recording(self, paused: bool) -> None:
        if self._recorder is None:
            raise ActionFailed("the call is not being recorded", call_id=self.call_id)
        self._recording_paused = paused
        self._silence()
        self._emit(RecordingPauseChanged, paused=paused, path=self._recording_path)

    def _check_target(self, target: TransferTarget) -> None:
        if target.kind is TargetKind.AGENT and target.id == self.agent_id:
            raise ActionFailed("cannot transfer a call to its own agent", call_id=self.call_id)
        if target.kind is TargetKind.AGENT and not self._env.seats.knows(target.id):
            raise ActionFailed(f"no seat {target.id}", call_id=self.call_id)

    def transfer(self, target: TransferTarget, *, attended: bool = False) -> None:
        """Hand the customer over: the agent leaves now, the target's seat takes the call."""
        from_agent = self._on_agent()
        self._check_target(target)
        handover = self._handover
        assert handover is not None  # _on_agent checked it
        if self._recorder is not None:
            self._recorder.advance(self._bridged_seconds())
        self._env.seats.release(from_agent)
        self.agent_id = ""
        self._held = self._muted = False
        self._consult = None
        self._emit(CallTransferred, from_agent=from_agent, target=str(target), attended=attended)
        handover.set_result((target, attended))

    def start_consult(self, target: TransferTarget) -> None:
        self._on_agent()
        self._check_target(target)
        if target.kind is TargetKind.QUEUE:
            raise ActionFailed("a queue takes blind transfers only", call_id=self.call_id)
        if self._held or self._consult is not None:
            raise ActionFailed("take the customer off hold first", call_id=self.call_id)
        self._consult = target
        self._silence()
        self._emit(ConsultChanged, active=True, target=str(target))

    def complete_consult(self) -> None:
        self._on_agent()
        target = self._consult
        if target is None:
            raise ActionFailed("no consultation to complete", call_id=self.call_id)
        self.transfer(target, attended=True)

    def cancel_consult(self) -> None:
        self._on_agent()
        target, self._consult = self._consult, None
        if target is None:
            raise ActionFailed("no consultation to cancel", call_id=self.call_id)
        self._silence()
        self._emit(ConsultChanged, active=False, target=str(target))
