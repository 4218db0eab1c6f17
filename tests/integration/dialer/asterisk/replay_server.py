"""A loopback AMI server that replays a real transcript byte for byte.

Each accepted connection follows one ``ConnScript``: the server bytes captured before the
first client send go out on connect; every later client message is matched to the
transcript's sends by its ActionID (messages without one take the next send in order), and
the server then writes every captured chunk up to that send's reply, in the captured order
and chunking. A send the client skips still has its bytes replayed: only the pacing differs
from the capture. Scripts can cut the connection (a server killed mid-transcript) or stall
(a slow server).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field

from tests.ami_transcripts import Transcript

__all__ = ["AmiReplayServer", "ConnScript", "ScriptedIds"]

_MESSAGE_END = re.compile(rb"\r?\n\r?\n")
_ACTION_ID = re.compile(rb"(?im)^actionid: ?([^\r\n]*)")


@dataclass
class ConnScript:
    """What one connection replays. ``steps[i]`` = (send's ActionID, chunks that followed)."""

    greeting: list[bytes]
    steps: list[tuple[str, list[bytes]]]
    close_at_end: bool = True
    cut_after: int | None = None  # close, without replying, on this client message (1-based)
    stall_after: int | None = None  # stop replying (socket stays open) after this many

    @classmethod
    def from_transcript(
        cls, transcript: Transcript, conn: str, *, only: list[str] | None = None, **kw: int
    ) -> ConnScript:
        segments = transcript.segments(conn)
        ids = transcript.sent_action_ids(conn)
        steps = list(zip(ids, segments[1:], strict=True))
        if only is not None:
            steps = [s for s in steps if s[0] in only]
        close = transcript.ends_with_eof(conn)
        return cls(greeting=segments[0], steps=steps, close_at_end=close, **kw)  # type: ignore[arg-type]


class ScriptedIds:
    """An ``ActionIdSource`` that hands out a transcript's ActionIDs in the order given."""

    def __init__(self, ids: list[str], *, strict: bool = True) -> None:
        self._ids = list(ids)
        self._strict = strict
        self.issued: list[str] = []

    def next_id(self) -> str:
        if self._ids:
            self.issued.append(self._ids.pop(0))
        elif self._strict:
            raise AssertionError("the test sent more actions than it scripted ActionIDs for")
        else:  # not in the transcript: the replay server hangs up on it
            self.issued.append(f"unscripted-{len(self.issued)}")
        return self.issued[-1]


@dataclass
class _Session:
    script: ConnScript
    writer: asyncio.StreamWriter
    received: list[bytes] = field(default_factory=list)
    next_step: int = 0


class AmiReplayServer:
    """``async with AmiReplayServer(scripts=[...]) as server:`` then connect to ``server.port``."""

    def __init__(self, *, scripts: list[ConnScript]) -> None:
        self._scripts = scripts
        self._server: asyncio.Server | None = None
        self.sessions: list[_Session] = []
        self._handlers: set[asyncio.Task[None]] = set()
        self.port = 0

    async def __aenter__(self) -> AmiReplayServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()
        for session in self.sessions:
            session.writer.close()
        # Let every handler see its socket close and return, so none is left to cancel.
        if self._handlers:
            await asyncio.wait(self._handlers, timeout=5)
        await self._server.wait_closed()

    def received(self, index: int = 0) -> list[bytes]:
        """The client's messages on the ``index``-th connection, exactly as sent."""
        return self.sessions[index].received

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        index = len(self.sessions)
        if index >= len(self._scripts):
            writer.close()
            return
        session = _Session(script=self._scripts[index], writer=writer)
        self.sessions.append(session)
        try:
            await self._write(writer, session.script.greeting)
            buffer = b""
            while data := await reader.read(65536):
                buffer += data
                while match := _MESSAGE_END.search(buffer):
                    message, buffer = buffer[: match.end()], buffer[match.end() :]
                    if not await self._answer(session, message):
                        writer.close()
                        return
        except ConnectionError:
            pass
        finally:
            writer.close()

    async def _answer(self, session: _Session, message: bytes) -> bool:
        """Reply to one client message; False to close the connection."""
        session.received.append(message)
        script, count = session.script, len(session.received)
        if script.cut_after is not None and count >= script.cut_after:
            return False
        if script.stall_after is not None and count > script.stall_after:
            return True
        match = _ACTION_ID.search(message)
        wanted = match.group(1).decode() if match else None
        target = session.next_step
        if wanted is not None:
            ids = [step[0] for step in script.steps]
            if wanted not in ids[target:]:
                return False  # not in the transcript: hang up, as Logoff would
            target = ids.index(wanted, target)
        elif target >= len(script.steps):
            return False
        for _, chunks in script.steps[session.next_step : target + 1]:
            await self._write(session.writer, chunks)
        session.next_step = target + 1
        return not (script.close_at_end and session.next_step >= len(script.steps))

    @staticmethod
    async def _write(writer: asyncio.StreamWriter, chunks: list[bytes]) -> None:
        for chunk in chunks:
            writer.write(chunk)
            await writer.drain()
