"""Typed settings sections for the renewal domain: cadence, quoting, scheduler.

Defaults are read from the domain's own defaults (one source of truth); ``config.domain`` maps
these sections onto the plain dataclasses ``renewals`` takes.
"""

from __future__ import annotations

from datetime import time
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from renewals.cadence import DEFAULT_RULES
from renewals.quoting import DEFAULT_QUOTE_RULES, CompulsoryRates
from renewals.quoting.tables import DEFAULT_NCD

__all__ = [
    "CadenceSettings",
    "CompulsorySettings",
    "ContactTargetSettings",
    "QuotingSettings",
    "RegionSettings",
    "SchedulerSettings",
    "SeatBandSettings",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class ContactTargetSettings(BaseModel):
    model_config = _STRICT
    min_years: int
    max_years: int | None = None
    min_contacts: int
    max_contacts: int | None = None


def _targets() -> list[ContactTargetSettings]:
    return [
        ContactTargetSettings(
            min_years=t.min_years,
            max_years=t.max_years,
            min_contacts=t.min_contacts,
            max_contacts=t.max_contacts,
        )
        for t in DEFAULT_RULES.contact_targets
    ]


class CadenceSettings(BaseModel):
    """Overrides of the cadence rules (days before expiry, local calling hours, retries)."""

    model_config = _STRICT
    list_days: int = DEFAULT_RULES.list_days
    first_call_days: int = DEFAULT_RULES.first_call_days
    quote_days: int = DEFAULT_RULES.quote_days
    step_up_days: int = DEFAULT_RULES.step_up_days
    grace_days_after_expiry: int = DEFAULT_RULES.grace_days_after_expiry
    contact_targets: list[ContactTargetSettings] = Field(default_factory=_targets)
    calling_start: time = DEFAULT_RULES.calling_start
    calling_end: time = DEFAULT_RULES.calling_end
    default_timezone: str = DEFAULT_RULES.default_timezone
    refusal_block_months: int = DEFAULT_RULES.refusal_block_months
    retry_spacing_s: dict[str, int] = Field(
        default_factory=lambda: {
            k.value: int(v.total_seconds()) for k, v in DEFAULT_RULES.retry_spacing.items()
        }
    )
    daily_attempt_cap: int = DEFAULT_RULES.daily_attempt_cap
    # Seconds a callback kept for one agent waits for them, once due, before the team gets it.
    callback_grace_s: int = Field(default=int(DEFAULT_RULES.callback_grace.total_seconds()), ge=0)

    @field_validator("retry_spacing_s")
    @classmethod
    def _known_outcomes(cls, value: dict[str, int]) -> dict[str, int]:
        # Overrides are merged onto the defaults so a TOML line for one outcome is enough.
        defaults = {k.value: int(v.total_seconds()) for k, v in DEFAULT_RULES.retry_spacing.items()}
        unknown = set(value) - set(defaults)
        if unknown:
            raise ValueError(f"no retry spacing for outcomes {sorted(unknown)}: {sorted(defaults)}")
        return {**defaults, **value}

    @model_validator(mode="after")
    def _ordered(self) -> CadenceSettings:
        if not self.list_days > self.first_call_days > self.quote_days > self.step_up_days >= 0:
            raise ValueError("need list_days > first_call_days > quote_days > step_up_days >= 0")
        if not self.calling_start < self.calling_end:
            raise ValueError("calling_start must be before calling_end (same local day)")
        return self


class CompulsorySettings(BaseModel):
    """Compulsory-insurance multipliers of a region (each within 0.5-1.3)."""

    model_config = _STRICT
    claim_free: list[Decimal] = Field(default_factory=lambda: list(CompulsoryRates().claim_free))
    no_record: Decimal = CompulsoryRates().no_record
    one_claim: Decimal = CompulsoryRates().one_claim
    more_claims: Decimal = CompulsoryRates().more_claims

    @field_validator("claim_free", "no_record", "one_claim", "more_claims")
    @classmethod
    def _in_range(cls, value: Decimal | list[Decimal]) -> Decimal | list[Decimal]:
        for item in value if isinstance(value, list) else [value]:
            if not Decimal("0.5") <= item <= Decimal("1.3"):
                raise ValueError(f"compulsory multiplier {item} is outside 0.5-1.3")
        return value


class RegionSettings(BaseModel):
    """One region's tables; ``aliases`` match the start of the customer's region."""

    model_config = _STRICT
    aliases: list[str]
    ncd: dict[int, Decimal]
    compulsory: CompulsorySettings = Field(default_factory=CompulsorySettings)


class SeatBandSettings(BaseModel):
    model_config = _STRICT
    max_seats: int | None = None
    base_cents: int


def _regions() -> dict[str, RegionSettings]:
    return {
        r.name: RegionSettings(aliases=list(r.aliases), ncd=dict(r.ncd.coefficients))
        for r in DEFAULT_QUOTE_RULES.regions
    }


class QuotingSettings(BaseModel):
    """NCD tables per region, compulsory base premiums by seats, vessel tax, other factors."""

    model_config = _STRICT
    default_ncd: dict[int, Decimal] = Field(default_factory=lambda: dict(DEFAULT_NCD.coefficients))
    default_compulsory: CompulsorySettings = Field(default_factory=CompulsorySettings)
    regions: dict[str, RegionSettings] = Field(default_factory=_regions)
    seat_bands: list[SeatBandSettings] = Field(
        default_factory=lambda: [
            SeatBandSettings(max_seats=b.max_seats, base_cents=b.base_cents)
            for b in DEFAULT_QUOTE_RULES.seat_bands
        ]
    )
    pricing_factor_change: Decimal = DEFAULT_QUOTE_RULES.pricing_factor_change
    traffic_factor_change: Decimal = DEFAULT_QUOTE_RULES.traffic_factor_change
    vessel_tax_default_cents: int = DEFAULT_QUOTE_RULES.vessel_tax_default_cents
    lapse_only_rise_months: int = DEFAULT_QUOTE_RULES.lapse_only_rise_months
    lapse_reset_months: int = DEFAULT_QUOTE_RULES.lapse_reset_months

    @field_validator("default_ncd")
    @classmethod
    def _has_level_zero(cls, value: dict[int, Decimal]) -> dict[int, Decimal]:
        if 0 not in value:
            raise ValueError("an NCD table needs level 0")
        return value


class SchedulerSettings(BaseModel):
    """The in-database job schedule; one process at a time runs it (a database lock)."""

    model_config = _STRICT
    daily_rebuild_at: time = time(1, 0)  # in Settings.timezone
    refresh_interval_s: float = 60.0
    daily_misfire_grace_s: int = 6 * 3600  # a late daily run still runs within this
    refresh_misfire_grace_s: int = 30
    lock_retry_s: float = 5.0  # how often a standby process tries to take over
    lock_check_s: float = 5.0  # how often the leader checks it still holds the lock
    # The recording store's jobs (docs/recordings.md): finished calls registered (compressed,
    # checksummed, queued for transcription) every interval; recordings past retention purged
    # once a day. 0 switches the register job off (e.g. when another host runs it).
    recordings_register_interval_s: float = Field(default=60.0, ge=0.0)
    recordings_purge_at: time = time(2, 30)  # in Settings.timezone
