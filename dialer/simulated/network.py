"""The simulated telephone network: the embedded default backend of ``TelephonyPort``.

It models the customers (drawn from a ``SimProfile``, seeded per call so that the same seed and
call id always give the same customer) and the queue with its agent seats. The agents themselves
are not here: whoever drives the seats (the dialer's agent bots, the consoles) adds, pauses and
removes them and hangs calls up through this port, exactly as against Asterisk.

Time comes from the injected clock: ``SystemClock`` for real time, or ``VirtualClock`` on a
``VirtualTimeLoop`` to run a shift in seconds.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from dialer.calls.states import CallState
from dialer.errors import ActionFailed, BackendUnavailable, UnknownCall
from dialer.simulated.audio import PromptLibrary
from dialer.simulated.call import CallEnv, SimCall
from dialer.simulated.conversation import Voices
from dialer.simulated.fate import draw_fate
from dialer.simulated.profile import SimProfile
from dialer.simulated.seats import SeatPool
from dialer.telephony.events import BackendRef, CallEvent, SeatStatusChanged
from dialer.telephony.fanout import Fanout
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode, TransferTarget
from renewals.clock import Clock

__all__ = ["SimAudio", "SimulatedNetwork"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True, kw_only=True)
class SimAudio:
    """Where prompts come from and which ones each side speaks (Asterisk core prompts)."""

    library: PromptLibrary = field(default_factory=PromptLibrary)
    agent: tuple[str, ...] = ("queue-thankyou", "agent-loginok", "one-moment-please")
    customer: tuple[str, ...] = ("hello-world", "demo-thanks", "auth-thankyou", "vm-goodbye")
    safe_message: str = "please-try-call-later"

    def voices(self) -> Voices:
        get = self.library.get
        return Voices(
            agent=tuple(map(get, self.agent)),
            customer=tuple(map(get, self.customer)),
            safe_message=get(self.safe_message),
        )


class SimulatedNetwork:
    """A ``TelephonyPort`` over simulated customers; see the module docstring."""

    def __init__(
        self,
        *,
        profile: SimProfile,
        clock: Clock,
        seed: int,
        recordings_dir: Path,
        audio: SimAudio | None = None,
        events_maxsize: int = 10_000,
    ) -> None:
        self._profile, self._clock, self._seed = profile, clock, seed
        self._recordings_dir = recordings_dir
        self._audio = audio or SimAudio()
        self._fanout: Fanout[CallEvent | SeatStatusChanged] = Fanout(maxsize=events_maxsize)
        self._seats = SeatPool(clock=clock, publish=self._fanout.publish)
        self._env: CallEnv | None = None
        self._calls: dict[str, tuple[SimCall, asyncio.Task[None]]] = {}
        self._dialed: set[str] = set()
        self._started_at = 0.0
        self._closed = False

    # --- lifecycle ---

    async def start(self) -> None:
        """Load the prompts and open for calls; idempotent."""
        if self._closed:
            raise BackendUnavailable("the simulated network is closed")
        if self._env is None:
            self._env = CallEnv(
                clock=self._clock,
                publish=self._fanout.publish,
                seats=self._seats,
                profile=self._profile,
                voices=self._audio.voices(),
            )
            self._started_at = self._clock.monotonic()
            logger.info("simulated network up: profile %s, seed %d", self._profile.name, self._seed)

    async def close(self) -> None:
        """Cut every live call (recordings are closed), end every subscription; idempotent."""
        if self._closed:
            return
        self._closed = True
        calls = list(self._calls.values())
        for _call, task in calls:
            task.cancel()
        await asyncio.gather(*(task for _call, task in calls), return_exceptions=True)
        self._fanout.close_all()
        logger.info("simulated network closed, %d live calls cut", len(calls))

    def events(self) -> AsyncIterator[CallEvent | SeatStatusChanged]:
        return self._fanout.subscribe()

    def _running(self) -> CallEnv:
        if self._env is None or self._closed:
            raise BackendUnavailable("the simulated network is not running")
        return self._env

    def _live(self, call_id: str) -> SimCall:
        self._running()
        entry = self._calls.get(call_id)
        if entry is None or entry[0].state is CallState.ENDED:
            raise UnknownCall("no live call", call_id=call_id)
        return entry[0]

    # --- calls ---

    async def originate(self, request: OriginateRequest) -> None:
        env = self._running()
        if request.call_id in self._dialed:
            logger.info("originate %s again: ignored, it was dialed once", request.call_id)
            return
        if not request.ring_timeout_s > 0:
            raise ActionFailed("ring_timeout_s must be > 0", call_id=request.call_id)
        self._dialed.add(request.call_id)
        rng = random.Random(f"{self._seed}:{request.call_id}")
        elapsed = self._clock.monotonic() - self._started_at
        fate = draw_fate(
            self._profile,
            rng,
            human_share=self._profile.human_share_at(elapsed),
            ring_timeout_s=request.ring_timeout_s,
        )
        ref = BackendRef(
            channel=f"Sim/customer-{len(self._dialed):08x};1",
            uniqueid=request.call_id,
            linkedid=request.call_id,
        )
        call = SimCall(request=request, fate=fate, rng=rng, ref=ref, env=env)
        if request.agent_id:  # preview: this agent's seat only, pinned before the answer
            if not self._seats.knows(request.agent_id):
                raise ActionFailed(f"no seat {request.agent_id}", call_id=request.call_id)
            call.route(request.agent_id)
        task = asyncio.create_task(call.run(), name=f"sim-call-{request.call_id}")
        self._calls[request.call_id] = (call, task)
        task.add_done_callback(lambda done: self._finished(request.call_id, done))
        logger.info("originate %s to queue %s", request.call_id, request.queue)

    def _finished(self, call_id: str, task: asyncio.Task[None]) -> None:
        self._calls.pop(call_id, None)
        if not task.cancelled() and task.exception() is not None:
            logger.error("simulated call %s crashed", call_id, exc_info=task.exception())

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        call = self._live(call_id)
        call.request_hangup(self._calls[call_id][1], cause)

    async def route_to_agent(self, call_id: str, agent_id: str) -> None:
        call = self._live(call_id)
        if not self._seats.knows(agent_id):
            raise ActionFailed(f"no seat {agent_id}", call_id=call_id)
        call.route(agent_id)

    async def live_calls(self) -> list[LiveCall]:
        calls = (call for call, _task in self._calls.values())
        return [call.live() for call in calls if call.state is not CallState.ENDED]

    # --- seats ---

    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        self._running()
        self._seats.add(agent_id, queue=queue, name=name)

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        self._running()
        self._seats.pause(agent_id, queue=queue, paused=paused, reason=reason)

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        self._running()
        self._seats.remove(agent_id, queue=queue)

    def ready_seats(self, queue: str) -> list[str]:
        """Seats that would take a call of ``queue`` now, longest idle first."""
        return self._seats.ready(queue)

    # --- media ---

    async def start_recording(self, call_id: str, *, path: str) -> None:
        call = self._live(call_id)
        relative = PurePosixPath(path)
        if not path or relative.is_absolute() or ".." in relative.parts:
            raise ActionFailed(f"recording path must be relative: {path!r}", call_id=call_id)
        call.start_recording(self._recordings_dir / relative, path=path)

    async def stop_recording(self, call_id: str) -> None:
        self._live(call_id).stop_recording()

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        self._live(call_id).spy(supervisor, mode)

    async def play(self, call_id: str, *, message: str) -> None:
        """Play a prompt to the customer (it must exist); the simulated customer ignores it."""
        self._live(call_id)
        self._audio.library.get(message)

    # --- call controls (issue 11; see dialer.simulated.call) ---

    async def hold(self, call_id: str, *, held: bool) -> None:
        self._live(call_id).hold(held)

    async def mute(self, call_id: str, *, muted: bool) -> None:
        self._live(call_id).mute(muted)

    async def transfer(self, call_id: str, target: TransferTarget) -> None:
        self._live(call_id).transfer(target)

    async def start_consult(self, call_id: str, target: TransferTarget) -> None:
        self._live(call_id).start_consult(target)

    async def complete_consult(self, call_id: str) -> None:
        self._live(call_id).complete_consult()

    async def cancel_consult(self, call_id: str) -> None:
        self._live(call_id).cancel_consult()

    async def pause_recording(self, call_id: str, *, paused: bool) -> None:
        self._live(call_id).pause_recording(paused)
