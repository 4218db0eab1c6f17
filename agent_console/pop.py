"""JSON shapes of the screen-pop: money in cents (the page formats it per locale), dates ISO."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewals.models import ContactAttempt, Customer, Disposition, Lead, Policy, Vehicle
from renewals.phones import mask_phone
from renewals.quoting import QuotePanel

__all__ = ["attempt_history", "lead_header", "quote_panel"]

HISTORY_LIMIT = 20


def lead_header(
    lead: Lead, customer: Customer, policy: Policy, vehicle: Vehicle
) -> dict[str, object]:
    return {
        "id": lead.id,
        "stage": lead.stage.value,
        "status": lead.status.value,
        "attempts": lead.attempts,
        "contacts": lead.contacts,
        "next_contact_at": lead.next_contact_at.isoformat() if lead.next_contact_at else None,
        "notes": lead.notes,
        "customer_name": customer.name,
        "phone": mask_phone(customer.phone),
        "region": customer.region,
        "tenure_years": customer.tenure_years,
        "plate": vehicle.plate,
        "insurer": policy.insurer,
        "end_date": policy.end_date.isoformat(),
    }


def quote_panel(panel: QuotePanel, language: str) -> dict[str, object]:
    english = language == "en"
    return {
        "vehicle": {
            "plate": panel.plate,
            "vin": panel.vin,
            "model": panel.model,
            "first_registration": panel.first_registration.isoformat()
            if panel.first_registration
            else None,
            "seats": panel.seats,
        },
        "last_policies": {
            "commercial": panel.last_commercial_policy_no,
            "compulsory": panel.last_compulsory_policy_no,
        },
        "last_end_date": panel.last_end_date.isoformat(),
        "new_start_date": panel.new_start_date.isoformat(),
        "claim_count": panel.claim_count,
        "claim_amount_cents": panel.claim_amount_cents,
        "ncd": {
            "last_level": panel.last_ncd_level,
            "last_coefficient": str(panel.last_ncd_coefficient),
            "level": panel.ncd.level,
            "coefficient": str(panel.ncd.coefficient),
            "why": panel.ncd.reason_en if english else panel.ncd.reason_zh,
        },
        "lines": [
            {
                "code": line.code,
                "last_cents": line.last_premium_cents,
                "new_cents": line.new_premium_cents,
                "change_cents": line.change_cents,
            }
            for line in panel.lines
        ],
        "commercial": {
            "last_cents": panel.last_commercial_cents,
            "new_cents": panel.new_commercial_cents,
            "change_cents": panel.commercial_change_cents,
        },
        "compulsory": {
            "last_cents": panel.last_compulsory_cents,
            "new_cents": panel.compulsory.premium_cents,
            "why": panel.compulsory.reason_en if english else panel.compulsory.reason_zh,
        },
        "vessel_tax": {
            "last_cents": panel.last_vessel_tax_cents,
            "new_cents": panel.vessel_tax_cents,
        },
        "total": {
            "last_cents": panel.last_total_cents,
            "new_cents": panel.total_cents,
            "change_cents": panel.total_change_cents,
        },
    }


def attempt_history(session: Session, lead_id: int) -> list[dict[str, object]]:
    """The lead's calls, newest first, each with the disposition set after it (if any)."""
    attempts = session.scalars(
        select(ContactAttempt)
        .where(ContactAttempt.lead_id == lead_id)
        .order_by(ContactAttempt.started_at.desc(), ContactAttempt.id.desc())
        .limit(HISTORY_LIMIT)
    ).all()
    dispositions = {
        d.attempt_id: d
        for d in session.scalars(select(Disposition).where(Disposition.lead_id == lead_id))
    }
    history: list[dict[str, object]] = []
    for attempt in attempts:
        disposition = dispositions.get(attempt.id)
        history.append(
            {
                "call_id": attempt.call_id,
                "started_at": attempt.started_at.isoformat(),
                "outcome": attempt.outcome,
                "agent": attempt.agent,
                "disposition": disposition.kind.value if disposition else None,
                "decline_reason": disposition.decline_reason.value
                if disposition and disposition.decline_reason
                else None,
                "gifts": disposition.gifts if disposition else "",
                "notes": disposition.notes if disposition else "",
            }
        )
    return history
