"""The agent's work tools in Chromium against a real ``xubao serve``: search a lead of their
own, book a callback kept for them, dial a lead by hand (the pop comes with the call script),
and the do-not-call button during the call. One server for the module (conftest)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from config.db import create_db_engine, make_session_factory
from renewals.models import (
    ContactAttempt,
    Customer,
    Disposition,
    DispositionKind,
    DoNotCall,
    Lead,
    LeadStatus,
    Policy,
    Vehicle,
)
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


@pytest.fixture(scope="module")
def mine(server: Server) -> list[tuple[int, str, str, str]]:
    """Two open leads assigned to agent1: (lead id, customer name, phone, plate)."""
    with _db(server) as s:
        rows = s.execute(
            select(Lead.id, Customer.name, Customer.phone, Vehicle.plate)
            .join(Policy, Lead.policy_id == Policy.id)
            .join(Vehicle, Policy.vehicle_id == Vehicle.id)
            .join(Customer, Vehicle.customer_id == Customer.id)
            .where(Lead.owner_agent.is_(None), Lead.status == LeadStatus.OPEN)
            .order_by(Lead.id)
            .limit(2)
        ).all()
        s.execute(update(Lead).where(Lead.id.in_([r[0] for r in rows])).values(owner_agent="1001"))
        s.commit()
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def test_search_book_a_kept_callback_dial_by_hand_and_do_not_call(
    browser: Browser, server: Server, mine: list[tuple[int, str, str, str]]
) -> None:
    (dialled, name, phone, plate), (booked, booked_name, _, booked_plate) = mine
    page = log_in(browser, server, "agent1")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    page.select_option("#campaign", "c2")  # preview: nothing is delivered but what we dial
    page.click("#btn-login")
    expect(page.locator("#seat-state")).to_have_attribute("data-state", "ready")

    # Search (Alt+F) by plate: the lead, its number masked.
    page.keyboard.press("Alt+F")
    page.keyboard.type(booked_plate)
    page.keyboard.press("Enter")
    row = page.locator(f"#lead-hits tr[data-lead-id='{booked}']")
    expect(row).to_contain_text(booked_name)
    expect(page.locator("#lead-hits tbody tr")).to_have_count(1)
    assert server.floor.agent2_lead not in [booked, dialled]
    shot(page, "11-work-lead-search")

    # A callback kept for this agent, two hours from now.
    row.locator("button.book").click()
    local = (server.floor.start + timedelta(hours=2)).astimezone(ZoneInfo("Asia/Shanghai"))
    page.fill("#callback-form input[name=at]", local.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#callback-form input[name=kept][value='1']")).to_be_checked()
    page.click("#btn-book")
    expect(page.locator("#notice")).to_contain_text("回拨已预约")
    item = page.locator(f"#callbacks li[data-lead-id='{booked}']")
    expect(item).to_contain_text("仅限本人")
    shot(page, "12-work-callback-kept-for-me")
    with _db(server) as s:
        lead = s.get(Lead, booked)
        assert lead is not None
        assert (lead.callback_agent, lead.last_outcome) == ("1001", "callback")
        assert lead.next_contact_at == local.replace(second=0, microsecond=0)

    # Manual dial by lead id from the search (last four digits of the number).
    page.fill("#work-q", phone[-4:])
    page.click("#btn-search")
    page.locator(f"#lead-hits tr[data-lead-id='{dialled}'] button.dial").click()
    expect(page.locator("#pop")).to_be_visible(timeout=30_000)
    expect(page.locator("#pop-title")).to_contain_text(name)
    script = page.locator("#script")
    expect(script).to_be_visible()
    expect(script).to_contain_text(name)
    expect(script).to_contain_text(plate)
    assert phone not in page.content()  # dialled by id: the number never reached the page
    shot(page, "13-work-manual-dial-pop-and-script")

    # The do-not-call button during the call (the confirmation accepted).
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#btn-dnc")
    expect(page.locator("#notice")).to_contain_text("号码已永久列入免打扰名单")
    expect(page.locator("#dispo-form input[value=do_not_call]")).to_be_checked()
    with _db(server) as s:
        call_id = s.scalars(
            select(ContactAttempt.call_id).where(ContactAttempt.lead_id == dialled)
        ).one()
        entry = s.scalars(select(DoNotCall).where(DoNotCall.phone == phone)).one()
        assert (entry.source, entry.agent, entry.call_id) == ("agent", "1001", call_id)
        assert entry.expires_at is None
        stored = s.get(Lead, dialled)
        assert stored is not None and stored.status is LeadStatus.DO_NOT_CALL
    shot(page, "14-work-do-not-call")

    # The call ends; its disposition (do not call, already chosen) is saved with Ctrl+Enter.
    expect(page.locator("#seat-state")).to_have_attribute("data-state", "wrap_up", timeout=30_000)
    page.check("input[name=pause_after]")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#notice")).to_contain_text("已保存")
    with _db(server) as s:
        disposition = s.scalars(select(Disposition).where(Disposition.lead_id == dialled)).one()
        assert disposition.kind is DispositionKind.DO_NOT_CALL
    page.context.close()


def test_another_agents_lead_is_not_found_and_cannot_be_dialled(
    browser: Browser, server: Server, mine: list[tuple[int, str, str, str]]
) -> None:
    page = log_in(browser, server, "agent1")
    theirs = server.floor.agent2_lead
    with _db(server) as s:
        their_plate = s.scalar(
            select(Vehicle.plate)
            .join(Policy, Policy.vehicle_id == Vehicle.id)
            .join(Lead, Lead.policy_id == Policy.id)
            .where(Lead.id == theirs)
        )
    assert their_plate is not None
    page.fill("#work-q", their_plate)
    page.click("#btn-search")
    expect(page.locator("#lead-hits tbody")).to_contain_text("没有找到客户")
    csrf = page.locator("#app").get_attribute("data-csrf") or ""
    answer = page.request.post(
        f"{server.url}agent/api/work/leads/{theirs}/dial", headers={"X-CSRF-Token": csrf}
    )
    assert answer.status == 403
    page.context.close()
