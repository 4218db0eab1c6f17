"""Errors of the dialer part.

DialerError
├── TelephonyError            the backend could not do what was asked
│   ├── BackendUnavailable    not connected / connection lost (pending actions fail with it)
│   │   └── EventQueueOverflow  an events() subscriber fell behind; its subscription closed
│   ├── AuthenticationFailed  the backend refused our credentials
│   ├── ActionFailed          the backend answered an action with an error (``message``)
│   │   └── OriginateFailed   the call could not be placed (``cause``)
│   ├── ActionTimeout         no answer to an action within its timeout
│   ├── UnknownCall           no live call with that call id
│   └── PromptsMissing        the PBX lacks prompts the dialplan plays (``missing``)
├── IllegalTransition         a call event that the call's state does not allow
├── SeatTransitionNotAllowed  a seat state change that the seat's state does not allow
└── CampaignError             a campaign cannot be created or changed as asked
"""

from __future__ import annotations

__all__ = [
    "ActionFailed",
    "ActionTimeout",
    "AuthenticationFailed",
    "BackendUnavailable",
    "CampaignError",
    "DialerError",
    "EventQueueOverflow",
    "IllegalTransition",
    "OriginateFailed",
    "PromptsMissing",
    "SeatTransitionNotAllowed",
    "TelephonyError",
    "UnknownCall",
]


class DialerError(Exception):
    """Base of every dialer error."""


class TelephonyError(DialerError):
    """The telephony backend could not do what was asked."""

    def __init__(self, message: str, *, call_id: str = "", action_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.call_id = call_id
        self.action_id = action_id


class BackendUnavailable(TelephonyError):
    """Not connected, or the connection was lost while the action was pending."""


class EventQueueOverflow(BackendUnavailable):
    """The subscriber's bounded queue filled up; it must re-sync (``live_calls()``)."""


class AuthenticationFailed(TelephonyError):
    """The backend refused our credentials."""


class ActionFailed(TelephonyError):
    """The backend answered with an error."""


class OriginateFailed(ActionFailed):
    """The call could not be placed; ``cause`` is the Q.850 cause when known (else 0)."""

    def __init__(
        self, message: str, *, call_id: str = "", action_id: str = "", cause: int = 0
    ) -> None:
        super().__init__(message, call_id=call_id, action_id=action_id)
        self.cause = cause


class ActionTimeout(TelephonyError):
    """No answer to an action within its timeout."""


class UnknownCall(TelephonyError):
    """No live call with that call id."""


class PromptsMissing(TelephonyError):
    """Prompts the dialplan plays are not on the PBX; ``missing`` names them (``custom/…``)."""

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"prompts missing on the Asterisk host: {', '.join(missing)}")
        self.missing = missing


class IllegalTransition(DialerError):
    """A call event arrived that the call's current state does not allow."""

    def __init__(self, call_id: str, state: str, event: str) -> None:
        super().__init__(f"call {call_id}: {event} is not allowed in state {state}")
        self.call_id = call_id
        self.state = state
        self.event = event


class SeatTransitionNotAllowed(DialerError):
    """An agent's seat cannot move from ``state`` to ``target``."""

    def __init__(self, agent_id: str, state: str, target: str, why: str = "") -> None:
        detail = f": {why}" if why else ""
        super().__init__(f"seat {agent_id}: {state} → {target} is not allowed{detail}")
        self.agent_id = agent_id
        self.state = state
        self.target = target


class CampaignError(DialerError):
    """A campaign cannot be created or changed as asked; ``field`` names the bad setting."""

    def __init__(self, campaign_id: str, message: str, *, field: str = "") -> None:
        super().__init__(f"campaign {campaign_id}: {message}")
        self.campaign_id = campaign_id
        self.field = field
