"""A flow run over ARI on the captured bytes: barge-in stops the playback, the flow hangs up
(03); a channel found in Stasis after a reconnect is finished and stored (04). The IVR's bus
hears each session's start and end (a recovered channel's end only)."""

from __future__ import annotations

import asyncio
import tomllib
from datetime import UTC, datetime

from dialer.bus import MemoryBus
from dialer.floor import IvrCallEnded, IvrCallStarted, IvrDirection
from ivr.ari import AriClient, AriRest, Channel
from ivr.ari.app import AriIvr
from ivr.engine import FlowEngine, SessionResult
from ivr.flow import parse_flow
from ivr.port import CallContext
from renewals.clock import FixedClock
from tests.ari_transcripts import load
from tests.integration.ivr.ari.support import replay_server, settings_for

# A flow whose prompt and node names are those of capture 03 (the long demo-congrats prompt,
# played with the playback id pb-<channel>-long).
BARGE_IN_FLOW = """
id = "bargein"
start = "long"
[nodes.long]
type = "collect"
say = ["demo-congrats"]
choices = { "1" = "bye" }
on_failure = "bye"
[nodes.bye]
type = "hangup"
"""


class Contexts:
    async def open(self, channel: Channel, args: tuple[str, ...]) -> tuple[str, CallContext]:
        ctx = CallContext(call_id=channel.id, kind="inbound", phone="", language="en")
        return "bargein", ctx


class Stored:
    def __init__(self) -> None:
        self.results: list[tuple[CallContext, SessionResult]] = []
        self.done = asyncio.Event()

    async def __call__(
        self, ctx: CallContext, result: SessionResult, *, started_at: datetime, at: datetime
    ) -> None:
        self.results.append((ctx, result))
        self.done.set()


async def test_menu_barge_in_stops_the_playback_and_the_flow_hangs_up_03() -> None:
    t = load("03")
    flow = parse_flow(tomllib.loads(BARGE_IN_FLOW), "test")
    stop_playback = t.one("DELETE", "/ari/playbacks/pb-xubao-b2-075337-long")
    async with replay_server() as replay:
        replay.ignored_params = frozenset({"lang"})  # the recorder played without lang=
        replay.arm(
            load("01").one("GET", "/ari/channels"),
            t.one(
                "POST",
                "/ari/channels/xubao-b2-075337/play/pb-xubao-b2-075337-long"
                "?media=sound%3Ademo-congrats",
            ),
            stop_playback,
            t.one("DELETE", "/ari/channels/xubao-b2-075337?reason_code=16"),
        )
        stored = Stored()
        settings = settings_for(replay)
        bus = MemoryBus()
        announced = bus.subscribe(IvrCallStarted, IvrCallEnded)
        async with AriRest(settings=settings) as rest:
            client = AriClient(settings=settings, rest=rest)
            clock = FixedClock(datetime(2026, 11, 26, 7, 53, 49, tzinfo=UTC))
            ivr = AriIvr(
                client=client,
                engine=FlowEngine(flows={"bargein": flow}, clock=clock, bus=bus),
                contexts=Contexts(),
                recorder=stored,
                clock=clock,
            )
            task = asyncio.create_task(ivr.run())
            try:
                # Up to the key pressed during the prompt (then the recorder's GET playback).
                await replay.send(1, t.frames("ws1", stop=stop_playback.index))
                await replay.wait_request("DELETE", "/ari/playbacks/pb-xubao-b2-075337-long")
                await replay.send(1, t.frames("ws1", start=stop_playback.index))
                await asyncio.wait_for(stored.done.wait(), 5)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        ((_, result),) = stored.results
        assert result.steps == ["long:1", "bye"]
        assert [(r.method, r.target.split("?")[0]) for r in replay.requests] == [
            ("GET", "/ari/channels"),
            ("POST", "/ari/channels/xubao-b2-075337/play/pb-xubao-b2-075337-long"),
            ("DELETE", "/ari/playbacks/pb-xubao-b2-075337-long"),
            ("DELETE", "/ari/channels/xubao-b2-075337"),
        ]
        assert "lang=en" in replay.requests[1].target  # the caller's language is named
        assert replay.unserved() == []
        assert ivr.calls == {}
        start, end = await anext(announced), await anext(announced)
        assert start == IvrCallStarted(
            call_id="xubao-b2-075337", at=clock.now(), flow="bargein",
            direction=IvrDirection.INBOUND,
        )  # fmt: skip
        assert end == IvrCallEnded(call_id="xubao-b2-075337", at=clock.now())


async def test_channel_found_in_stasis_after_a_reconnect_is_hung_up_and_stored_04() -> None:
    t = load("04")
    async with replay_server() as replay:
        # Our hang-up names cause 16; the capture's DELETE named none.
        replay.ignored_params = frozenset({"reason_code"})
        replay.arm(
            load("01").one("GET", "/ari/channels"),
            t.one("GET", "/ari/channels"),  # after the reconnect: xubao-c-075337 in Stasis
            t.one("DELETE", "/ari/channels/xubao-c-075337"),
        )
        stored = Stored()
        settings = settings_for(replay)
        bus = MemoryBus()
        announced = bus.subscribe(IvrCallStarted, IvrCallEnded)
        async with AriRest(settings=settings) as rest:
            client = AriClient(settings=settings, rest=rest)
            clock = FixedClock(datetime(2026, 11, 26, 7, 53, 58, tzinfo=UTC))
            ivr = AriIvr(
                client=client,
                engine=FlowEngine(flows={}, clock=clock, bus=bus),
                contexts=Contexts(),
                recorder=stored,
                clock=clock,
                recovered_prompt=None,  # the capture has no apology prompt to play
            )
            task = asyncio.create_task(ivr.run())
            try:
                await replay.socket(1)
                await replay.drop(1)  # no close frame; the call entered Stasis meanwhile
                await asyncio.wait_for(stored.done.wait(), 5)
            finally:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        ((ctx, result),) = stored.results
        assert (ctx.call_id, result.flow_id, result.steps) == (
            "xubao-c-075337",
            "recovered",
            ["recovered"],
        )
        assert replay.requests[-1].method == "DELETE"
        assert replay.unserved() == []
        assert client.in_stasis == frozenset()
        # Its start was announced (if at all) by the process before the reconnect: the end
        # clears it from the floors.
        end = await asyncio.wait_for(anext(announced), 1)
        assert end == IvrCallEnded(call_id="xubao-c-075337", at=clock.now())
