"""The call state machine: turns a call's port events into its life and outcome."""

from dialer.calls.ledger import CallLedger
from dialer.calls.machine import CallMachine
from dialer.calls.states import ATTRIBUTE_EVENTS, TRANSITIONS, CallState, Outcome, outcome_of_cause

__all__ = [
    "ATTRIBUTE_EVENTS",
    "TRANSITIONS",
    "CallLedger",
    "CallMachine",
    "CallState",
    "Outcome",
    "outcome_of_cause",
]
