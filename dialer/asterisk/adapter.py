"""``TelephonyPort`` over Asterisk AMI: the only class the composition root builds here.

The AMI contract (the dialplan in ``config/asterisk/`` follows it):
Originate ``Channel`` = customer dial template, ``Context`` = dialer context, ``Exten`` =
the request's queue, ``Priority: 1``, ``Async: true``, ``ChannelId: <call_id>``,
``OtherChannelId: <call_id>-peer`` and ``Variable:`` XUBAO_CALL_ID, XUBAO_CAMPAIGN_ID,
XUBAO_LEAD_ID, XUBAO_QUEUE plus the request's variables. The dialplan may raise
``UserEvent(XubaoAmd,AmdStatus: HUMAN|MACHINE|NOTSURE)`` after AMD and
``UserEvent(XubaoAbandon)`` when it plays the safe message, ``UserEvent(XubaoOptOut)``
when the customer opts out.

The link: ``LinkStatusChanged(up=False)`` the moment the session is lost or Asterisk says it
is shutting down; ``LinkStatusChanged(up=True)`` once a new session logged in and re-synced.
In between ``originate`` raises ``BackendUnavailable`` (docs/deploy-asterisk.md, section 5).
"""

from __future__ import annotations

import itertools
import logging
from pathlib import PurePosixPath

from dialer.asterisk import actions
from dialer.asterisk.actions import ActionIdSource
from dialer.asterisk.calls import CallTracker, PortEvent
from dialer.asterisk.calls_state import CallState
from dialer.asterisk.client import SHUTTING_DOWN, AmiClient
from dialer.asterisk.controls import AmiCallControls
from dialer.asterisk.messages import Message
from dialer.asterisk.prompts import missing_prompts
from dialer.asterisk.ratelimit import TokenBucket
from dialer.asterisk.seats import InterfaceTemplate
from dialer.asterisk.settings import AmiSettings
from dialer.errors import (
    ActionFailed,
    BackendUnavailable,
    OriginateFailed,
    PromptsMissing,
    UnknownCall,
)
from dialer.telephony.events import BackendRef, LinkStatusChanged
from dialer.telephony.fanout import Fanout, Subscription
from dialer.telephony.port import LiveCall, OriginateRequest, SpyMode, TransferTarget
from renewals.clock import Clock
from renewals.phones import mask_phone

__all__ = ["AmiTelephony"]

log = logging.getLogger(__name__)

_SPY_OPTIONS = {SpyMode.LISTEN: "qE", SpyMode.WHISPER: "qEw", SpyMode.BARGE: "qEB"}


def _live_state(legs: list[Message], tracked: CallState | None) -> str:
    """The call's state in the port's words (``dialer.calls.CallState`` values)."""
    if tracked is not None:
        if tracked.agent_id:
            return "bridged"
        if tracked.answered_sent:
            return "answered"
        return "ringing" if tracked.ringing_sent else "dialing"
    # Not seen by this process (it restarted): judge from the channels Asterisk lists.
    if any(m.get("BridgeId") for m in legs):
        return "bridged"
    states = {m.get("ChannelStateDesc") for m in legs}
    if "Up" in states:
        return "answered"
    return "ringing" if states & {"Ring", "Ringing"} else "dialing"


