"""Agent seats as Asterisk queue members: interface templates and member status."""

from __future__ import annotations

import re
from datetime import datetime

from dialer.asterisk.messages import Message
from dialer.telephony.events import SeatStatusChanged

__all__ = ["InterfaceTemplate", "seat_status"]

# QueueMemberStatus ``Status`` is an ast_device_state number. Local-channel members go
# straight from 1 (not in use) to 2 (in use), never 6 (ringing): see 02.
_DEVICE_STATES = {
    "0": "unknown",
    "1": "idle",
    "2": "in_use",
    "3": "busy",
    "4": "invalid",
    "5": "unavailable",
    "6": "ringing",
    "7": "ringing",
    "8": "on_hold",
}


class InterfaceTemplate:
    """``Local/{agent}@agents/n`` both ways: agent id to interface, interface to agent id."""

    def __init__(self, template: str, *, field: str = "agent") -> None:
        if "{" + field + "}" not in template:
            raise ValueError(f"template {template!r} has no {{{field}}}")
        self._template = template
        self._field = field
        head, _, tail = template.partition("{" + field + "}")
        self._pattern = re.compile(f"^{re.escape(head)}(.+?){re.escape(tail)}$")

    def render(self, value: str) -> str:
        return self._template.format(**{self._field: value})

    def parse(self, interface: str) -> str | None:
        """The agent id in ``interface``, or None when it is not one of our seats."""
        match = self._pattern.match(interface)
        return match.group(1) if match else None


def seat_status(
    message: Message, *, interfaces: InterfaceTemplate, at: datetime
) -> SeatStatusChanged | None:
    """A ``QueueMemberStatus`` event or ``QueueMember`` list item as a seat status."""
    interface = message.get("Interface") or message.get("Location") or message.get("StateInterface")
    agent_id = interfaces.parse(interface)
    if agent_id is None:
        return None
    return SeatStatusChanged(
        agent_id=agent_id,
        at=at,
        status=_DEVICE_STATES.get(message.get("Status"), "unknown"),
        paused=message.get("Paused") == "1",
    )
