"""Sub-commands of ``xubao``; each module registers itself with ``config.cli.command``."""

from config.commands import db, demo_data, import_book  # noqa: F401
