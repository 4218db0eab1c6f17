"""The root of the renewals domain's errors; each sub-package derives its own from it.

RenewalsError
├── cadence.errors.CadenceError
├── quoting.errors.QuotingError
├── importer.errors.BookImportError
└── InvalidDisposition   an agent's disposition is incomplete or contradictory (``field``)
"""

from __future__ import annotations

__all__ = ["InvalidDisposition", "RenewalsError"]


class RenewalsError(Exception):
    """Base of every error raised by the renewals domain."""


class InvalidDisposition(RenewalsError):
    """The disposition cannot be stored as given; ``field`` names what is wrong."""

    def __init__(self, lead_id: int, field: str, reason: str) -> None:
        super().__init__(f"lead {lead_id}: {field}: {reason}")
        self.lead_id = lead_id
        self.field = field
        self.reason = reason
