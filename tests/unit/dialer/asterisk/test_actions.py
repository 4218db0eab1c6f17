"""Action builders produce the bytes the fixture recorder sent to a real Asterisk."""

from __future__ import annotations

import pytest

from dialer.asterisk import actions
from dialer.asterisk.actions import Action, ActionIdGenerator
from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Message
from tests.ami_transcripts import load


def _sent(scenario: str, action_id: str, conn: str = "c1") -> bytes:
    transcript = load(scenario)
    for data, sent_id in zip(transcript.sends(conn), transcript.sent_action_ids(conn), strict=True):
        if sent_id == action_id:
            return data
    raise KeyError(action_id)


def test_async_originate_bytes_match_the_capture_03() -> None:
    action = actions.originate(
        channel="Local/busy@failures",
        context="dialer",
        exten="sales",
        caller_id='"Campaign 42" <5550100>',
        timeout_ms=15000,
        channel_id="orig-073132-busy",
        other_channel_id="orig-073132-busy-peer",
    )
    assert action.encode("c1-orig-busy") == _sent("03", "c1-orig-busy")


def test_chanspy_originate_bytes_match_the_capture_04() -> None:
    action = actions.originate(
        channel="Local/9000@supervisor/n",
        application="ChanSpy",
        data="Local/1001@agents-0000000c;1,qE",
        caller_id='"Supervisor" <9000>',
        timeout_ms=15000,
        channel_id="sup-073132",
        other_channel_id="sup-073132-peer",
    )
    assert action.encode("c1-originate-004") == _sent("04", "c1-originate-004")


def test_call_control_bytes_match_the_capture_02() -> None:
    channel = "Local/5551001@customer-00000000;1"
    file = "/srv/asterisk-fx/recordings/call-dialer-073132-b.wav"
    assert actions.mix_monitor(channel, file, options="b").encode("c1-mixmonitor-003") == _sent(
        "02", "c1-mixmonitor-003"
    )
    assert actions.stop_mix_monitor(channel).encode("c1-stopmixmonitor-010") == _sent(
        "02", "c1-stopmixmonitor-010"
    )
    assert actions.hangup(channel, cause=16).encode("c1-hangup-011") == _sent("02", "c1-hangup-011")
    assert actions.logoff().encode("c1-logoff-012") == _sent("02", "c1-logoff-012")
    assert actions.core_show_channels().encode("c1-coreshowchannels-004") == _sent(
        "02", "c1-coreshowchannels-004"
    )


def test_md5_key_matches_the_captured_login_05_c5() -> None:
    framer = AmiFramer()
    replies = [m for c in load("05").recv_chunks("c5") for m in framer.feed(c)]
    challenge = next(m for m in replies if isinstance(m, Message) and m.has("Challenge"))
    key = actions.md5_key(challenge.get("Challenge"), "dialer-fixture-secret")
    assert f"Key: {key}\r\n".encode() in _sent("05", "c5-login-002", conn="c5")


def test_values_with_line_breaks_are_refused() -> None:
    with pytest.raises(ValueError, match="invalid AMI header"):
        actions.originate(
            channel="Local/1@customer",
            context="dialer",
            exten="sales",
            caller_id='"x\r\nAction: Hangup" <1>',
            timeout_ms=1000,
            channel_id="a",
            other_channel_id="a-peer",
        )


def test_secrets_are_masked_and_utf8_caller_names_encoded() -> None:
    login = actions.login("dialer", "s3cret")
    assert "s3cret" not in login.masked()
    action = Action("Originate", (("CallerID", '"张三" <5551001>'),))
    assert '"张三"'.encode() in action.encode("x")


def test_action_id_generator_resets() -> None:
    ids = ActionIdGenerator(prefix="t")
    assert [ids.next_id(), ids.next_id()] == ["t-1", "t-2"]
    ids.reset()
    assert ids.next_id() == "t-1"


def test_seat_and_redirect_builders() -> None:
    assert actions.queue_add("sales", "PJSIP/1001", member_name="Alice").headers == (
        ("Queue", "sales"),
        ("Interface", "PJSIP/1001"),
        ("Paused", "false"),
        ("MemberName", "Alice"),
    )
    pause = actions.queue_pause("sales", "PJSIP/1001", paused=True, reason="lunch")
    assert pause.encode("p") == (
        b"Action: QueuePause\r\nActionID: p\r\nQueue: sales\r\nInterface: PJSIP/1001\r\n"
        b"Paused: true\r\nReason: lunch\r\n\r\n"
    )
    redirect = actions.redirect("PJSIP/trunk-1", context="dialer-agent", exten="1001")
    assert ("Priority", "1") in redirect.headers


def test_settings_repr_hides_the_secret() -> None:
    from dialer.asterisk.settings import AmiSettings

    settings = AmiSettings(username="dialer", secret="dialer-fixture-secret")
    assert "dialer-fixture-secret" not in repr(settings)


def test_masked_hides_the_customer_number_of_the_dial_string() -> None:
    action = actions.originate(
        channel="PJSIP/13800000001@trunk", timeout_ms=15000, caller_id="02150001001",
        channel_id="c", other_channel_id="c-peer", context="xubao-dialer", exten="q4",
    )  # fmt: skip
    shown = action.masked()
    assert "Channel=PJSIP/***001@trunk" in shown and "13800000001" not in shown
    assert (
        "Local/1001@xubao-agents/n" in actions.queue_add("q4", "Local/1001@xubao-agents/n").masked()
    )
