"""The start-up check that the dialplan's prompts exist on the Asterisk host (issue 9)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from dialer.asterisk.adapter import AmiTelephony
from dialer.asterisk.prompts import REQUIRED_PROMPTS
from dialer.errors import PromptsMissing
from tests.integration.dialer.asterisk.support import SteppingClock, settings_for

# The reply forms of a real Asterisk 22 (fixture 01's Login, fixture 02's Getvar).
_GREETING = b"Asterisk Call Manager/11.0.0\r\n"
_ACTION_ID = re.compile(rb"(?im)^actionid: ?([^\r\n]*)")
_VARIABLE = re.compile(rb"(?im)^variable: ?([^\r\n]*)")


@asynccontextmanager
async def _asterisk(present: set[str]) -> AsyncIterator[tuple[int, list[bytes]]]:
    """A loopback AMI that logs in anyone and answers Getvar STAT(e,…) from ``present``."""
    received: list[bytes] = []

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(_GREETING)
        while message := await reader.readuntil(b"\r\n\r\n"):
            received.append(message)
            match = _ACTION_ID.search(message)
            action_id = match.group(1) if match else b""
            if message.startswith(b"Action: Login"):
                reply = b"Response: Success\r\nActionID: %s\r\nMessage: Authentication accepted"
                writer.write(reply % action_id + b"\r\n\r\n")
            elif message.startswith(b"Action: Getvar"):
                var = _VARIABLE.search(message)
                assert var is not None
                path = var.group(1)[len(b"STAT(e,") : -1].decode()
                value = b"1" if path in present else b"0"
                writer.write(b"Response: Success\r\nActionID: %s\r\nVariable: %s\r\nValue: %s"
                             b"\r\n\r\n" % (action_id, var.group(1), value))  # fmt: skip
            else:  # Logoff
                writer.write(b"Response: Goodbye\r\nActionID: %s\r\n\r\n" % action_id)
                await writer.drain()
                writer.close()
                return
            await writer.drain()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    try:
        yield server.sockets[0].getsockname()[1], received
    finally:
        server.close()


def _file(name: str) -> str:
    return f"/usr/share/asterisk/sounds/en/custom/{name}.wav"


async def test_start_names_the_missing_prompt() -> None:
    async with _asterisk({_file("xubao-safe-message")}) as (port, received):
        adapter = AmiTelephony(
            settings=settings_for(port, required_prompts=REQUIRED_PROMPTS),
            clock=SteppingClock(),
        )
        with pytest.raises(PromptsMissing) as refused:
            await adapter.start()
    assert refused.value.missing == ["custom/xubao-optout-confirmed"]
    assert "custom/xubao-optout-confirmed" in str(refused.value)
    getvars = [m for m in received if m.startswith(b"Action: Getvar")]
    assert len(getvars) == 2
    assert b"Variable: STAT(e,%s)\r\n" % _file("xubao-safe-message").encode() in getvars[0]
    assert b"Channel:" not in getvars[0]  # read on Asterisk's throw-away channel


async def test_start_goes_on_when_every_prompt_is_there() -> None:
    present = {_file(name) for name in REQUIRED_PROMPTS}
    async with _asterisk(present) as (port, _):
        adapter = AmiTelephony(
            settings=settings_for(port, required_prompts=REQUIRED_PROMPTS),
            clock=SteppingClock(),
        )
        await adapter.start()
        await adapter.close()
