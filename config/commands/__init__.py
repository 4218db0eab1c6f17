"""Sub-commands of ``xubao``; each module registers itself with ``config.cli.command``."""

from config.commands import db, leads, quote, scheduler  # noqa: F401
