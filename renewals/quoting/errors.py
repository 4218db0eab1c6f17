"""Errors of quoting.

RenewalsError
└── QuotingError
    ├── VehicleNotFound   (plate)
    ├── NoPolicyToRenew   (plate)
    └── NcdLevelMissing   (region, level)
"""

from __future__ import annotations

from renewals.errors import RenewalsError

__all__ = ["NcdLevelMissing", "NoPolicyToRenew", "QuotingError", "VehicleNotFound"]


class QuotingError(RenewalsError):
    """A quote could not be computed."""


class VehicleNotFound(QuotingError):
    def __init__(self, plate: str) -> None:
        super().__init__(f"no vehicle with plate {plate}")
        self.plate = plate


class NoPolicyToRenew(QuotingError):
    def __init__(self, plate: str) -> None:
        super().__init__(f"vehicle {plate} has no policy to renew")
        self.plate = plate


class NcdLevelMissing(QuotingError):
    """The region's table has no coefficient for a level (a settings mistake)."""

    def __init__(self, region: str, level: int) -> None:
        super().__init__(f"NCD table {region!r} has no coefficient for level {level}")
        self.region = region
        self.level = level
