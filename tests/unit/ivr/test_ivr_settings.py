"""The [ivr] settings: defaults, environment overrides, the placeholder ARI password refused in
production with Asterisk."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from config.ivr import ari_settings
from config.settings import Settings


@pytest.fixture(autouse=True)
def _no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))


def test_environment_overrides_and_the_ari_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XUBAO_IVR__ARI_URL", "http://10.0.0.5:8088")
    monkeypatch.setenv("XUBAO_IVR__REMINDER_DAYS", "3")
    settings = Settings.load()
    assert settings.ivr.reminder_days == 3
    ari = ari_settings(settings)
    assert (ari.base_url, ari.app, ari.events_url) == (
        "http://10.0.0.5:8088",
        "xubao-ivr",
        "ws://10.0.0.5:8088/ari/events",
    )
    assert "CHANGE-ME" not in repr(ari)  # the password is never shown


def test_placeholder_ari_password_is_refused_in_production() -> None:
    real_ami = {"ami_secret": "a-real-ami-secret"}
    with pytest.raises(ValidationError, match="ARI_PASSWORD"):
        Settings.load(environment="production", telephony="asterisk", **real_ami)
    ok = Settings.load(
        environment="production",
        telephony="asterisk",
        ivr={"ari_password": "a-real-ari-password"},
        **real_ami,
    )
    assert ok.ivr.ari_password.get_secret_value() == "a-real-ari-password"
