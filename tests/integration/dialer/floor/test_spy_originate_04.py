"""Listen, whisper and barge as the Asterisk adapter sends them, against capture 04.

Capture 04 holds one real spy Originate (listen: ``Application=ChanSpy``, ``Data=<agent ;1
channel>,qE``) and Asterisk's answers to it. Each mode is replayed over loopback TCP through
``AmiTelephony``: the Originate sent must be the captured one header for header, the ChanSpy
options aside (``qE``, ``qEw``, ``qEB``) and the spyer's own channel ids, and the captured
response and ``ChanSpyStart`` must come back as ``SpyStarted`` for the call.
"""

from __future__ import annotations

import pytest

from dialer.asterisk.adapter import AmiTelephony
from dialer.telephony.events import CallBridged, CallHungUp, SpyStarted
from dialer.telephony.port import SpyMode
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.replay_server import AmiReplayServer, ConnScript, ScriptedIds
from tests.integration.dialer.asterisk.scenarios import request
from tests.integration.dialer.asterisk.support import SteppingClock, collect_until, settings_for

CALL = "dialer-073132-d"
# The client's sends, in order (the capture's MixMonitor is replayed though not sent here).
IDS = ["c1-login-001", "c1-originate-002", "c1-originate-004", "c1-hangup-007", "c1-logoff-008"]
OPTIONS = {SpyMode.LISTEN: "qE", SpyMode.WHISPER: "qEw", SpyMode.BARGE: "qEB"}


def _headers(message: bytes) -> list[tuple[str, str]]:
    lines = message.decode().split("\r\n")
    return [(k, v) for k, _, v in (line.partition(": ") for line in lines if line)]


def _captured_spy_originate() -> list[tuple[str, str]]:
    transcript = load("04")
    for data, action_id in zip(
        transcript.sends("c1"), transcript.sent_action_ids("c1"), strict=True
    ):
        if action_id == "c1-originate-004":
            return _headers(data)
    raise AssertionError("capture 04 has no spy Originate")


async def _spy(mode: SpyMode) -> tuple[list[bytes], list[object]]:
    script = ConnScript.from_transcript(load("04"), "c1")
    async with AmiReplayServer(scripts=[script]) as server:
        port = AmiTelephony(
            settings=settings_for(server.port), clock=SteppingClock(), action_ids=ScriptedIds(IDS)
        )
        await port.start()
        try:
            events = port.events()
            await port.originate(request(CALL, "5551002"))
            await collect_until(events, lambda e: isinstance(e, CallBridged))
            await port.spy(CALL, supervisor="9000", mode=mode)
            seen = await collect_until(events, lambda e: isinstance(e, SpyStarted))
            await port.hangup(CALL)
            await collect_until(events, lambda e: isinstance(e, CallHungUp))
        finally:
            await port.close()
        return list(server.received(0)), seen


@pytest.mark.parametrize("mode", list(SpyMode))
async def test_spy_originate_bytes_and_answer_per_mode_04(mode: SpyMode) -> None:
    sent, seen = await _spy(mode)
    (ours,) = [m for m in sent if b"Action: Originate" in m and b"ChanSpy" in m]
    headers = _headers(ours)
    captured = _captured_spy_originate()
    ids = {"ChannelId", "OtherChannelId"}
    expected = [
        (k, f"Local/1001@agents-0000000c;1,{OPTIONS[mode]}" if k == "Data" else v)
        for k, v in captured
        if k not in ids
    ]
    assert [h for h in headers if h[0] not in ids] == expected
    # The spyer's own ids name the call they spy on (so its events are tied to it).
    assert dict(headers)["ChannelId"].startswith(f"{CALL}-spy-")
    # The captured "Originate successfully queued" was taken (``spy`` returned) and the
    # captured ChanSpyStart is the spy of this call by this supervisor. Its mode is not checked:
    # Asterisk names the spyer by our ChannelId (capture 04: SpyerUniqueid = sup-073132, the
    # ChannelId sent), which a replay of other bytes cannot echo back.
    started = [e for e in seen if isinstance(e, SpyStarted)]
    assert [(e.call_id, e.supervisor) for e in started] == [(CALL, "9000")]
