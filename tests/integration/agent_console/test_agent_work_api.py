"""The agent's work tools through the API of a real ``xubao serve``: lead search within the
agent's own leads, callbacks, manual dial with its refusals (do-not-call, calling hours, a
seat that is not ready), the do-not-call button, the call script; another agent's lead is 403.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from websockets.asyncio.client import ClientConnection, connect

from config.db import create_db_engine, make_session_factory
from dialer.models import Campaign, CampaignMode
from renewals.cadence import DEFAULT_RULES, find_due_leads
from renewals.models import Customer, DoNotCall, Lead, LeadStatus, Policy, Vehicle
from tests.console_floor import Server, serving
from tests.integration.agent_console.conftest import log_in

MINE = 4  # leads assigned to agent1


@pytest.fixture(scope="module")
def work_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    # Its own server: these tests assign leads and block numbers. c1 (progressive) has no
    # agent here, so nothing is dialled but what the tests dial.
    directory = tmp_path_factory.mktemp("work")
    with serving(f"sqlite:///{directory / 'xubao.db'}", directory,
                 mode=CampaignMode.PROGRESSIVE) as running:  # fmt: skip
        yield running


@pytest.fixture(scope="module")
def db(work_server: Server) -> Iterator[sessionmaker[Session]]:
    engine = create_db_engine(work_server.floor.database_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture(scope="module")
def mine(work_server: Server, db: sessionmaker[Session]) -> list[int]:
    with db.begin() as s:
        ids = list(
            s.scalars(
                select(Lead.id)
                .where(Lead.owner_agent.is_(None), Lead.status == LeadStatus.OPEN)
                .order_by(Lead.id)
                .limit(MINE)
            )
        )
        s.execute(update(Lead).where(Lead.id.in_(ids)).values(owner_agent="1001"))
    return ids


def _customer(db: sessionmaker[Session], lead_id: int) -> tuple[str, str, str]:
    with db() as s:
        row = s.execute(
            select(Customer.name, Customer.phone, Vehicle.plate)
            .join(Vehicle, Vehicle.customer_id == Customer.id)
            .join(Policy, Policy.vehicle_id == Vehicle.id)
            .join(Lead, Lead.policy_id == Policy.id)
            .where(Lead.id == lead_id)
        ).one()
    return row[0], row[1], row[2]


def _agent(server: Server, name: str = "agent1") -> tuple[httpx.Client, dict[str, str]]:
    client, csrf = log_in(server, name)
    return client, {"X-CSRF-Token": csrf}


def test_search_finds_the_agents_own_leads_only_masked_and_paginated(
    work_server: Server, db: sessionmaker[Session], mine: list[int]
) -> None:
    client, _ = _agent(work_server)
    everything = client.get("/agent/api/work/leads", params={"page_size": 3}).json()
    assert everything["total"] == MINE and len(everything["hits"]) == 3
    second = client.get("/agent/api/work/leads", params={"page_size": 3, "page": 2}).json()
    found = {h["lead_id"] for h in everything["hits"] + second["hits"]}
    assert found == set(mine)
    name, phone, plate = _customer(db, mine[0])
    for text in (phone[-4:], name, plate):
        hits = client.get("/agent/api/work/leads", params={"q": text}).json()["hits"]
        assert mine[0] in [h["lead_id"] for h in hits], text
        hit = next(h for h in hits if h["lead_id"] == mine[0])
        assert hit["phone"] == phone[:3] + "****" + phone[-4:]  # masked, never the number
    assert phone not in client.get("/agent/api/work/leads").text
    # agent2's lead is never found by agent1, whatever they type.
    _, _, their_plate = _customer(db, work_server.floor.agent2_lead)
    assert client.get("/agent/api/work/leads", params={"q": their_plate}).json()["hits"] == []


def test_another_agents_lead_is_403_on_every_work_route(work_server: Server) -> None:
    client, headers = _agent(work_server)
    theirs = work_server.floor.agent2_lead
    base = f"/agent/api/work/leads/{theirs}"
    assert client.get(base + "/script").status_code == 403
    for path, body in (
        ("/dial", None),
        ("/callback", {"at": "2099-01-01T10:00:00", "kept": True}),
        ("/do-not-call", {}),
    ):
        answer = client.post(base + path, json=body, headers=headers)
        assert (answer.status_code, answer.json()["error"]) == (403, "NotYours"), path
    supervisor, super_headers = _agent(work_server, "super1")
    assert supervisor.get("/agent/api/work/leads").status_code == 403
    assert supervisor.get("/agent/api/work/callbacks").status_code == 403
    assert supervisor.post(base + "/dial", headers=super_headers).status_code == 403
    # CSRF: an unsafe request without the session's token is refused.
    assert client.post(f"/agent/api/work/leads/{theirs}/do-not-call", json={}).status_code == 403


def test_a_kept_callback_is_on_the_agents_list_and_not_on_anothers(
    work_server: Server, mine: list[int]
) -> None:
    client, headers = _agent(work_server)
    other, _ = _agent(work_server, "agent2")
    due = (work_server.floor.start + timedelta(hours=2)).replace(tzinfo=None).isoformat()
    booked = client.post(
        f"/agent/api/work/leads/{mine[1]}/callback", json={"at": due, "kept": True}, headers=headers
    )
    assert booked.status_code == 200, booked.text
    rows = client.get("/agent/api/work/callbacks").json()
    assert [(r["lead_id"], r["kept"]) for r in rows] == [(mine[1], True)]
    assert other.get("/agent/api/work/callbacks").json() == []
    late = (work_server.floor.start.replace(hour=22)).replace(tzinfo=None).isoformat()
    refused = client.post(
        f"/agent/api/work/leads/{mine[1]}/callback", json={"at": late}, headers=headers
    )
    assert (refused.status_code, refused.json()["field"]) == (422, "callback_at")


def test_the_call_script_is_filled_in_and_escaped(
    work_server: Server, db: sessionmaker[Session], mine: list[int]
) -> None:
    lead_id = mine[2]
    with db.begin() as s:
        customer_id = s.scalar(
            select(Customer.id)
            .join(Vehicle, Vehicle.customer_id == Customer.id)
            .join(Policy, Policy.vehicle_id == Vehicle.id)
            .join(Lead, Lead.policy_id == Policy.id)
            .where(Lead.id == lead_id)
        )
        s.execute(update(Customer).where(Customer.id == customer_id).values(name="<b>王五</b>"))
    _, _, plate = _customer(db, lead_id)
    client, _ = _agent(work_server)
    script = client.get(f"/agent/api/work/leads/{lead_id}/script").json()
    text = "".join(step["html"] for step in script["steps"])
    assert script["title"] == "续保通话话术"  # Chinese by default
    assert "&lt;b&gt;王五&lt;/b&gt;" in text and "<b>王五" not in text
    assert plate in text and "¥" in text
    client.cookies.set("xubao_lang", "en")
    english = client.get(f"/agent/api/work/leads/{lead_id}/script").json()
    assert english["title"] == "Renewal call script"


async def test_manual_dial_refusals_then_a_call_and_the_do_not_call_button(
    work_server: Server, db: sessionmaker[Session], mine: list[int]
) -> None:
    sync, headers = _agent(work_server)
    cookie = sync.cookies["xubao_session"]
    dnc_lead, dial_lead = mine[3], mine[0]
    url = work_server.url.replace("http://", "ws://") + "ws/agent"
    async with (
        httpx.AsyncClient(base_url=work_server.url, cookies={"xubao_session": cookie}) as client,
        connect(url, additional_headers={"Cookie": f"xubao_session={cookie}"}) as socket,
    ):
        answering = asyncio.create_task(_answer_pings(socket))

        async def dial(lead_id: int) -> httpx.Response:
            return await client.post(f"/agent/api/work/leads/{lead_id}/dial", headers=headers)

        assert (await dial(dial_lead)).status_code == 409  # no seat yet
        login = await client.post("/agent/api/seat/login", json={"campaign_id": "c2"},
                                  headers=headers)  # fmt: skip
        assert login.status_code == 200
        # The do-not-call button: for ever, source "agent", the agent; the lead is closed.
        blocked = await client.post(f"/agent/api/work/leads/{dnc_lead}/do-not-call", json={},
                                    headers=headers)  # fmt: skip
        assert blocked.status_code == 200 and blocked.json()["lead_status"] == "do_not_call"
        refused = await dial(dnc_lead)
        assert refused.status_code == 409
        assert refused.json()["detail"] == "该号码在免打扰名单中。"
        # Calling hours: the campaign narrows them to a window that is over.
        _window(db, "06:00", "07:00")
        outside = await dial(dial_lead)
        _window(db, None, None)
        assert (outside.status_code, outside.json()["detail"]) == (
            409,
            "不在客户当地的可拨打时段内。",
        )
        placed = await dial(dial_lead)
        assert placed.status_code == 200, placed.text
        call_id = placed.json()["call_id"]
        seat = (await client.get("/agent/api/state")).json()["seat"]
        assert seat["call_id"] == call_id and seat["state"] in ("reserved", "on_call")
        answering.cancel()
    _, phone, _ = _customer(db, dnc_lead)
    with db() as s:
        entry = s.scalars(select(DoNotCall).where(DoNotCall.phone == phone)).one()
    assert (entry.source, entry.agent, entry.expires_at) == ("agent", "1001", None)


def _window(db: sessionmaker[Session], start: str | None, end: str | None) -> None:
    with db.begin() as s:
        s.execute(
            update(Campaign).where(Campaign.id == "c2").values(calling_start=start, calling_end=end)
        )


async def _answer_pings(socket: ClientConnection) -> None:
    # The seat stays counted only while its page answers the server's pings.
    async for raw in socket:
        message = json.loads(raw)
        if message["type"] == "ping":
            await socket.send(json.dumps({"type": "pong", "n": message["n"]}))


async def test_preview_shows_a_kept_callback_to_its_agent_first_and_never_to_another(
    work_server: Server, db: sessionmaker[Session], mine: list[int]
) -> None:
    with db.begin() as s:
        due = find_due_leads(s, work_server.floor.start, DEFAULT_RULES)
        taken = {*mine, work_server.floor.agent2_lead}
        kept = [d.decision.lead_id for d in due if d.decision.lead_id not in taken][-1]  # the last
        s.execute(
            update(Lead)
            .where(Lead.id == kept)
            .values(last_outcome="callback", callback_agent="1002",
                    next_contact_at=work_server.floor.start - timedelta(minutes=1))
        )  # fmt: skip
    previews = {}
    for name in ("agent2", "agent1"):
        sync, headers = _agent(work_server, name)
        cookie = sync.cookies["xubao_session"]
        url = work_server.url.replace("http://", "ws://") + "ws/agent"
        async with (
            httpx.AsyncClient(base_url=work_server.url, cookies={"xubao_session": cookie}) as c,
            connect(url, additional_headers={"Cookie": f"xubao_session={cookie}"}) as socket,
        ):
            answering = asyncio.create_task(_answer_pings(socket))
            login = await c.post("/agent/api/seat/login", json={"campaign_id": "c2"},
                                 headers=headers)  # fmt: skip
            assert login.status_code == 200
            previews[name] = (await c.get("/agent/api/preview")).json()
            answering.cancel()
    assert (previews["agent2"]["lead_id"], previews["agent2"]["kept"]) == (kept, True)
    assert previews["agent1"] is None or previews["agent1"]["lead_id"] != kept
