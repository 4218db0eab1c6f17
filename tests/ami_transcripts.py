"""The one loader of the real Asterisk 22 AMI transcripts (read-only, byte for byte).

Files live in the repository's byte-exact copy, ``tests/fixtures/asterisk-ami/`` (copied from
the design's ``shared/fixtures``; ``tests/integration/test_fixture_copies.py`` checks they still
match where that folder is present). ``*.raw.jsonl`` is lossless: one JSON object per socket
operation; ``data`` is the exact bytes decoded as latin-1, so ``encode("latin-1")`` gives
them back. Nothing here edits or re-types a byte.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

__all__ = [
    "FIXTURES",
    "SCENARIOS",
    "Transcript",
    "TxtBlock",
    "fixtures_dir",
    "load",
]

SCENARIOS = {
    "01": "01-login-ping",
    "02": "02-originate-queue-mixmonitor",
    "03": "03-originate-failures",
    "04": "04-chanspy-supervisor",
    "05": "05-auth-errors-malformed",
    "06": "06-asterisk-restart-with-seats",
    "07": "07-abandon-optout",
    "08": "08-instant-answer",
    "09": "09-answer-hangup-at-once",
    "10": "10-call-controls",
    "11": "11-consult-ends-without-the-console",
}


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixtures_dir() -> Path:
    """The repository's copy of the AMI captures: ``tests/fixtures/asterisk-ami``."""
    return FIXTURES / "asterisk-ami"


@dataclass(frozen=True)
class Row:
    rel: float
    conn: str
    dir: str
    data: bytes
    note: str


@dataclass(frozen=True)
class TxtBlock:
    """One S->C block of the readable ``.txt``: its lines (no CRLF) and byte count."""

    conn: str
    size: int
    lines: tuple[str, ...]
    note: str


_BLOCK_HEAD = re.compile(r"^=== \S+ \(\+[\d.]+s\) \[(\w+)\] S->C \((\d+) bytes\)(.*)$")


@dataclass(frozen=True)
class Transcript:
    name: str
    rows: tuple[Row, ...]

    @property
    def conns(self) -> list[str]:
        return sorted({r.conn for r in self.rows})

    def recv_chunks(self, conn: str) -> list[bytes]:
        """The server's bytes as the client's reads got them (real TCP chunking)."""
        return [r.data for r in self.rows if r.conn == conn and r.dir == "recv"]

    def server_stream(self, conn: str) -> bytes:
        return b"".join(self.recv_chunks(conn))

    def sends(self, conn: str) -> list[bytes]:
        return [r.data for r in self.rows if r.conn == conn and r.dir == "send"]

    def ends_with_eof(self, conn: str) -> bool:
        return any(r.conn == conn and r.dir == "eof" for r in self.rows)

    def segments(self, conn: str) -> list[list[bytes]]:
        """Server chunks grouped by the client send they followed: [0] = before any send."""
        out: list[list[bytes]] = [[]]
        for r in self.rows:
            if r.conn != conn:
                continue
            if r.dir == "send":
                out.append([])
            elif r.dir == "recv":
                out[-1].append(r.data)
        return out

    def sent_action_ids(self, conn: str) -> list[str]:
        """ActionIDs of the client's sends, in order ('' for sends without one)."""
        ids = []
        for data in self.sends(conn):
            match = re.search(rb"(?im)^actionid: ([^\r\n]*)", data)
            ids.append(match.group(1).decode() if match else "")
        return ids

    def txt_blocks(self) -> list[TxtBlock]:
        path = fixtures_dir() / f"{self.name}.txt"
        blocks: list[TxtBlock] = []
        current: tuple[str, int, str] | None = None
        lines: list[str] = []
        for line in path.read_text(encoding="utf-8").split("\n"):
            head = _BLOCK_HEAD.match(line)
            if head:
                current = (head.group(1), int(head.group(2)), head.group(3))
                lines = []
            elif current is not None and line == "":
                blocks.append(TxtBlock(current[0], current[1], tuple(lines), current[2]))
                current = None
            elif current is not None:
                lines.append(line)
        return blocks

    def order(self) -> list[tuple[str, str]]:
        """``(conn, Event-or-Response)`` per received message, from ``.order.txt``."""
        path = fixtures_dir() / f"{self.name}.order.txt"
        out = []
        for line in path.read_text(encoding="utf-8").splitlines():
            _, conn, what = line.split(None, 2)
            out.append((conn, what))
        return out


@cache
def load(scenario: str) -> Transcript:
    """Load ``"02"`` (or a full name) from its lossless ``.raw.jsonl``."""
    name = SCENARIOS.get(scenario, scenario)
    rows = []
    with (fixtures_dir() / f"{name}.raw.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            obj = json.loads(line)
            rows.append(
                Row(
                    rel=obj["rel"],
                    conn=obj["conn"],
                    dir=obj["dir"],
                    data=obj.get("data", "").encode("latin-1"),
                    note=obj.get("note", ""),
                )
            )
    return Transcript(name=name, rows=tuple(rows))
