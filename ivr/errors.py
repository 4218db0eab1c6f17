"""Errors of the IVR: the ARI client, flows as data and their sessions.

    IvrError
    ├── AriError                      talking to Asterisk's REST interface failed
    │   ├── AriUnavailable            no TCP/HTTP/websocket connection (transport, timeout)
    │   ├── AriHandshakeFailed        the event websocket was refused (status, body)
    │   ├── AriAppReplaced            another client took over our Stasis application
    │   └── AriRequestFailed          an HTTP error status (status, message, method, path)
    │       ├── AriBadRequest         400
    │       ├── AriAuthFailed         401
    │       ├── AriNotFound           404 (channel, playback, bridge, variable, resource)
    │       ├── AriConflict           409 (e.g. "Channel not in Stasis application")
    │       ├── AriUnprocessable      422
    │       └── AriServerError        5xx (e.g. 500 "Allocation failed")
    ├── FlowInvalid                   a flow file is malformed (file, node, field, reason)
    ├── PromptsMissing                prompts named by flows are not on disk (the list)
    ├── SessionEnded                  the caller hung up while the flow waited on them
    └── LeadNotRecognised             a reminder call names a lead that does not exist

Asterisk's reason phrases are not standard ("404 Variable Not Found", "400 Invalid Reason"), so
the class follows the numeric status only (fixture 04).
"""

from __future__ import annotations

__all__ = [
    "AriAppReplaced",
    "AriAuthFailed",
    "AriBadRequest",
    "AriConflict",
    "AriError",
    "AriHandshakeFailed",
    "AriNotFound",
    "AriRequestFailed",
    "AriServerError",
    "AriUnavailable",
    "AriUnprocessable",
    "FlowInvalid",
    "IvrError",
    "LeadNotRecognised",
    "PromptsMissing",
    "SessionEnded",
    "request_error",
]


class IvrError(Exception):
    """Base of every IVR error."""


class AriError(IvrError):
    """Base of the ARI client's errors."""


class AriUnavailable(AriError):
    """Asterisk could not be reached (connection refused or lost, timeout)."""

    def __init__(self, what: str, cause: str) -> None:
        super().__init__(f"ARI unavailable during {what}: {cause}")
        self.what = what
        self.cause = cause


class AriHandshakeFailed(AriError):
    """The event websocket upgrade got a plain HTTP answer (401 wrong password, 400 no app)."""

    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"ARI event websocket refused: HTTP {status}")
        self.status = status
        self.body = body


class AriAppReplaced(AriError):
    """Asterisk sent ApplicationReplaced: another websocket now receives our app's events."""

    def __init__(self, app: str) -> None:
        super().__init__(f"Stasis application {app!r} was taken over by another connection")
        self.app = app


class AriRequestFailed(AriError):
    """A REST request answered with an error status; ``message`` is Asterisk's own words."""

    def __init__(self, status: int, message: str, method: str, path: str) -> None:
        super().__init__(f"{method} {path}: {status} {message}")
        self.status = status
        self.message = message
        self.method = method
        self.path = path


class AriBadRequest(AriRequestFailed):
    """400: a missing or bad parameter (also bridge addChannel with a missing channel)."""


class AriAuthFailed(AriRequestFailed):
    """401: wrong or missing credentials."""


class AriNotFound(AriRequestFailed):
    """404: the channel, playback, bridge, variable or resource does not exist (any more)."""


class AriConflict(AriRequestFailed):
    """409: e.g. the channel is not in our Stasis application, or an id already in use."""


class AriUnprocessable(AriRequestFailed):
    """422: e.g. an unknown recording format, a bridge channel not in Stasis."""


class AriServerError(AriRequestFailed):
    """5xx: e.g. ``Allocation failed`` for a bogus technology, ``play`` without media."""


_BY_STATUS: dict[int, type[AriRequestFailed]] = {
    400: AriBadRequest,
    401: AriAuthFailed,
    404: AriNotFound,
    409: AriConflict,
    422: AriUnprocessable,
}


def request_error(status: int, message: str, method: str, path: str) -> AriRequestFailed:
    """The error class for an HTTP status (5xx → server error, others → the base)."""
    cls = _BY_STATUS.get(status, AriServerError if status >= 500 else AriRequestFailed)
    return cls(status, message, method, path)


class FlowInvalid(IvrError):
    """A flow file does not hold together; names the file, the node and the field."""

    def __init__(self, source: str, node: str, field: str, reason: str) -> None:
        super().__init__(f"{source}: node {node!r}, {field}: {reason}")
        self.source = source
        self.node = node
        self.field = field
        self.reason = reason


class PromptsMissing(IvrError):
    """Prompts the flows name are not in the prompt directory (checked at start-up)."""

    def __init__(self, missing: list[str]) -> None:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        super().__init__(f"{len(missing)} prompt file(s) missing: {shown}")
        self.missing = missing


class SessionEnded(IvrError):
    """The caller's channel ended (hangup, or gone while the event socket was down)."""

    def __init__(self, channel_id: str) -> None:
        super().__init__(f"channel {channel_id} ended")
        self.channel_id = channel_id


class LeadNotRecognised(IvrError):
    """A reminder call or callback names a lead id the book does not have."""

    def __init__(self, lead_id: int) -> None:
        super().__init__(f"lead {lead_id} not found")
        self.lead_id = lead_id
