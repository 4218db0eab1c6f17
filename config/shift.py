"""Composition of a live campaign shift on the simulated network, with agent bots.

Used by ``make demo``, by the runtime's integration tests and by the pacing benchmark: the
same runtime, seat desk, pacer and renewals services as production, on the simulated
telephone network (in virtual time when run under ``run_virtual``).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialer.models import Campaign, CampaignMode
from dialer.pacing import Pacer, PredictivePacer, PreviewPacer, ProgressivePacer
from dialer.runtime import CallStats, CampaignRuntime, RuntimeOptions
from dialer.seats import SeatDesk
from dialer.seats.events import SeatChanged
from dialer.simulated import Lognormal, SimProfile, SimulatedNetwork
from dialer.simulated.agents import AgentBots, BotDisposition
from dialer.telephony import TelephonyPort
from renewals.cadence.rules import CadenceRules
from renewals.clock import Clock
from renewals.dispositions import DispositionInput, record_disposition
from renewals.models import (
    ContactAttempt,
    DeclineReason,
    DispositionKind,
    Lead,
    Policy,
)

__all__ = ["ShiftResult", "agent_bots", "compose_runtime", "pacer_for", "run_shift"]

log = logging.getLogger(__name__)


def pacer_for(mode: CampaignMode) -> Pacer:
    if mode is CampaignMode.PREVIEW:
        return PreviewPacer()
    if mode is CampaignMode.PROGRESSIVE:
        return ProgressivePacer()
    return PredictivePacer()


def compose_runtime(
    *,
    sessions: sessionmaker[Session],
    port: TelephonyPort,
    clock: Clock,
    campaign_id: str,
    owner: str,
    rules: CadenceRules,
    options: RuntimeOptions | None = None,
    pacer: Pacer | None = None,
    new_call_id: Callable[[], str] | None = None,
    on_seat_change: Callable[[SeatChanged], None] | None = None,
) -> tuple[CampaignRuntime, SeatDesk]:
    """The runtime of one campaign and its seat desk, on any telephony backend.

    ``on_seat_change`` hears of every seat change (the event bus relay's ``post``).
    """
    with sessions() as session:
        campaign = session.get(Campaign, campaign_id)
        if campaign is None:
            raise LookupError(f"no campaign {campaign_id!r}")
        mode, queue = campaign.mode, campaign.queue
    options = options or RuntimeOptions()
    stats = CallStats(calls=options.stats_calls, recent_window_s=options.recent_window_s)
    desk = SeatDesk(
        sessions=sessions,
        port=port,
        clock=clock,
        campaign_id=campaign_id,
        queue=queue,
        on_wrap_ended=stats.wrap_ended,
        on_change=on_seat_change or (lambda _e: None),
        lapse_s=options.seat_lapse_s,
    )
    extra = {"new_call_id": new_call_id} if new_call_id else {}
    runtime = CampaignRuntime(
        sessions=sessions, port=port, clock=clock, campaign_id=campaign_id, owner=owner,
        rules=rules, pacer=pacer or pacer_for(mode), desk=desk, stats=stats, options=options,
        **extra,
    )  # fmt: skip
    return runtime, desk


def agent_bots(
    *,
    sessions: sessionmaker[Session],
    desk: SeatDesk,
    clock: Clock,
    rules: CadenceRules,
    agents: int,
    wrap: Lognormal,
    seed: int,
    agent_prefix: str = "10",
) -> AgentBots:
    """Simulated agents whose dispositions go through the renewals service."""
    return AgentBots(
        agent_ids=[f"{agent_prefix}{i + 1:02d}" for i in range(agents)],
        desk=desk,
        clock=clock,
        wrap=wrap,
        seed=seed,
        dispose=_disposer(sessions, clock, rules),
    )


@dataclass(frozen=True, slots=True)
class ShiftResult:
    calls_placed: int
    dispositions: int


def _disposer(
    sessions: sessionmaker[Session], clock: Clock, rules: CadenceRules
) -> Callable[[BotDisposition], Awaitable[None]]:
    async def dispose(choice: BotDisposition) -> None:
        with sessions.begin() as session:
            attempt = session.scalars(
                select(ContactAttempt).where(ContactAttempt.call_id == choice.call_id)
            ).one()
            premium = None
            if choice.kind == DispositionKind.AGREED.value:
                last = session.scalars(
                    select(Policy.commercial_premium_cents)
                    .join(Lead, Lead.policy_id == Policy.id)
                    .where(Lead.id == attempt.lead_id)
                ).one()
                premium = max(1, round(last * choice.premium_factor))
            form = DispositionInput(
                lead_id=attempt.lead_id,
                agent=choice.agent_id,
                kind=DispositionKind(choice.kind),
                attempt_id=attempt.id,
                decline_reason=DeclineReason(choice.decline_reason)
                if choice.decline_reason
                else None,
                callback_at=choice.callback_at,
                premium_written_cents=premium,
                gifts="行车记录仪" if premium else "",
            )
            record_disposition(session, form, at=clock.now(), rules=rules)

    return dispose


async def run_shift(
    *,
    sessions: sessionmaker[Session],
    campaign_id: str,
    profile: SimProfile,
    clock: Clock,
    seed: int,
    agents: int,
    duration_s: float,
    rules: CadenceRules,
    recordings_dir: Path,
    options: RuntimeOptions | None = None,
    owner: str = "runtime-1",
    agent_prefix: str = "10",
    progress: Callable[[CampaignRuntime], None] | None = None,
    progress_every_s: float = 900.0,
    pacer: Pacer | None = None,
) -> ShiftResult:
    """Log ``agents`` bots in, run the campaign for ``duration_s`` seconds, then stop dialing
    and let the calls still up end (their outcomes are stored) before returning.

    ``pacer`` replaces the campaign mode's own (the pacing benchmark runs its baselines so).
    """
    network = SimulatedNetwork(
        profile=profile, clock=clock, seed=seed, recordings_dir=recordings_dir
    )
    await network.start()
    options = options or RuntimeOptions()
    if options.recordings_dir is None:  # each call's recording is checked where it was written
        options = replace(options, recordings_dir=recordings_dir)
    counter = itertools.count(1)
    started = clock.now()
    runtime, desk = compose_runtime(
        sessions=sessions,
        port=network,
        clock=clock,
        campaign_id=campaign_id,
        owner=owner,
        rules=rules,
        options=options,
        pacer=pacer,
        # Repeatable ids keep a seeded shift repeatable (the network seeds each call by its id).
        # The start instant keeps them unique when the same runtime is started again.
        new_call_id=lambda: f"{owner}-{seed}-{started:%Y%m%d%H%M%S}-{next(counter):06d}",
    )
    await runtime.start()
    bots = agent_bots(
        sessions=sessions,
        desk=desk,
        clock=clock,
        rules=rules,
        agents=agents,
        wrap=profile.wrap_s,
        seed=seed,
        agent_prefix=agent_prefix,
    )
    bot_events = network.events()
    await bots.login_all()
    try:
        async with asyncio.TaskGroup() as group:
            bot_task = group.create_task(
                bots.run(bot_events, resubscribe=network.events), name="agent-bots"
            )
            runtime_task = group.create_task(runtime.run(), name=f"runtime-{campaign_id}")
            await _watch(clock, runtime, duration_s, progress, progress_every_s)
            runtime.stop()
            await runtime_task  # returns once every call still up has ended and been stored
            await clock.sleep(profile.wrap_s.mean * 3)  # the last wrap-ups and dispositions
            bot_task.cancel()
        # The shift is over: the bots leave their seats, so no seat is left logged in for the
        # next process on this database to find lapsed (make demo's console runs next).
        await bots.logout_all()
    finally:
        await network.close()
    return ShiftResult(calls_placed=runtime.calls_placed, dispositions=bots.dispositions)


async def _watch(
    clock: Clock,
    runtime: CampaignRuntime,
    duration_s: float,
    progress: Callable[[CampaignRuntime], None] | None,
    every_s: float,
) -> None:
    elapsed = 0.0
    while elapsed < duration_s:
        step = min(every_s, duration_s - elapsed)
        await clock.sleep(step)
        elapsed += step
        if progress is not None:
            progress(runtime)
