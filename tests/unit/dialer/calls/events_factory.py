"""Builds call events for the state machine tests: one call id, times one second apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialer.telephony.events import (
    AnswerKind,
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallEvent,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallTransferred,
    ConsultChanged,
    RecordingPauseChanged,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
)

CALL_ID = "call-1"
T0 = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def make(event_type: type[CallEvent], seconds: float = 0.0, /, **fields: object) -> CallEvent:
    """An event of ``event_type`` with the payload fields its type requires filled in."""
    defaults: dict[type[CallEvent], dict[str, object]] = {
        CallAnswered: {"kind": AnswerKind.HUMAN},
        CallBridged: {"agent_id": "agent-7"},
        CallAbandoned: {"wait_s": 2.0},
        RecordingStarted: {"path": "rec/call-1.wav"},
        RecordingStopped: {"path": "rec/call-1.wav"},
        SpyStarted: {"supervisor": "sup-1", "mode": "listen"},
        SpyStopped: {"supervisor": "sup-1"},
        CallHoldChanged: {"held": True},
        CallMuteChanged: {"muted": True},
        RecordingPauseChanged: {"paused": True, "path": "rec/call-1.wav"},
        ConsultChanged: {"active": True, "target": "agent:agent-8"},
        CallTransferred: {"from_agent": "agent-7", "target": "agent:agent-8"},
        CallHungUp: {},
    }
    payload = {**defaults.get(event_type, {}), **fields}
    return event_type(call_id=CALL_ID, at=at(seconds), **payload)  # type: ignore[arg-type]
