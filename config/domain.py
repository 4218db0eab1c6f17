"""Map the settings sections onto the plain dataclasses the renewal domain takes."""

from __future__ import annotations

from datetime import timedelta
from types import MappingProxyType

from config.domain_settings import CadenceSettings, CompulsorySettings, QuotingSettings
from renewals.cadence import CadenceRules, ContactTarget, Outcome
from renewals.quoting import CompulsoryRates, NcdTable, QuoteRules, RegionTables, SeatBand

__all__ = ["cadence_rules", "quote_rules"]


def cadence_rules(section: CadenceSettings) -> CadenceRules:
    return CadenceRules(
        list_days=section.list_days,
        first_call_days=section.first_call_days,
        quote_days=section.quote_days,
        step_up_days=section.step_up_days,
        grace_days_after_expiry=section.grace_days_after_expiry,
        contact_targets=tuple(
            ContactTarget(
                min_years=t.min_years,
                max_years=t.max_years,
                min_contacts=t.min_contacts,
                max_contacts=t.max_contacts,
            )
            for t in section.contact_targets
        ),
        calling_start=section.calling_start,
        calling_end=section.calling_end,
        default_timezone=section.default_timezone,
        refusal_block_months=section.refusal_block_months,
        retry_spacing=MappingProxyType(
            {Outcome(k): timedelta(seconds=v) for k, v in section.retry_spacing_s.items()}
        ),
        daily_attempt_cap=section.daily_attempt_cap,
        callback_grace=timedelta(seconds=section.callback_grace_s),
    )


def _compulsory(section: CompulsorySettings) -> CompulsoryRates:
    return CompulsoryRates(
        claim_free=tuple(section.claim_free),
        no_record=section.no_record,
        one_claim=section.one_claim,
        more_claims=section.more_claims,
    )


def quote_rules(section: QuotingSettings) -> QuoteRules:
    return QuoteRules(
        default=RegionTables(
            name="default",
            aliases=(),
            ncd=NcdTable(name="default", coefficients=MappingProxyType(dict(section.default_ncd))),
            compulsory=_compulsory(section.default_compulsory),
        ),
        regions=tuple(
            RegionTables(
                name=name,
                aliases=tuple(region.aliases),
                ncd=NcdTable(name=name, coefficients=MappingProxyType(dict(region.ncd))),
                compulsory=_compulsory(region.compulsory),
            )
            for name, region in section.regions.items()
        ),
        seat_bands=tuple(
            SeatBand(max_seats=b.max_seats, base_cents=b.base_cents) for b in section.seat_bands
        ),
        pricing_factor_change=section.pricing_factor_change,
        traffic_factor_change=section.traffic_factor_change,
        vessel_tax_default_cents=section.vessel_tax_default_cents,
        lapse_only_rise_months=section.lapse_only_rise_months,
        lapse_reset_months=section.lapse_reset_months,
    )
