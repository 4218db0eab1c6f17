"""Seeded and repeatable: the same seed gives the same events; shares follow the profile."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest

from dialer.calls import CallLedger, Outcome
from dialer.simulated import SimProfile, VirtualClock, run_virtual
from dialer.telephony import AnswerKind, CallAnswered, CallEvent, SeatStatusChanged
from tests.integration.dialer.simulated.support import QUEUE, T0, network, profile, request

Events = list[CallEvent | SeatStatusChanged]


def campaign(tmp_path: Path, sim_profile: SimProfile, *, seed: int, calls: int) -> Events:
    """``calls`` calls, one every 3 s, 5 seats; every event until the last hangup."""

    async def main() -> Events:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, sim_profile, seed=seed, clock=clock)
        await net.start()
        for n in range(5):
            await net.add_seat(f"agent-{n}", queue=QUEUE)
        stream = net.events()

        async def dial() -> None:
            for n in range(calls):
                await net.originate(request(f"call-{n}"))
                await clock.sleep(3)

        dialer = asyncio.create_task(dial(), name="test-dialer")
        events: Events = []
        ended = 0
        async for event in stream:
            events.append(event)
            ended += type(event).__name__ == "CallHungUp"
            if ended == calls:
                break
        await dialer
        await net.close()
        return events

    return run_virtual(main())


def test_same_seed_gives_the_same_event_sequence(tmp_path: Path) -> None:
    first = campaign(tmp_path / "a", profile(), seed=42, calls=60)
    second = campaign(tmp_path / "b", profile(), seed=42, calls=60)
    assert len(first) > 150
    assert first == second


def test_another_seed_gives_another_sequence(tmp_path: Path) -> None:
    assert campaign(tmp_path / "a", profile(), seed=1, calls=30) != campaign(
        tmp_path / "b", profile(), seed=2, calls=30
    )


def test_outcome_shares_match_the_profile_within_four_sigma(tmp_path: Path) -> None:
    calls = 3000
    sim_profile = profile(
        outcomes={"human": 0.30, "machine": 0.15, "busy": 0.08, "failed": 0.04},
        talk_s={"mean": 20, "sd": 10},
    )
    events = campaign(tmp_path, sim_profile, seed=9, calls=calls)
    ledger = CallLedger()
    for n in range(calls):
        ledger.begin(f"call-{n}", at=T0)
    for event in events:
        if isinstance(event, CallEvent):
            ledger.apply(event)  # the state machine accepts every simulated sequence
    outcomes = Counter(m.outcome for m in ledger.ended())
    humans = sum(1 for e in events if isinstance(e, CallAnswered) and e.kind is AnswerKind.HUMAN)
    observed = {
        "human": humans,
        "machine": outcomes[Outcome.MACHINE],
        "busy": outcomes[Outcome.BUSY],
        "failed": outcomes[Outcome.FAILED],
        "no_answer": outcomes[Outcome.NO_ANSWER],
    }
    expected = {"human": 0.30, "machine": 0.15, "busy": 0.08, "failed": 0.04, "no_answer": 0.43}
    for name, share in expected.items():
        sigma = (share * (1 - share) / calls) ** 0.5
        assert observed[name] / calls == pytest.approx(share, abs=4 * sigma), name
    assert humans == outcomes[Outcome.COMPLETED] + outcomes[Outcome.ABANDONED]
