"""Shared set-up for the simulated network tests: profiles, requests, event collection."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from dialer.simulated import SimProfile, SimulatedNetwork, VirtualClock
from dialer.telephony import CallEvent, CallHungUp, OriginateRequest, SeatStatusChanged
from renewals.clock import Clock

T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
QUEUE = "sales"
E = TypeVar("E")


def profile(**overrides: Any) -> SimProfile:
    """A small-team profile (pacing.md) with the given fields replaced."""
    data: dict[str, Any] = {
        "name": "test",
        "agents": 10,
        "shift_hours": 8,
        "outcomes": {"human": 0.20, "machine": 0.10, "busy": 0.05, "failed": 0.02},
        "human_drift_to": None,
        "ring_s": {"mean": 9, "sd": 5},
        "talk_s": {"mean": 120, "sd": 70},
        "wrap_s": {"mean": 20, "sd": 10},
        "amd_s": 2.5,
        "max_ring_s": 25,
        "abandon_after_s": 2,
        "max_lines_per_agent": 3,
        "abandon_cap": 0.03,
    }
    data.update(overrides)
    return SimProfile.from_mapping(data)


def only(outcome: str, **overrides: Any) -> SimProfile:
    """A profile where every call has ``outcome`` (no_answer: all shares zero)."""
    shares = {"human": 0.0, "machine": 0.0, "busy": 0.0, "failed": 0.0}
    if outcome != "no_answer":
        shares[outcome] = 1.0
    return profile(outcomes=shares, **overrides)


def request(call_id: str, *, ring_timeout_s: float = 20.0) -> OriginateRequest:
    return OriginateRequest(
        call_id=call_id,
        number="+8613800000000",
        caller_id="+861080000000",
        ring_timeout_s=ring_timeout_s,
        queue=QUEUE,
        campaign_id="camp-1",
        lead_id=f"lead-{call_id}",
    )


def network(
    tmp_path: Path, sim_profile: SimProfile, *, seed: int = 7, clock: Clock | None = None
) -> SimulatedNetwork:
    return SimulatedNetwork(
        profile=sim_profile,
        clock=clock or VirtualClock(start=T0),
        seed=seed,
        recordings_dir=tmp_path / "recordings",
    )


async def until_hung_up(
    events: AsyncIterator[CallEvent | SeatStatusChanged], call_ids: set[str]
) -> list[CallEvent | SeatStatusChanged]:
    """Every event until each of ``call_ids`` has hung up."""
    seen: list[CallEvent | SeatStatusChanged] = []
    waiting = set(call_ids)
    async for event in events:
        seen.append(event)
        if isinstance(event, CallHungUp):
            waiting.discard(event.call_id)
            if not waiting:
                break
    return seen


def shape(events: list[CallEvent | SeatStatusChanged], call_id: str) -> list[str]:
    """The event type names of one call, in order."""
    return [type(e).__name__ for e in events if isinstance(e, CallEvent) and e.call_id == call_id]


Reaction = Callable[[CallEvent | SeatStatusChanged], Awaitable[None]]


async def drive(
    net: SimulatedNetwork,
    requests: list[OriginateRequest],
    *,
    react: Reaction | None = None,
) -> list[CallEvent | SeatStatusChanged]:
    """Originate ``requests`` and collect every event until all have hung up.

    ``react`` is awaited on each event, so a test can act as the dialer would (start a
    recording on the bridge, hang up as the agent, ...).
    """
    stream = net.events()
    for req in requests:
        await net.originate(req)
    seen: list[CallEvent | SeatStatusChanged] = []
    waiting = {req.call_id for req in requests}
    async for event in stream:
        seen.append(event)
        if react is not None:
            await react(event)
        if isinstance(event, CallHungUp):
            waiting.discard(event.call_id)
            if not waiting:
                break
    return seen


def of_type(events: list[CallEvent | SeatStatusChanged], kind: type[E]) -> list[E]:
    return [e for e in events if isinstance(e, kind)]
