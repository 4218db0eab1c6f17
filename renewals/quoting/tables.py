"""Quoting rules as data: NCD tables and compulsory-insurance rates per region, seat bands, tax.

Coefficients are ``Decimal`` so that premiums are computed exactly before the one rounding to
the fen (cent). Defaults are the playbook's (public secondary sources; check per deployment).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

from renewals.quoting.errors import NcdLevelMissing

__all__ = [
    "DEFAULT_QUOTE_RULES",
    "CompulsoryRates",
    "NcdTable",
    "QuoteRules",
    "RegionTables",
    "SeatBand",
]


@dataclass(frozen=True, kw_only=True)
class NcdTable:
    """No-claim-discount coefficients by level (negative levels are discounts)."""

    name: str
    coefficients: Mapping[int, Decimal]

    @property
    def min_level(self) -> int:
        return min(self.coefficients)

    @property
    def max_level(self) -> int:
        return max(self.coefficients)

    def coefficient(self, level: int) -> Decimal:
        try:
            return self.coefficients[level]
        except KeyError:
            raise NcdLevelMissing(self.name, level) from None


@dataclass(frozen=True, kw_only=True)
class CompulsoryRates:
    """Compulsory insurance (交强险) floating multipliers, 0.5-1.3 by region.

    ``claim_free[i]`` applies after i+1 consecutive claim-free years (the last one for more).
    """

    claim_free: tuple[Decimal, ...] = (Decimal("0.9"), Decimal("0.8"), Decimal("0.7"))
    no_record: Decimal = Decimal("1.0")  # new vehicle, or the record reset by a long lapse
    one_claim: Decimal = Decimal("1.0")
    more_claims: Decimal = Decimal("1.1")


@dataclass(frozen=True, kw_only=True)
class RegionTables:
    """The tables of one region; ``aliases`` match the start of ``Customer.region``."""

    name: str
    aliases: tuple[str, ...]
    ncd: NcdTable
    compulsory: CompulsoryRates = field(default_factory=CompulsoryRates)

    def matches(self, region: str) -> bool:
        text = region.strip().lower()
        return any(text.startswith(alias.lower()) for alias in self.aliases if alias)


@dataclass(frozen=True, kw_only=True)
class SeatBand:
    """Compulsory base premium (cents) for vehicles with at most ``max_seats`` seats."""

    max_seats: int | None  # None: any number of seats
    base_cents: int


def _levels(values: dict[int, str]) -> Mapping[int, Decimal]:
    return MappingProxyType({level: Decimal(v) for level, v in values.items()})


DEFAULT_NCD = NcdTable(
    name="default",
    coefficients=_levels(
        {-4: "0.5", -3: "0.6", -2: "0.7", -1: "0.8", 0: "1.0",
         1: "1.2", 2: "1.4", 3: "1.6", 4: "1.8", 5: "2.0"}
    ),
)  # fmt: skip
# Beijing and Xiamen run -5..+5 with 0.4 at -5 (playbook).
FIVE_LEVEL_NCD = NcdTable(
    name="beijing-xiamen",
    coefficients=_levels({-5: "0.4", **{k: str(v) for k, v in DEFAULT_NCD.coefficients.items()}}),
)


def _default_regions() -> tuple[RegionTables, ...]:
    return (
        RegionTables(
            name="beijing",
            aliases=("北京", "beijing"),
            ncd=NcdTable(name="beijing", coefficients=FIVE_LEVEL_NCD.coefficients),
        ),
        RegionTables(
            name="xiamen",
            aliases=("厦门", "xiamen"),
            ncd=NcdTable(name="xiamen", coefficients=FIVE_LEVEL_NCD.coefficients),
        ),
    )


def _default_seat_bands() -> tuple[SeatBand, ...]:
    # Family cars: under 6 seats 950 yuan, 6 seats and more 1,100 yuan (national base rates).
    return (SeatBand(max_seats=5, base_cents=95_000), SeatBand(max_seats=None, base_cents=110_000))


@dataclass(frozen=True, kw_only=True)
class QuoteRules:
    default: RegionTables = field(
        default_factory=lambda: RegionTables(name="default", aliases=(), ncd=DEFAULT_NCD)
    )
    regions: tuple[RegionTables, ...] = field(default_factory=_default_regions)
    seat_bands: tuple[SeatBand, ...] = field(default_factory=_default_seat_bands)
    # Change of the other commercial factors against last year (insurer pricing factor 0.65-1.35,
    # traffic-violation factor): 1 keeps them as they were.
    pricing_factor_change: Decimal = Decimal("1")
    traffic_factor_change: Decimal = Decimal("1")
    vessel_tax_default_cents: int = 48_000  # used when last year's policy does not show the tax
    lapse_only_rise_months: int = 3  # a lapse longer than this: the level may only rise …
    lapse_reset_months: int = 6  # … longer than this: the level resets to 0

    def tables_for(self, region: str) -> RegionTables:
        for tables in self.regions:
            if tables.matches(region):
                return tables
        return self.default

    def compulsory_base_cents(self, seats: int | None) -> int:
        for band in self.seat_bands:
            if band.max_seats is None or (seats or 0) <= band.max_seats:
                return band.base_cents
        return self.seat_bands[-1].base_cents


DEFAULT_QUOTE_RULES = QuoteRules()
