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
  CallAnswered(human), CallHungUp(customer, 16) inside the connect limit, unless a seat took
  the call first (as fixture 09's customer who is gone before AMD ends)

A hangup asked through the port cancels the task; the cancellation is caught and ends the call
with the asked cause (party agent when bridged, else system).
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
from dialer.simulated.conversation import Conversation, Voices
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
    CallHungUp,
    CallNoAnswer,
    CallRinging,
    CustomerOptedOut,
    HangupParty,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode
from renewals.clock import Clock

__all__ = ["CallEnv", "SimCall"]

logger = logging.getLogger(__name__)

_CAUSE_TEXT = {16: "Normal Clearing", 17: "User busy", 19: "User alerting, no answer"}


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
        self._patience: float | None = None

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
        await self._pause(fate.ring_s + profile.amd_s)  # picked up; AMD listens to the greeting
        machine = fate.response is Response.MACHINE
        self.state = CallState.ANSWERED
        self._answered_at = self._env.clock.monotonic()
        self._emit(CallAnswered, kind=AnswerKind.MACHINE if machine else AnswerKind.HUMAN)
        if machine:
            return self._end(HangupParty.SYSTEM, 16)
        agent_id = await self._wait_for_seat(self._patience_s())
        if not agent_id and self._patience_s() < profile.abandon_after_s:
            return self._end(HangupParty.CUSTOMER, 16)
        if not agent_id:
            return await self._safe_message()
        self._bridge(agent_id)
        await self._pause(fate.talk_s)
        return self._end(HangupParty.CUSTOMER, 16)

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

    def _patience_s(self) -> float:
        """How long the answered customer waits for an agent: to the connect limit, or, for
        those who hang up at once, a fraction of it (drawn once, only when the share is set,
        so that other profiles' calls stay as seeded)."""
        if self._patience is None:
            limit, share = (
                self._env.profile.abandon_after_s,
                self._env.profile.hang_up_at_once_share,
            )
            self._patience = limit * 0.25 if share and self._rng.random() < share else limit
        return self._patience

    async def _wait_for_seat(self, within_s: float) -> str:
        seats, clock = self._env.seats, self._env.clock
        taken = seats.wait(self.call_id, queue=self.request.queue, agent_id=self._pinned)
        timer = asyncio.create_task(clock.sleep(within_s), name=f"sim-abandon-{self.call_id}")
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
