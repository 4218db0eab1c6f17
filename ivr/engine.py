"""The flow engine: runs one flow on one call through the driver port, and says what happened.

It decides nothing about storage: the result (outcome, callback time, transfer, opt-out, the
path taken) goes to :mod:`ivr.sessions`, which writes it on the lead. Given a bus, it announces
each session's start and end on it (:mod:`ivr.notifier`), whichever backend drives the call.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from dialer.bus.port import EventBus
from ivr.errors import SessionEnded
from ivr.flow import (
    Branch,
    Callback,
    Collect,
    Flow,
    GoToFlow,
    Hangup,
    Node,
    OptOut,
    Play,
    SetOutcome,
    Transfer,
)
from ivr.notifier import FAILED, IvrNotifier
from ivr.port import CallContext, CallDriver, Destination
from ivr.speech import say_date, say_plate
from renewals.cadence.calendar import zone
from renewals.clock import Clock

__all__ = ["FlowEngine", "SessionResult"]

log = logging.getLogger(__name__)

MAX_STEPS = 200  # a flow that loops (collect → play → collect …) still ends


@dataclass(kw_only=True)
class SessionResult:
    """What one IVR call came to. ``outcome`` is a :class:`renewals.cadence.Outcome` value."""

    flow_id: str
    steps: list[str] = field(default_factory=list)  # "node" or "node:key" / "node:timeout"
    outcome: str | None = None
    callback_at: datetime | None = None
    transfer: Destination | None = None
    opted_out: bool = False
    caller_hung_up: bool = False

    @property
    def transfer_to(self) -> str:
        """``agent:<id>`` or ``queue:<name>`` if the call was transferred, else ""."""
        return f"{self.transfer.kind}:{self.transfer.name}" if self.transfer else ""


class FlowEngine:
    """Runs flows; with a ``bus``, each session's start and end are published on it (a publish
    that fails, or takes over ``publish_timeout_s`` seconds, is logged and given up)."""

    def __init__(
        self,
        *,
        flows: Mapping[str, Flow],
        clock: Clock,
        bus: EventBus | None = None,
        publish_timeout_s: float = 1.0,
    ) -> None:
        self._flows = flows
        self._clock = clock
        self._notifier = IvrNotifier(bus=bus, clock=clock, timeout_s=publish_timeout_s)

    async def run(self, flow_id: str, ctx: CallContext, driver: CallDriver) -> SessionResult:
        """Run ``flow_id`` to its end (hangup, transfer, or the caller hanging up)."""
        flow = self._flows[flow_id]
        result = SessionResult(flow_id=flow_id)
        await self._notifier.started(ctx, flow_id)
        outcome = FAILED  # unless the walk below ends
        try:
            await self._walk(flow, ctx, driver, result)
            outcome = result.outcome or ""
        finally:
            # Also when the session broke off (a driver error, the app shutting down): the
            # floor would count the line until it went stale.
            await self._notifier.ended(
                ctx,
                outcome=outcome,
                transfer_to=result.transfer_to,
                caller_hung_up=result.caller_hung_up,
            )
        log.info("call %s: flow %s ended: %s", ctx.call_id, flow_id, result.steps[-3:])
        return result

    async def announce_end(self, ctx: CallContext, result: SessionResult) -> None:
        """Publish the end of a session not run here (a channel found in Stasis after a
        restart, finished at once): a floor may still count its start from before."""
        await self._notifier.ended(
            ctx,
            outcome=result.outcome or "",
            transfer_to=result.transfer_to,
            caller_hung_up=result.caller_hung_up,
        )

    async def _walk(
        self, flow: Flow, ctx: CallContext, driver: CallDriver, result: SessionResult
    ) -> None:
        node: Node | None = flow.nodes[flow.start]
        try:
            while node is not None:
                if len(result.steps) >= MAX_STEPS:
                    log.error(
                        "call %s: flow %s ran %s steps; hanging up",
                        ctx.call_id, result.flow_id, MAX_STEPS,
                    )  # fmt: skip
                    await driver.hangup()
                    break
                flow, node = await self._step(flow, node, ctx, driver, result)
        except SessionEnded:
            result.caller_hung_up = True

    async def _step(
        self, flow: Flow, node: Node, ctx: CallContext, driver: CallDriver, result: SessionResult
    ) -> tuple[Flow, Node | None]:
        if not isinstance(node, Collect):  # a menu logs each try instead
            result.steps.append(node.id)
        if isinstance(node, Play):
            await driver.play(
                self._expand(node.say, ctx), language=ctx.language, barge_in=False, node=node.id
            )
            return flow, flow.nodes[node.next]
        if isinstance(node, Collect):
            return flow, flow.nodes[await self._collect(node, ctx, driver, result)]
        if isinstance(node, Branch):
            value = _fact(node.on, ctx)
            return flow, flow.nodes[node.cases.get(value, node.default)]
        if isinstance(node, Transfer):
            destination = _destination(node.target, ctx)
            result.transfer = destination
            result.outcome = result.outcome or "contacted"
            await driver.transfer(destination)
            return flow, None
        if isinstance(node, SetOutcome):
            result.outcome = node.outcome
            return flow, flow.nodes[node.next]
        if isinstance(node, Callback):
            result.callback_at = self._callback_at(node, ctx)
            result.outcome = "callback"
            return flow, flow.nodes[node.next]
        if isinstance(node, OptOut):
            result.opted_out = True
            result.outcome = "opt_out"
            return flow, flow.nodes[node.next]
        if isinstance(node, GoToFlow):
            target = self._flows[node.flow]
            return target, target.nodes[target.start]
        assert isinstance(node, Hangup)
        if node.say:
            await driver.play(
                self._expand(node.say, ctx), language=ctx.language, barge_in=False, node=node.id
            )
        await driver.hangup()
        return flow, None

    async def _collect(
        self, node: Collect, ctx: CallContext, driver: CallDriver, result: SessionResult
    ) -> str:
        """One key from ``choices``: a timeout or another key takes the retry path."""
        for attempt in range(node.retries + 1):
            key = await driver.play(
                self._expand(node.say, ctx), language=ctx.language, barge_in=True, node=node.id
            )
            key = key or await driver.read_digit(timeout_s=node.timeout_s)
            result.steps.append(f"{node.id}:{key or 'timeout'}")
            if key in node.choices:
                return node.choices[key]
            retry_say = node.invalid_say if key else node.timeout_say
            if retry_say and attempt < node.retries:
                await driver.play(
                    self._expand(retry_say, ctx),
                    language=ctx.language,
                    barge_in=False,
                    node=f"{node.id}-retry",
                )
        result.steps.append(f"{node.id}:failed")
        return node.on_failure

    def _expand(self, say: tuple[str, ...], ctx: CallContext) -> list[str]:
        prompts: list[str] = []
        for item in say:
            if item == "{plate}":
                prompts += say_plate(ctx.plate)
            elif item == "{expiry_date}":
                prompts += say_date(ctx.expiry_date, ctx.language) if ctx.expiry_date else []
            else:
                prompts.append(item)
        return prompts

    def _callback_at(self, node: Callback, ctx: CallContext) -> datetime:
        """``days`` after today at ``at``, in the customer's own time zone."""
        local = self._clock.now().astimezone(zone(ctx.timezone))
        day = local.date() + timedelta(days=node.days)
        return datetime.combine(day, node.at, tzinfo=zone(ctx.timezone))


def _fact(name: str, ctx: CallContext) -> str:
    if name == "recognised":
        return "yes" if ctx.recognised else "no"
    return "yes" if ctx.owner_agent else "no"  # has_own_agent


def _destination(target: str, ctx: CallContext) -> Destination:
    """Sticky routing: the lead's own agent when it has one, else the campaign queue."""
    if target == "own_agent_or_queue" and ctx.owner_agent:
        return Destination(kind="agent", name=ctx.owner_agent)
    return Destination(kind="queue", name=ctx.queue)
