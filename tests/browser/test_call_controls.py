"""Call controls in Chromium: hold and resume, mute, a paused recording that resumes by itself,
and a blind transfer from agent1 to agent2, who then gets the pop. One server for the module,
with calls long enough (40 s of talk) for a person's clicks, and a 2-second pause limit."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from config.db import create_db_engine, make_session_factory
from dialer.models import CampaignMode
from dialer.recording_pauses import RecordingPause
from tests.browser.conftest import log_in, shot
from tests.console_floor import FAST_PROFILE, Server, serving

PAUSE_LIMIT_S = 2


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("calls")
    url = f"sqlite:///{directory / 'xubao.db'}"
    profile = {**FAST_PROFILE, "talk_s": {"mean": 40.0, "sd": 0.5}}
    limit = {"XUBAO_CONSOLE__RECORDING_PAUSE_LIMIT_S": str(PAUSE_LIMIT_S)}
    with serving(url, directory, mode=CampaignMode.PROGRESSIVE, profile=profile,
                 extra_env=limit) as running:  # fmt: skip
        yield running


def _pauses(server: Server, call_id: str) -> list[RecordingPause]:
    engine = create_db_engine(server.floor.database_url)
    try:
        with make_session_factory(engine)() as session:
            return list(
                session.scalars(select(RecordingPause).where(RecordingPause.call_id == call_id))
            )
    finally:
        engine.dispose()


def _call_id(page: Page) -> str:
    seat = page.request.get(page.url.split("/agent")[0] + "/agent/api/state").json()["seat"]
    return str(seat["call_id"])


def _post(page: Page, path: str, data: object, *, csrf: bool = True) -> tuple[int, object]:
    headers = {"X-CSRF-Token": page.locator("#app").get_attribute("data-csrf") or ""}
    answer = page.request.post(
        page.url.split("/agent")[0] + path, data=data, headers=headers if csrf else {}
    )
    return answer.status, answer.json()


def test_hold_mute_pause_and_transfer_between_two_agents(browser: Browser, server: Server) -> None:
    second = log_in(browser, server, "agent2")
    expect(second.locator("#seat-state")).to_have_attribute("data-state", "logged_out")
    second.click("#btn-login")
    second.select_option("#pause-code", "training")  # paused: the queue offers it nothing
    second.click("#btn-pause")
    expect(second.locator("#seat-state")).to_have_attribute("data-state", "paused")

    first = log_in(browser, server, "agent1")
    first.click("#btn-login")
    expect(first.locator("#seat-state")).to_have_attribute("data-state", "on_call")
    panel = first.locator("#call-controls")
    expect(panel).to_be_visible()
    call_id = _call_id(first)

    # Hold and resume with the button; mute with its shortcut.
    first.click("#btn-hold")
    expect(first.locator("#call-flags")).to_contain_text("客户保持中")
    expect(first.locator("#btn-hold")).to_have_text("恢复通话")
    shot(first, "call-controls-held")
    # The supervisor's grid says so too: a customer on hold is not "talking".
    supervisor = log_in(browser, server, "super1")
    row = supervisor.locator('#seats tr[data-agent="1001"]')
    expect(row.locator('[data-mark="held"]')).to_contain_text("保持中")
    first.click("#btn-hold")
    expect(row.locator('[data-mark="held"]')).to_have_count(0)
    supervisor.context.close()
    expect(first.locator("#btn-hold")).to_have_text("保持")
    first.keyboard.press("Alt+m")
    expect(first.locator("#call-flags")).to_contain_text("已静音")

    # The recording pause is logged and ends by itself at the limit.
    first.keyboard.press("Alt+k")
    expect(first.locator("#call-flags")).to_contain_text("录音已暂停")
    (paused,) = _pauses(server, call_id)
    assert paused.agent_id == "1001" and paused.ended_at is None
    deadline = time.monotonic() + 15
    while (row := _pauses(server, call_id)[0]).ended_at is None:
        assert time.monotonic() < deadline, "the recording was never resumed at the limit"
        time.sleep(0.2)
    assert row.ended_by == "limit"
    # The page hears of the server's resume on the socket (no click, no reload).
    expect(first.locator("#call-flags")).not_to_contain_text("录音已暂停")
    expect(first.locator("#btn-recording")).to_have_attribute("aria-pressed", "false")
    assert row.duration_s is not None and PAUSE_LIMIT_S <= row.duration_s < PAUSE_LIMIT_S + 2

    # Only one's own call, with the CSRF token.
    status, body = _post(first, "/agent/api/calls/not-my-call/hold", {"held": True})
    assert (status, body["error"]) == (403, "NotYours")  # type: ignore[index]
    status, _ = _post(first, f"/agent/api/calls/{call_id}/hold", {"held": True}, csrf=False)
    assert status == 403
    status, _ = _post(first, f"/agent/api/calls/{call_id}/transfer", {"kind": "agent", "id": "7"})
    assert status == 404  # not a logged-in agent of this campaign

    # Blind transfer to agent2, who gets the pop of the same call.
    first.select_option("#transfer-target", "agent:1002")
    first.click("#btn-transfer")
    expect(first.locator("#seat-state")).to_have_attribute("data-state", "wrap_up")
    expect(panel).to_be_hidden()
    status, body = _post(first, f"/agent/api/calls/{call_id}/hold", {"held": True})
    assert (status, body["error"]) == (409, "SeatProblem")  # type: ignore[index]

    expect(second.locator("#seat-state")).to_have_attribute("data-state", "on_call")
    expect(second.locator("#pop")).to_be_visible()
    expect(second.locator("#call-controls")).to_be_visible()
    assert _call_id(second) == call_id
    shot(second, "call-controls-transferred")
    second.click("#btn-hangup")
    expect(second.locator("#seat-state")).to_have_attribute("data-state", "wrap_up")
    for page in (first, second):
        page.context.close()
