"""A delivered call through the API and the websocket: the pop, then the disposition checked
by the domain's rules (422 naming the field), stored once, with the lead's next contact."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import httpx
from sqlalchemy import select
from websockets.asyncio.client import ClientConnection, connect

from config.db import create_db_engine, make_session_factory
from renewals.models import Disposition, Lead
from tests.console_floor import Server
from tests.integration.agent_console.conftest import log_in


async def _answer_pings(socket: ClientConnection, pops: list[dict[str, object]]) -> None:
    async for raw in socket:
        message = json.loads(raw)
        if message["type"] == "ping":
            await socket.send(json.dumps({"type": "pong", "n": message["n"]}))
        elif message["type"] == "pop":
            pops.append(message)


@contextlib.asynccontextmanager
async def _agent_socket(server: Server, cookie: str) -> AsyncIterator[list[dict[str, object]]]:
    pops: list[dict[str, object]] = []
    url = server.url.replace("http://", "ws://") + "ws/agent"
    async with connect(url, additional_headers={"Cookie": f"xubao_session={cookie}"}) as socket:
        answering = asyncio.create_task(_answer_pings(socket, pops))
        try:
            yield pops
        finally:
            answering.cancel()


async def _seat_until(client: httpx.AsyncClient, state: str) -> dict[str, object]:
    for _ in range(300):
        seat = (await client.get("/agent/api/state")).json()["seat"]
        if seat["state"] == state:
            return seat  # type: ignore[no-any-return]
        await asyncio.sleep(0.1)
    raise AssertionError(f"the seat never reached {state}")


async def test_pop_then_disposition_rules_and_storage(server: Server) -> None:
    sync_client, csrf = log_in(server, "agent1")
    cookie = sync_client.cookies["xubao_session"]
    headers = {"X-CSRF-Token": csrf}
    async with (
        httpx.AsyncClient(base_url=server.url, cookies={"xubao_session": cookie}) as client,
        _agent_socket(server, cookie) as pops,
    ):
        assert (await client.post("/agent/api/seat/login", json={"campaign_id": "c1"},
                                  headers=headers)).status_code == 200  # fmt: skip
        seat = await _seat_until(client, "on_call")
        call_id = str(seat["call_id"])
        for _ in range(100):
            if pops:
                break
            await asyncio.sleep(0.1)
        pop = pops[0]
        assert pop["call_id"] == call_id
        lead_id = pop["card"]["lead"]["id"]  # type: ignore[index]
        url = f"/agent/api/leads/{lead_id}/disposition"
        early = await client.post(url, json={"call_id": call_id, "kind": "no_decision",
                                             "then": "pause", "pause_code": "break"},
                                  headers=headers)  # fmt: skip
        assert (early.status_code, early.json()["error"]) == (409, "SeatProblem")
        hung_up = await client.post("/agent/api/call/hangup", headers=headers)
        assert hung_up.json() == {"call_id": call_id}  # the agent ends the call
        await _seat_until(client, "wrap_up")
        assert (await client.post("/agent/api/call/hangup", headers=headers)).status_code == 409
        declined = await client.post(url, json={"call_id": call_id, "kind": "declined"},
                                     headers=headers)  # fmt: skip
        assert (declined.status_code, declined.json()["field"]) == (422, "decline_reason")
        past = (datetime.now() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        callback = await client.post(url, json={"call_id": call_id, "kind": "callback",
                                                "callback_at": past}, headers=headers)  # fmt: skip
        assert (callback.status_code, callback.json()["field"]) == (422, "callback_at")
        form = {"call_id": call_id, "kind": "agreed", "premium_cents": 321_000,
                "gifts": "行车记录仪", "deal_date": "2026-12-01", "then": "pause",
                "pause_code": "break"}  # fmt: skip
        agreed = await client.post(url, json=form, headers=headers)
        assert agreed.status_code == 200, agreed.text
        assert agreed.json()["lead_status"] == "won"
        again = await client.post(url, json={"call_id": call_id, "kind": "no_decision"},
                                  headers=headers)  # fmt: skip
        assert again.status_code == 409
        assert (await _seat_until(client, "paused"))["pause_code"] == "break"
        await client.post("/agent/api/seat/logout", headers=headers)
    sessions = make_session_factory(create_db_engine(server.floor.database_url))
    with sessions() as s:
        (row,) = s.scalars(select(Disposition).where(Disposition.lead_id == lead_id)).all()
        assert (row.agent, row.premium_written_cents, row.gifts) == ("1001", 321_000, "行车记录仪")
        assert str(row.deal_date) == "2026-12-01"
        lead = s.get(Lead, lead_id)
        assert lead is not None and lead.last_outcome == "agreed"
