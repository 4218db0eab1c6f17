import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pytest

import dialer.telephony.events as port_events
from dialer.bus import DIALER_EVENTS, PORT_EVENTS, BusResync, EventCodec
from dialer.bus.errors import MalformedEvent, UnknownEventType
from dialer.floor.events import IvrCallEnded, IvrCallStarted, IvrDirection
from dialer.models import SeatState
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    AnswerKind,
    BackendRef,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallEvent,
    CallFailed,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    CustomerOptedOut,
    HangupParty,
    LinkStatusChanged,
    RecordingPauseChanged,
    RecordingStarted,
    RecordingStopped,
    SeatStatusChanged,
    SpyStarted,
    SpyStopped,
)

AT = datetime(2026, 3, 2, 1, 30, 15, 123456, tzinfo=UTC)
REF = BackendRef(channel="PJSIP/trunk-0000001a", uniqueid="1772415015.42", linkedid="1772415015.41")

# One instance of every port event, with every field set away from its default.
SAMPLES: list[object] = [
    CallRinging(call_id="c1", at=AT, ref=REF),
    CallAnswered(call_id="c1", at=AT, ref=REF, kind=AnswerKind.MACHINE),
    CallBusy(call_id="c1", at=AT, ref=REF, cause=34),
    CallNoAnswer(call_id="c1", at=AT, ref=REF, cause=18),
    CallFailed(call_id="c1", at=AT, ref=REF, cause=1, cause_text="Unallocated (unassigned) number"),
    CallBridged(call_id="c1", at=AT, ref=REF, agent_id="1001", wait_s=1.25),
    CallAbandoned(call_id="c1", at=AT, ref=REF, wait_s=2.5),
    CustomerOptedOut(call_id="c1", at=AT, ref=REF, digit="8"),
    RecordingStarted(call_id="c1", at=AT, ref=REF, path="2026/03/02/c1.wav"),
    RecordingStopped(call_id="c1", at=AT, ref=REF, path="2026/03/02/c1.wav"),
    SpyStarted(call_id="c1", at=AT, ref=REF, supervisor="9001", mode="whisper"),
    SpyStopped(call_id="c1", at=AT, ref=REF, supervisor="9001"),
    CallHoldChanged(call_id="c1", at=AT, ref=REF, held=True),
    CallMuteChanged(call_id="c1", at=AT, ref=REF, muted=True),
    RecordingPauseChanged(call_id="c1", at=AT, ref=REF, paused=True, path="2026/03/02/c1.wav"),
    ConsultChanged(call_id="c1", at=AT, ref=REF, active=True, target="agent:1002"),
    CallTransferred(
        call_id="c1", at=AT, ref=REF, from_agent="1001", target="queue:s", attended=True
    ),
    CallHungUp(call_id="c1", at=AT, ref=REF, party=HangupParty.AGENT, cause=17, cause_text="x"),
    SeatStatusChanged(agent_id="1001", at=AT, status="in_use", paused=True),
    LinkStatusChanged(up=False, at=AT, reason="connection reset 张三"),
]


def test_every_concrete_port_event_is_carried_and_sampled() -> None:
    # By the module's exports: slotted dataclasses leave their first class behind as a subclass.
    exported = [getattr(port_events, name) for name in port_events.__all__]
    concrete = {c for c in exported if isinstance(c, type) and issubclass(c, CallEvent)}
    concrete = (concrete - {CallEvent}) | {SeatStatusChanged, LinkStatusChanged}
    assert set(PORT_EVENTS) == concrete
    assert {type(s) for s in SAMPLES} == concrete


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_every_port_event_round_trips(event: object) -> None:
    codec = EventCodec(DIALER_EVENTS)
    assert codec.decode(codec.encode(event)) == event


def test_seat_changed_and_resync_round_trip() -> None:
    codec = EventCodec(DIALER_EVENTS)
    seat = SeatChanged(
        agent_id="1001", campaign_id="renew-03", state=SeatState.PAUSED, at=AT, reason="lunch"
    )
    resync = BusResync(at=AT, reason="reconnected")
    assert codec.decode(codec.encode(seat)) == seat
    assert codec.decode(codec.encode(resync)) == resync


def test_wire_form_is_plain_json_with_utc_times_and_enum_values() -> None:
    codec = EventCodec(DIALER_EVENTS)
    shanghai = timezone(timedelta(hours=8))
    event = CallHungUp(call_id="c9", at=AT.astimezone(shanghai), party=HangupParty.CUSTOMER)
    body = json.loads(codec.encode(event))
    assert body == {
        "type": "CallHungUp",
        "data": {
            "call_id": "c9",
            "at": "2026-03-02T01:30:15.123456+00:00",
            "ref": {"channel": "", "uniqueid": "", "linkedid": ""},
            "party": "customer",
            "cause": 16,
            "cause_text": "Normal Clearing",
        },
    }
    decoded = codec.decode(codec.encode(event))
    assert decoded == event and decoded.at.tzinfo is UTC  # type: ignore[attr-defined]


