"""The dialplan's own prompts, and the start-up check that Asterisk has them.

``[xubao-abandon]`` plays ``custom/xubao-safe-message`` through Read(); if the file is missing
Read() fails at once, the customer hears nothing and the opt-out window is lost. So before
dialing the adapter asks Asterisk, over AMI, whether each prompt's file exists on ITS host:
``Getvar`` of ``STAT(e,<sounds dir>/<language>/custom/<name>.wav)``. Without a ``Channel``
Asterisk reads a function on a throw-away channel; func_env's STAT is not an "escalating"
function, so AMI may call it; ``e`` gives 1 when the file exists, 0 when it does not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Protocol

from dialer.asterisk import actions
from dialer.asterisk.messages import Message
from dialer.errors import ActionFailed

__all__ = ["OPTIONAL_PROMPTS", "REQUIRED_PROMPTS", "missing_prompts", "prompt_file"]

log = logging.getLogger(__name__)

# Played on every abandoned call: XUBAO_SAFE_MESSAGE and XUBAO_OPTOUT_CONFIRM in [globals].
REQUIRED_PROMPTS = ("xubao-safe-message", "xubao-optout-confirmed")
# Only with XUBAO_MACHINE_ACTION = message.
OPTIONAL_PROMPTS = ("xubao-machine-message",)


class _Requester(Protocol):
    async def request(
        self, action: actions.Action, *, timeout_s: float | None = None
    ) -> Message: ...


def prompt_file(sounds_dir: str, language: str, name: str) -> str:
    """Where Asterisk looks for ``custom/<name>`` in ``language`` (as a WAV file)."""
    return str(PurePosixPath(sounds_dir) / language / "custom" / f"{name}.wav")


async def missing_prompts(
    client: _Requester, *, sounds_dir: str, language: str, names: Iterable[str]
) -> list[str]:
    """The names of ``names`` whose file Asterisk reports absent (``custom/<name>``).

    A prompt Asterisk cannot be asked about (Getvar refused) is logged, not reported
    missing: the check must not stop a dialer that may be fine.
    """
    missing = []
    for name in names:
        path = prompt_file(sounds_dir, language, name)
        try:
            reply = await client.request(actions.getvar("", f"STAT(e,{path})"))
        except ActionFailed as exc:
            log.warning("cannot check prompt %s on Asterisk: %s", path, exc.message)
            continue
        if reply.get("Value").strip() != "1":
            missing.append(f"custom/{name}")
    return missing
