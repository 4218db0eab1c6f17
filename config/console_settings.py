"""Settings of the web consoles (``[console]`` in the TOML file, ``XUBAO_CONSOLE__…``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, Field

__all__ = ["ConsoleSettings", "FloorAlertSettings", "PauseCodeSetting"]


class PauseCodeSetting(BaseModel):
    """One pause code; ``limit_s`` is how long the pause may last (None: no limit)."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    label_zh: str
    label_en: str
    limit_s: int | None = Field(default=None, gt=0)


def _default_pause_codes() -> list[PauseCodeSetting]:
    return [
        PauseCodeSetting(code="break", label_zh="小休", label_en="Break", limit_s=900),
        PauseCodeSetting(code="lunch", label_zh="午餐", label_en="Lunch", limit_s=3600),
        PauseCodeSetting(code="training", label_zh="培训", label_en="Training"),
        PauseCodeSetting(code="meeting", label_zh="会议", label_en="Meeting"),
        PauseCodeSetting(code="admin", label_zh="事务处理", label_en="Paperwork", limit_s=600),
    ]


class FloorAlertSettings(BaseModel):
    """When the supervisors' floor raises an alert (``[console.floor_alerts]``): seconds a seat
    may stay in one state (a paused seat whose pause code has ``limit_s`` is held to that), and
    the share of a campaign's abandon cap at which it warns before the cap is reached."""

    ready_s: float = Field(default=900.0, gt=0)
    paused_s: float = Field(default=900.0, gt=0)
    wrap_up_s: float = Field(default=300.0, gt=0)
    on_call_s: float = Field(default=1800.0, gt=0)
    abandon_near: float = Field(default=0.8, gt=0, le=1)


class ConsoleSettings(BaseModel):
    """Times in seconds. ``secure_cookies`` must be on behind HTTPS (production)."""

    session_ttl_s: int = Field(default=12 * 3600, gt=0)
    secure_cookies: bool = False
    login_attempts: int = Field(default=5, ge=1)  # failures allowed per user name …
    login_attempts_per_address: int = Field(default=50, ge=1)  # … and per client address …
    login_window_s: int = Field(default=300, gt=0)  # … within this many seconds
    ping_s: float = Field(default=2.0, gt=0)  # the server pings every agent socket this often
    # A recording paused for card details resumes by itself after this many seconds.
    recording_pause_limit_s: float = Field(default=120.0, gt=0, le=3600)
    pause_codes: list[PauseCodeSetting] = Field(default_factory=_default_pause_codes)
    floor_alerts: FloorAlertSettings = Field(default_factory=FloorAlertSettings)
    # The renewal call script shown in the pop (TOML); None: config/scripts/renewal_call.toml.
    call_script_file: Path | None = None
