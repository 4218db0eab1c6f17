"""The AMI link lost during a campaign, on the supervisor's screen: a real ``xubao serve`` on
Asterisk (a scripted Asterisk over loopback TCP, running in a thread of the test), the AMI
server killed while the campaigns run, then brought back. The wallboard shows the alert at
once with the time the link was lost, then the recovery with the time lost."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
from playwright.sync_api import Browser, expect

from dialer.models import CampaignMode
from tests.browser.conftest import log_in, shot
from tests.console_floor import Server, serving
from tests.integration.dialer.asterisk.support import FIXTURE_SECRET
from tests.integration.dialer.runtime.scripted_ami import ScriptedAsterisk

T = TypeVar("T")


class AsteriskThread:
    """``ScriptedAsterisk`` on its own event loop in a thread; ``call`` runs a coroutine there."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="scripted-ami")
        self._thread.start()
        self.asterisk: ScriptedAsterisk = self.call(self._make())

    @staticmethod
    async def _make() -> ScriptedAsterisk:
        return ScriptedAsterisk(queue="renewals")

    def call(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    def close(self) -> None:
        self.call(self.asterisk.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()


@pytest.fixture(scope="module")
def lab() -> Iterator[AsteriskThread]:
    lab = AsteriskThread()
    yield lab
    lab.close()


@pytest.fixture(scope="module")
def asterisk_server(
    tmp_path_factory: pytest.TempPathFactory, lab: AsteriskThread
) -> Iterator[Server]:
    port = lab.call(lab.asterisk.start())
    directory = tmp_path_factory.mktemp("console-ami")
    env = {
        "XUBAO_TELEPHONY": "asterisk",
        "XUBAO_AMI_HOST": "127.0.0.1",
        "XUBAO_AMI_PORT": str(port),
        "XUBAO_AMI_USER": "dialer",
        "XUBAO_AMI_SECRET": FIXTURE_SECRET,
        "XUBAO_CUSTOMER_DIAL_TEMPLATE": "Local/{number}@customer",
        "XUBAO_AGENT_INTERFACE_TEMPLATE": "Local/{agent}@agents/n",
    }
    url = f"sqlite:///{directory / 'xubao.db'}"
    with serving(url, directory, mode=CampaignMode.PROGRESSIVE, extra_env=env) as running:
        yield running


def test_supervisor_sees_the_ami_link_lost_then_recovered(
    browser: Browser, asterisk_server: Server, lab: AsteriskThread
) -> None:
    page = log_in(browser, asterisk_server, "super1")
    expect(page.locator("#conn")).to_have_attribute("data-up", "1")
    card = page.locator('#campaigns [data-campaign="c1"]')
    expect(card).to_have_attribute("data-status", "running")  # a campaign runs
    expect(page.locator("#link")).to_have_attribute("data-up", "1")
    expect(page.locator('#alerts li[data-kind="link_down"]')).to_have_count(0)
    lab.call(lab.asterisk.kill())
    killed = time.monotonic()
    down = page.locator('#alerts li[data-kind="link_down"]')
    expect(down).to_be_visible(timeout=3_000)  # at once: pushed from the bus
    assert time.monotonic() - killed < 3
    expect(page.locator("#link")).to_have_attribute("data-up", "0")
    expect(down).to_contain_text("AMI 链路中断，开始于 ")  # the page is in Chinese by default
    shot(page, "supervisor-03-wallboard-ami-link-down")
    time.sleep(1.5)  # Asterisk away for a while
    lab.call(lab.asterisk.revive())
    recovered = page.locator('#alerts li[data-kind="link_up"]')
    expect(recovered).to_be_visible(timeout=30_000)  # the adapter reconnects with back-off
    expect(down).to_have_count(0)
    expect(recovered).to_contain_text("链路已恢复；中断时长")
    expect(page.locator("#link")).to_have_attribute("data-up", "1")
    shot(page, "supervisor-04-wallboard-ami-link-recovered")
    page.context.close()
