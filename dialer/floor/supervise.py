"""Listen, whisper and barge: through the telephony port, only on a call an agent is talking on,
and audited whatever the outcome (done, refused by our rules, failed in the backend)."""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session, sessionmaker

from dialer.errors import DialerError
from dialer.floor.audit import record_action
from dialer.floor.errors import NotOnCall
from dialer.floor.models import AuditOutcome
from dialer.floor.service import FloorService
from dialer.telephony.port import SpyMode, TelephonyPort
from renewals.clock import Clock

__all__ = ["Supervision"]

log = logging.getLogger(__name__)


class Supervision:
    """Supervisor actions on live calls, checked against the floor the bus keeps."""

    def __init__(
        self,
        *,
        port: TelephonyPort,
        floor: FloorService,
        sessions: sessionmaker[Session],
        clock: Clock,
    ) -> None:
        self._port, self._floor, self._sessions, self._clock = port, floor, sessions, clock

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode, phone: str = "") -> None:
        """Ring ``supervisor``'s phone (``phone``, else the name) into ``call_id`` in ``mode``.

        Raises ``NotOnCall`` when no agent is talking on the call (no bridge yet, ended, or a
        DEAD seat), and the port's ``DialerError`` when the backend fails; all three audited.
        """
        action = f"spy.{mode.value}"
        state = self._floor.state
        seat = state.seat_on_call(call_id)
        if seat is None:
            call = state.call(call_id)
            why = f"the call is {call.phase.value}" if call else "no such live call"
            self._audit(supervisor, action, AuditOutcome.REFUSED, call_id=call_id, detail=why)
            raise NotOnCall(call_id, why)
        ids = {"call_id": call_id, "agent_id": seat.agent_id, "campaign_id": seat.campaign_id}
        try:
            await self._port.spy(call_id, supervisor=phone or supervisor, mode=mode)
        except DialerError as exc:
            self._audit(supervisor, action, AuditOutcome.FAILED, detail=str(exc), **ids)
            raise
        self._audit(supervisor, action, AuditOutcome.DONE, **ids)
        log.info("supervisor %s: %s on %s (agent %s)", supervisor, action, call_id, seat.agent_id)

    def _audit(self, supervisor: str, action: str, outcome: AuditOutcome, **fields: str) -> None:
        with self._sessions.begin() as session:
            record_action(
                session, at=self._clock.now(), supervisor=supervisor, action=action,
                outcome=outcome, **fields,
            )  # fmt: skip
