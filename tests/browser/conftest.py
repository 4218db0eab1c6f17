"""Browser tests: a real ``xubao serve`` process on a fresh database, driven by Playwright on
Debian's ``/usr/bin/chromium`` (headless; no browser is ever downloaded).

One server per test module: campaign ``c1`` is progressive (calls are delivered), ``c2`` is
preview (the agent dials). Screenshots go to ``tests/artifacts/`` (not committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from dialer.models import CampaignMode
from tests.console_floor import PASSWORD, Server, serving

CHROMIUM = Path(os.environ.get("XUBAO_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{directory / 'xubao.db'}"
    with serving(url, directory, mode=CampaignMode.PROGRESSIVE) as running:
        yield running


# Module scope, never session: the sync API keeps an event loop running in this thread until
# it is closed, and every asyncio test after it would find that loop running.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make system-deps` installs Debian's chromium")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield browser
        browser.close()


def log_in(browser: Browser, server: Server, name: str) -> Page:
    """A fresh context (its own cookies) logged in as ``name``."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(server.url + "auth/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login")
    page.wait_for_load_state("domcontentloaded")
    return page


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