class AmiTelephony:
    """The Asterisk backend of ``dialer.telephony.TelephonyPort``."""

    def __init__(
        self,
        *,
        settings: AmiSettings,
        clock: Clock,
        action_ids: ActionIdSource | None = None,
    ) -> None:
        self._settings = settings
        self._agents = InterfaceTemplate(settings.agent_interface_template)
        state_template = settings.agent_state_interface_template
        self._agent_states = InterfaceTemplate(state_template) if state_template else None
        self._customers = InterfaceTemplate(settings.customer_dial_template, field="number")
        self._supervisors = InterfaceTemplate(settings.supervisor_dial_template, field="supervisor")
        self._tracker = CallTracker(
            clock=clock, agents=self._agents, wait_for_amd=settings.wait_for_amd
        )
        self._events: Fanout[PortEvent] = Fanout(maxsize=settings.event_queue_size)
        self._bucket = TokenBucket(
            rate_per_s=settings.originate_rate_per_s, burst=settings.originate_burst, clock=clock
        )
        self._spy_seq = itertools.count(1)
        self._clock = clock
        # Down from the moment the session is lost (or Asterisk says it is shutting down)
        # until a new session has logged in AND re-synced: nothing is originated meanwhile.
        self._link_up = False
        self._controls = AmiCallControls(
            settings=settings, clock=clock, send=self._on_channel, publish=self._events.publish
        )
        self._client = AmiClient(
            settings=settings,
            clock=clock,
            action_ids=action_ids,
            listener=self._on_message,
            on_session=self._resync,
            on_lost=self._link_down,
        )

    # ----- lifecycle and events ------------------------------------------------------
    async def start(self) -> None:
        """Connect, log in, and check the dialplan's prompts; ``PromptsMissing`` names any
        missing (without the safe message an abandoned customer cannot opt out)."""
        await self._client.start()
        self._link_up = True
        s = self._settings
        if not s.required_prompts:
            return
        missing = await missing_prompts(
            self._client,
            sounds_dir=s.sounds_dir,
            language=s.sounds_language,
            names=s.required_prompts,
        )
        if missing:
            log.error("prompts missing on the Asterisk host: %s", ", ".join(missing))
            await self.close()
            raise PromptsMissing(missing)

    async def close(self) -> None:
        await self._client.close()
        self._events.close_all()

    def events(self) -> Subscription[PortEvent]:
        return self._events.subscribe()

    def _on_message(self, message: Message) -> None:
        if message.event == "Shutdown":
            # An idle Asterisk says so ~0.75 s after SIGTERM; with calls up it may not (06).
            self._link_down(f"Asterisk shutting down (Shutdown: {message.get('Shutdown')})")
        for event in self._tracker.handle(message):
            log.info("%s %s", getattr(event, "call_id", ""), type(event).__name__)
            self._events.publish(event)

    async def _resync(self, reconnected: bool) -> None:
        """After a reconnect: rebuild calls from CoreShowChannels, seats from QueueStatus."""
        since = self._tracker.seq
        listing = await self._client.request_list(actions.core_show_channels())
        for event in self._tracker.resync(list(listing.items), since=since):
            self._events.publish(event)
        queues = await self._client.request_list(actions.queue_status())
        members = [m for m in queues.items if m.event == "QueueMember"]
        for event in self._tracker.seats(members):
            self._events.publish(event)
        log.info("re-synced after reconnect: %d channels listed", len(listing.items))
        self._link_up = True
        self._events.publish(LinkStatusChanged(up=True, at=self._clock.now()))

    def _link_down(self, reason: str) -> None:
        """The session is gone (or going): say so once, at once, so dialing pauses."""
        if not self._link_up:
            return
        self._link_up = False
        self._tracker.link_lost()
        log.warning("AMI link down: %s", reason)
        self._events.publish(LinkStatusChanged(up=False, at=self._clock.now(), reason=reason))

    # ----- calls -----------------------------------------------------------------------
    async def originate(self, request: OriginateRequest) -> None:
        if self._tracker.knows(request.call_id):
            log.info("%s originate ignored: call id already known", request.call_id)
            return
        if not self._link_up or not self._client.connected:
            raise BackendUnavailable("AMI link down", call_id=request.call_id)
        self._tracker.register(request)
        await self._bucket.acquire()
        variables = {
            "XUBAO_CALL_ID": request.call_id,
            "XUBAO_CAMPAIGN_ID": request.campaign_id,
            "XUBAO_LEAD_ID": request.lead_id,
            "XUBAO_QUEUE": request.queue,
            **request.variables,
        }
        # Preview calls go straight to their agent's seat (route context), others to the queue.
        preview = bool(request.agent_id)
        action = actions.originate(
            channel=self._customers.render(request.number),
            context=self._settings.route_context if preview else self._settings.context,
            exten=request.agent_id if preview else request.queue,
            timeout_ms=round(request.ring_timeout_s * 1000),
            caller_id=request.caller_id,
            channel_id=request.call_id,
            other_channel_id=f"{request.call_id}-peer",
            variables=variables,
        )
        log.info("%s originate to %s", request.call_id, mask_phone(request.number))
        try:
            await self._client.request(action)
        except ActionFailed as exc:
            self._tracker.forget(request.call_id)
            raise OriginateFailed(
                exc.message, call_id=request.call_id, action_id=exc.action_id
            ) from None
        except BackendUnavailable as exc:
            if exc.message == SHUTTING_DOWN:  # refused for sure: the call does not exist
                self._tracker.forget(request.call_id)
            raise BackendUnavailable(
                exc.message, call_id=request.call_id, action_id=exc.action_id
            ) from None
        # A lost connection or a timeout leaves the call tracked: it may exist. The re-sync
        # after reconnect finds it, or reports it failed; it is never dialled twice.

    def _call(self, call_id: str) -> CallState:
        call = self._tracker.get(call_id)
        if call is None or not call.customer_channel:
            raise UnknownCall(f"no live call {call_id}", call_id=call_id)
        return call

    async def _on_channel(self, call: CallState, action: actions.Action) -> None:
        try:
            await self._client.request(action)
        except ActionFailed as exc:
            if exc.message == "No such channel":
                raise UnknownCall(exc.message, call_id=call.call_id) from None
            raise ActionFailed(exc.message, call_id=call.call_id, action_id=exc.action_id) from None

    async def hangup(self, call_id: str, *, cause: int = 16) -> None:
        call = self._call(call_id)
        call.hangup_by_us = True
        await self._on_channel(call, actions.hangup(call.customer_channel, cause=cause))

    async def route_to_agent(self, call_id: str, agent_id: str) -> None:
        call = self._call(call_id)
        context = self._settings.route_context
        await self._on_channel(
            call, actions.redirect(call.customer_channel, context=context, exten=agent_id)
        )

    async def play(self, call_id: str, *, message: str) -> None:
        call = self._call(call_id)
        await self._on_channel(call, actions.setvar(call.customer_channel, "XUBAO_PROMPT", message))
        context = self._settings.play_context
        await self._on_channel(
            call, actions.redirect(call.customer_channel, context=context, exten="play")
        )

    # ----- recording and spying --------------------------------------------------------
    def _recording_file(self, path: str) -> str:
        target = PurePosixPath(self._settings.recording_root) / path
        if "D" in self._settings.stereo_option:
            # Asterisk 22 docs: with option D (interleaved stereo) the file MUST end in .raw.
            target = target.with_suffix(".raw")
        return str(target)

    async def start_recording(self, call_id: str, *, path: str) -> None:
        call = self._call(call_id)
        call.recording_path = path
        action = actions.mix_monitor(
            call.customer_channel, self._recording_file(path), options=self._settings.stereo_option
        )
        try:
            await self._on_channel(call, action)
        except BaseException:
            call.recording_path = ""
            raise

    async def stop_recording(self, call_id: str) -> None:
        call = self._call(call_id)
        await self._on_channel(call, actions.stop_mix_monitor(call.customer_channel))

    async def spy(self, call_id: str, *, supervisor: str, mode: SpyMode) -> None:
        call = self._call(call_id)
        if not call.agent_channel:
            raise ActionFailed("call is not bridged to an agent", call_id=call_id)
        spyer_id = f"{call_id}-spy-{next(self._spy_seq)}"
        self._tracker.expect_spy(spyer_id, call_id=call_id, supervisor=supervisor, mode=mode.value)
        action = actions.originate(
            channel=self._supervisors.render(supervisor),
            application="ChanSpy",
            data=f"{call.agent_channel},{_SPY_OPTIONS[mode]}",
            caller_id=f'"Supervisor" <{supervisor}>',
            timeout_ms=round(self._settings.spy_ring_timeout_s * 1000),
            channel_id=spyer_id,
            other_channel_id=f"{spyer_id}-peer",
        )
        await self._on_channel(call, action)

    # ----- call controls (dialer.asterisk.controls) -------------------------------------
    async def hold(self, call_id: str, *, held: bool) -> None:
        await self._controls.hold(self._call(call_id), held=held)

    async def mute(self, call_id: str, *, muted: bool) -> None:
        await self._controls.mute(self._call(call_id), muted=muted)

    async def transfer(self, call_id: str, target: TransferTarget) -> None:
        await self._controls.transfer(self._call(call_id), target)

    async def start_consult(self, call_id: str, target: TransferTarget) -> None:
        await self._controls.start_consult(self._call(call_id), target)

    async def complete_consult(self, call_id: str) -> None:
        await self._controls.complete_consult(self._call(call_id))

    async def cancel_consult(self, call_id: str) -> None:
        await self._controls.cancel_consult(self._call(call_id))

    async def pause_recording(self, call_id: str, *, paused: bool) -> None:
        await self._controls.pause_recording(self._call(call_id), paused=paused)

    # ----- seats -----------------------------------------------------------------------
    async def add_seat(self, agent_id: str, *, queue: str, name: str = "") -> None:
        states = self._agent_states
        action = actions.queue_add(
            queue,
            self._agents.render(agent_id),
            member_name=name,
            state_interface=states.render(agent_id) if states is not None else "",
        )
        await self._seat(action, tolerated="Already there")

    async def pause_seat(
        self, agent_id: str, *, queue: str, paused: bool, reason: str = ""
    ) -> None:
        interface = self._agents.render(agent_id)
        await self._seat(actions.queue_pause(queue, interface, paused=paused, reason=reason))

    async def remove_seat(self, agent_id: str, *, queue: str) -> None:
        action = actions.queue_remove(queue, self._agents.render(agent_id))
        await self._seat(action, tolerated="Not there")

    async def _seat(self, action: actions.Action, *, tolerated: str = "") -> None:
        try:
            await self._client.request(action)
        except ActionFailed as exc:
            # Seat changes are idempotent for the caller: "already there" is success (05 c3).
            if not tolerated or tolerated not in exc.message:
                raise

    # ----- snapshot ----------------------------------------------------------------------
    async def live_calls(self) -> list[LiveCall]:
        """Calls up now that are ours: their Linkedid is a call we placed, or a leg carries
        ``ChanVariable: XUBAO_CALL_ID=...`` (manager.conf ``channelvars = XUBAO_CALL_ID``),
        which finds our calls again after this process restarted."""
        listing = await self._client.request_list(actions.core_show_channels())
        groups: dict[str, list[Message]] = {}
        for item in listing.items:
            groups.setdefault(item.get("Linkedid"), []).append(item)
        calls = []
        for linkedid, legs in groups.items():
            root = next((m for m in legs if m.get("Uniqueid") == linkedid), legs[0])
            tagged = [m.chan_variables().get("XUBAO_CALL_ID", "") for m in legs]
            call_id = linkedid if self._tracker.get(linkedid) else next(filter(None, tagged), "")
            if not call_id:
                continue
            tracked = self._tracker.get(call_id)
            calls.append(
                LiveCall(
                    call_id=call_id,
                    ref=BackendRef(
                        channel=root.get("Channel"),
                        uniqueid=root.get("Uniqueid"),
                        linkedid=linkedid,
                    ),
                    state=_live_state(legs, tracked),
                    agent_id=tracked.agent_id if tracked else "",
                )
            )
        return calls
