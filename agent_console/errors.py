"""The consoles' errors. HTTP codes are given to them in one place (``agent_console.app``).

ConsoleError
├── AccountError          accounts: bad name/role/extension/password, duplicate, unknown
├── NotLoggedIn           no valid session (401)
├── LoginFailed           wrong name or password, or a disabled account (401)
├── TooManyAttempts       log-in attempts rate-limited (429), ``retry_after_s``
├── CsrfRejected          an unsafe request without the session's CSRF token (403)
├── RoleRequired          the user's role may not use this route (403)
├── NotYours              a lead or call not assigned to this agent (403)
├── NotFound              no such lead, call or campaign (404)
└── SeatProblem           the seat cannot do this now (409): not logged in, no campaign, …
"""

from __future__ import annotations

__all__ = [
    "AccountError",
    "ConsoleError",
    "CsrfRejected",
    "LoginFailed",
    "NotFound",
    "NotLoggedIn",
    "NotYours",
    "RoleRequired",
    "SeatProblem",
    "TooManyAttempts",
]


class ConsoleError(Exception):
    """Base of every console error; ``message`` is an English msgid of the console catalog."""

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class AccountError(ConsoleError):
    """An account command or form was refused (the message names the field)."""


class NotLoggedIn(ConsoleError):
    def __init__(self) -> None:
        super().__init__("Please log in.")


class LoginFailed(ConsoleError):
    def __init__(self) -> None:
        super().__init__("Wrong user name or password.")


class TooManyAttempts(ConsoleError):
    def __init__(self, retry_after_s: float) -> None:
        super().__init__("Too many log-in attempts; try again later.", retry_after_s=retry_after_s)
        self.retry_after_s = retry_after_s


class CsrfRejected(ConsoleError):
    def __init__(self) -> None:
        super().__init__("The form has expired; reload the page and try again.")


class RoleRequired(ConsoleError):
    def __init__(self, role: str, *needed: str) -> None:
        super().__init__("Your role may not open this page.", role=role, needed=list(needed))


class NotYours(ConsoleError):
    def __init__(self, what: str, ident: object) -> None:
        super().__init__("This is not assigned to you.", what=what, id=ident)


class NotFound(ConsoleError):
    def __init__(self, what: str, ident: object) -> None:
        super().__init__("Not found.", what=what, id=ident)


class SeatProblem(ConsoleError):
    """The seat cannot do that now; ``message`` says why."""
