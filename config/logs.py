"""Logging set-up, done once by the composition root: every line carries the call context."""

from __future__ import annotations

import logging
import sys

from renewals.logctx import CONTEXT

__all__ = ["configure_logging"]

FORMAT = (
    "%(asctime)s %(levelname)s %(name)s "
    "[campaign=%(campaign_id)s lead=%(lead_id)s call=%(call_id)s] %(message)s"
)


class _ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for name, var in CONTEXT.items():
            setattr(record, name, var.get())
        return True


def configure_logging(level: str) -> None:
    """Log lines at ``level`` and above to stderr: stdout carries only a command's output."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ContextFilter())
    handler.setFormatter(logging.Formatter(FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
