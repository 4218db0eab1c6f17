"""The event shape of each call scenario, shared by the simulator's tests and (later) the
cross-check against the AMI adapter's translation of the real fixture bytes.

Fixture scenarios in ``shared/fixtures/asterisk-ami``:
- ``answered_recorded``: 02-originate-queue-mixmonitor (DialState RINGING, DialEnd ANSWER,
  AgentConnect, MixMonitorStart, StopMixMonitor/MixMonitorStop, Hangup 16). On a hangup without
  StopMixMonitor (04) Asterisk emits no MixMonitorStop; the port still promises RecordingStopped
  ("stopped or the call ended"), so the adapter has to add it before CallHungUp.
- ``busy``: 03 busy (DialEnd BUSY, no ringing, Hangup ;2 cause 17).
- ``no_answer``: 03 noanswer (DialState RINGING, OriginateResponse Reason 3, Hangup 19).
- ``failed``: 03 rejected / unallocated (no ringing, Reason 0, Hangup 21 or 1).
- ``abandoned`` and ``machine``: no capture yet; they follow the dialer dialplan's 2-second rule
  (safe message, then hangup) and AMD (machine: hangup) branches.
"""

from __future__ import annotations

SHAPES: dict[str, tuple[str, ...]] = {
    "answered_recorded": (
        "CallRinging",
        "CallAnswered",
        "CallBridged",
        "RecordingStarted",
        "RecordingStopped",
        "CallHungUp",
    ),
    "busy": ("CallBusy", "CallHungUp"),
    "no_answer": ("CallRinging", "CallNoAnswer", "CallHungUp"),
    "failed": ("CallFailed", "CallHungUp"),
    "abandoned": ("CallRinging", "CallAnswered", "CallAbandoned", "CallHungUp"),
    "machine": ("CallRinging", "CallAnswered", "CallHungUp"),
}
