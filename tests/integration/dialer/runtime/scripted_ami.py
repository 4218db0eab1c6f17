"""A scripted Asterisk on loopback TCP: it speaks AMI and plays its calls by a simple script.

Unlike the replay server (``tests/integration/dialer/asterisk/replay_server.py``), which plays
captured bytes back, this one answers whatever the dialer asks, as a lab Asterisk with the
shipped dialplan would, in the message shapes of the captures (02, 06, 07):

- ``Login``, ``Ping``, ``Getvar`` (``STAT`` of a prompt file: present), ``Logoff``;
  ``QueueAdd``/``QueuePause``/``QueueRemove`` on its queue members ("Already there",
  "Interface not found", "Not there" as Asterisk says);
- ``Originate``: "queued", then the call plays out as events: ``Newchannel``; a busy line
  (``OriginateResponse`` Reason 5, ``Hangup`` 17) for every ``busy_every``-th call, else an
  answer (``OriginateResponse`` Success, ``UserEvent XubaoAmd HUMAN``, ``QueueCallerJoin``),
  then ``AgentConnect`` to the first free unpaused member and a ``Hangup`` after the talk
  time, or ``UserEvent XubaoAbandon`` and a ``Hangup`` when no member is free;
- ``CoreShowChannels`` and ``QueueStatus`` lists for the re-sync.

``kill()`` drops the listener and every session at once; calls go on, unseen. ``revive()``
listens again on the same port with an empty queue, as Asterisk restarted with
``persistentmembers = no``: the dialer must re-add its seats.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from dataclasses import dataclass, field

__all__ = ["ScriptedAsterisk"]

_END = b"\r\n\r\n"
_LOCAL = re.compile(r"^Local/([^@]+)@")


def _message(*pairs: tuple[str, object]) -> bytes:
    return "".join(f"{k}: {v}\r\n" for k, v in pairs).encode() + b"\r\n"


@dataclass
class _Call:
    call_id: str
    channel: str
    up: bool = False
    bridge: str = ""


@dataclass
class _Session:
    writer: asyncio.StreamWriter
    logged_in: bool = False


@dataclass
class ScriptedAsterisk:
    queue: str
    talk_s: tuple[float, ...] = (0.4, 3.0)  # taken in turn, call by call
    answer_after_s: float = 0.2
    busy_every: int = 5
    port: int = 0
    actions: list[tuple[str, str]] = field(default_factory=list)  # (Action, Interface/Channel)
    members: dict[str, bool] = field(default_factory=dict)  # interface -> paused
    calls: dict[str, _Call] = field(default_factory=dict)  # live calls by Uniqueid
    events_sent: list[tuple[str, str]] = field(default_factory=list)  # (Event, Uniqueid)
    sent: asyncio.Event = field(default_factory=asyncio.Event)  # set at every event sent
    _busy: set[str] = field(default_factory=set)
    _sessions: list[_Session] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    # --- life cycle ---

    async def start(self) -> int:
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]
        return self.port

    async def kill(self) -> None:
        """The AMI side is gone at once: no Logoff, no goodbye."""
        assert self._server is not None
        self._server.close()
        for session in self._sessions:
            session.writer.transport.abort()
        self._sessions.clear()
        await self._server.wait_closed()
        self._server = None

    async def revive(self) -> None:
        self.members.clear()
        self._busy.clear()
        await self.start()

    async def close(self) -> None:
        if self._server is not None:
            await self.kill()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # --- the wire ---

    def _emit(self, *pairs: tuple[str, object]) -> None:
        headers = dict(pairs)
        self.events_sent.append((str(headers["Event"]), str(headers.get("Uniqueid", ""))))
        self.sent.set()
        data = _message(*pairs)
        for session in self._sessions:
            if session.logged_in and not session.writer.is_closing():
                session.writer.write(data)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        session = _Session(writer)
        self._sessions.append(session)
        writer.write(b"Asterisk Call Manager/9.0.0\r\n")
        buffer = b""
        try:
            while data := await reader.read(65536):
                buffer += data
                while _END in buffer:
                    raw, buffer = buffer.split(_END, 1)
                    headers = dict(
                        line.split(": ", 1) for line in raw.decode().split("\r\n") if ": " in line
                    )
                    self._act(session, headers)
        except OSError:
            pass
        finally:
            if session in self._sessions:
                self._sessions.remove(session)
            writer.close()

    def _reply(self, session: _Session, action_id: str, *pairs: tuple[str, object]) -> None:
        session.writer.write(_message(("Response", "Success"), ("ActionID", action_id), *pairs))

    def _error(self, session: _Session, action_id: str, message: str) -> None:
        session.writer.write(
            _message(("Response", "Error"), ("ActionID", action_id), ("Message", message))
        )

    def _act(self, session: _Session, h: dict[str, str]) -> None:
        name, aid = h.get("Action", ""), h.get("ActionID", "")
        self.actions.append((name, h.get("Interface") or h.get("Channel", "")))
        if name == "Login":
            self._reply(session, aid, ("Message", "Authentication accepted"))
            session.logged_in = True
            session.writer.write(_message(("Event", "FullyBooted"), ("Status", "Fully Booted")))
        elif name in ("QueueAdd", "QueuePause", "QueueRemove"):
            self._queue_action(session, name, aid, h)
        elif name == "Originate":
            self._reply(session, aid, ("Message", "Originate successfully queued"))
            task = asyncio.create_task(self._play(h), name=f"call-{h['ChannelId']}")
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        elif name == "CoreShowChannels":
            self._channels(session, aid)
        elif name == "QueueStatus":
            self._queue_status(session, aid)
        elif name == "Logoff":
            session.writer.write(_message(("Response", "Goodbye"), ("ActionID", aid)))
        elif name == "Getvar":  # STAT(e,<prompt file>): the lab has every prompt installed
            value = "1" if h.get("Variable", "").startswith("STAT(") else ""
            self._reply(session, aid, ("Variable", h.get("Variable", "")), ("Value", value))
        else:  # Ping, Setvar...: nothing to model
            self._reply(session, aid, ("Ping", "Pong"))

    def _queue_action(self, session: _Session, name: str, aid: str, h: dict[str, str]) -> None:
        interface = h["Interface"]
        there = interface in self.members
        if name == "QueueAdd":
            if there:
                return self._error(session, aid, "Unable to add interface: Already there")
            self.members[interface] = h.get("Paused") == "true"
            return self._reply(session, aid, ("Message", "Added interface to queue"))
        if not there:
            message = "Interface not found" if name == "QueuePause" else "Not there"
            return self._error(session, aid, message)
        if name == "QueuePause":
            self.members[interface] = h.get("Paused") == "true"
            return self._reply(session, aid, ("Message", "Interface paused successfully"))
        del self.members[interface]
        return self._reply(session, aid, ("Message", "Removed interface from queue"))

    def _channels(self, session: _Session, aid: str) -> None:
        out = [
            _message(
                ("Response", "Success"), ("ActionID", aid), ("EventList", "start"),
                ("Message", "Channels will follow"),
            )
        ]  # fmt: skip
        for call in self.calls.values():
            out.append(
                _message(
                    ("Event", "CoreShowChannel"), ("ActionID", aid), ("Channel", call.channel),
                    ("ChannelState", 6 if call.up else 5),
                    ("ChannelStateDesc", "Up" if call.up else "Ringing"),
                    ("Uniqueid", call.call_id), ("Linkedid", call.call_id),
                    ("BridgeId", call.bridge),
                )
            )  # fmt: skip
        out.append(
            _message(
                ("Event", "CoreShowChannelsComplete"), ("ActionID", aid),
                ("EventList", "Complete"), ("ListItems", len(self.calls)),
            )
        )  # fmt: skip
        session.writer.write(b"".join(out))

    def _queue_status(self, session: _Session, aid: str) -> None:
        out = [
            _message(
                ("Response", "Success"), ("ActionID", aid), ("EventList", "start"),
                ("Message", "Queue status will follow"),
            )
        ]  # fmt: skip
        for interface, paused in self.members.items():
            out.append(
                _message(
                    ("Event", "QueueMember"), ("ActionID", aid), ("Queue", self.queue),
                    ("Name", interface), ("Location", interface), ("StateInterface", interface),
                    ("Status", 2 if interface in self._busy else 1),
                    ("Paused", int(paused)),
                )
            )  # fmt: skip
        out.append(
            _message(
                ("Event", "QueueStatusComplete"), ("ActionID", aid), ("EventList", "Complete"),
                ("ListItems", len(self.members)),
            )
        )  # fmt: skip
        session.writer.write(b"".join(out))

    # --- one call ---

    async def _play(self, h: dict[str, str]) -> None:
        n = next(self._serial)
        uid = h["ChannelId"]
        call = self.calls[uid] = _Call(uid, f"{h['Channel']}-{n:08x};1")
        ids = (("Uniqueid", uid), ("Linkedid", uid), ("Channel", call.channel))
        self._emit(("Event", "Newchannel"), *ids, ("ChannelStateDesc", "Down"))
        await asyncio.sleep(self.answer_after_s)
        if n % self.busy_every == 0:
            self._emit(("Event", "OriginateResponse"), ("Response", "Failure"), *ids, ("Reason", 5))
            return self._hang_up(call, 17, "User busy")
        call.up = True
        self._emit(("Event", "OriginateResponse"), ("Response", "Success"), *ids, ("Reason", 4))
        self._emit(("Event", "UserEvent"), ("UserEvent", "XubaoAmd"), ("AmdStatus", "HUMAN"), *ids)
        self._emit(("Event", "QueueCallerJoin"), ("Queue", self.queue), *ids)
        member = await self._free_member()
        if not member:
            self._emit(("Event", "UserEvent"), ("UserEvent", "XubaoAbandon"), *ids)
            await asyncio.sleep(0.2)
            return self._hang_up(call, 16, "Normal Clearing")
        self._busy.add(member)
        call.bridge = f"bridge-{uid}"
        self._emit(("Event", "AgentConnect"), ("Queue", self.queue), ("Interface", member),
                   ("DestChannel", f"{member}-{n:08x};1"), ("HoldTime", 0), *ids)  # fmt: skip
        await asyncio.sleep(self.talk_s[n % len(self.talk_s)])
        self._busy.discard(member)
        self._hang_up(call, 16, "Normal Clearing")

    async def _free_member(self) -> str:
        for _ in range(20):  # the queue waits up to the 2-second connect limit
            for interface, paused in self.members.items():
                if not paused and interface not in self._busy:
                    return interface
            await asyncio.sleep(0.1)
        return ""

    def _hang_up(self, call: _Call, cause: int, text: str) -> None:
        del self.calls[call.call_id]
        self._emit(("Event", "Hangup"), ("Uniqueid", call.call_id), ("Linkedid", call.call_id),
                   ("Channel", call.channel), ("Cause", cause), ("Cause-txt", text))  # fmt: skip

    @staticmethod
    def agent_of(interface: str) -> str:
        match = _LOCAL.match(interface)
        return match.group(1) if match else interface
