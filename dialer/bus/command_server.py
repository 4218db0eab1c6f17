"""``PortCommandServer``: the runtime process applies the consoles' ``PortCommand``s to its port.

One task per process, subscribed before the runtime dials: the commands of the campaigns it
runs are applied one at a time in the bus's order (a "ready" never overtakes the log-in it
follows) and each is answered with ``PortCommandDone``. Commands of other campaigns are left
to their own runtimes. If several runtimes run one campaign, each applies the command to its
own network and the asker takes the first answer.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Collection

from dialer.bus.commands import PortAction, PortCommand, PortCommandDone
from dialer.bus.errors import BusError
from dialer.bus.port import EventBus
from dialer.errors import ActionFailed, DialerError, EventQueueOverflow
from dialer.telephony.port import SpyMode, TargetKind, TelephonyPort, TransferTarget
from renewals.clock import Clock

__all__ = ["PortCommandServer"]

log = logging.getLogger(__name__)


class PortCommandServer:
    """Applies ``campaign_ids``' commands to ``port``; subscribed from construction on."""

    def __init__(
        self, *, bus: EventBus, port: TelephonyPort, campaign_ids: Collection[str], clock: Clock
    ) -> None:
        self._bus, self._port, self._clock = bus, port, clock
        self._campaigns = frozenset(campaign_ids)
        self._commands: AsyncIterator[object] = bus.subscribe(PortCommand)
        self.applied = 0

    async def run(self) -> None:
        """Apply commands until the bus closes or the task is cancelled."""
        while True:
            try:
                async for command in self._commands:
                    if isinstance(command, PortCommand) and command.campaign_id in self._campaigns:
                        await self._answer(command, await self._apply(command))
                return
            except EventQueueOverflow:
                # The commands lost are answered by no one: their askers time out and say so.
                log.error("port commands overflowed; subscribing again")
                self._commands = self._bus.subscribe(PortCommand)

    async def _apply(self, command: PortCommand) -> DialerError | None:
        try:
            await self._call(command)
        except DialerError as exc:
            log.info("port command %s %s failed: %s", command.action, command.command_id, exc)
            return exc
        except ValueError as exc:  # a field the action cannot take (an unknown spy mode)
            return ActionFailed(f"{command.action}: {exc}", call_id=command.call_id)
        self.applied += 1
        return None

    async def _call(self, c: PortCommand) -> None:
        port, action = self._port, c.action
        if action is PortAction.ADD_SEAT:
            await port.add_seat(c.agent_id, queue=c.queue, name=c.name)
        elif action is PortAction.PAUSE_SEAT:
            await port.pause_seat(c.agent_id, queue=c.queue, paused=c.paused, reason=c.reason)
        elif action is PortAction.REMOVE_SEAT:
            await port.remove_seat(c.agent_id, queue=c.queue)
        elif action is PortAction.HANGUP:
            await port.hangup(c.call_id, cause=c.cause)
        elif action is PortAction.ROUTE_TO_AGENT:
            await port.route_to_agent(c.call_id, c.agent_id)
        elif action is PortAction.START_RECORDING:
            await port.start_recording(c.call_id, path=c.path)
        elif action is PortAction.STOP_RECORDING:
            await port.stop_recording(c.call_id)
        elif action is PortAction.SPY:
            await port.spy(c.call_id, supervisor=c.supervisor, mode=SpyMode(c.mode))
        elif action is PortAction.PLAY:
            await port.play(c.call_id, message=c.message)
        else:
            await self._control(c)

    async def _control(self, c: PortCommand) -> None:
        """The agent's call controls (hold, mute, transfers, recording pause)."""
        port, action = self._port, c.action
        if action is PortAction.HOLD:
            await port.hold(c.call_id, held=c.held)
        elif action is PortAction.MUTE:
            await port.mute(c.call_id, muted=c.muted)
        elif action is PortAction.TRANSFER:
            await port.transfer(c.call_id, _target(c))
        elif action is PortAction.START_CONSULT:
            await port.start_consult(c.call_id, _target(c))
        elif action is PortAction.COMPLETE_CONSULT:
            await port.complete_consult(c.call_id)
        elif action is PortAction.CANCEL_CONSULT:
            await port.cancel_consult(c.call_id)
        elif action is PortAction.PAUSE_RECORDING:
            await port.pause_recording(c.call_id, paused=c.paused)

    async def _answer(self, command: PortCommand, error: DialerError | None) -> None:
        done = PortCommandDone(
            command_id=command.command_id,
            campaign_id=command.campaign_id,
            at=self._clock.now(),
            error=type(error).__name__ if error else "",
            message=str(error) if error else "",
        )
        try:
            await self._bus.publish(done)
        except BusError as exc:  # the asker times out and reports the runtime unreachable
            log.warning("port command %s: answer not published: %s", command.command_id, exc)


def _target(c: PortCommand) -> TransferTarget:
    # An unknown kind is a ValueError: answered as a failed action, like an unknown spy mode.
    return TransferTarget(kind=TargetKind(c.target_kind), id=c.target_id)
