"""A customer's opt-out during one of our calls, stored at once: a legal obligation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from renewals.cadence.outcomes import record_opt_out
from renewals.cadence.rules import CadenceRules
from renewals.models import ContactAttempt

__all__ = ["OPT_OUT_SOURCE", "store_opt_out"]

#: ``do_not_call.source`` of an opt-out the customer keyed in during a call.
OPT_OUT_SOURCE = "customer_key"


def store_opt_out(
    session: Session, *, call_id: str, campaign_id: str, at: datetime, rules: CadenceRules
) -> bool:
    """Block the number of call ``call_id`` for ever and close its lead as opted out.

    Any call of the campaign counts, even one this runtime does not follow (another runtime's,
    or one adopted late): the obligation is the same and storing it is idempotent. False when
    the call is not one of the campaign's.
    """
    lead_id = session.scalar(
        select(ContactAttempt.lead_id).where(
            ContactAttempt.call_id == call_id, ContactAttempt.campaign_id == campaign_id
        )
    )
    if lead_id is None:
        return False
    record_opt_out(session, lead_id, at, rules, source=OPT_OUT_SOURCE, call_id=call_id)
    return True
