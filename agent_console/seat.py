"""The agent's seat as the console shows and changes it, always through the campaign's desk."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agent_console.errors import SeatProblem
from agent_console.floor import CampaignFloor, Floor
from agent_console.options import ConsoleOptions
from dialer.models import Campaign, Seat, SeatState
from renewals.clock import Clock

__all__ = ["SeatService", "seat_message"]

# Seats that hold a call (or are about to): they cannot log out or pause from the console.
_BUSY = (SeatState.RESERVED, SeatState.ON_CALL)


@dataclass(frozen=True, slots=True)
class _Row:
    state: SeatState
    campaign_id: str | None
    pause_reason: str
    call_id: str | None
    since_iso: str
    deadline_iso: str | None


class SeatService:
    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        floor: Floor,
        options: ConsoleOptions,
        clock: Clock,
    ) -> None:
        self._sessions, self._floor, self._options = sessions, floor, options
        self._clock = clock

    def _row(self, agent_id: str) -> _Row | None:
        return self._rows([agent_id]).get(agent_id)

    def _rows(self, agent_ids: Collection[str]) -> dict[str, _Row]:
        """The seats of these agents (those that have one), on one read."""
        with self._sessions() as session:
            seats = session.scalars(select(Seat).where(Seat.agent_id.in_(agent_ids))).all()
            wrapping = {s.campaign_id for s in seats if s.state is SeatState.WRAP_UP}
            limits: dict[str, int] = {}
            if wrapping:
                query = select(Campaign.id, Campaign.wrap_up_limit_s)
                limits = {c: n for c, n in session.execute(query.where(Campaign.id.in_(wrapping)))}
        return {seat.agent_id: self._row_of(seat, limits) for seat in seats}

    def _row_of(self, seat: Seat, wrap_limits: dict[str, int]) -> _Row:
        deadline = None
        if seat.state is SeatState.WRAP_UP and seat.campaign_id in wrap_limits:
            deadline = seat.since + timedelta(seconds=wrap_limits[seat.campaign_id])
        elif seat.state is SeatState.PAUSED:
            code = self._options.pause_code(seat.pause_reason)
            if code is not None and code.limit_s is not None:
                deadline = seat.since + timedelta(seconds=code.limit_s)
        return _Row(
            seat.state,
            seat.campaign_id,
            seat.pause_reason,
            seat.call_id,
            seat.since.isoformat(),
            deadline.isoformat() if deadline else None,
        )

    def view(self, agent_id: str) -> dict[str, object]:
        """The seat for the screen (see ``seat_message``); ``now`` is the server's clock, so
        the page counts time in state and deadlines on it, not on the browser's own clock."""
        view = self._view(agent_id)
        view["now"] = self._clock.now().isoformat()
        return view

    def views(self, agent_ids: Collection[str]) -> dict[str, dict[str, object]]:
        """``view`` of each agent, on one read of the seats."""
        rows = self._rows(agent_ids)
        now = self._clock.now().isoformat()
        return {a: {**_view_of(rows.get(a)), "now": now} for a in agent_ids}

    def _view(self, agent_id: str) -> dict[str, object]:
        return _view_of(self._row(agent_id))

    def current_call(self, agent_id: str) -> str | None:
        """The call the seat is on or wrapping up (the screen keeps its pop until disposed)."""
        row = self._row(agent_id)
        if row is None or row.state not in (SeatState.ON_CALL, SeatState.WRAP_UP):
            return None
        return row.call_id

    def _floor_of(self, agent_id: str) -> tuple[CampaignFloor, _Row]:
        row = self._row(agent_id)
        if row is None or row.state is SeatState.LOGGED_OUT:
            raise SeatProblem("Log in to a seat first.")
        floor = self._floor.get(row.campaign_id)
        if floor is None:
            raise SeatProblem("This seat's campaign is not served here.")
        return floor, row

    def floor_of(self, agent_id: str) -> CampaignFloor:
        return self._floor_of(agent_id)[0]

    async def login(self, agent_id: str, name: str, campaign_id: str | None) -> None:
        """Log in (READY, queue member); a seat already logged in stays as it is."""
        row = self._row(agent_id)
        if row is not None and row.state is not SeatState.LOGGED_OUT:
            return  # a second tab or a reload: the seat is already there
        floor = self._floor.get(campaign_id) if campaign_id else self._floor.default()
        if floor is None:
            raise SeatProblem("No campaign to log in to.")
        await floor.desk.login(agent_id, name=name)

    async def ready(self, agent_id: str) -> None:
        floor, row = self._floor_of(agent_id)
        if row.state in _BUSY:
            raise SeatProblem("Not while on a call.")
        await floor.desk.ready(agent_id)

    async def pause(self, agent_id: str, code: str) -> None:
        if self._options.pause_code(code) is None:
            raise SeatProblem("Unknown pause code.", code=code)
        floor, row = self._floor_of(agent_id)
        if row.state in _BUSY:
            raise SeatProblem("Not while on a call.")
        await floor.desk.pause(agent_id, reason=code)

    async def logout(self, agent_id: str) -> None:
        floor, row = self._floor_of(agent_id)
        if row.state in _BUSY:
            raise SeatProblem("Not while on a call.")
        await floor.desk.logout(agent_id)

    async def hang_up(self, agent_id: str) -> str:
        """End the seat's call (the agent's hang-up button); returns the call id."""
        floor, row = self._floor_of(agent_id)
        if row.state is not SeatState.ON_CALL or not row.call_id:
            raise SeatProblem("There is no call to hang up.")
        await floor.port.hangup(row.call_id)
        return row.call_id


def _view_of(row: _Row | None) -> dict[str, object]:
    if row is None:
        return {"state": SeatState.LOGGED_OUT.value, "campaign_id": None}
    return {
        "state": row.state.value,
        "campaign_id": row.campaign_id,
        "since": row.since_iso,
        "pause_code": row.pause_reason,
        "call_id": row.call_id,
        "deadline": row.deadline_iso,
    }


def seat_message(view: dict[str, object]) -> dict[str, object]:
    return {"type": "seat", "seat": view}
