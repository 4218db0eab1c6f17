"""The dialer's events that travel on the bus, named one by one.

The composition root adds other parts' event types to this tuple when it builds the codec;
a test checks that every concrete port event is here, so a new one cannot be forgotten.
"""

from __future__ import annotations

from dialer.bus.commands import PortCommand, PortCommandDone
from dialer.bus.events import BusResync
from dialer.floor.events import CallPlaced, IvrCallEnded, IvrCallStarted
from dialer.seats.events import SeatChanged
from dialer.telephony.events import (
    CallAbandoned,
    CallAnswered,
    CallBridged,
    CallBusy,
    CallFailed,
    CallHoldChanged,
    CallHungUp,
    CallMuteChanged,
    CallNoAnswer,
    CallRinging,
    CallTransferred,
    ConsultChanged,
    CustomerOptedOut,
    LinkStatusChanged,
    RecordingPauseChanged,
    RecordingStarted,
    RecordingStopped,
    SeatStatusChanged,
    SpyStarted,
    SpyStopped,
)

__all__ = ["DIALER_EVENTS", "PORT_EVENTS"]

PORT_EVENTS: tuple[type, ...] = (
    CallRinging,
    CallAnswered,
    CallBusy,
    CallNoAnswer,
    CallFailed,
    CallBridged,
    CallAbandoned,
    CustomerOptedOut,
    RecordingStarted,
    RecordingStopped,
    SpyStarted,
    SpyStopped,
    CallHoldChanged,
    CallMuteChanged,
    RecordingPauseChanged,
    ConsultChanged,
    CallTransferred,
    CallHungUp,
    SeatStatusChanged,
    LinkStatusChanged,
)
"""Every concrete event of the telephony port's ``events()`` stream."""

DIALER_EVENTS: tuple[type, ...] = (
    *PORT_EVENTS,
    CallPlaced,
    IvrCallStarted,
    IvrCallEnded,
    SeatChanged,
    BusResync,
    PortCommand,
    PortCommandDone,
)
"""What travels on the bus under dialer's types: port events, calls placed, calls in the IVR
(published by ``ivr``, counted by the floor), seat changes, resyncs, and the consoles' commands
to a runtime's port with the runtime's answers."""
