"""Roles on every route and on the websocket, CSRF, cookie flags and log-in rate limits,
against a real ``xubao serve`` over TCP (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from config.db import create_db_engine, make_session_factory
from dialer.models import Seat
from tests.console_floor import PASSWORD, Server
from tests.integration.agent_console.conftest import log_in

AGENT_GETS = ("/agent/", "/agent/api/state", "/agent/api/preview", "/agent/api/leads/1")
AGENT_POSTS = (
    ("/agent/api/seat/login", {}),
    ("/agent/api/seat/ready", None),
    ("/agent/api/seat/pause", {"code": "break"}),
    ("/agent/api/seat/logout", None),
    ("/agent/api/preview/1/dial", None),
    ("/agent/api/leads/1/disposition", {"call_id": "x", "kind": "no_decision"}),
)


def _ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "ws/agent"


@pytest.mark.parametrize("role_user", ["super1", "qa1", "admin1"])
def test_other_roles_get_403_on_every_agent_route(server: Server, role_user: str) -> None:
    client, csrf = log_in(server, role_user)
    home = {"qa1": "/qa/", "super1": "/supervisor/", "admin1": "/supervisor/"}.get(
        role_user, "/auth/me"
    )
    assert client.get("/").headers["location"] == home  # their own page, not a 403
    assert client.get("/auth/me").status_code == 200
    for path in AGENT_GETS:
        assert client.get(path).status_code == 403, path
    for path, body in AGENT_POSTS:
        answer = client.post(path, json=body, headers={"X-CSRF-Token": csrf})
        assert answer.status_code == 403, path
        assert answer.json()["error"] == "RoleRequired"


async def test_websocket_refuses_other_roles_strangers_and_other_sites(server: Server) -> None:
    supervisor, _ = log_in(server, "super1")
    agent, _ = log_in(server, "agent1")
    cases = [
        {},  # no session
        {"Cookie": f"xubao_session={supervisor.cookies['xubao_session']}"},
        {"Cookie": f"xubao_session={agent.cookies['xubao_session']}",
         "Origin": "http://evil.example"},
    ]  # fmt: skip
    for headers in cases:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(_ws_url(server), additional_headers=headers):
                pass
        assert refused.value.response.status_code == 403


def test_anonymous_is_sent_to_log_in(server: Server) -> None:
    client = httpx.Client(base_url=server.url)
    assert client.get("/").headers["location"] == "/auth/login"
    assert client.get("/agent/api/state").status_code == 401
    page = client.get("/agent/")
    assert (page.status_code, page.headers["location"]) == (303, "/auth/login")


def test_session_cookie_is_httponly_and_samesite(server: Server) -> None:
    client = httpx.Client(base_url=server.url)
    token = re.search(r'value="([^"]+)"', client.get("/auth/login").text)
    assert token is not None
    answer = client.post(
        "/auth/login", data={"name": "agent1", "password": PASSWORD, "csrf_token": token.group(1)}
    )
    cookie = next(h for h in answer.headers.get_list("set-cookie") if "xubao_session=" in h)
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_unsafe_requests_need_the_csrf_token(server: Server) -> None:
    client, csrf = log_in(server, "agent1")
    assert client.post("/agent/api/seat/pause", json={"code": "break"}).status_code == 403
    forged = client.post("/agent/api/seat/login", json={}, headers={"X-CSRF-Token": "forged"})
    assert forged.json()["error"] == "CsrfRejected"
    login = httpx.Client(base_url=server.url).post(
        "/auth/login", data={"name": "agent1", "password": PASSWORD, "csrf_token": "x"}
    )
    assert login.status_code == 403  # log-in CSRF: the form's token must match its cookie
    assert client.post("/auth/logout").status_code == 403
    assert client.post("/auth/logout", data={"csrf_token": csrf}).status_code == 303
    assert client.get("/agent/api/state").status_code == 401


def test_an_agent_is_refused_another_agents_lead(server: Server) -> None:
    client, _ = log_in(server, "agent1")
    refused = client.get(f"/agent/api/leads/{server.floor.agent2_lead}")
    assert (refused.status_code, refused.json()["error"]) == (403, "NotYours")
    assert client.get("/agent/api/leads/999999").status_code == 404
    owner, _ = log_in(server, "agent2")
    card = owner.get(f"/agent/api/leads/{server.floor.agent2_lead}").json()
    assert re.fullmatch(r"1\d\d\*{4}\d{4}", card["lead"]["phone"])  # masked
    assert card["quote"]["total"]["new_cents"] > 0
    # Last year's policy numbers and the gifts on offer (the call script file's, per language).
    assert card["quote"]["last_policies"]["commercial"]
    assert card["quote"]["gifts"] == "免费洗车券两张、道路救援服务一年"
    owner.cookies.set("xubao_lang", "en")
    english = owner.get(f"/agent/api/leads/{server.floor.agent2_lead}").json()
    assert english["quote"]["gifts"].startswith("two free car-wash vouchers")


def test_log_in_attempts_are_rate_limited(server: Server) -> None:
    client = httpx.Client(base_url=server.url)

    def attempt(password: str) -> int:
        token = re.search(r'value="([^"]+)"', client.get("/auth/login").text)
        assert token is not None
        return client.post(
            "/auth/login", data={"name": "qa1", "password": password, "csrf_token": token.group(1)}
        ).status_code

    assert [attempt("wrong-one") for _ in range(5)] == [401] * 5
    assert attempt(PASSWORD) == 429  # even the right password waits for the window to pass


async def test_socket_pongs_keep_the_seat_heard(server: Server) -> None:
    client, csrf = log_in(server, "agent2")
    seat = client.post("/agent/api/seat/login", json={"campaign_id": "c2"},
                       headers={"X-CSRF-Token": csrf}).json()  # fmt: skip
    assert seat["state"] == "ready"
    sessions = make_session_factory(create_db_engine(server.floor.database_url))
    with sessions() as s:
        before = s.scalar(select(Seat.heard_at).where(Seat.agent_id == "1002"))
    headers = {"Cookie": f"xubao_session={client.cookies['xubao_session']}"}
    async with connect(_ws_url(server), additional_headers=headers) as socket:
        first = json.loads(await socket.recv())
        assert first["type"] == "seat" and first["seat"]["campaign_id"] == "c2"
        while (message := json.loads(await socket.recv()))["type"] != "ping":
            pass
        await socket.send(json.dumps({"type": "pong", "n": message["n"]}))
        while (message := json.loads(await socket.recv()))["type"] != "ping":
            pass  # the next ping comes after the pong was handled
    with sessions() as s:
        after = s.scalar(select(Seat.heard_at).where(Seat.agent_id == "1002"))
    assert before is not None and after is not None and after > before
    client.post("/agent/api/seat/logout", headers={"X-CSRF-Token": csrf})
