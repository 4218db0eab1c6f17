"""The consoles' own options (plain data; the composition root maps the settings onto them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dialer.floor import AlertLimits

__all__ = ["ConsoleOptions", "PauseCode"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PauseCode:
    """A reason to pause, as data; ``limit_s`` in seconds (None: no limit)."""

    code: str
    label_zh: str
    label_en: str
    limit_s: int | None = None

    def label(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_zh


def _pause_codes() -> tuple[PauseCode, ...]:
    return (
        PauseCode(code="break", label_zh="小休", label_en="Break", limit_s=900),
        PauseCode(code="training", label_zh="培训", label_en="Training"),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsoleOptions:
    """Times in seconds; see ``config.console_settings.ConsoleSettings``."""

    session_ttl_s: int = 12 * 3600
    secure_cookies: bool = False
    login_attempts: int = 5
    login_attempts_per_address: int = 50
    login_window_s: int = 300
    ping_s: float = 2.0
    recording_pause_limit_s: float = 120.0  # a paused recording resumes by itself after it
    pause_codes: tuple[PauseCode, ...] = field(default_factory=_pause_codes)
    call_script: Path | None = None  # the renewal call script (TOML); None: no script shown
    floor_alerts: AlertLimits = field(default_factory=AlertLimits)  # the supervisors' alerts

    def pause_code(self, code: str) -> PauseCode | None:
        return next((p for p in self.pause_codes if p.code == code), None)
