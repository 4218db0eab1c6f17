"""AMI actions: immutable builders, wire encoding and ActionID minting.

An ``Action`` is data only; the client gives it an ActionID when it sends it (unless the
action carries one, or explicitly none: ``NO_ACTION_ID``, whose reply can then only be
matched by order, as the ActionID-less Ping of fixture 01 shows).
"""

from __future__ import annotations

import hashlib
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "NO_ACTION_ID",
    "Action",
    "ActionIdGenerator",
    "ActionIdSource",
    "atxfer",
    "bridge",
    "cancel_atxfer",
    "challenge",
    "command",
    "core_show_channels",
    "event_filter",
    "getvar",
    "hangup",
    "login",
    "login_md5",
    "logoff",
    "md5_key",
    "mix_monitor",
    "mix_monitor_mute",
    "originate",
    "ping",
    "queue_add",
    "queue_pause",
    "queue_remove",
    "queue_status",
    "redirect",
    "redirect_both",
    "setvar",
    "stop_mix_monitor",
]

NO_ACTION_ID = ""
_SECRET_HEADERS = frozenset({"secret", "key"})
# Headers that may hold a customer's number (the Originate's dial string): masked in logs.
_NUMBER_HEADERS = frozenset({"channel"})
_LONG_NUMBER = re.compile(r"\+?\d{4,}(?=\d{3})")


class ActionIdSource(Protocol):
    """Mints ActionIDs; tests inject one that replays a transcript's ids."""

    def next_id(self) -> str: ...


class ActionIdGenerator:
    """``<prefix>-<n>`` ids, unique per client; ``reset()`` restarts the count (tests)."""

    def __init__(self, *, prefix: str = "xubao") -> None:
        self._prefix = prefix
        self._counter = itertools.count(1)

    def next_id(self) -> str:
        return f"{self._prefix}-{next(self._counter)}"

    def reset(self) -> None:
        self._counter = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Action:
    """One AMI action: its name and ordered headers (repeats allowed, e.g. ``Variable``).

    ``action_id`` None means "the client mints one"; ``NO_ACTION_ID`` means "send none".
    """

    name: str
    headers: tuple[tuple[str, str], ...] = ()
    action_id: str | None = None

    def __post_init__(self) -> None:
        # WHY: a CR or LF in a value would let a caller name inject a whole new action.
        for key, value in (("Action", self.name), *self.headers):
            if any(c in key or c in value for c in "\r\n") or ":" in key:
                raise ValueError(f"invalid AMI header {key!r}")

    def encode(self, action_id: str) -> bytes:
        """The wire bytes: ``Action`` first, then ``ActionID`` (when any), CRLF CRLF."""
        lines = [f"Action: {self.name}"]
        if action_id:
            lines.append(f"ActionID: {action_id}")
        lines.extend(f"{key}: {value}" for key, value in self.headers)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")

    def masked(self) -> str:
        """A loggable rendering: secrets replaced, phone numbers cut to their last 3 digits
        (``Local/***071@lab-customer``), so DEBUG frame logs never show a customer's number."""
        return f"{self.name}({', '.join(f'{k}={_shown(k, v)}' for k, v in self.headers)})"


def _shown(key: str, value: str) -> str:
    if key.lower() in _SECRET_HEADERS:
        return "***"
    if key.lower() in _NUMBER_HEADERS:
        return _LONG_NUMBER.sub("***", value)
    return value


def _headers(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in pairs if v is not None)


def login(username: str, secret: str, *, events: str = "on") -> Action:
    """Plain login; ``events`` is ``on``, ``off`` or a class list (``call,agent,user``)."""
    return Action("Login", (("Username", username), ("Secret", secret), ("Events", events)))


def challenge() -> Action:
    return Action("Challenge", (("AuthType", "MD5"),))


def md5_key(challenge_value: str, secret: str) -> str:
    """``md5(challenge + secret)`` in hex, as Asterisk's MD5 login expects (05 c5)."""
    digest = hashlib.md5((challenge_value + secret).encode("utf-8"), usedforsecurity=False)
    return digest.hexdigest()


def login_md5(username: str, key: str, *, events: str = "on") -> Action:
    return Action(
        "Login", (("AuthType", "MD5"), ("Username", username), ("Key", key), ("Events", events))
    )


def event_filter(expression: str) -> Action:
    """Add a server-side event filter for this session (e.g. ``!Event: VarSet``)."""
    return Action("Filter", (("Operation", "Add"), ("Filter", expression)))


def ping() -> Action:
    return Action("Ping")


def logoff() -> Action:
    return Action("Logoff")


def command(cli: str) -> Action:
    """A CLI command; the reply carries one ``Output:`` header per line (22.x)."""
    return Action("Command", (("Command", cli),))


def core_show_channels() -> Action:
    return Action("CoreShowChannels")


def queue_status(queue: str = "") -> Action:
    return Action("QueueStatus", (("Queue", queue),) if queue else ())


