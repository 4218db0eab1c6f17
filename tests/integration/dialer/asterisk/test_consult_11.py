"""Fixture 11: consultations that Asterisk 22.10.1 ends itself, replayed byte for byte.

An attended transfer's consultation can end without the console: the target rings and nobody
answers (features.conf ``atxfernoanswertimeout``, 15 s), the target answers and then hangs
up, or the target's phone is unavailable. Each time the real Asterisk put the agent back with
the customer and said so with one ``Event: Unhold`` on the agent's leg. The adapter is driven
through the capture's port calls against a loopback server answering with Asterisk's bytes;
checked: it publishes ``ConsultChanged(active=False)`` for each, every byte it sends after
(mute, hold and resume still on the agent's leg), and the real replies.
"""

from __future__ import annotations

from typing import cast

import pytest

from dialer.asterisk.adapter import AmiTelephony
from dialer.telephony.events import CallBridged, ConsultChanged, PortEvent
from dialer.telephony.port import TargetKind, TransferTarget
from tests.ami_transcripts import load
from tests.integration.dialer.asterisk.lab import (
    LAB_QUEUE,
    for_call,
    lab_port,
    lab_request,
    until_hung_up,
)
from tests.integration.dialer.asterisk.support import collect_until
from tests.integration.dialer.asterisk.test_controls_10 import _shape

CALL_C = "7d73d1f0ae5f494c95e89ec5b18d9b22"
SEATS = ("1001", "1002", "1003")
IDS = [f"xubao-{n}" for n in range(1, 26)]
AGENT_LEG = b"Local/1003@lab-agents-00000001;1"
CUSTOMER_LEG = b"Local/15759854071@lab-customer-00000000;1"
# (a) rings, nobody answers; (b) answers, then hangs up; (c) unavailable (lab extensions).
TARGETS = ("1004", "1005", "1006")


def _consult_over(e: object) -> bool:
    return isinstance(e, ConsultChanged) and e.call_id == CALL_C and not e.active


async def _controls(port: AmiTelephony) -> None:
    await port.mute(CALL_C, muted=True)
    await port.mute(CALL_C, muted=False)
    await port.hold(CALL_C, held=True)  # refused while the console thinks a consult is on
    await port.hold(CALL_C, held=False)


async def _run_11() -> tuple[list[PortEvent], list[bytes]]:
    async with lab_port("11", IDS) as lab:
        port, events = lab.port, lab.events
        for seat in SEATS:
            await port.add_seat(seat, queue=LAB_QUEUE, name=f"坐席{seat}")
        await port.originate(lab_request(CALL_C, "15759854071", lead_id="33"))
        seen: list[object] = await collect_until(
            events, lambda e: isinstance(e, CallBridged) and e.call_id == CALL_C
        )
        for seat in TARGETS:
            await port.start_consult(CALL_C, TransferTarget(TargetKind.AGENT, seat))
            # Nothing more is sent: Asterisk ends the consultation on its own.
            seen += await collect_until(events, _consult_over)
            await _controls(port)
        await port.hangup(CALL_C)
        seen += await until_hung_up(events, {CALL_C})
        for seat in SEATS:
            await port.remove_seat(seat, queue=LAB_QUEUE)
    return cast(list[PortEvent], seen), lab.sent()  # sent: with the Logoff of close()


async def test_the_adapter_sends_exactly_what_it_sent_to_the_real_asterisk_11() -> None:
    _, sent = await _run_11()
    assert sent == load("11").sends("c1")
    actions = [m.split(b"\r\n", 1)[0].removeprefix(b"Action: ").decode() for m in sent]
    after = ["Setvar", "Setvar", "Redirect", "Bridge"]  # mute, unmute, hold, resume
    assert actions[5:20] == ["Atxfer", *after] * 3
    assert "CancelAtxfer" not in actions
    for message in sent[5:20]:  # every control after a consultation: the agent's leg
        assert b": " + AGENT_LEG + b"\r\n" in message, message


