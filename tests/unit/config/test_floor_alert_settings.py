"""The supervisors' alert limits come from the settings, pause codes' own limits included."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from config.console_settings import ConsoleSettings
from config.settings import Settings
from config.web import console_options
from dialer.models import SeatState


def test_the_floor_alerts_are_settings_and_pause_codes_keep_their_limits() -> None:
    settings = Settings.model_validate(
        {"console": {"floor_alerts": {"ready_s": 120, "wrap_up_s": 60, "abandon_near": 0.5}}}
    )
    limits = console_options(settings).floor_alerts
    assert limits.state_limit_s(SeatState.READY) == 120
    assert limits.state_limit_s(SeatState.WRAP_UP) == 60
    assert limits.abandon_near == 0.5
    assert limits.state_limit_s(SeatState.PAUSED, "lunch") == 3600  # the code's own limit
    assert limits.state_limit_s(SeatState.PAUSED, "training") == 900  # no limit of its own


def test_a_bad_alert_limit_names_its_field() -> None:
    with pytest.raises(ValidationError, match=r"floor_alerts\.abandon_near"):
        ConsoleSettings.model_validate({"floor_alerts": {"abandon_near": 1.5}})
