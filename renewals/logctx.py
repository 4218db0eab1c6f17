"""Context variables that tie log lines to a call, lead and campaign.

Parts bind them around the work for one call (``with bound(call_id=…)``); the logging set-up in
``config/`` writes them on every line. They live here, in the part every other may import.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["CONTEXT", "bound"]

CONTEXT: dict[str, ContextVar[str]] = {
    name: ContextVar(name, default="-")
    for name in ("call_id", "lead_id", "campaign_id", "action_id")
}


@contextmanager
def bound(**values: object) -> Iterator[None]:
    """Bind the named context values for the block (names: the keys of ``CONTEXT``)."""
    tokens = [(CONTEXT[name], CONTEXT[name].set(str(value))) for name, value in values.items()]
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)