async def test_each_consultation_asterisk_ends_ends_on_the_console_11() -> None:
    seen, _ = await _run_11()
    controls = [
        "CallMuteChanged(True)",
        "CallMuteChanged(False)",
        "CallHoldChanged(True)",
        "CallHoldChanged(False)",
    ]
    consults = []
    for seat in TARGETS:
        consults += [f"ConsultChanged(True,agent:{seat})", f"ConsultChanged(False,agent:{seat})"]
        consults += controls
    assert _shape(for_call(seen, CALL_C)) == [
        "CallRinging",
        "CallAnswered",
        "RecordingStarted",
        "CallBridged(1003)",
        *consults,
        "RecordingStopped",
        "CallHungUp(system,16)",
    ]
    # The consultation legs' h extension says "Leg: customer" (Cause 16, 16, 20): not the
    # customer's channel, so the call went on; no seat took it over either.
    assert [e for e in for_call(seen, CALL_C) if isinstance(e, CallBridged)][1:] == []


def _blocks() -> list[dict[str, str]]:
    stream = load("11").server_stream("c1").decode("utf-8")
    out = []
    for block in stream.split("\r\n\r\n"):
        fields: dict[str, str] = {}
        for line in block.split("\r\n"):
            key, sep, value = line.partition(": ")
            if sep:
                fields.setdefault(key, value)
            elif line.endswith(":"):
                fields.setdefault(line[:-1], "")
        out.append(fields)
    return out


def test_asterisk_ends_each_consultation_with_an_unhold_on_the_agents_leg_11() -> None:
    blocks = _blocks()
    holds = [b for b in blocks if b.get("Event") in ("Hold", "Unhold")]
    assert [(b["Event"], b["Channel"]) for b in holds] == [
        (name, AGENT_LEG.decode()) for name in ("Hold", "Unhold") * 3
    ]
    # How each consultation leg's Dial() ended: (a) cancelled by Asterisk's no-answer timeout,
    # (b) answered (the seat hung up later), (c) unavailable at once.
    dial_ends = [
        (b["Channel"].split("@")[0], b["DialStatus"])
        for b in blocks
        if b.get("Event") == "DialEnd" and "@xubao-transfer-" in b.get("Channel", "")
    ]
    assert dial_ends == [
        ("Local/1004", "CANCEL"),
        ("Local/1005", "ANSWER"),
        ("Local/1006", "CHANUNAVAIL"),
    ]
    # Nothing reached the campaign queue again: the one QueueCallerJoin is the customer's.
    joins = [b["Channel"] for b in blocks if b.get("Event") == "QueueCallerJoin"]
    assert joins == [CUSTOMER_LEG.decode()]
    assert not [b for b in blocks if b.get("Event") == "AttendedTransfer"]


def test_the_no_answer_timeout_is_features_conf_s_15_seconds_11() -> None:
    rows = [r for r in load("11").rows if r.dir == "recv"]
    hold = next(r.rel for r in rows if b"Event: Hold\r\n" in r.data)
    unhold = next(r.rel for r in rows if b"Event: Unhold\r\n" in r.data)
    assert 15.0 <= unhold - hold < 16.0


@pytest.mark.parametrize(
    ("action_id", "reply"),
    [
        ("xubao-6", ("Success", "Atxfer successfully queued")),
        ("xubao-11", ("Success", "Atxfer successfully queued")),
        ("xubao-16", ("Success", "Atxfer successfully queued")),
        ("xubao-7", ("Success", "Variable Set")),  # mute after (a)
        ("xubao-9", ("Success", "Dual Redirect successful")),  # hold after (a)
        ("xubao-10", ("Success", "Channels have been bridged")),  # resume after (a)
        ("xubao-14", ("Success", "Dual Redirect successful")),  # hold after (b)
        ("xubao-19", ("Success", "Dual Redirect successful")),  # hold after (c)
        ("xubao-20", ("Success", "Channels have been bridged")),
        ("xubao-21", ("Success", "Channel Hungup")),
    ],
)
def test_real_replies_after_each_consultation_11(action_id: str, reply: tuple[str, str]) -> None:
    replies = {
        b["ActionID"]: (b["Response"], b.get("Message", ""))
        for b in _blocks()
        if "Response" in b and "Event" not in b
    }
    assert replies[action_id] == reply
