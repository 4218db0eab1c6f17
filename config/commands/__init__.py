"""Sub-commands of ``xubao``: each module has ``register(sub)``; ``COMMANDS`` lists them in order.

An explicit list (not a registry filled at import time): adding a command is one line here.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from config.commands import (
    campaign,
    compliance,
    db,
    demo_data,
    dialer,
    import_book,
    ivr,
    leads,
    models,
    prompts,
    quote,
    recordings,
    report,
    scheduler,
    serve,
    transcribe,
    user,
)

__all__ = ["COMMANDS", "Register"]

Register = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]

COMMANDS: tuple[Register, ...] = (
    db.register,
    import_book.register,
    demo_data.register,
    leads.register,
    quote.register,
    scheduler.register,
    campaign.register,
    dialer.register,
    compliance.register,
    report.register,
    user.register,
    serve.register,
    ivr.register,
    prompts.register,
    recordings.register,
    transcribe.register,
    models.register,
)
