"""Errors raised by the composition root (settings, command line), shown by the CLI's boundary.

ConfigError
├── InvalidSetting      a setting's value is not allowed (``setting``, ``value``, ``allowed``)
├── UsageError          the command line is wrong (``prog``, argparse's ``message``)
├── CampaignNotRunning  ``dialer run`` on a campaign that is not running (``status``)
├── NothingToImport     the book has a header but not one row (``path``)
└── SchemaMissing       the database has no tables yet (``xubao db upgrade`` makes them)
"""

from __future__ import annotations

__all__ = [
    "CampaignNotRunning",
    "ConfigError",
    "InvalidSetting",
    "NothingToImport",
    "SchemaMissing",
    "UsageError",
]


class ConfigError(Exception):
    """Base of the composition root's errors."""


class InvalidSetting(ConfigError):
    """``setting`` (as the environment names it, e.g. ``XUBAO_TELEPHONY``) cannot be used.

    ``allowed`` lists the accepted values when there is a short list; ``problem`` says what is
    wrong otherwise. ``value`` is ``""`` for secrets (never shown).
    """

    def __init__(
        self, setting: str, *, value: str = "", allowed: str = "", problem: str = ""
    ) -> None:
        detail = f"allowed: {allowed}" if allowed else problem
        super().__init__(f"{setting}={value!r}: {detail}")
        self.setting = setting
        self.value = value
        self.allowed = allowed
        self.problem = problem


class UsageError(ConfigError):
    """argparse refused the command line; ``prog`` is the (sub-)command, e.g. ``xubao quote``."""

    def __init__(self, prog: str, message: str) -> None:
        super().__init__(f"{prog}: {message}")
        self.prog = prog
        self.message = message


class CampaignNotRunning(ConfigError):
    """A runtime was asked to dial a campaign whose status is ``status`` (not ``running``)."""

    def __init__(self, campaign_id: str, status: str) -> None:
        super().__init__(f"campaign {campaign_id} is {status}, not running")
        self.campaign_id = campaign_id
        self.status = status


class NothingToImport(ConfigError):
    """The book was read and has no data rows (a header only, or the wrong sheet)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path}: no rows")
        self.path = path


class SchemaMissing(ConfigError):
    """The database exists but has no schema: ``xubao db upgrade`` has not run on it."""
