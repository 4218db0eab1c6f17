"""The root of the renewals domain's errors; each sub-package derives its own from it.

RenewalsError
├── cadence.errors.CadenceError
└── quoting.errors.QuotingError
"""

from __future__ import annotations

__all__ = ["RenewalsError"]


class RenewalsError(Exception):
    """Base of every error raised by the renewals domain."""
