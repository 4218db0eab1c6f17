"""An agent's day in Chromium against a real ``xubao serve`` on the simulated network."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from config.db import create_db_engine, make_session_factory
from config.domain import quote_rules
from config.settings import Settings
from dialer.models import Seat, SeatState
from renewals.models import (
    ContactAttempt,
    Customer,
    Disposition,
    DispositionKind,
    Lead,
    Policy,
    Vehicle,
)
from renewals.quoting import build_quote
from tests.browser.conftest import log_in, shot
from tests.console_floor import Server

T = TypeVar("T")


def _db(server: Server) -> Session:
    return make_session_factory(create_db_engine(server.floor.database_url))()


def _until(check: Callable[[], T | None], timeout_s: float = 30.0) -> T:
    """Poll the database until ``check`` gives a value (the server writes it asynchronously)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = check()
        if value is not None:
            return value
        assert time.monotonic() < deadline, "the server never wrote what the test waits for"
        time.sleep(0.2)


def _customer_of_call(server: Server, call_id: str) -> tuple[Lead, Customer, Vehicle]:
    with _db(server) as s:
        attempt = s.scalars(select(ContactAttempt).where(ContactAttempt.call_id == call_id)).one()
        lead = s.get(Lead, attempt.lead_id)
        assert lead is not None
        policy = s.get(Policy, lead.policy_id)
        assert policy is not None
        vehicle = s.get(Vehicle, policy.vehicle_id)
        assert vehicle is not None
        customer = s.get(Customer, vehicle.customer_id)
        assert customer is not None
        return lead, customer, vehicle


def _seat(server: Server, agent_id: str) -> Seat | None:
    with _db(server) as s:
        return s.get(Seat, agent_id)


def test_agent_takes_a_delivered_call_and_sets_a_disposition(
    browser: Browser, server: Server
) -> None:
    page = log_in(browser, server, "agent1")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    shot(page, "01-agent-logged-out-seat")
    page.click("#btn-login")  # READY at once: the progressive campaign dials for this seat
    expect(page.locator("#pop")).to_be_visible(timeout=30_000)
    seat = _until(lambda: (s := _seat(server, "1001")) and s.call_id and s)
    lead, customer, vehicle = _customer_of_call(server, seat.call_id or "")
    title = page.locator("#pop-title")
    expect(title).to_contain_text(customer.name)
    expect(title).to_contain_text(vehicle.plate)
    with _db(server) as s:
        today = server.floor.start.date()
        panel = build_quote(s, vehicle.plate, today, quote_rules(Settings.load().quoting))
    total = f"¥{panel.total_cents / 100:,.2f}"
    expect(page.locator("#quote-lines tr.total")).to_contain_text(total)
    facts = page.locator("#quote-facts")
    expect(facts).to_contain_text("上年保单")  # last year's policy numbers
    expect(facts).to_contain_text(panel.last_commercial_policy_no)
    expect(facts).to_contain_text("赠送礼品")  # the gifts on offer, from the call script file
    expect(facts).to_contain_text("免费洗车券两张")
    expect(page.locator("#pop-customer")).to_contain_text(customer.phone[:3] + "****")
    assert customer.phone not in page.content()  # the full number never reaches the browser
    shot(page, "02-screen-pop-quote-panel")

    # The socket drops and comes back, then the whole page reloads: the pop stays right.
    page.evaluate("window.xubaoSocket().close()")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    expect(title).to_contain_text(customer.name)
    page.reload()
    expect(page.locator("#pop-title")).to_contain_text(customer.name)

    # The customer hangs up after a few seconds (the fast profile): wrap-up with its countdown.
    expect(page.locator("#seat-state")).to_have_attribute("data-state", "wrap_up", timeout=30_000)
    expect(page.locator("#seat-timer")).to_contain_text(":")
    page.keyboard.press("Alt+3")  # callback
    local = (server.floor.start + timedelta(days=1)).astimezone(ZoneInfo("Asia/Shanghai"))
    page.fill("input[name=callback_at]", local.strftime("%Y-%m-%dT%H:%M"))
    page.fill("textarea[name=notes]", "客户明天上午再谈")
    page.check("input[name=pause_after]")  # no next call while the test checks the result
    shot(page, "03-disposition-form")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#notice")).to_contain_text("已保存")
    expect(page.locator("#seat-state")).to_have_attribute("data-state", "paused")
    shot(page, "04-disposition-saved-paused")
    with _db(server) as s:
        disposition = s.scalars(select(Disposition).where(Disposition.lead_id == lead.id)).one()
        stored = s.get(Lead, lead.id)
        assert stored is not None
        assert (disposition.kind, disposition.agent) == (DispositionKind.CALLBACK, "1001")
        assert disposition.notes == "客户明天上午再谈"
        assert stored.next_contact_at == disposition.callback_at
        assert disposition.callback_at == local.replace(second=0, microsecond=0)
        assert stored.last_outcome == "callback"
    page.context.close()


