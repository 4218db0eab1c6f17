"""The hub: messages per agent and language; a socket that falls behind resyncs."""

from __future__ import annotations

from agent_console.hub import OUTBOX_SIZE, AgentHub


async def test_messages_go_to_the_agents_sockets_in_their_language() -> None:
    hub = AgentHub()
    zh = hub.connect("1001", "zh_CN")
    en = hub.connect("1001", "en")
    other = hub.connect("1002", "zh_CN")
    hub.send("1001", {"type": "call_ended", "call_id": "c1"})
    hub.send("1001", {"type": "pop", "call_id": "c1"}, "en")
    assert zh.queue.qsize() == 1 and en.queue.qsize() == 2 and other.queue.empty()
    assert hub.languages("1001") == {"zh_CN", "en"}
    hub.disconnect(zh)
    hub.disconnect(en)
    assert not hub.has("1001") and hub.agents() == ["1002"]


async def test_a_socket_that_falls_behind_gets_one_resync_instead() -> None:
    hub = AgentHub()
    outbox = hub.connect("1001", "zh_CN")
    for n in range(OUTBOX_SIZE + 1):
        hub.send("1001", {"type": "ping", "n": n})
    assert outbox.stale
    assert outbox.queue.qsize() == 1
    assert outbox.queue.get_nowait() == {"type": "resync"}
