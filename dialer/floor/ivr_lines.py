"""Lines in the IVR, kept from ``IvrCallStarted`` / ``IvrCallEnded``: floor-wide, by direction.

The IVR serves no campaign (an inbound caller, a reminder call), so these lines are counted for
the whole floor, not in a campaign's lines. The database stores an IVR session only when it
ends, so a reload cannot rebuild them: ``FloorService`` carries this object across reloads, as
it does the link. A session whose end never comes (the IVR process died, its end was lost with
the broker) is dropped once it is older than ``stale_s``, so the count cannot grow for ever.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from dialer.floor.events import IvrCallEnded, IvrCallStarted, IvrDirection

__all__ = ["IVR_STALE_S", "IvrCounts", "IvrLines"]

# An IVR session runs at most 200 steps (ivr.engine.MAX_STEPS) of prompts and key waits of a
# few seconds each: well under an hour. Past that, its end was lost.
IVR_STALE_S = 3600.0
_ENDED_KEPT = 2_000  # ended call ids remembered, so a start replayed after its end counts not


@dataclass(frozen=True, slots=True)
class IvrCounts:
    """Calls in the IVR now: all of them, and by direction."""

    inbound: int = 0
    reminder: int = 0

    @property
    def total(self) -> int:
        return self.inbound + self.reminder


class IvrLines:
    """Live IVR sessions by call id; applying an event twice changes nothing."""

    def __init__(self, *, stale_s: float = IVR_STALE_S) -> None:
        self._stale = timedelta(seconds=stale_s)
        self._live: dict[str, IvrCallStarted] = {}
        self._ended: dict[str, None] = {}  # recently ended call ids, oldest first

    def apply(self, event: IvrCallStarted | IvrCallEnded) -> None:
        if isinstance(event, IvrCallStarted):
            if event.call_id not in self._ended:
                self._live.setdefault(event.call_id, event)
            self.drop_stale(event.at)
            return
        self._live.pop(event.call_id, None)
        self._ended[event.call_id] = None
        if len(self._ended) > _ENDED_KEPT:
            del self._ended[next(iter(self._ended))]

    def drop_stale(self, now: datetime) -> int:
        """Forget sessions started more than ``stale_s`` before ``now``; how many went."""
        oldest = now - self._stale
        stale = [call_id for call_id, start in self._live.items() if start.at < oldest]
        for call_id in stale:
            del self._live[call_id]
        return len(stale)

    def counts(self, now: datetime) -> IvrCounts:
        """The live sessions at ``now`` (stale ones dropped first)."""
        self.drop_stale(now)
        by = Counter(start.direction for start in self._live.values())
        return IvrCounts(inbound=by[IvrDirection.INBOUND], reminder=by[IvrDirection.REMINDER])

    def started(self, call_id: str) -> IvrCallStarted | None:
        return self._live.get(call_id)
