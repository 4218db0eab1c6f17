"""The renewal cadence: who is due for a call at an instant, why, and in which order.

``decide`` is the pure rule for one lead; ``find_due_leads`` runs it over the book behind a SQL
prefilter; ``CadenceService`` records outcomes and do-not-call entries; ``rebuild_renewal_list``
is the daily job's work.
"""

from renewals.cadence.decision import Decision, DncBlock, LeadSnapshot, decide, stage_for
from renewals.cadence.errors import CadenceError, CallbackTimeMissing, LeadClosed, LeadNotFound
from renewals.cadence.listing import (
    ListingResult,
    advance_stages,
    create_leads,
    rebuild_renewal_list,
)
from renewals.cadence.outcomes import CadenceService
from renewals.cadence.query import DueLead, find_due_leads
from renewals.cadence.reasons import Reason, Reasons
from renewals.cadence.rules import DEFAULT_RULES, CadenceRules, ContactTarget, Outcome

__all__ = [
    "DEFAULT_RULES",
    "CadenceError",
    "CadenceRules",
    "CadenceService",
    "CallbackTimeMissing",
    "ContactTarget",
    "Decision",
    "DncBlock",
    "DueLead",
    "LeadClosed",
    "LeadNotFound",
    "LeadSnapshot",
    "ListingResult",
    "Outcome",
    "Reason",
    "Reasons",
    "advance_stages",
    "create_leads",
    "decide",
    "find_due_leads",
    "rebuild_renewal_list",
    "stage_for",
]
