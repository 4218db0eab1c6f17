"""The driver port: what the flow engine needs from one live call, in IVR terms.

Two backends implement it: :mod:`ivr.ari.driver` over Asterisk ARI and :mod:`ivr.simulated`
on the simulated network. Every method raises :class:`ivr.errors.SessionEnded` once the caller
has hung up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol

__all__ = ["CallContext", "CallDriver", "Destination"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    """Where a transfer goes: one agent's seat (sticky) or a campaign queue."""

    kind: Literal["agent", "queue"]
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CallContext:
    """What a flow knows about the call: the facts it speaks and branches on."""

    call_id: str
    kind: Literal["inbound", "reminder"]
    phone: str  # normalised caller (inbound) or called (reminder) number; "" if unknown
    language: str = "zh_CN"
    timezone: str = "Asia/Shanghai"
    lead_id: int | None = None
    plate: str = ""
    expiry_date: date | None = None
    owner_agent: str | None = None
    queue: str = ""
    campaign_id: str = ""

    @property
    def recognised(self) -> bool:
        return self.lead_id is not None


class CallDriver(Protocol):
    async def play(
        self, prompts: Sequence[str], *, language: str, barge_in: bool, node: str
    ) -> str:
        """Play ``prompts`` in order for flow node ``node``; with ``barge_in`` a key pressed
        during them stops the playback and is returned (else ``""``)."""
        ...

    async def read_digit(self, *, timeout_s: float) -> str:
        """The next key the caller presses within ``timeout_s`` seconds, ``""`` on timeout."""
        ...

    async def transfer(self, destination: Destination) -> None:
        """Hand the call to an agent or a queue; the IVR is done with it afterwards."""
        ...

    async def hangup(self) -> None: ...
