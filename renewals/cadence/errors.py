"""Errors of the renewal cadence.

RenewalsError
└── CadenceError
    ├── LeadNotFound        (lead_id)
    ├── LeadClosed          (lead_id, status)
    ├── CallbackTimeMissing (lead_id)
    └── ManualDialRefused   (lead_id, code): closed, do-not-call, outside hours, being dialled
"""

from __future__ import annotations

from renewals.errors import RenewalsError

__all__ = [
    "CadenceError",
    "CallbackTimeMissing",
    "LeadClosed",
    "LeadNotFound",
    "ManualDialRefused",
]


class CadenceError(RenewalsError):
    """A cadence operation could not be applied."""


class LeadNotFound(CadenceError):
    def __init__(self, lead_id: int) -> None:
        super().__init__(f"lead {lead_id} does not exist")
        self.lead_id = lead_id


class LeadClosed(CadenceError):
    """An outcome was recorded on a lead that is no longer open (won, lost, bad data…)."""

    def __init__(self, lead_id: int, status: str) -> None:
        super().__init__(f"lead {lead_id} is {status}, not open")
        self.lead_id = lead_id
        self.status = status


class CallbackTimeMissing(CadenceError):
    """A callback outcome needs the time the customer chose."""

    def __init__(self, lead_id: int) -> None:
        super().__init__(f"lead {lead_id}: a callback needs callback_at")
        self.lead_id = lead_id


class ManualDialRefused(CadenceError):
    """An agent's manual dial of a lead is not allowed now; ``message`` is an English sentence
    for people (the consoles translate it), ``code`` a stable name for programs."""

    def __init__(self, lead_id: int, code: str, message: str) -> None:
        super().__init__(f"lead {lead_id}: manual dial refused: {code}")
        self.lead_id = lead_id
        self.code = code
        self.message = message
