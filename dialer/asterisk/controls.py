"""The agent's call controls over AMI: hold, mute, transfers and the recording's pause.

How each is done on Asterisk 22 (the dialplan side is in ``config/asterisk/extensions.conf``,
contexts ``[xubao-hold]`` and ``[xubao-transfer]``; docs/deploy-asterisk.md):

* hold: one ``Redirect`` moves BOTH legs out of their bridge, the customer to
  ``xubao-hold,customer`` (MusicOnHold) and the agent to ``xubao-hold,agent`` (waits in
  silence). Moving the customer alone would leave the agent alone in the bridge, which ends
  it and hangs the agent's leg up. Resume: ``Bridge`` joins the two legs again.
* mute: ``Setvar`` of ``MUTEAUDIO(in)`` on the agent's leg (``in`` = what the phone sends to
  Asterisk), so the customer stops hearing the agent while the agent still hears the customer.
  The ``MuteAudio`` action does the same but needs the ``system`` write class (it could
  reload modules); the function is res_mutestream's too and ``Setvar`` needs only ``call``.
* blind transfer: ``Redirect`` of the customer's leg to ``xubao-transfer,seat-<ext>`` or
  ``queue-<name>``; it works from the bridge and from hold alike (``BlindTransfer`` needs
  the customer in a bridge). The agent's leg is left alone and ends (or is hung up if held).
* attended transfer: ``Atxfer`` by the agent's leg (Asterisk holds the customer and dials the
  target for the agent); complete = hang the agent's leg up (Asterisk then joins customer and
  target); cancel = ``CancelAtxfer``. Both are DTMF played on the agent's leg: they need the
  ``atxfer`` code in features.conf (none by default: "No attended transfer feature code
  found"), option ``t`` on the Queue()/Dial() that bridged the agent, and an ``Exten`` of
  digits (``consult_digits``); ``atxferabort`` keeps its default ``*1``.
* recording pause: the dialplan records with ``MixMonitor`` on the customer's leg, so
  ``MixMonitorMute`` there, ``Direction: both``: it writes silence meanwhile, and the file
  keeps its real length (``PauseMonitor`` is for the removed ``Monitor()``).

Fixture 10 holds each of them on a real Asterisk 22.10.1 (replies, events, and the recordings
checked for the mute and the pause). The agent's leg is followed through bridges by the tracker
(``CallState.customer_partner``): after a transfer it is the leg that shares the customer's
bridge, not the newest one.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from dialer.asterisk import actions
from dialer.asterisk.calls_state import CallState
from dialer.asterisk.settings import AmiSettings
from dialer.errors import ActionFailed, UnknownCall
from dialer.telephony.events import (
    CallEvent,
    CallHoldChanged,
    CallMuteChanged,
    CallTransferred,
    ConsultChanged,
    RecordingPauseChanged,
)
from dialer.telephony.port import TargetKind, TransferTarget
from renewals.clock import Clock

__all__ = ["AmiCallControls", "consult_digits", "transfer_exten"]

log = logging.getLogger(__name__)

Send = Callable[[CallState, actions.Action], Awaitable[None]]


def transfer_exten(target: TransferTarget) -> str:
    """The ``[xubao-transfer]`` extension of a target: ``seat-1002`` or ``queue-sales``."""
    if target.kind is TargetKind.QUEUE:
        return f"queue-{target.id}"
    return f"seat-{target.id}"


def consult_digits(target: TransferTarget) -> str:
    """``Atxfer``'s ``Exten`` for a seat: its digits, then ``#``.

    Asterisk plays ``Exten`` to the agent's leg as DTMF and the bridge's transfer feature
    collects it: a letter or ``-`` is not a DTMF digit and is passed through, so
    ``seat-1002`` reached the dialplan as ``10`` (fixture 10, first run). ``#`` ends the
    collection at once instead of after features.conf ``transferdigittimeout`` (3 s); the
    ``_X.`` extension of ``[xubao-transfer]`` sends the digits on to ``seat-<ext>``.
    """
    if not target.id.isdigit() or len(target.id) < 2:
        raise ValueError(f"an attended transfer needs a seat of 2+ digits, not {target.id!r}")
    return f"{target.id}#"


class AmiCallControls:
    """The call-control half of ``AmiTelephony``; the adapter hands it the call's state."""

    def __init__(
        self,
        *,
        settings: AmiSettings,
        clock: Clock,
        send: Send,
        publish: Callable[[CallEvent], None],
    ) -> None:
        self._settings, self._clock = settings, clock
        self._send, self._publish = send, publish

    def _emit(self, call: CallState, event_type: type[CallEvent], **fields: object) -> None:
        event = event_type(call_id=call.call_id, at=self._clock.now(), ref=call.ref, **fields)
        log.info("%s %s", call.call_id, type(event).__name__)
        self._publish(event)

    @staticmethod
    def _agent_leg(call: CallState) -> str:
        if not call.agent_id or not call.agent_channel:
            raise ActionFailed("call is not bridged to an agent", call_id=call.call_id)
        return call.agent_channel

    async def hold(self, call: CallState, *, held: bool) -> None:
        agent = self._agent_leg(call)
        if call.held is held:
            return
        if call.consult:
            raise ActionFailed("a consultation is in progress", call_id=call.call_id)
        if held:
            action = actions.redirect_both(
                call.customer_channel,
                agent,
                context=self._settings.hold_context,
                exten="customer",
                extra_exten="agent",
            )
        else:
            action = actions.bridge(agent, call.customer_channel)
        await self._send(call, action)
        call.held = held
        self._emit(call, CallHoldChanged, held=held)

    async def mute(self, call: CallState, *, muted: bool) -> None:
        agent = self._agent_leg(call)
        value = "on" if muted else "off"
        await self._send(call, actions.setvar(agent, "MUTEAUDIO(in)", value))
        self._emit(call, CallMuteChanged, muted=muted)

    async def transfer(self, call: CallState, target: TransferTarget) -> None:
        agent = self._agent_leg(call)
        if call.consult:
            raise ActionFailed("a consultation is in progress", call_id=call.call_id)
        action = actions.redirect(
            call.customer_channel,
            context=self._settings.transfer_context,
            exten=transfer_exten(target),
        )
        was_held = call.held
        await self._leaving(call, target, action, attended=False)
        if was_held:  # the agent's leg waits in the hold context: nothing else ends it
            try:
                await self._send(call, actions.hangup(agent))
            except UnknownCall:
                # Already gone (the agent hung up while holding): the customer is on the
                # way to the target all the same (fixture 10, first runs).
                log.info("%s held agent leg %s already gone", call.call_id, agent)

    async def start_consult(self, call: CallState, target: TransferTarget) -> None:
        agent = self._agent_leg(call)
        if target.kind is TargetKind.QUEUE:
            # The queue's agent would be connected during the consultation, unseen by the
            # tracker (its AgentConnect finds the call's agent still there): blind only.
            raise ActionFailed("a queue takes blind transfers only", call_id=call.call_id)
        if call.held or call.consult:
            raise ActionFailed("take the customer off hold first", call_id=call.call_id)
        try:
            digits = consult_digits(target)
        except ValueError as exc:
            raise ActionFailed(str(exc), call_id=call.call_id) from None
        context = self._settings.transfer_context
        # Set before the action is sent: Asterisk can end the consultation at once (an
        # unavailable seat: Unhold 0.3 s after the Hold, fixture 11) and the Unhold can be
        # handled before this coroutine resumes. Its ConsultChanged(active=False) is held
        # back and published after this one.
        call.consult, call.consult_starting = str(target), True
        started = False
        try:
            await self._send(call, actions.atxfer(agent, context=context, exten=digits))
            started = True
            self._emit(call, ConsultChanged, active=True, target=str(target))
        finally:
            call.consult_starting = False
            held_back, call.pending = call.pending, []
            if not started:
                call.consult = ""
            for event in held_back:
                if started and not call.finished:
                    self._publish(event)

    async def complete_consult(self, call: CallState) -> None:
        agent = self._agent_leg(call)
        if not call.consult:
            raise ActionFailed("no consultation to complete", call_id=call.call_id)
        kind, _, ident = call.consult.partition(":")
        target = TransferTarget(TargetKind(kind), ident)
        # The transferer hanging up completes an attended transfer (Asterisk 12+ default).
        await self._leaving(call, target, actions.hangup(agent), attended=True)

    async def cancel_consult(self, call: CallState) -> None:
        agent = self._agent_leg(call)
        if not call.consult:
            raise ActionFailed("no consultation to cancel", call_id=call.call_id)
        target, call.consult = call.consult, ""
        await self._send(call, actions.cancel_atxfer(agent))
        self._emit(call, ConsultChanged, active=False, target=target)

    async def pause_recording(self, call: CallState, *, paused: bool) -> None:
        if not call.recording_active:
            raise ActionFailed("the call is not being recorded", call_id=call.call_id)
        await self._send(call, actions.mix_monitor_mute(call.customer_channel, muted=paused))
        self._emit(call, RecordingPauseChanged, paused=paused, path=call.recording_path)

    # ----- the agent leaves the call ---------------------------------------------------
    async def _leaving(
        self, call: CallState, target: TransferTarget, action: actions.Action, *, attended: bool
    ) -> None:
        """Send the action that hands the customer on, then publish ``CallTransferred``.

        The agent is forgotten before the action is sent, and put back if it fails: the new
        seat's ``BridgeEnter`` (or the queue's ``AgentConnect``) can come in the same TCP read
        as the reply, and the tracker handles it before this coroutine resumes (the attended
        transfer's ``BridgeEnter`` came 1 ms after the ``Hangup`` reply in fixture 10, and all
        at once when its bytes are replayed). The ``CallBridged`` it makes meanwhile is held
        back and published after ``CallTransferred``, the order the call machine expects.
        """
        saved = (call.agent_id, call.agent_channel, call.held, call.consult, call.transfer_to)
        fresh = call.agent_channel not in call.departed
        self._left(call, target)
        call.transferring = True
        try:
            await self._send(call, action)
        except BaseException:
            if fresh:
                call.departed.discard(saved[1])
            call.agent_id, call.agent_channel, call.held, call.consult, call.transfer_to = saved
            raise
        else:
            self._emit(
                call, CallTransferred, from_agent=saved[0], target=str(target), attended=attended
            )
        finally:
            call.transferring = False
            held_back, call.pending = call.pending, []
            for event in held_back:
                if not call.finished:
                    self._publish(event)

    def _left(self, call: CallState, target: TransferTarget) -> None:
        """Forget the agent: the next bridge (seat) or AgentConnect (queue) names the next."""
        if call.agent_channel:
            call.departed.add(call.agent_channel)
        call.held, call.consult = False, ""
        call.transfer_to = "" if target.kind is TargetKind.QUEUE else target.id
        call.agent_id, call.agent_channel = "", ""
