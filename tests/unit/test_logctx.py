"""Log lines carry the bound call context, and the binding ends with its block."""

from __future__ import annotations

import logging

import pytest

from config.logs import _ContextFilter
from renewals.logctx import CONTEXT, bound


def test_bound_values_reach_the_record_and_are_reset_after(
    caplog: pytest.LogCaptureFixture,
) -> None:
    log = logging.getLogger("xubao.test")
    caplog.handler.addFilter(_ContextFilter())
    caplog.set_level(logging.INFO)
    with bound(call_id="c-1", lead_id=42):
        log.info("dialing")
    log.info("after")
    inside, after = caplog.records
    assert (inside.call_id, inside.lead_id, inside.campaign_id) == ("c-1", "42", "-")  # type: ignore[attr-defined]
    assert CONTEXT["call_id"].get() == "-"
    assert after.call_id == "-"  # type: ignore[attr-defined]
