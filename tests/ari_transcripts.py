"""The one loader of the real Asterisk 22 ARI captures (read-only, byte for byte).

``tests/fixtures/asterisk-ari/NN-name.jsonl`` is lossless: HTTP exchanges with the exact
response head and body, websocket frames with their exact text. Nothing here edits a byte.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

__all__ = ["ARI", "SCENARIOS", "AriTranscript", "HttpExchange", "WsFrame", "load"]

ARI = Path(__file__).resolve().parent / "fixtures" / "asterisk-ari"

SCENARIOS = {
    "01": "01-connect-info",
    "02": "02-ivr-call-continue",
    "03": "03-ivr-bargein-hangup",
    "04": "04-errors",
    "05": "05-websocket-drop",
    "06": "06-record",
}


def _body(body: dict[str, str] | None) -> bytes:
    if body is None:
        return b""
    if "base64" in body:
        return base64.b64decode(body["base64"])
    return body["text"].encode("utf-8")


@dataclass(frozen=True)
class HttpExchange:
    """One captured request and the exact bytes of its response."""

    index: int  # position in the file
    method: str
    target: str
    request_headers: tuple[tuple[str, str], ...]
    status: int
    raw_response: bytes  # status line, headers and body exactly as Asterisk sent them

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> tuple[tuple[str, str], ...]:
        return tuple(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def body(self) -> bytes:
        return self.raw_response.split(b"\r\n\r\n", 1)[1]


@dataclass(frozen=True)
class WsFrame:
    index: int
    conn: str
    text: str

    @property
    def type(self) -> str:
        return str(json.loads(self.text)["type"])


@dataclass(frozen=True)
class AriTranscript:
    name: str
    records: tuple[dict[str, Any], ...]

    def http(self, method: str, target_or_path: str) -> list[HttpExchange]:
        """Exchanges whose target (or path, when no ``?`` is given) matches, in file order."""
        out = []
        for index, r in enumerate(self.records):
            if r["kind"] != "http" or r["request"]["method"] != method:
                continue
            req = r["request"]
            if target_or_path in (req["target"], req["path"]) or target_or_path == "*":
                head = r["raw_response_head"].encode("latin-1")
                out.append(
                    HttpExchange(
                        index=index,
                        method=method,
                        target=req["target"],
                        request_headers=tuple((k, v) for k, v in req["headers"]),
                        status=r["response"]["status"],
                        raw_response=head + _body(r["response"]["body"]),
                    )
                )
        return out

    def one(self, method: str, target: str, nth: int = 0) -> HttpExchange:
        """The ``nth`` exchange whose request target is exactly ``target``."""
        return [x for x in self.http(method, target) if x.target == target][nth]

    def frames(self, conn: str, *, start: int = 0, stop: int | None = None) -> list[WsFrame]:
        """Text frames received on websocket ``conn`` with file index in [start, stop)."""
        end = len(self.records) if stop is None else stop
        return [
            WsFrame(i, r["conn"], r["data"])
            for i, r in enumerate(self.records)
            if r["kind"] == "ws" and r["event"] == "recv" and r["conn"] == conn and start <= i < end
        ]

    def ws_event(self, conn: str, event: str) -> dict[str, Any]:
        return next(
            r
            for r in self.records
            if r["kind"] == "ws" and r["conn"] == conn and r["event"] == event
        )


@cache
def load(scenario: str) -> AriTranscript:
    name = SCENARIOS.get(scenario, scenario)
    with (ARI / f"{name}.jsonl").open(encoding="utf-8") as fh:
        records = tuple(json.loads(line) for line in fh if line.strip())
    return AriTranscript(name=name, records=records)
