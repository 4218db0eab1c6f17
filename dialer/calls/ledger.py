"""The live calls of one dialer, each a ``CallMachine``, fed from one event stream."""

from __future__ import annotations

from datetime import datetime

from dialer.calls.machine import CallMachine
from dialer.errors import UnknownCall
from dialer.telephony.events import CallEvent

__all__ = ["CallLedger"]


class CallLedger:
    """Call machines by call id. ``begin`` when originating; ``apply`` each event after."""

    def __init__(self) -> None:
        self._calls: dict[str, CallMachine] = {}

    def begin(self, call_id: str, *, at: datetime) -> CallMachine:
        """Start tracking a call we are about to originate (idempotent on ``call_id``)."""
        machine = self._calls.get(call_id)
        if machine is None:
            machine = self._calls[call_id] = CallMachine(call_id=call_id, dialed_at=at)
        return machine

    def apply(self, event: CallEvent) -> bool:
        """Apply an event to its call; ``UnknownCall`` if the call was never begun."""
        machine = self._calls.get(event.call_id)
        if machine is None:
            raise UnknownCall("no such call", call_id=event.call_id)
        return machine.apply(event)

    def get(self, call_id: str) -> CallMachine:
        machine = self._calls.get(call_id)
        if machine is None:
            raise UnknownCall("no such call", call_id=call_id)
        return machine

    def __contains__(self, call_id: object) -> bool:
        return call_id in self._calls

    def __len__(self) -> int:
        return len(self._calls)

    def discard(self, call_id: str) -> None:
        """Forget an ended call (its outcome is stored): a shift's ledger stays small."""
        self._calls.pop(call_id, None)

    def live(self) -> list[CallMachine]:
        return [m for m in self._calls.values() if not m.ended]

    def ended(self) -> list[CallMachine]:
        return [m for m in self._calls.values() if m.ended]
