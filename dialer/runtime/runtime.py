"""The campaign runtime: pace, lease, originate, follow every call to its stored outcome.

One runtime drives one campaign in one process. Several runtimes (processes or hosts) may drive
the same campaign: leases keep each lead with one of them at a time. Every database write is a
short synchronous transaction on the event loop: this keeps a simulated shift deterministic on
the virtual-time loop, and each is a few milliseconds on a local database.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialer.calls.states import Outcome
from dialer.errors import BackendUnavailable, DialerError
from dialer.leasing import lease_leads, release_lease, renew_leases
from dialer.models import Campaign, CampaignMode, CampaignStatus, SeatState
from dialer.pacing import Pacer
from dialer.runtime.attempts import OpenAttempt, open_attempts
from dialer.runtime.following import CallFollowing
from dialer.runtime.options import RuntimeOptions
from dialer.runtime.snapshot import build_snapshot
from dialer.runtime.stats import CallStats, rolling_abandons
from dialer.seats import SeatDesk, SeatView
from dialer.telephony.port import OriginateRequest, TelephonyPort
from renewals.agent_leads import check_manual_dial
from renewals.cadence.errors import ManualDialRefused
from renewals.cadence.query import DueLead, LeadFilter, find_due_leads
from renewals.cadence.rules import CadenceRules
from renewals.cadence.sticky import StickyCallbacks
from renewals.clock import Clock
from renewals.logctx import bound
from renewals.models import Lead
from renewals.phones import mask_phone

__all__ = ["CampaignRuntime"]

log = logging.getLogger(__name__)


def _new_call_id() -> str:
    return uuid.uuid4().hex


class CampaignRuntime(CallFollowing):
    """Drives one campaign; ``run()`` until ``stop()``. See the module docstring; following
    the calls and the event stream is ``CallFollowing``'s part."""

    def __init__(
        self,
        *,
        sessions: sessionmaker[Session],
        port: TelephonyPort,
        clock: Clock,
        campaign_id: str,
        owner: str,
        rules: CadenceRules,
        pacer: Pacer,
        desk: SeatDesk,
        stats: CallStats,
        options: RuntimeOptions | None = None,
        new_call_id: Callable[[], str] = _new_call_id,
    ) -> None:
        super().__init__(
            sessions=sessions, port=port, clock=clock, campaign_id=campaign_id, owner=owner,
            rules=rules, desk=desk, stats=stats, options=options or RuntimeOptions(),
        )  # fmt: skip
        self._pacer = pacer
        self._new_call_id = new_call_id
        self._stopping = asyncio.Event()
        self._leaving = asyncio.Event()  # stopped twice: the live calls are left as they are
        self._started = False
        self._dial_after: datetime | None = None  # a refused originate holds dialing until then
        self._last_rolling_refresh: datetime | None = None
        self.calls_placed = 0
        self._capped_day: date | None = None

    # --- life cycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Subscribe to the backend's events and re-sync with it; idempotent.

        Call it before agents log in after a restart: seats still holding a call that ended
        while no runtime was running are put in wrap-up by the re-sync.
        """
        if not self._started:
            self._started = True
            self._events = self._port.events()
            await self.resync()

    async def run(self) -> None:
        """Re-sync, pace and follow calls until ``stop()``; calls still up are seen to their end."""
        await self.start()
        name = f"runtime-{self._campaign_id}"
        async with asyncio.TaskGroup() as group:
            consumer = group.create_task(self._follow(), name=f"{name}-events")
            group.create_task(self._pace_until_stopped(), name=f"{name}-pace")
            heartbeat = group.create_task(self._heartbeat(), name=f"{name}-heartbeat")
            await self._stopping.wait()
            await self._drain()
            # Every call is stored: nothing is left to follow or to keep leased.
            consumer.cancel()
            heartbeat.cancel()

    def stop(self) -> None:
        """Stop dialing at once; ``run`` returns once the calls still up have ended.

        Asked again (a second Ctrl-C), it stops waiting for them: ``run`` returns with the
        calls left as far as they were stored, their leases kept, and the next start's
        re-sync closes them from the backend's state, as after a crash.
        """
        live = len(self.ledger.live())
        if not self._stopping.is_set():
            # WARNING, not INFO: the operator must see at once why the process has not exited.
            log.warning(
                "campaign %s: stopping: following %d live calls to their end "
                "(stop again to leave them to the next start)",
                self._campaign_id,
                live,
            )
            self._stopping.set()
        elif not self._leaving.is_set():
            log.warning(
                "campaign %s: not waiting for %d live calls: the next start closes them",
                self._campaign_id,
                live,
            )
            self._leaving.set()

    def clock_now(self) -> datetime:
        """The runtime's own time (simulated time on a virtual clock)."""
        return self._clock.now()

    async def _drain(self) -> None:
        # Dialing has stopped; the calls still up are followed to their outcome.
        while self.ledger.live() and not self._leaving.is_set():
            await self._watch_recordings()
            await self._clock.sleep(self._options.tick_s)

    async def _pace_until_stopped(self) -> None:
        while not self._stopping.is_set():
            await self._watch_recordings()
            try:
                await self.tick()
            except DialerError:
                log.exception("campaign %s: tick failed; next tick retries", self._campaign_id)
            await self._clock.sleep(self._options.tick_s)

    async def _watch_recordings(self) -> None:
        # Before the tick and whatever the campaign's status: a paused campaign's calls too.
        try:
            await self._resume_overdue_recordings()
        except DialerError:
            log.exception("campaign %s: recording watch failed", self._campaign_id)

    async def _heartbeat(self) -> None:
        while not self._stopping.is_set():
            await self._clock.sleep(self._options.heartbeat_s)
            leads = [self._lead_of[m.call_id] for m in self.ledger.live()]
            with self._sessions.begin() as session:
                renew_leases(
                    session,
                    leads,
                    owner=self._owner,
                    now=self._clock.now(),
                    ttl_s=self._options.lease_ttl_s,
                )

    # --- pacing -----------------------------------------------------------------------------

    def _campaign(self) -> Campaign | None:
        with self._sessions() as session:
            return session.get(Campaign, self._campaign_id)

    async def tick(self) -> int:
        """One pacing decision; returns the number of calls placed."""
        campaign = self._campaign()
        if campaign is None or campaign.status is not CampaignStatus.RUNNING:
            return 0
        now = self._clock.now()
        seats = await self._desk.roll_call()  # live seats only: never dial for who is not there
        if await self._end_long_wrap_ups(campaign, seats, now):
            seats = self._desk.seats()
        self._refresh_rolling(now)
        if self._unsure and self._may_dial(now):
            await self._resync_safely()  # settle the originates the backend refused
        if not self._may_dial(now):
            return 0  # the backend is away: nothing is dialed, so nothing fails for it
        if not seats or campaign.mode is CampaignMode.PREVIEW:
            return 0  # nothing dials with no agent logged in; preview dials on the agent's click
        kept = await self._dial_kept_callbacks(campaign, seats, now)
        if kept:
            seats = self._desk.seats()  # their seats are reserved now
        snapshot = build_snapshot(
            campaign=campaign,
            seats=seats,
            ledger=self.ledger,
            stats=self._stats,
            options=self._options,
            now=now,
        )
        wanted = self._pacer.calls_to_place(snapshot)
        if wanted <= 0:
            return kept
        return kept + len(await self._dial(campaign, wanted, now))

    def _may_dial(self, now: datetime) -> bool:
        return self.link_up and (self._dial_after is None or now >= self._dial_after)

    async def _end_long_wrap_ups(
        self, campaign: Campaign, seats: Sequence[SeatView], now: datetime
    ) -> bool:
        """Seats past the campaign's wrap-up limit become ready; True if any did."""
        late = [
            seat.agent_id
            for seat in seats
            if seat.state is SeatState.WRAP_UP
            and (now - seat.since).total_seconds() >= campaign.wrap_up_limit_s
        ]
        for agent_id in late:
            await self._seat(f"seat {agent_id} ready", partial(self._desk.ready, agent_id))
        return bool(late)

    def _refresh_rolling(self, now: datetime) -> None:
        last = self._last_rolling_refresh
        if last is None or (now - last).total_seconds() >= self._options.rolling_refresh_s:
            with self._sessions() as session:
                self._stats.rolling = rolling_abandons(session, self._campaign_id, now=now)
            self._last_rolling_refresh = now

    def _rules_for(self, campaign: Campaign) -> CadenceRules:
        # A campaign may narrow the calling window, never widen it beyond the rules'.
        if not (campaign.calling_start and campaign.calling_end):
            return self._rules
        start = max(self._rules.calling_start, time.fromisoformat(campaign.calling_start))
        end = min(self._rules.calling_end, time.fromisoformat(campaign.calling_end))
        return replace(self._rules, calling_start=start, calling_end=end)

    def _due(
        self,
        campaign: Campaign,
        now: datetime,
        limit: int,
        lead_id: int | None = None,
        *,
        agent_id: str = "",
        kept_for: tuple[str, ...] = (),
    ) -> list[DueLead]:
        # Callbacks kept for another agent are left to them (renewals.cadence.sticky);
        # ``kept_for`` asks for those of these agents only.
        sticky = (
            None
            if kept_for
            else StickyCallbacks(
                agent=agent_id or None,
                present=tuple(seat.agent_id for seat in self._desk.seats()),
                at=now,
                grace=self._rules.callback_grace,
            )
        )
        with self._sessions() as session:
            where = LeadFilter(
                stages=tuple(campaign.filter_stages),
                regions=tuple(campaign.filter_regions),
                owner=campaign.filter_owner,
                unleased_at=now,
                lead_ids=(lead_id,) if lead_id is not None else (),
                sticky=sticky,
                kept_for=kept_for,
            )
            return find_due_leads(session, now, self._rules_for(campaign), limit=limit, where=where)

    async def _dial(
        self,
        campaign: Campaign,
        wanted: int,
        now: datetime,
        agent_id: str = "",
        lead_id: int | None = None,
    ) -> list[OpenAttempt]:
        limit = wanted * self._options.due_batch_factor
        due = self._due(campaign, now, limit, lead_id, agent_id=agent_id)
        if not due:
            return []
        phone_of = {d.decision.lead_id: d.phone for d in due}
        return await self._place(campaign, phone_of, wanted, now, agent_id)

    async def _place(
        self,
        campaign: Campaign,
        phone_of: dict[int, str],
        wanted: int,
        now: datetime,
        agent_id: str,
    ) -> list[OpenAttempt]:
        """Lease up to ``wanted`` of these leads (in their order), store and place their calls."""
        with self._sessions.begin() as session:
            leased = lease_leads(
                session,
                list(phone_of),
                owner=self._owner,
                now=now,
                count=wanted,
                ttl_s=self._options.lease_ttl_s,
            )
            attempts, capped = open_attempts(
                session,
                leased,
                campaign=campaign,
                phone_of=phone_of,
                now=now,
                tz=self._rules.default_timezone,
                new_call_id=self._new_call_id,
            )
            for lead_id in capped:
                release_lease(session, lead_id, owner=self._owner)
        if capped:
            self._warn_caller_ids_capped(campaign.id, now)
        placed: list[OpenAttempt] = []
        for i, attempt in enumerate(attempts):
            if not await self._originate(campaign, attempt, now, agent_id):
                # The backend is away: hold dialing; the rest were never sent.
                self._dial_after = now + timedelta(seconds=self._options.unavailable_hold_s)
                self._withdraw([a.call_id for a in attempts[i + 1 :]])
                break
            placed.append(attempt)
        return placed

    def _warn_caller_ids_capped(self, campaign_id: str, now: datetime) -> None:
        day = now.astimezone(ZoneInfo(self._rules.default_timezone)).date()
        if self._capped_day != day:  # once a day, not once a tick
            self._capped_day = day
            log.warning(
                "campaign %s: every caller ID reached its daily cap; dialing waits "
                "for tomorrow or a larger pool",
                campaign_id,
            )

    async def _originate(
        self, campaign: Campaign, attempt: OpenAttempt, now: datetime, agent_id: str
    ) -> bool:
        """Place the call; False if the backend was unavailable (the call was never placed)."""
        self.ledger.begin(attempt.call_id, at=now)
        self._lead_of[attempt.call_id] = attempt.lead_id
        if agent_id:
            self._preview_agent[attempt.call_id] = agent_id
        request = OriginateRequest(
            call_id=attempt.call_id,
            number=attempt.phone,
            caller_id=attempt.caller_id,
            ring_timeout_s=float(campaign.ring_timeout_s),
            queue=campaign.queue,
            campaign_id=campaign.id,
            lead_id=str(attempt.lead_id),
            agent_id=agent_id,
        )
        self._originating.add(attempt.call_id)
        try:
            with bound(call_id=attempt.call_id, lead_id=attempt.lead_id, campaign_id=campaign.id):
                await self._port.originate(request)
        except BackendUnavailable as exc:
            # The link is down or Asterisk is shutting down: not the number's fault. Whether
            # the Originate reached Asterisk is unsure until the next re-sync says.
            log.warning("originate %s: backend unavailable (%s)", attempt.call_id, exc)
            self._unsure.add(attempt.call_id)
            return False
        except DialerError as exc:
            log.warning(
                "originate %s to %s failed: %s", attempt.call_id, mask_phone(attempt.phone), exc
            )
            await self._finish(attempt.call_id, Outcome.FAILED, getattr(exc, "cause", None))
            return True
        finally:
            self._originating.discard(attempt.call_id)
        self.calls_placed += 1
        return True

    # --- dials for one agent ----------------------------------------------------------------

    async def _dial_kept_callbacks(
        self, campaign: Campaign, seats: Sequence[SeatView], now: datetime
    ) -> int:
        """A due callback kept for an agent is dialled for them alone once their seat is
        ready (progressive and predictive); returns the calls placed."""
        ready = tuple(s.agent_id for s in seats if s.state is SeatState.READY)
        if not ready:
            return 0
        due = self._due(campaign, now, len(ready) * self._options.due_batch_factor, kept_for=ready)
        if not due:
            return 0
        with self._sessions() as session:
            agent_of = dict(
                session.execute(
                    select(Lead.id, Lead.callback_agent).where(
                        Lead.id.in_([d.decision.lead_id for d in due])
                    )
                )
                .tuples()
                .all()
            )
        placed = 0
        for lead in due:
            agent = agent_of.get(lead.decision.lead_id)
            if agent is None or agent not in ready:
                continue
            calls = await self._place(campaign, {lead.decision.lead_id: lead.phone}, 1, now, agent)
            if calls:
                self._desk.reserve(agent, calls[0].call_id)
                ready = tuple(a for a in ready if a != agent)
                placed += 1
        return placed

    async def manual_dial(self, agent_id: str, lead_id: int) -> str | None:
        """The agent dials one lead by hand (its ownership is the caller's to check): refused
        with ``ManualDialRefused`` when closed, on the do-not-call list, outside the campaign's
        calling hours or under way; the call id, or None when the seat is not ready."""
        campaign = self._campaign()
        if campaign is None or campaign.status is not CampaignStatus.RUNNING:
            return None
        seat = next((s for s in self._desk.seats() if s.agent_id == agent_id), None)
        if seat is None or seat.state is not SeatState.READY:
            return None
        now = self._clock.now()
        with self._sessions() as session:
            dial = check_manual_dial(session, lead_id, at=now, rules=self._rules_for(campaign))
        placed = await self._place(campaign, {dial.lead_id: dial.phone}, 1, now, agent_id)
        if not placed:
            raise ManualDialRefused(lead_id, "in_progress", "This lead is being dialled now.")
        self._desk.reserve(agent_id, placed[0].call_id)
        return placed[0].call_id

    # --- preview ----------------------------------------------------------------------------

    async def preview_dial(self, agent_id: str, *, lead_id: int | None = None) -> str | None:
        """The agent's one click: call the next due customer for this agent (or ``lead_id``, the
        one the agent was shown, if it is still due and free); the call id or None."""
        campaign = self._campaign()
        if campaign is None or campaign.status is not CampaignStatus.RUNNING:
            return None
        seat = next((s for s in self._desk.seats() if s.agent_id == agent_id), None)
        if seat is None or seat.state is not SeatState.READY:
            return None
        now = self._clock.now()
        due = self._due(campaign, now, self._options.due_batch_factor, lead_id, agent_id=agent_id)
        if not due:
            return None
        placed = await self._dial(campaign, 1, now, agent_id=agent_id, lead_id=lead_id)
        if placed:
            self._desk.reserve(agent_id, placed[0].call_id)
            return placed[0].call_id
        return None
