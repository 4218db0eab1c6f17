"""Screen-pop cards built in worker threads, ahead of the connect once the customer answered.

Building a card reads the database and computes the quote (tens of milliseconds on a busy
machine); on the event loop it would hold up every socket of the process. A card prepared at
``CallAnswered`` is taken at ``CallBridged`` (on Asterisk the agent's phone rings and picks up
in between), so the connect itself may only send it. Cards not taken (abandoned, or another
process's agent) are dropped when the call ends, and only the ``limit`` newest are kept.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterable

__all__ = ["PopCards"]

log = logging.getLogger(__name__)

Card = dict[str, object] | None
Build = Callable[[str, str], Card]  # (call id, language) -> the pop message, blocking


class PopCards:
    """Cards by (call id, language), each a future of a worker thread's build."""

    def __init__(self, *, build: Build, limit: int = 500) -> None:
        self._build, self._limit = build, limit
        self._cards: OrderedDict[tuple[str, str], asyncio.Future[Card]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._cards)

    def prepare(self, call_id: str, languages: Iterable[str]) -> None:
        """Start building the call's card in each language (if not started yet)."""
        for language in languages:
            key = (call_id, language)
            if key not in self._cards:
                self._cards[key] = self._start(call_id, language)
        while len(self._cards) > self._limit:
            self._cards.popitem(last=False)

    async def take(self, call_id: str, language: str) -> Card:
        """The card, prepared or built now; it is no longer kept."""
        card = self._cards.pop((call_id, language), None) or self._start(call_id, language)
        return await card

    def forget(self, call_id: str) -> None:
        for key in [k for k in self._cards if k[0] == call_id]:
            del self._cards[key]

    def _start(self, call_id: str, language: str) -> asyncio.Future[Card]:
        future = asyncio.get_running_loop().run_in_executor(None, self._build, call_id, language)
        future.add_done_callback(_retrieve)
        return future


def _retrieve(future: asyncio.Future[Card]) -> None:
    # A card dropped unseen must not end as "exception never retrieved"; take() re-raises it.
    if not future.cancelled() and future.exception() is not None:
        log.debug("a screen-pop card failed: %r", future.exception())
