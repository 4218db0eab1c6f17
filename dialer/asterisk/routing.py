"""Matching replies to pending actions: pure bookkeeping, no sockets.

* A response carrying an ActionID goes to that action.
* A response without one (the ActionID-less Ping of 01, the garbage line of 05 c3) goes to
  the oldest pending action that was sent without an ActionID: Asterisk answers one
  session's actions in order.
* List actions complete on ``EventList: Complete``: first the ``EventList: start``
  response, then the item events (carrying the ActionID), then ``<X>Complete``. An empty
  list still has both ends (01 CoreShowChannels).
* ``OriginateResponse`` carries our ActionID and a ``Response:`` header but is an event
  (02): it is never taken as the Originate's reply; it goes to the event consumers.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass, field

from dialer.asterisk.messages import Message
from dialer.errors import ActionFailed, TelephonyError

__all__ = ["ListReply", "Pending", "Router"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ListReply:
    """A completed list: its start response, the item events, the ``Complete`` event."""

    response: Message
    items: tuple[Message, ...]
    complete: Message | None


@dataclass(slots=True, eq=False)
class Pending:
    """One action waiting for its reply."""

    action_id: str
    name: str
    is_list: bool
    future: asyncio.Future[Message | ListReply]
    response: Message | None = None
    items: list[Message] = field(default_factory=list)


class Router:
    """The table of pending actions of one client."""

    def __init__(self) -> None:
        self._by_id: dict[str, Pending] = {}
        self._anonymous: OrderedDict[int, Pending] = OrderedDict()

    def __len__(self) -> int:
        return len(self._by_id) + len(self._anonymous)

    def add(self, pending: Pending) -> None:
        if pending.action_id:
            if pending.action_id in self._by_id:
                raise ValueError(f"ActionID {pending.action_id!r} is already pending")
            self._by_id[pending.action_id] = pending
        else:
            self._anonymous[id(pending)] = pending

    def discard(self, pending: Pending) -> None:
        if self._by_id.get(pending.action_id) is pending:
            del self._by_id[pending.action_id]
        self._anonymous.pop(id(pending), None)

    def fail_all(self, error: TelephonyError) -> int:
        """Fail every pending action (connection lost); never re-send them. Returns count."""
        pendings = [*self._by_id.values(), *self._anonymous.values()]
        self._by_id.clear()
        self._anonymous.clear()
        for pending in pendings:
            if not pending.future.done():
                pending.future.set_exception(error)
        return len(pendings)

    def route(self, message: Message) -> bool:
        """Deliver a reply; True when consumed, False when it is an event for consumers."""
        if message.is_event:
            return self._route_list_item(message)
        if not message.is_response:
            log.debug("dropping a message that is neither event nor response")
            return True
        action_id = message.action_id
        pending = self._by_id.get(action_id) if action_id else self._oldest_anonymous()
        if pending is None:
            log.debug("reply matches no pending action (ActionID %r)", action_id)
            return True
        if message.response.lower() == "error":
            self._settle(
                pending,
                error=ActionFailed(message.get("Message"), action_id=pending.action_id),
            )
        elif pending.is_list and message.event_list == "start":
            pending.response = message
        elif pending.is_list:
            self._settle(pending, result=ListReply(message, (), None))
        else:
            self._settle(pending, result=message)
        return True

    def _route_list_item(self, message: Message) -> bool:
        action_id = message.action_id
        if not action_id:
            return False
        pending = self._by_id.get(action_id)
        if pending is None or not pending.is_list or pending.response is None:
            return False
        if message.event_list == "complete":
            reply = ListReply(pending.response, tuple(pending.items), message)
            self._settle(pending, result=reply)
        else:
            pending.items.append(message)
        return True

    def _oldest_anonymous(self) -> Pending | None:
        for pending in self._anonymous.values():
            return pending
        return None

    def _settle(
        self,
        pending: Pending,
        *,
        result: Message | ListReply | None = None,
        error: TelephonyError | None = None,
    ) -> None:
        self.discard(pending)
        if pending.future.done():
            return
        if error is not None:
            pending.future.set_exception(error)
        elif result is not None:
            pending.future.set_result(result)
