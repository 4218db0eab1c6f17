"""Telephony port commands across processes: a console asks, the campaign's runtime acts.

A web process (``xubao serve`` on Redis) has no telephone network of its own: the campaign's
network (a simulated one, or the AMI link to Asterisk) lives in the runtime process (``xubao
dialer run``). Seat and call actions made in the console (log in: the phone joins the queue,
pause, ready, log out, hang up, listen/whisper/barge) therefore travel as ``PortCommand`` on the
bus; the runtime applies each to its port, in order, and answers ``PortCommandDone`` with the
error's class name if it failed. See ``RemotePort`` (the asking side) and ``PortCommandServer``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

__all__ = ["PortAction", "PortCommand", "PortCommandDone"]


class PortAction(enum.StrEnum):
    """The ``TelephonyPort`` method a command calls (a console never originates)."""

    ADD_SEAT = "add_seat"
    PAUSE_SEAT = "pause_seat"
    REMOVE_SEAT = "remove_seat"
    HANGUP = "hangup"
    ROUTE_TO_AGENT = "route_to_agent"
    START_RECORDING = "start_recording"
    STOP_RECORDING = "stop_recording"
    SPY = "spy"
    PLAY = "play"
    HOLD = "hold"
    MUTE = "mute"
    TRANSFER = "transfer"
    START_CONSULT = "start_consult"
    COMPLETE_CONSULT = "complete_consult"
    CANCEL_CONSULT = "cancel_consult"
    PAUSE_RECORDING = "pause_recording"


@dataclass(frozen=True, slots=True, kw_only=True)
class PortCommand:
    """Call ``action`` on the port of ``campaign_id``'s runtime with the fields it takes.

    ``command_id`` is unique (the reply names it); ``at`` is when it was asked (UTC). Fields an
    action does not take keep their defaults: seats use ``agent_id``, ``queue``, ``name``,
    ``paused`` and ``reason``; calls ``call_id`` and ``cause`` (Q.850); recordings ``path``;
    ``spy`` ``supervisor`` and ``mode`` (a ``SpyMode`` value); ``play`` ``message``; call
    controls ``held``, ``muted``, ``paused`` (the recording) and the transfer's ``target_kind``
    (a ``TargetKind`` value) and ``target_id``.
    """

    command_id: str
    campaign_id: str
    action: PortAction
    at: datetime
    agent_id: str = ""
    queue: str = ""
    name: str = ""
    paused: bool = False
    reason: str = ""
    call_id: str = ""
    cause: int = 16
    path: str = ""
    supervisor: str = ""
    mode: str = ""
    message: str = ""
    held: bool = False
    muted: bool = False
    target_kind: str = ""
    target_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class PortCommandDone:
    """The runtime applied ``command_id``: ``error`` is "" if it succeeded, else the class name
    of the ``DialerError`` it raised (``message`` its text)."""

    command_id: str
    campaign_id: str
    at: datetime
    error: str = ""
    message: str = ""
