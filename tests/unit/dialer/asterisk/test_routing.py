"""Reply routing on real fixture messages: lists, interleaved events, order matching."""

from __future__ import annotations

import asyncio

from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Message
from dialer.asterisk.routing import ListReply, Pending, Router
from dialer.errors import BackendUnavailable
from tests.ami_transcripts import load


def _messages(scenario: str, conn: str = "c1") -> list[Message]:
    framer = AmiFramer()
    return [
        m
        for c in load(scenario).recv_chunks(conn)
        for m in framer.feed(c)
        if isinstance(m, Message)
    ]


def _pending(action_id: str, *, is_list: bool = False) -> Pending:
    future: asyncio.Future[Message | ListReply] = asyncio.get_running_loop().create_future()
    return Pending(action_id=action_id, name="x", is_list=is_list, future=future)


async def test_list_items_are_collected_and_other_events_pass_through_02() -> None:
    router = Router()
    pending = _pending("c1-coreshowchannels-004", is_list=True)
    router.add(pending)
    passed = [m for m in _messages("02") if not router.route(m)]
    reply = pending.future.result()
    assert isinstance(reply, ListReply)
    assert len(reply.items) == 4
    assert reply.complete is not None and reply.complete.get("ListItems") == "4"
    assert all(m.event != "CoreShowChannel" for m in passed)
    assert any(m.event == "OriginateResponse" for m in passed)  # an event, not a reply


async def test_reply_without_action_id_goes_to_the_anonymous_action_01() -> None:
    router = Router()
    with_id, anonymous = _pending("c1-ping-002"), _pending("")
    router.add(with_id)
    router.add(anonymous)
    for message in _messages("01"):
        router.route(message)
    assert with_id.future.result().action_id == "c1-ping-002"  # type: ignore[union-attr]
    anonymous_reply = anonymous.future.result()
    assert isinstance(anonymous_reply, Message) and anonymous_reply.action_id == ""
    assert anonymous_reply.get("Ping") == "Pong"


async def test_fail_all_fails_every_pending_action() -> None:
    router = Router()
    pendings = [_pending("a"), _pending(""), _pending("b", is_list=True)]
    for p in pendings:
        router.add(p)
    assert router.fail_all(BackendUnavailable("lost")) == 3
    assert len(router) == 0
    assert all(isinstance(p.future.exception(), BackendUnavailable) for p in pendings)
