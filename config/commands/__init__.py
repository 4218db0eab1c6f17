"""Sub-commands of ``xubao``; each module registers itself with ``config.cli.command``."""

from config.commands import (  # noqa: F401
    campaign,
    compliance,
    db,
    demo_data,
    dialer,
    import_book,
    leads,
    quote,
    scheduler,
)