def getvar(channel: str, variable: str) -> Action:
    """A variable of ``channel``, or with ``channel`` "" a global or a function's value."""
    if not channel:
        return Action("Getvar", (("Variable", variable),))
    return Action("Getvar", (("Channel", channel), ("Variable", variable)))


def originate(
    *,
    channel: str,
    timeout_ms: int,
    caller_id: str,
    channel_id: str,
    other_channel_id: str,
    context: str = "",
    exten: str = "",
    application: str = "",
    data: str = "",
    variables: Mapping[str, str] | None = None,
) -> Action:
    """An ``Async: true`` Originate into ``context``/``exten`` or an ``application``.

    ``ChannelId``/``OtherChannelId`` fix the Uniqueids of the two legs (02), which is how
    a call is found again by its id, and why a repeat Originate is detectable.
    """
    target: tuple[tuple[str, str], ...]
    if application:
        target = (("Application", application), ("Data", data))
    else:
        target = (("Context", context), ("Exten", exten), ("Priority", "1"))
    headers = (
        ("Channel", channel),
        *target,
        ("CallerID", caller_id),
        ("Timeout", str(timeout_ms)),
        ("Async", "true"),
        ("ChannelId", channel_id),
        ("OtherChannelId", other_channel_id),
        *(("Variable", f"{k}={v}") for k, v in (variables or {}).items()),
    )
    return Action("Originate", headers)


def setvar(channel: str, variable: str, value: str) -> Action:
    return Action("Setvar", (("Channel", channel), ("Variable", variable), ("Value", value)))


def hangup(channel: str, *, cause: int = 16) -> Action:
    return Action("Hangup", (("Channel", channel), ("Cause", str(cause))))


def redirect(channel: str, *, context: str, exten: str, priority: int = 1) -> Action:
    return Action(
        "Redirect",
        (("Channel", channel), ("Context", context), ("Exten", exten), ("Priority", str(priority))),
    )


def queue_add(
    queue: str,
    interface: str,
    *,
    member_name: str = "",
    paused: bool = False,
    state_interface: str = "",
) -> Action:
    """A seat logs in. ``state_interface`` is the device whose state the queue follows
    (``PJSIP/1001`` for a ``Local/1001@xubao-agents/n`` member); "" = the interface itself."""
    pairs = [("Queue", queue), ("Interface", interface), ("Paused", "true" if paused else "false")]
    if member_name:
        pairs.append(("MemberName", member_name))
    if state_interface:
        pairs.append(("StateInterface", state_interface))
    return Action("QueueAdd", _headers(pairs))


def queue_pause(queue: str, interface: str, *, paused: bool, reason: str = "") -> Action:
    pairs = [("Queue", queue), ("Interface", interface), ("Paused", "true" if paused else "false")]
    if reason:
        pairs.append(("Reason", reason))
    return Action("QueuePause", _headers(pairs))


def queue_remove(queue: str, interface: str) -> Action:
    return Action("QueueRemove", (("Queue", queue), ("Interface", interface)))


def mix_monitor(channel: str, path: str, *, options: str = "") -> Action:
    pairs = [("Channel", channel), ("File", path)]
    if options:
        pairs.append(("Options", options))
    return Action("MixMonitor", _headers(pairs))


def stop_mix_monitor(channel: str) -> Action:
    return Action("StopMixMonitor", (("Channel", channel),))


# ----- call controls (issue 11; Asterisk 22 AMI, see docs/deploy-asterisk.md) ------------


def redirect_both(
    channel: str, extra_channel: str, *, context: str, exten: str, extra_exten: str
) -> Action:
    """Move two bridged legs out of their bridge at once (hold): each to its own extension of
    ``context``. Moving only one would leave the other alone in the bridge, which ends it."""
    return Action(
        "Redirect",
        (
            ("Channel", channel),
            ("ExtraChannel", extra_channel),
            ("Context", context),
            ("Exten", exten),
            ("Priority", "1"),
            ("ExtraContext", context),
            ("ExtraExten", extra_exten),
            ("ExtraPriority", "1"),
        ),
    )


def bridge(channel1: str, channel2: str) -> Action:
    """Bridge two channels already in the dialplan (off hold: the agent meets the customer).
    ``Tone: no``: no beep to the customer, who has just heard the music stop."""
    return Action("Bridge", (("Channel1", channel1), ("Channel2", channel2), ("Tone", "no")))


def mix_monitor_mute(channel: str, *, muted: bool, direction: str = "both") -> Action:
    """Mute a MixMonitor: it records silence meanwhile, so the file keeps its real length."""
    state = "1" if muted else "0"
    return Action(
        "MixMonitorMute", (("Channel", channel), ("Direction", direction), ("State", state))
    )


def atxfer(channel: str, *, context: str, exten: str) -> Action:
    """Attended transfer by the transferer's ``channel`` (the agent's leg)."""
    return Action("Atxfer", (("Channel", channel), ("Exten", exten), ("Context", context)))


def cancel_atxfer(channel: str) -> Action:
    """Back out of an attended transfer (uses features.conf ``atxferabort``)."""
    return Action("CancelAtxfer", (("Channel", channel),))
