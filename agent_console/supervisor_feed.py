"""The supervisors' side of the console: the live floor, its feed, and the actions on it.

One ``SupervisorConsole`` per web process: its ``FloorService`` follows the event bus (seats,
calls, the telephony link), so the seat grid is never read from the database on a timer. The
campaign panel's slower numbers (rolling abandon rate, leads left, averages, wins) are read at
most every ``STATS_S`` seconds (with the agents' teams), and at once after a supervisor
changed a campaign.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from agent_console.accounts import extension_of, teams_by_extension
from agent_console.errors import NotFound
from agent_console.floor import CampaignFloor
from agent_console.services import ConsoleServices
from dialer.floor import FloorService, Supervision
from dialer.floor.audit import recent_actions
from dialer.floor.control import CampaignControl
from dialer.floor.feed import AlertLimits, floor_feed
from dialer.floor.seat_control import SeatControl
from dialer.floor.stats import CampaignStats, campaign_stats, wins_today

__all__ = ["SupervisorConsole"]

STATS_S = 5.0  # the campaign panel's database numbers are at most this old (seconds)


class SupervisorConsole:
    def __init__(self, services: ConsoleServices, *, limits: AlertLimits | None = None) -> None:
        self._services = services
        self.floor = FloorService(
            bus=services.bus, sessions=services.sessions, clock=services.clock,
            timezone=services.timezone,
        )  # fmt: skip
        self.campaigns = CampaignControl(sessions=services.sessions, clock=services.clock)
        self.seats = SeatControl(sessions=services.sessions, clock=services.clock, bus=services.bus)
        self.limits = limits or services.options.floor_alerts
        self._zone = ZoneInfo(services.timezone)
        self._stats: tuple[list[CampaignStats], dict[str, int], dict[str, str]] = ([], {}, {})
        self._stats_at: float | None = None

    async def run(self) -> None:
        """Follow the bus (the web app's lifespan runs it as a task)."""
        await self.floor.run()

    def supervision(self) -> Supervision:
        """Listen/whisper/barge through this process's telephony port."""
        first = self._services.floor.default()
        if first is None:
            raise NotFound("telephony", "no campaign is served by this process")
        return Supervision(
            port=first.port, floor=self.floor, sessions=self._services.sessions,
            clock=self._services.clock,
        )  # fmt: skip

    def phone_of(self, supervisor: str) -> str:
        """The supervisor's extension (``xubao user add … --extension``), or "" (the name)."""
        with self._services.sessions() as session:
            return extension_of(session, supervisor)

    def campaign_floor_of_seat(self, agent_id: str) -> CampaignFloor:
        seat = self.floor.state.seat(agent_id)
        found = self._services.floor.get(seat.campaign_id) if seat else None
        if found is None:
            raise NotFound("seat", agent_id)
        return found

    def stale(self) -> None:
        """A campaign changed: the next feed re-reads the panel's numbers."""
        self._stats_at = None

    def _day_start(self, now: datetime) -> datetime:
        return datetime.combine(now.astimezone(self._zone).date(), time(0), self._zone)

    def _panel(self) -> tuple[list[CampaignStats], dict[str, int], dict[str, str]]:
        clock = self._services.clock
        if self._stats_at is None or clock.monotonic() - self._stats_at >= STATS_S:
            now = clock.now()
            day_start = self._day_start(now)
            with self._services.sessions() as session:
                stats = campaign_stats(
                    session, now=now, day_start=day_start, rules=self._services.cadence
                )
                wins = wins_today(session, day_start=day_start)
                self._stats = (stats, wins, teams_by_extension(session))
            self._stats_at = clock.monotonic()
        return self._stats

    def message(self) -> dict[str, object]:
        """The ``floor`` message: seats, campaigns, link and alerts, as of now."""
        stats, wins, teams = self._panel()
        return floor_feed(
            self.floor.state, stats, now=self._services.clock.now(), wins=wins,
            limits=self.limits, teams=teams,
        )  # fmt: skip

    def teams(self) -> list[str]:
        """The agents' teams, for the grid's filter."""
        return sorted(set(self._panel()[2].values()))

    def audit(self, limit: int = 50) -> list[dict[str, str]]:
        with self._services.sessions() as session:
            return recent_actions(session, limit=limit)
