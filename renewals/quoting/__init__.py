"""Renewal quotes: the NCD level and why, each coverage repriced, compulsory insurance and tax."""

from renewals.quoting.errors import NcdLevelMissing, NoPolicyToRenew, QuotingError, VehicleNotFound
from renewals.quoting.ncd import NcdResult, PolicyYear, claim_free_years, compute_ncd
from renewals.quoting.panel import QuotePanel, build_quote, store_quote
from renewals.quoting.premium import (
    CompulsoryQuote,
    CoverageLine,
    quote_compulsory,
    reprice_lines,
    round_cents,
)
from renewals.quoting.tables import (
    DEFAULT_QUOTE_RULES,
    CompulsoryRates,
    NcdTable,
    QuoteRules,
    RegionTables,
    SeatBand,
)

__all__ = [
    "DEFAULT_QUOTE_RULES",
    "CompulsoryQuote",
    "CompulsoryRates",
    "CoverageLine",
    "NcdLevelMissing",
    "NcdResult",
    "NcdTable",
    "NoPolicyToRenew",
    "PolicyYear",
    "QuotePanel",
    "QuoteRules",
    "QuotingError",
    "RegionTables",
    "SeatBand",
    "VehicleNotFound",
    "build_quote",
    "claim_free_years",
    "compute_ncd",
    "quote_compulsory",
    "reprice_lines",
    "round_cents",
    "store_quote",
]
