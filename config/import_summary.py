"""The readable summary of an import for the command line, in the CLI's language."""

from __future__ import annotations

from config.messages import N_, Messages
from renewals.importer import ImportReport

__all__ = ["summarise"]

# Each rejection code's wording (msgids of the CLI catalog).
_REASONS = {
    "missing": N_("required value is empty"),
    "invalid_plate": N_("not a valid plate number"),
    "invalid_phone": N_("not a valid mobile number"),
    "invalid_date": N_("date not recognised"),
    "invalid_money": N_("amount not recognised"),
    "invalid_number": N_("not a whole number of zero or more"),
    "invalid_vin": N_("a VIN has 17 characters"),
    "too_long": N_("too long"),
    "duplicate_plate": N_("plate repeated in this file"),
    "start_after_end": N_("start date is not before the expiry date"),
}
_FIELDS = {
    "plate": N_("plate"),
    "insured": N_("insured"),
    "phone": N_("mobile"),
    "expiry": N_("policy expiry"),
    "start_date": N_("start date"),
    "region": N_("region"),
    "tenure": N_("renewal years"),
    "vin": N_("VIN"),
    "model": N_("make and model"),
    "first_registration": N_("first registration"),
    "seats": N_("seats"),
    "insurer": N_("insurer"),
    "commercial_policy_no": N_("commercial policy no."),
    "compulsory_policy_no": N_("compulsory policy no."),
    "last_premium": N_("last premium"),
    "compulsory_premium": N_("compulsory premium"),
    "vessel_tax": N_("vessel tax"),
    "claims": N_("claims"),
    "claim_amount": N_("claim amount"),
}


def summarise(report: ImportReport, messages: Messages, *, limit: int = 50) -> str:
    """What the import did, listing at most ``limit`` rejected cells (``--json`` has them all)."""
    t = messages.text
    kind = report.kind.upper() + (f", {report.encoding}" if report.encoding else "")
    lines = [
        t(
            "Import {path} ({kind}): {rows:,} rows read",
            path=report.path,
            kind=kind,
            rows=report.rows_read,
        ),
        "  "
        + t(
            "{inserted:,} policies added, {updated:,} updated, {rejected:,} rows rejected",
            inserted=report.inserted,
            updated=report.updated,
            rejected=report.rejected_rows,
        ),
        "  "
        + t(
            "{customers:,} new customers, {vehicles:,} new vehicles, {leads:,} new renewal leads",
            customers=report.customers_inserted,
            vehicles=report.vehicles_inserted,
            leads=report.leads_created,
        ),
    ]
    if report.ignored_columns:
        separator = ", " if messages.language == "en" else "、"
        lines.append("  " + t("Columns not recognised (ignored): {columns}",
                              columns=separator.join(report.ignored_columns)))  # fmt: skip
    if report.rejected:
        lines.append("  " + t("Rejected:"))
        for r in report.rejected[:limit]:
            field = t(_FIELDS[r.field]) if r.field in _FIELDS else r.field
            why = t(_REASONS[r.code]) if r.code in _REASONS else r.code
            lines.append("    " + t("row {row} {field}: {why} ({detail})", row=r.row,
                                    field=field, why=why, detail=r.reason))  # fmt: skip
        if len(report.rejected) > limit:
            lines.append("    " + t("…{more:,} more not listed (--json lists them all)",
                                    more=len(report.rejected) - limit))  # fmt: skip
    if report.dry_run:
        lines.append("  " + t("Dry run (--dry-run): nothing was written to the database"))
    return "\n".join(lines)
