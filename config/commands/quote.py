"""``xubao quote PLATE``: the renewal quote panel for one vehicle, stored on its lead."""

from __future__ import annotations

import argparse
import json
import unicodedata

from config.commands._common import iso_time, parse_instant, plate, yuan
from config.db import create_db_engine, make_session_factory
from config.domain import quote_rules
from config.messages import Messages
from config.settings import Settings
from renewals.cadence.calendar import local_time
from renewals.quoting import QuotePanel, build_quote, store_quote


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    quote = sub.add_parser("quote", help="renewal quote for a plate (stored on its lead)")
    quote.add_argument("plate", type=plate, help="as written anywhere: 京a·12345, 京Ａ１２３４５")
    quote.add_argument("--at", type=iso_time, help="ISO time (default now)")
    quote.add_argument("--json", action="store_true", help="machine-readable output")
    quote.set_defaults(handler=run_quote)


def _vehicle_json(panel: QuotePanel) -> dict[str, object]:
    registered = panel.first_registration
    return {
        "plate": panel.plate,
        "vin": panel.vin,
        "model": panel.model,
        "first_registration": registered.isoformat() if registered else None,
        "seats": panel.seats,
    }


def _last_year_json(panel: QuotePanel) -> dict[str, object]:
    return {
        "commercial_policy_no": panel.last_commercial_policy_no,
        "compulsory_policy_no": panel.last_compulsory_policy_no,
        "end_date": panel.last_end_date.isoformat(),
        "ncd_level": panel.last_ncd_level,
        "ncd_coefficient": str(panel.last_ncd_coefficient),
        "commercial_cents": panel.last_commercial_cents,
        "compulsory_cents": panel.last_compulsory_cents,
        "vessel_tax_cents": panel.last_vessel_tax_cents,
        "total_cents": panel.last_total_cents,
        "claim_count": panel.claim_count,
        "claim_amount_cents": panel.claim_amount_cents,
    }


def panel_json(panel: QuotePanel, quote_id: int | None) -> dict[str, object]:
    return {
        "quote_id": quote_id,
        "lead_id": panel.lead_id,
        "vehicle": _vehicle_json(panel),
        "customer": panel.customer_name,
        "region_table": panel.region_table,
        "last_year": _last_year_json(panel),
        "ncd": {
            "level": panel.ncd.level,
            "coefficient": str(panel.ncd.coefficient),
            "claim_free_years": panel.ncd.claim_free_years,
            "lapse_days": panel.ncd.lapse_days,
            "reason": {"zh": panel.ncd.reason_zh, "en": panel.ncd.reason_en},
        },
        "new_start_date": panel.new_start_date.isoformat(),
        "lines": [
            {
                "code": x.code,
                "last_premium_cents": x.last_premium_cents,
                "new_premium_cents": x.new_premium_cents,
                "change_cents": x.change_cents,
            }
            for x in panel.lines
        ],
        "commercial_cents": panel.new_commercial_cents,
        "commercial_change_cents": panel.commercial_change_cents,
        "compulsory": {
            "base_cents": panel.compulsory.base_cents,
            "multiplier": str(panel.compulsory.multiplier),
            "premium_cents": panel.compulsory.premium_cents,
            "reason": {"zh": panel.compulsory.reason_zh, "en": panel.compulsory.reason_en},
        },
        "vessel_tax_cents": panel.vessel_tax_cents,
        "total_cents": panel.total_cents,
        "total_change_cents": panel.total_change_cents,
    }


def print_panel(panel: QuotePanel, quote_id: int | None, messages: Messages) -> None:
    """The quote panel as text, in the CLI's language (the domain gives its reasons in both)."""
    t = messages.text
    english = messages.language == "en"
    ncd_reason = panel.ncd.reason_en if english else panel.ncd.reason_zh
    compulsory_reason = panel.compulsory.reason_en if english else panel.compulsory.reason_zh
    print(t("{plate}  VIN {vin}  {model}  seats {seats}", plate=panel.plate, vin=panel.vin,
            model=panel.model, seats=panel.seats or "?"))  # fmt: skip
    print(t("Customer {name}  rate table {table}", name=panel.customer_name,
            table=panel.region_table))  # fmt: skip
    print(t("Last policies: commercial {commercial} / compulsory {compulsory}  expiry {end}  "
            "claims {claims} ({amount})", commercial=panel.last_commercial_policy_no,
            compulsory=panel.last_compulsory_policy_no, end=panel.last_end_date,
            claims=panel.claim_count, amount=yuan(panel.claim_amount_cents)))  # fmt: skip
    print(f"NCD {panel.last_ncd_level} → {panel.ncd.level} (×{panel.ncd.coefficient})")
    print(f"  {ncd_reason}")
    # Chinese characters are two columns wide: pad the labels by display width.
    print(_pad(t("Coverage"), 16) + "".join(
        " " * (14 - _width(h)) + h for h in (t("Last year"), t("This year"), t("Change"))
    ))  # fmt: skip
    for x in panel.lines:
        print(
            f"{_pad(x.code, 16)}{yuan(x.last_premium_cents):>14}{yuan(x.new_premium_cents):>14}"
            f"{yuan(x.change_cents, sign=True):>14}"
        )
    print(
        f"{_pad(t('Commercial total'), 16)}{yuan(panel.last_commercial_cents):>14}"
        f"{yuan(panel.new_commercial_cents):>14}"
        f"{yuan(panel.commercial_change_cents, sign=True):>14}"
    )
    print(
        f"{_pad(t('Compulsory'), 16)}{yuan(panel.last_compulsory_cents):>14}"
        f"{yuan(panel.compulsory.premium_cents):>14}   ({compulsory_reason})"
    )
    print(
        f"{_pad(t('Vessel tax'), 16)}{yuan(panel.last_vessel_tax_cents):>14}"
        f"{yuan(panel.vessel_tax_cents):>14}"
    )
    print(
        f"{_pad(t('Total'), 16)}{yuan(panel.last_total_cents):>14}{yuan(panel.total_cents):>14}"
        f"{yuan(panel.total_change_cents, sign=True):>14}"
    )
    if quote_id:
        print(t("quote #{id} stored", id=quote_id))
    else:
        print(t("not stored: the policy has no lead yet"))


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - _width(text))


def run_quote(args: argparse.Namespace, settings: Settings) -> int:
    at = parse_instant(args.at, settings.timezone)
    today = local_time(at, settings.timezone).date()
    engine = create_db_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            panel = build_quote(session, args.plate, today, quote_rules(settings.quoting))
            stored = store_quote(session, panel, at)
            session.flush()
            quote_id = stored.id if stored else None
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(panel_json(panel, quote_id), ensure_ascii=False, indent=2))
    else:
        print_panel(panel, quote_id, Messages(args.ui_lang))
    return 0
