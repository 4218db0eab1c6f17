"""What an ended call means for its lead: every call outcome has a lead outcome."""

from __future__ import annotations

import pytest

from dialer.calls.states import Outcome
from dialer.runtime.attempts import lead_outcome
from renewals.cadence.rules import Outcome as LeadOutcome


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_call_outcome_moves_the_lead_on(outcome: Outcome) -> None:
    assert isinstance(lead_outcome(outcome, None), LeadOutcome)


def test_a_customer_who_hangs_up_at_once_was_not_reached() -> None:
    assert lead_outcome(Outcome.CUSTOMER_HUNG_UP, 16) is LeadOutcome.NO_ANSWER
    assert lead_outcome(Outcome.FAILED, 1) is LeadOutcome.WRONG_NUMBER
