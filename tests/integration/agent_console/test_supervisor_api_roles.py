"""The supervisor API and websocket: supervisors and admins only; agents and QA get 403.

Sessions are opened in the database, not through the log-in form: the package shares one
server, whose log-in limit per client address the other modules already use.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from agent_console.accounts import open_session, principal_of
from agent_console.models import User
from config.db import create_db_engine, make_session_factory
from tests.console_floor import Server

GETS = ("/supervisor/", "/supervisor/api/floor", "/supervisor/api/audit")
POSTS = (
    ("/supervisor/api/calls/x/spy", {"mode": "listen"}),
    ("/supervisor/api/seats/1001/pause", {"reason": "coaching"}),
    ("/supervisor/api/seats/1001/logout", {"reason": "home"}),
    ("/supervisor/api/campaigns/c1/status", {"status": "stopped"}),
    ("/supervisor/api/campaigns/c1/mode", {"mode": "predictive"}),
    ("/supervisor/api/campaigns/c1/dial-level", {"cap": 2}),
    ("/supervisor/api/leads/1/reassign", {"agent_id": "1002"}),
)


def log_in(server: Server, name: str) -> tuple[httpx.Client, str]:
    """A client holding a new session of ``name``, and the session's CSRF token."""
    engine = create_db_engine(server.floor.database_url)
    try:
        with make_session_factory(engine).begin() as session:
            user = session.scalars(select(User).where(User.name == name)).one()
            at = server.floor.start  # the server's (shifted) clock began there
            token = open_session(session, user, at=at, ttl_s=86400, language="zh_CN")
            principal = principal_of(session, token, at=at)
            assert principal is not None
            csrf = principal.csrf_token
    finally:
        engine.dispose()
    client = httpx.Client(base_url=server.url, timeout=20, cookies={"xubao_session": token})
    return client, csrf


def _ws_url(server: Server) -> str:
    return server.url.replace("http://", "ws://") + "ws/supervisor"


@pytest.mark.parametrize("name", ["agent1", "qa1"])
def test_agents_and_qa_get_403_on_every_supervisor_route(server: Server, name: str) -> None:
    client, csrf = log_in(server, name)
    for path in GETS:
        assert client.get(path).status_code == 403, path
    for path, body in POSTS:
        answer = client.post(path, json=body, headers={"X-CSRF-Token": csrf})
        assert answer.status_code == 403, path
        assert answer.json()["error"] == "RoleRequired"


@pytest.mark.parametrize("name", ["super1", "admin1"])
def test_supervisors_and_admins_read_the_floor_and_need_csrf_to_act(
    server: Server, name: str
) -> None:
    client, csrf = log_in(server, name)
    floor = client.get("/supervisor/api/floor").json()
    assert floor["type"] == "floor" and {c["campaign_id"] for c in floor["campaigns"]} >= {"c1"}
    assert floor["ivr"] == {"total": 0, "inbound": 0, "reminder": 0}
    no_csrf = client.post("/supervisor/api/campaigns/c1/dial-level", json={"cap": 2})
    assert no_csrf.status_code == 403 and no_csrf.json()["error"] == "CsrfRejected"
    # Not on a call: the listen is refused (409) and audited.
    refused = client.post(
        "/supervisor/api/calls/no-such-call/spy", json={"mode": "listen"},
        headers={"X-CSRF-Token": csrf},
    )  # fmt: skip
    assert refused.status_code == 409 and refused.json()["error"] == "NotOnCall"
    audit = client.get("/supervisor/api/audit").json()
    assert audit[0]["action"] == "spy.listen" and audit[0]["outcome"] == "refused"
    assert audit[0]["supervisor"] == name
    # Outside the rules: a dial-level cap of 20 is refused at the door (422).
    too_high = client.post(
        "/supervisor/api/campaigns/c1/dial-level", json={"cap": 20}, headers={"X-CSRF-Token": csrf}
    )
    assert too_high.status_code == 422


async def test_the_supervisor_socket_refuses_agents_qa_strangers_and_other_sites(
    server: Server,
) -> None:
    agent, _ = log_in(server, "agent1")
    qa, _ = log_in(server, "qa1")
    supervisor, _ = log_in(server, "super1")
    origin = server.url.rstrip("/")
    cases = [
        {},
        {"Cookie": f"xubao_session={agent.cookies['xubao_session']}", "Origin": origin},
        {"Cookie": f"xubao_session={qa.cookies['xubao_session']}", "Origin": origin},
        {"Cookie": f"xubao_session={supervisor.cookies['xubao_session']}",
         "Origin": "http://evil.example"},
    ]  # fmt: skip
    for headers in cases:
        with pytest.raises(InvalidStatus) as refused:
            async with connect(_ws_url(server), additional_headers=headers):
                pass
        assert refused.value.response.status_code == 403
    cookie = {"Cookie": f"xubao_session={supervisor.cookies['xubao_session']}", "Origin": origin}
    async with connect(_ws_url(server), additional_headers=cookie) as socket:
        assert '"type": "floor"' in str(await socket.recv())
