"""The AMI adapter logs the customer's number with the one mask, renewals.phones.mask_phone."""

from __future__ import annotations

import logging

import pytest

from renewals.phones import mask_phone
from tests.integration.dialer.asterisk.scenarios import fixture_port_events


async def test_the_originate_line_masks_the_number_02(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="dialer.asterisk.adapter")
    await fixture_port_events("02")
    lines = [r.getMessage() for r in caplog.records if "originate to" in r.getMessage()]
    assert lines == [f"dialer-073132-b originate to {mask_phone('5551001')}"]
    assert "5551001" not in caplog.text