def test_defaults_fill_fields_a_payload_leaves_out() -> None:
    codec = EventCodec(DIALER_EVENTS)
    payload = '{"type":"CallRinging","data":{"call_id":"c2","at":"2026-03-02T09:30:00+08:00"}}'
    assert codec.decode(payload) == CallRinging(
        call_id="c2", at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC)
    )


@dataclass(frozen=True)
class NotCarried:
    n: int


def test_unknown_types_are_refused_both_ways() -> None:
    codec = EventCodec(PORT_EVENTS)
    with pytest.raises(UnknownEventType, match="'NotCarried' is not carried"):
        codec.encode(NotCarried(1))
    with pytest.raises(UnknownEventType, match="'SeatChanged'") as caught:
        codec.decode('{"type":"SeatChanged","data":{}}')
    assert caught.value.type_name == "SeatChanged"


@pytest.mark.parametrize(
    ("payload", "field", "reason"),
    [
        (
            '{"type":"CallBridged","data":{"call_id":"c","at":"2026-03-02T01:00:00Z"}}',
            "agent_id",
            "missing",
        ),
        ('{"type":"CallRinging","data":{"call_id":"c","at":"2026-03-02T01:00:00"}}', "at", "zone"),
        (
            '{"type":"CallRinging","data":{"call_id":1,"at":"2026-03-02T01:00:00Z"}}',
            "call_id",
            "str",
        ),
        (
            '{"type":"CallBusy","data":{"call_id":"c","at":"2026-03-02T01:00:00Z","cause":true}}',
            "cause",
            "int",
        ),
        (
            '{"type":"CallHungUp","data":{"call_id":"c","at":"2026-03-02T01:00:00Z","party":"nobody"}}',
            "party",
            "HangupParty",
        ),
        (
            '{"type":"CallRinging","data":{"call_id":"c","at":"2026-03-02T01:00:00Z","ref":{"chan":"x"}}}',
            "ref",
            "unknown field",
        ),
        (
            '{"type":"CallRinging","data":{"call_id":"c","at":"2026-03-02T01:00:00Z","ref":{"channel":5}}}',
            "ref.channel",
            "str",
        ),
        (
            '{"type":"CallRinging","data":{"call_id":"c","at":"2026-03-02T01:00:00Z","extra":1}}',
            "",
            "unknown field",
        ),
        ('{"type":"CallRinging","data":[]}', "", "object"),
        ("not json", "", "not JSON"),
    ],
)
def test_malformed_payloads_name_the_field(payload: str, field: str, reason: str) -> None:
    codec = EventCodec(DIALER_EVENTS)
    with pytest.raises(MalformedEvent, match=reason) as caught:
        codec.decode(payload)
    assert caught.value.field == field


def test_naive_datetimes_are_not_published() -> None:
    codec = EventCodec(DIALER_EVENTS)
    with pytest.raises(MalformedEvent, match="naive") as caught:
        codec.encode(CallRinging(call_id="c", at=datetime(2026, 3, 2, 9, 30)))
    assert (caught.value.type_name, caught.value.field) == ("CallRinging", "at")


def test_types_the_codec_cannot_carry_fail_when_it_is_built() -> None:
    @dataclass(frozen=True)
    class WithList:
        items: list[str]

    @dataclass
    class Mutable:
        n: int

    with pytest.raises(TypeError, match=r"WithList\.items"):
        EventCodec((WithList,))
    with pytest.raises(TypeError, match="frozen"):
        EventCodec((Mutable,))
    with pytest.raises(ValueError, match="two bus event types"):
        EventCodec((CallRinging, CallRinging))


@pytest.mark.parametrize(
    "event",
    [
        IvrCallStarted(
            call_id="c1", at=AT, flow="reminder", direction=IvrDirection.REMINDER, lead_id=42
        ),
        IvrCallStarted(
            call_id="c2", at=AT, flow="inbound_callback", direction=IvrDirection.INBOUND
        ),
        IvrCallEnded(
            call_id="c1", at=AT, outcome="callback", transfer_to="queue:q4", caller_hung_up=True
        ),
        IvrCallEnded(call_id="c2", at=AT),
    ],
    ids=lambda e: type(e).__name__,
)
def test_ivr_events_cross_the_bus(event: object) -> None:
    codec = EventCodec(DIALER_EVENTS)
    assert codec.decode(codec.encode(event)) == event


def test_an_ivr_start_travels_with_its_direction_by_value_and_no_phone_number() -> None:
    codec = EventCodec(DIALER_EVENTS)
    event = IvrCallStarted(call_id="c3", at=AT, flow="reminder", direction=IvrDirection.REMINDER)
    assert json.loads(codec.encode(event))["data"] == {
        "call_id": "c3", "at": "2026-03-02T01:30:15.123456+00:00", "flow": "reminder",
        "direction": "reminder", "lead_id": None,
    }  # fmt: skip
    with pytest.raises(MalformedEvent, match="IvrDirection"):
        codec.decode(
            '{"type":"IvrCallStarted","data":{"call_id":"c","at":"2026-03-02T01:00:00Z",'
            '"flow":"reminder","direction":"outbound"}}'
        )
