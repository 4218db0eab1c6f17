"""Settings of the ARI client, built once by the composition root and passed in."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["AriSettings"]


@dataclass(frozen=True, slots=True, kw_only=True)
class AriSettings:
    """Where Asterisk's HTTP server is and who we are. Times in seconds.

    ``base_url`` is the HTTP server's root (``http://127.0.0.1:8088``); REST paths and the event
    websocket both live under its ``/ari``.
    """

    base_url: str = "http://127.0.0.1:8088"
    app: str = "xubao-ivr"
    username: str = "xubao"
    password: str = field(repr=False)  # never logged: repr hides it
    request_timeout_s: float = 10.0
    connect_timeout_s: float = 5.0
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    backoff_factor: float = 2.0
    # Websocket pings: the fixtures had them off, so keepalive is not covered by captures; a
    # half-dead socket is found by the ping timeout instead of waiting for TCP.
    ping_interval_s: float | None = 20.0
    event_queue_size: int = 10_000
    # The websocket's root when a proxy serves it apart from REST; empty: the same as base_url.
    events_base_url: str = ""

    @property
    def events_url(self) -> str:
        root = self.events_base_url or self.base_url
        scheme = "wss" if root.startswith("https") else "ws"
        host = root.split("://", 1)[-1].rstrip("/")
        return f"{scheme}://{host}/ari/events"
