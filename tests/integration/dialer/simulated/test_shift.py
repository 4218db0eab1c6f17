"""Time: an eight-hour shift runs in virtual time in seconds; the same network runs in real time.

No test here asserts a wall-clock duration (speed lives in bench/); the shift test asserts the
simulated time covered and that every one of its thousands of calls was a legal call life.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from pathlib import Path

from dialer.calls import CallLedger, Outcome
from dialer.simulated import SimulatedNetwork, VirtualClock, run_virtual
from dialer.telephony import CallEvent, CallHungUp, SeatStatusChanged
from renewals.clock import SystemClock
from tests.integration.dialer.simulated.support import QUEUE, T0, network, only, profile, request

SHIFT_S = 8 * 3600
LINES = 20


async def work_a_shift(net: SimulatedNetwork, clock: VirtualClock) -> tuple[CallLedger, int]:
    """Keep ``LINES`` calls up until the shift ends, then wait for the last ones to end."""
    ledger = CallLedger()
    stream = net.events()
    placed = 0

    async def place() -> None:
        nonlocal placed
        call_id = f"call-{placed}"
        placed += 1
        ledger.begin(call_id, at=clock.now())
        await net.originate(request(call_id))

    for _ in range(LINES):
        await place()
    seat_events = 0
    async for event in stream:
        if isinstance(event, SeatStatusChanged):
            seat_events += 1
            continue
        ledger.apply(event)
        if isinstance(event, CallHungUp):
            if clock.monotonic() < SHIFT_S:
                await place()
            elif not ledger.live():
                break
    return ledger, seat_events


def test_an_eight_hour_shift_runs_in_virtual_time(tmp_path: Path) -> None:
    async def main() -> tuple[CallLedger, int, float, list[str]]:
        clock = VirtualClock(start=T0)
        # Some people hang up at once (item 7): every kind of call life happens.
        net = network(tmp_path, profile(hang_up_at_once_share=0.05), seed=11, clock=clock)
        await net.start()
        for n in range(10):
            await net.add_seat(f"agent-{n}", queue=QUEUE)
        ledger, seat_events = await work_a_shift(net, clock)
        ready = net.ready_seats(QUEUE)
        end = clock.monotonic()
        await net.close()
        return ledger, seat_events, end, ready

    ledger, seat_events, end, ready = run_virtual(main())
    assert SHIFT_S <= end < SHIFT_S + 600
    assert len(ledger) > 5000 and not ledger.live()
    outcomes = Counter(m.outcome for m in ledger.ended())
    # every kind of call life happened, all legal (INTERRUPTED is the runtime's, after a crash)
    # The simulated customer never hangs up while waiting for an agent (no CUSTOMER_HUNG_UP).
    assert set(outcomes) == set(Outcome) - {Outcome.INTERRUPTED, Outcome.CUSTOMER_HUNG_UP}
    # in_use and idle per answered call (the last idle may come after the loop stops)
    assert seat_events >= 2 * outcomes[Outcome.COMPLETED] - 1
    assert len(ready) == 10


def test_the_same_network_runs_in_real_time_with_the_system_clock(tmp_path: Path) -> None:
    quick = only(
        "human",
        ring_s={"mean": 0.05, "sd": 0.01},
        talk_s={"mean": 0.2, "sd": 0.01},
        amd_s=0.02,
        setup_s=0.01,
    )

    async def main() -> tuple[list[CallEvent | SeatStatusChanged], float]:
        loop = asyncio.get_running_loop()
        net = network(tmp_path, quick, clock=SystemClock())
        await net.start()
        await net.add_seat("a", queue=QUEUE)
        stream = net.events()
        started = loop.time()
        await net.originate(request("call-1"))
        events = []
        async with asyncio.timeout(10):
            async for event in stream:
                events.append(event)
                if isinstance(event, CallHungUp):
                    break
        elapsed = loop.time() - started
        await net.close()
        return events, elapsed

    events, elapsed = asyncio.run(main())
    call_events = [e for e in events if isinstance(e, CallEvent)]
    assert [type(e).__name__ for e in call_events] == [
        "CallRinging", "CallAnswered", "CallBridged", "CallHungUp"
    ]  # fmt: skip
    lasted = call_events[-1].at - call_events[0].at
    assert lasted >= timedelta(seconds=0.2 + 0.02)  # talk + AMD really elapsed
    assert elapsed >= 0.01 + 0.2 + 0.02
