"""The simulated network and the AMI adapter on real Asterisk 22 bytes tell the same call story.

For each scenario the fixtures captured (02 answered and recorded; 03 busy, congestion, no
answer, rejected, unallocated, missing extension, missing technology) the sequence of port
event types from the AMI adapter, replayed over TCP from the exact bytes, equals the one the
simulated network publishes for a call with the same fate.

An abandoned call has no capture of its own: its AMI story is fixture 02's real messages up to
the queue join, its real QueueCallerLeave, the dialplan's XubaoAbandon UserEvent (the one
message made up here, from config/asterisk/extensions.conf) and 02's real hangups.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dialer.simulated import run_virtual
from dialer.telephony import CallBridged, CallEvent, SeatStatusChanged
from tests.integration.dialer.asterisk.scenarios import FAILURE_CALLS_03, fixture_port_events
from tests.integration.dialer.simulated.support import QUEUE, drive, network, only, request, shape
from tests.integration.dialer.simulated.test_scenarios import run_one
from tests.unit.dialer.asterisk.test_calls import (
    _abandoned_tail,
    _feed,
    _fixture_02,
    _tracker,
    _until,
    _user_event,
)

SIM_FATE_OF_03 = {
    "busy": "busy",
    "congestion": "busy",
    "noanswer": "no_answer",
    "rejected": "failed",
    "unallocated": "failed",
    "no-such-exten": "failed",
    "no-such-tech": "failed",
}


def _types(events: list[CallEvent]) -> list[str]:
    return [type(e).__name__ for e in events]


def _sim_answered_and_recorded(tmp_path: Path) -> list[str]:
    async def main() -> list[CallEvent | SeatStatusChanged]:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("1001", queue=QUEUE)

        async def record_on_bridge(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged):
                await net.start_recording(event.call_id, path="call-1.wav")

        try:
            return await drive(net, [request("call-1")], react=record_on_bridge)
        finally:
            await net.close()

    return shape(run_virtual(main()), "call-1")


def test_answered_recorded_call_02_same_on_both_backends(tmp_path: Path) -> None:
    ami = asyncio.run(fixture_port_events("02")).for_call("dialer-073132-b")
    assert _types(ami) == _sim_answered_and_recorded(tmp_path)


@pytest.mark.parametrize("case", FAILURE_CALLS_03)
def test_failed_originates_03_same_on_both_backends(tmp_path: Path, case: str) -> None:
    run = asyncio.run(fixture_port_events("03"))
    ami = run.for_call(f"orig-073132-{case}")
    sim = shape(run_one(tmp_path, SIM_FATE_OF_03[case]), "call-1")
    assert _types(ami) == sim


def test_abandoned_call_same_on_both_backends(tmp_path: Path) -> None:
    tracker, messages = _tracker(), _fixture_02()
    ami = _feed(tracker, messages[: _until(messages, "QueueCallerJoin")])
    leave = next(m for m in messages if m.event == "QueueCallerLeave")
    ami += _feed(tracker, [leave, _user_event("XubaoAbandon")])
    ami += _feed(tracker, _abandoned_tail(messages))
    sim = shape(run_one(tmp_path, "human", seats=0), "call-1")
    assert (
        [type(e).__name__ for e in ami]
        == sim
        == ["CallRinging", "CallAnswered", "CallAbandoned", "CallHungUp"]
    )
