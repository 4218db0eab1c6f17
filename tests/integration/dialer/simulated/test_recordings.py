"""Real stereo WAV recordings: left = agent, right = customer, 8 kHz 16-bit, bridged time only."""

from __future__ import annotations

import math
import sys
import wave
from array import array
from pathlib import Path

import pytest

from dialer.errors import ActionFailed
from dialer.simulated import PromptLibrary, VirtualClock, run_virtual
from dialer.telephony import (
    CallAnswered,
    CallBridged,
    CallEvent,
    CallHungUp,
    RecordingStopped,
    SeatStatusChanged,
)
from tests.integration.dialer.simulated.support import (
    QUEUE,
    T0,
    drive,
    network,
    of_type,
    only,
    request,
    shape,
)

Events = list[CallEvent | SeatStatusChanged]
AGENT_PROMPTS = ("queue-thankyou", "agent-loginok", "one-moment-please")


def read_stereo(path: Path) -> tuple[wave._wave_params, array[int], array[int]]:
    with wave.open(str(path), "rb") as wav:
        params = wav.getparams()
        frames = array("h", wav.readframes(wav.getnframes()))
    if sys.byteorder == "big":
        frames.byteswap()
    return params, frames[0::2], frames[1::2]


def rms(samples: array[int]) -> float:
    return math.sqrt(sum(s * s for s in samples) / len(samples)) if samples else 0.0


def seconds(events: Events, start: type[CallEvent], end: type[CallEvent]) -> float:
    return (of_type(events, end)[0].at - of_type(events, start)[0].at).total_seconds()


def record_call(tmp_path: Path, *, on: type[CallEvent], late_seat_s: float = 0.0) -> Events:
    async def main() -> Events:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, only("human", talk_s={"mean": 30, "sd": 5}), clock=clock)
        await net.start()
        await net.add_seat("agent-1", queue=QUEUE)
        if late_seat_s:
            await net.pause_seat("agent-1", queue=QUEUE, paused=True)

        async def react(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, on):
                await net.start_recording(event.call_id, path="2026/11/call-1.wav")
            if isinstance(event, CallAnswered) and late_seat_s:
                await clock.sleep(late_seat_s)
                await net.pause_seat("agent-1", queue=QUEUE, paused=False)

        try:
            return await drive(net, [request("call-1")], react=react)
        finally:
            await net.close()

    return run_virtual(main())


def test_recording_is_stereo_8khz_16bit_of_the_bridged_length(tmp_path: Path) -> None:
    events = record_call(tmp_path, on=CallBridged)
    params, left, right = read_stereo(tmp_path / "recordings/2026/11/call-1.wav")
    assert (params.nchannels, params.sampwidth, params.framerate) == (2, 2, 8000)
    talk_s = seconds(events, CallBridged, CallHungUp)
    assert params.nframes == pytest.approx(talk_s * 8000, abs=1)
    assert talk_s > 10
    assert rms(left) > 300 and rms(right) > 300  # both sides really speak


def test_agent_speaks_on_the_left_and_the_customer_on_the_right(tmp_path: Path) -> None:
    record_call(tmp_path, on=CallBridged)
    _params, left, right = read_stereo(tmp_path / "recordings/2026/11/call-1.wav")
    library = PromptLibrary()
    first = 2400  # the agent opens 0.3 s after the bridge
    assert not any(left[:first]) and not any(right[:first])
    opening = [library.get(name).samples for name in AGENT_PROMPTS]
    spoken = next(p for p in opening if left[first : first + len(p)] == p)
    assert not any(right[first : first + len(spoken)])  # the customer listens meanwhile
    assert any(right[first + len(spoken) :])


def test_recording_asked_before_the_bridge_holds_only_the_bridged_time(tmp_path: Path) -> None:
    events = record_call(tmp_path, on=CallAnswered, late_seat_s=1.5)
    assert of_type(events, CallBridged)[0].wait_s == 1.5
    params, _left, _right = read_stereo(tmp_path / "recordings/2026/11/call-1.wav")
    assert params.nframes == pytest.approx(seconds(events, CallBridged, CallHungUp) * 8000, abs=1)
    assert shape(events, "call-1")[-2:] == ["RecordingStopped", "CallHungUp"]


def test_stop_recording_closes_the_file_and_the_call_goes_on(tmp_path: Path) -> None:
    async def main() -> Events:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, only("human", talk_s={"mean": 30, "sd": 1}), clock=clock)
        await net.start()
        await net.add_seat("a", queue=QUEUE)

        async def record_five_seconds(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged):
                await net.start_recording(event.call_id, path="five.wav")
                await net.start_recording(event.call_id, path="five.wav")  # same: no-op
                with pytest.raises(ActionFailed):
                    await net.start_recording(event.call_id, path="other.wav")
                await clock.sleep(5)
                await net.stop_recording(event.call_id)
                with pytest.raises(ActionFailed):
                    await net.stop_recording(event.call_id)

        try:
            return await drive(net, [request("call-1")], react=record_five_seconds)
        finally:
            await net.close()

    events = run_virtual(main())
    params, _left, _right = read_stereo(tmp_path / "recordings/five.wav")
    assert params.nframes == 5 * 8000
    assert shape(events, "call-1")[-3:] == ["RecordingStarted", "RecordingStopped", "CallHungUp"]
    assert seconds(events, RecordingStopped, CallHungUp) > 10


def test_closing_the_network_mid_call_leaves_a_proper_wav(tmp_path: Path) -> None:
    async def main() -> None:
        clock = VirtualClock(start=T0)
        net = network(tmp_path, only("human", talk_s={"mean": 60, "sd": 1}), clock=clock)
        await net.start()
        await net.add_seat("a", queue=QUEUE)
        stream = net.events()
        await net.originate(request("call-1"))
        async for event in stream:
            if isinstance(event, CallBridged):
                await net.start_recording(event.call_id, path="cut.wav")
                await clock.sleep(3)
                await net.close()

    run_virtual(main())
    params, _left, _right = read_stereo(tmp_path / "recordings/cut.wav")
    assert params.nframes == 3 * 8000


def test_recording_a_call_that_is_never_bridged_gives_an_empty_valid_wav(tmp_path: Path) -> None:
    async def main() -> Events:
        net = network(tmp_path, only("human"))  # no seat: abandoned
        await net.start()

        async def record_on_answer(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallAnswered):
                await net.start_recording(event.call_id, path="empty.wav")

        try:
            return await drive(net, [request("call-1")], react=record_on_answer)
        finally:
            await net.close()

    events = run_virtual(main())
    assert shape(events, "call-1")[-2:] == ["RecordingStopped", "CallHungUp"]
    params, _left, _right = read_stereo(tmp_path / "recordings/empty.wav")
    assert (params.nchannels, params.nframes) == (2, 0)


@pytest.mark.parametrize("path", ["/etc/x.wav", "../x.wav", "a/../../x.wav", ""])
def test_recording_paths_must_stay_inside_the_store(tmp_path: Path, path: str) -> None:
    async def main() -> None:
        net = network(tmp_path, only("human"))
        await net.start()
        await net.add_seat("a", queue=QUEUE)

        async def record(event: CallEvent | SeatStatusChanged) -> None:
            if isinstance(event, CallBridged):
                with pytest.raises(ActionFailed, match="relative"):
                    await net.start_recording(event.call_id, path=path)

        await drive(net, [request("call-1")], react=record)
        await net.close()

    run_virtual(main())