def test_preview_dial_in_one_click(browser: Browser, server: Server) -> None:
    page = log_in(browser, server, "agent2")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    page.select_option("#campaign", "c2")
    page.click("#btn-login")
    expect(page.locator("#seat-state")).to_have_attribute("data-state", "ready")
    page.click("#btn-preview")
    shown = page.locator("#preview-body dl")
    expect(shown).to_be_visible()
    lead_id = int(shown.get_attribute("data-lead-id") or "0")
    shot(page, "05-preview-next-lead")
    page.click("#btn-dial")
    expect(page.locator("#pop")).to_be_visible(timeout=30_000)
    with _db(server) as s:
        attempt = s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == "c2")).one()
        assert attempt.lead_id == lead_id  # the server dialled the lead the agent was shown
    _lead, customer, _vehicle = _customer_of_call(server, attempt.call_id)
    expect(page.locator("#pop-title")).to_contain_text(customer.name)
    assert customer.phone not in page.content()
    shot(page, "06-preview-call-pop")
    page.context.close()


def test_agent_is_refused_other_pages_and_leads(browser: Browser, server: Server) -> None:
    page = log_in(browser, server, "agent1")
    response = page.goto(f"{server.url}agent/api/leads/{server.floor.agent2_lead}")
    assert response is not None and response.status == 403
    for path in ("auth/me", "agent/"):
        assert (page.goto(server.url + path) or response).status == 200
    # The header offers an agent only their own areas; the others are refused if typed in.
    areas = page.locator("#areas a")
    expect(areas).to_have_count(2)
    assert sorted(areas.evaluate_all("links => links.map(a => a.pathname)")) == [
        "/agent/",
        "/qa/mine/",
    ]
    for path in ("supervisor/", "supervisor/api/floor", "qa/", "qa/templates/", "reports/",
                 "reports/api/seats?from=2026-01-01&to=2026-01-31"):  # fmt: skip
        refused = page.goto(server.url + path)
        assert refused is not None and refused.status == 403, path
    shot(page, "07a-agent-refused-supervisor-page")
    page.context.close()
    supervisor = log_in(browser, server, "super1")
    response = supervisor.goto(server.url + "agent/")
    assert response is not None and response.status == 403
    shot(supervisor, "07-supervisor-refused-agent-page")
    supervisor.context.close()


def test_closing_the_page_makes_the_seat_lapse(browser: Browser, server: Server) -> None:
    page = log_in(browser, server, "agent2")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    # The seat may still be on the preview test's call: wait for it to be free.
    badge = page.locator("#seat-state")
    expect(badge).to_have_attribute(
        "data-state", re.compile("logged_out|ready|wrap_up|paused"), timeout=30_000
    )
    if badge.get_attribute("data-state") == "logged_out":
        page.select_option("#campaign", "c2")
        page.click("#btn-login")
    page.select_option("#pause-code", "training")
    page.click("#btn-pause")
    expect(page.locator("#seat-state")).to_have_attribute("data-state", "paused")
    # Heard from while the page is open: still logged in after more than the lapse time.
    time.sleep(8)
    seat = _seat(server, "1002")
    assert seat is not None and seat.state is SeatState.PAUSED
    page.context.close()
    _until(lambda: ((s := _seat(server, "1002")) and s.state is SeatState.LOGGED_OUT) or None)
