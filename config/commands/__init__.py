"""Sub-commands of ``xubao``; each module registers itself with ``config.cli.command``."""

from config.commands import campaign, compliance, db, dialer, leads, quote, scheduler  # noqa: F401
