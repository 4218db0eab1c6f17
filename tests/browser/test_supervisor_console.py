"""A supervisor's floor in Chromium against a real ``xubao serve`` on the simulated network.

The tests run in order on one server: the state-change push, a listen on a live call, the
campaign pause, and the agent refused everywhere.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import TypeVar

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from agent_console.accounts import set_team
from config.db import create_db_engine, make_session_factory
from dialer.floor import SupervisorAction
from renewals.models import ContactAttempt
from tests.browser.conftest import log_in, shot
from tests.console_floor import Server

T = TypeVar("T")


def _db(server: Server) -> Session:
    return make_session_factory(create_db_engine(server.floor.database_url))()


def _until(check: Callable[[], T | None], timeout_s: float = 30.0) -> T:
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value is not None:
            return value
        assert time.monotonic() < deadline, "the server never wrote what the test waits for"
        time.sleep(0.2)


def _last_attempt(server: Server, campaign_id: str) -> int:
    with _db(server) as s:
        found = s.scalar(
            select(func.max(ContactAttempt.id)).where(ContactAttempt.campaign_id == campaign_id)
        )
        return found or 0


@pytest.fixture(scope="module")
def supervisor(browser: Browser, server: Server) -> Page:
    with _db(server) as s, s.begin():
        set_team(s, "agent1", "一组")
        set_team(s, "agent2", "二组")
    page = log_in(browser, server, "super1")
    expect(page).to_have_url(server.url + "supervisor/")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    return page


def _agent_in(browser: Browser, server: Server, name: str, campaign_id: str) -> Page:
    page = log_in(browser, server, name)
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    page.select_option("#campaign", campaign_id)
    page.click("#btn-login")
    return page


def test_supervisor_sees_an_agents_state_change_within_a_second(
    browser: Browser, server: Server, supervisor: Page
) -> None:
    # No call is in the IVR (the floor-wide row above the campaigns), in Chinese by default.
    expect(supervisor.locator("#ivr-lines")).to_have_text("0 (客户来电 0 · 到期提醒外呼 0)")
    agent = _agent_in(browser, server, "agent2", "c2")  # preview: no call comes by itself
    row = supervisor.locator('#seats tr[data-agent="1002"]')
    expect(row).to_have_attribute("data-state", "ready", timeout=5_000)
    agent.click("#btn-pause")
    # Pushed from the bus: the agent's action reaches the wallboard within a second.
    expect(row).to_have_attribute("data-state", "paused", timeout=1_000)
    expect(row).to_have_attribute("data-team", "二组")
    supervisor.select_option("#filter-team", "一组")  # the other team: the seat is hidden
    expect(row).to_have_count(0)
    supervisor.select_option("#filter-team", "二组")
    expect(row).to_have_count(1)
    supervisor.select_option("#filter-team", "")
    agent.click("#btn-ready")
    expect(row).to_have_attribute("data-state", "ready", timeout=1_000)
    agent.click("#btn-logout")
    expect(row).to_have_count(0, timeout=1_000)
    agent.context.close()


def test_supervisor_listens_to_a_live_call_and_the_audit_log_shows_it(
    browser: Browser, server: Server, supervisor: Page
) -> None:
    agent = _agent_in(browser, server, "agent1", "c1")  # progressive: a call is delivered
    row = supervisor.locator('#seats tr[data-agent="1001"]')
    expect(row).to_have_attribute("data-state", "on_call", timeout=30_000)
    expect(row.locator("td.customer")).to_have_text(re.compile(r"^\d{3}\*{4}\d{4}$"))  # masked
    row.locator('button[data-spy="listen"]').click()
    # The simulated network's SpyStarted comes back over the bus: who is monitored is shown.
    expect(row.locator(".spied")).to_contain_text("super1", timeout=3_000)
    audit = supervisor.locator('#audit tr[data-action="spy.listen"][data-outcome="done"]')
    expect(audit.first).to_contain_text("1001")
    shot(supervisor, "supervisor-01-wallboard-listening")
    with _db(server) as s:
        rows = s.scalars(select(SupervisorAction).where(SupervisorAction.action == "spy.listen"))
        done = [r for r in rows if r.outcome.value == "done"]
    assert done and done[-1].supervisor == "super1" and done[-1].agent_id == "1001"
    agent.context.close()


def test_supervisor_pauses_a_campaign_and_dialing_stops(
    browser: Browser, server: Server, supervisor: Page
) -> None:
    card = supervisor.locator('#campaigns [data-campaign="c1"]')
    expect(card).to_have_attribute("data-status", "running")
    card.locator('button[data-status="paused"]').click()
    expect(card).to_have_attribute("data-status", "paused", timeout=10_000)
    expect(
        supervisor.locator('#audit tr[data-action="campaign.status"][data-outcome="done"]').first
    ).to_contain_text("paused")
    time.sleep(1.5)  # a tick that read the campaign before the pause may still place its call
    before = _last_attempt(server, "c1")
    agent = _agent_in(browser, server, "agent2", "c1")  # a ready seat: it would get a call
    row = supervisor.locator('#seats tr[data-agent="1002"]')
    expect(row).to_have_attribute("data-state", "ready", timeout=5_000)
    time.sleep(4)  # four pacing ticks with a ready seat
    assert _last_attempt(server, "c1") == before, "a paused campaign dialed"
    expect(row).to_have_attribute("data-state", "ready")
    shot(supervisor, "supervisor-02-wallboard-campaign-paused")
    card.locator('button[data-status="running"]').click()
    expect(card).to_have_attribute("data-status", "running", timeout=10_000)
    _until(lambda: _last_attempt(server, "c1") > before or None, timeout_s=20)  # dialing again
    expect(row).to_have_attribute("data-state", "on_call", timeout=30_000)
    agent.context.close()


def test_an_agent_gets_403_on_the_supervisor_api_and_websocket(
    browser: Browser, server: Server, supervisor: Page
) -> None:
    agent = log_in(browser, server, "agent1")
    for path in ("supervisor/", "supervisor/api/floor", "supervisor/api/audit"):
        assert agent.request.get(server.url + path).status == 403, path
    csrf = agent.locator("#app").get_attribute("data-csrf") or ""
    refused = agent.request.post(
        server.url + "supervisor/api/campaigns/c1/status",
        data={"status": "stopped"},
        headers={"X-CSRF-Token": csrf},
    )
    assert refused.status == 403
    host = server.url.split("://", 1)[1].rstrip("/")
    for page, allowed in ((agent, False), (supervisor, True)):
        cookies = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
        headers = {"Cookie": cookies, "Origin": f"http://{host}"}
        if allowed:
            with connect(f"ws://{host}/ws/supervisor", additional_headers=headers) as socket:
                assert '"type": "floor"' in str(socket.recv(timeout=10))
        else:
            with pytest.raises(InvalidStatus) as refused_socket:
                connect(f"ws://{host}/ws/supervisor", additional_headers=headers)
            assert refused_socket.value.response.status_code == 403
    # A supervisor's session from another site's page is refused too (Origin).
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in supervisor.context.cookies())
    with pytest.raises(InvalidStatus):
        connect(
            f"ws://{host}/ws/supervisor",
            additional_headers={"Cookie": cookies, "Origin": "http://evil.example"},
        )
    agent.context.close()
