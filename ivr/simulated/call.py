"""One call on the simulated network as the flow engine's driver (the same port as ARI's).

Prompts go to the customer as events; the time they take and a menu's timeout pass on the
injected clock (instantly on a virtual one), so a whole flow runs in a test without sleeping.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from ivr.errors import SessionEnded
from ivr.port import Destination
from ivr.simulated.customer import ScriptedCustomer
from renewals.clock import Clock

__all__ = ["CustomerHeard", "SimulatedCall"]

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CustomerHeard:
    """The event a simulated customer gets: the prompts of one playback, in its language."""

    call_id: str
    prompts: tuple[str, ...]
    language: str
    menu: bool


@dataclass
class SimulatedCall:
    call_id: str
    customer: ScriptedCustomer
    clock: Clock
    prompt_s: float = 0.6  # seconds one prompt takes to play (simulated time)
    events: list[CustomerHeard] = field(default_factory=list)
    transferred_to: Destination | None = None
    hung_up: bool = False
    _pending: str | None = None  # the answer to the menu heard last, not yet read

    def _check(self) -> None:
        if self.hung_up:
            raise SessionEnded(self.call_id)

    async def play(
        self, prompts: Sequence[str], *, language: str, barge_in: bool, node: str
    ) -> str:
        self._check()
        event = CustomerHeard(self.call_id, tuple(prompts), language, barge_in)
        self.events.append(event)
        answer = self.customer.hear(prompts, menu=barge_in)
        if answer == "hangup":
            self.hung_up = True
            raise SessionEnded(self.call_id)
        if answer is not None and self.customer.profile.barge_in and answer != "silence":
            await self.clock.sleep(self.prompt_s)  # pressed during the first prompt
            return answer
        await self.clock.sleep(self.prompt_s * len(prompts))
        self._pending = answer
        return ""

    async def read_digit(self, *, timeout_s: float) -> str:
        self._check()
        answer, self._pending = self._pending, None
        if answer is None or answer == "silence":
            await self.clock.sleep(timeout_s)
            return ""
        return answer

    async def transfer(self, destination: Destination) -> None:
        self._check()
        self.transferred_to = destination
        log.info(
            "simulated call %s transferred to %s %s",
            self.call_id,
            destination.kind,
            destination.name,
        )

    async def hangup(self) -> None:
        self.hung_up = True
