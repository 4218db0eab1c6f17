"""AMI parsing speed and exactness: our framer against panoramisk 1.4, same bytes, same run.

The input is every server byte stream of the real Asterisk 22 fixtures
(``tests/fixtures/asterisk-ami/*.raw.jsonl``, greetings removed), repeated until about
200,000 messages, behind one greeting, fed in 4 KB reads. Each parser runs several times
in turn; the table gives medians. Then both parse one copy of the fixtures and every
message is compared, header by header, with the bytes (an independent CRLF split).

    PYTHONPATH=. python -m bench.ami_events [--runs 5] [--messages 200000] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable

from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Message
from tests.ami_transcripts import load

GREETING = b"Asterisk Call Manager/11.0.0\r\n"
# The corpus the bench's figures were measured on (captures a-e; 06-09 came later).
CORPUS = ("01", "02", "03", "04", "05")
READ_SIZE = 4096


def fixture_body() -> bytes:
    """Every server stream of the fixtures, without greetings, as one byte string."""
    parts = []
    for scenario in CORPUS:
        transcript = load(scenario)
        for conn in transcript.conns:
            stream = transcript.server_stream(conn)
            parts.append(stream[stream.index(b"\r\n") + 2 :])
    return b"".join(parts)


def reference_messages(body: bytes) -> list[Counter[tuple[str, str]]]:
    """What the bytes say, split the obvious way (for the exactness check only)."""
    out = []
    for block in body.decode("utf-8").split("\r\n\r\n"):
        if block:
            out.append(Counter(tuple(line.split(": ", 1)) for line in block.split("\r\n")))  # type: ignore[misc]
    return out


def run_ours(chunks: list[bytes]) -> list[Message]:
    framer = AmiFramer()
    out: list[Message] = []
    for chunk in chunks:
        out.extend(m for m in framer.feed(chunk) if isinstance(m, Message))
    return out


def count_ours(chunks: list[bytes]) -> int:
    """Parse and drop, as a consumer that handles each message would."""
    framer = AmiFramer()
    count = 0
    for chunk in chunks:
        count += len(framer.feed(chunk))
    return count - 1  # the greeting


def count_panoramisk(chunks: list[bytes]) -> int:
    protocol = _panoramisk_protocol(keep=False)
    for chunk in chunks:
        protocol.data_received(chunk)  # type: ignore[attr-defined]
    return protocol.count  # type: ignore[attr-defined,no-any-return]


def _panoramisk_protocol(*, keep: bool = True) -> object:
    from panoramisk.ami_protocol import AMIProtocol

    class Collecting(AMIProtocol):  # type: ignore[misc]
        def handle_message(self, message: object) -> None:
            self.count += 1
            if keep:
                self.parsed.append(message)

    class Transport:
        def write(self, data: bytes) -> None: ...

        def close(self) -> None: ...

    protocol = Collecting()
    protocol.connection_made(Transport())
    protocol.encoding = "utf8"  # what panoramisk's Manager sets by default
    protocol.parsed = []
    protocol.count = 0
    return protocol


def run_panoramisk(chunks: list[bytes]) -> list[object]:
    protocol = _panoramisk_protocol()
    for chunk in chunks:
        protocol.data_received(chunk)  # type: ignore[attr-defined]
    return protocol.parsed  # type: ignore[attr-defined,no-any-return]


def _pairs_panoramisk(message: object) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for key, value in message.items():  # type: ignore[attr-defined]
        if key == "content" and not value:
            continue  # panoramisk's own field for pre-14 command output, not a header
        for item in value if isinstance(value, list) else [value]:
            pairs[(key, item)] += 1
    return pairs


def exactness(body: bytes) -> dict[str, object]:
    """Per parser: messages whose every header (name, value, repeats) matches the bytes."""
    expected = reference_messages(body)
    chunks = [GREETING + body]
    ours = [Counter(m.headers) for m in run_ours(chunks)]
    theirs = [_pairs_panoramisk(m) for m in run_panoramisk(chunks)]
    split = "Event: Newchannel\r\nCallerIDName: 张三\r\n\r\n".encode()
    cut = split.index("张".encode()) + 1
    ours_split = run_ours([GREETING, split[:cut], split[cut:]])[0].get("CallerIDName")
    theirs_split = run_panoramisk([GREETING, split[:cut], split[cut:]])[0].get("CallerIDName")  # type: ignore[attr-defined]
    return {
        "messages": len(expected),
        "ours_exact": sum(a == b for a, b in zip(ours, expected, strict=False)),
        "ours_count": len(ours),
        "panoramisk_exact": sum(a == b for a, b in zip(theirs, expected, strict=False)),
        "panoramisk_count": len(theirs),
        "split_utf8_ours": ours_split,
        "split_utf8_panoramisk": theirs_split,
    }


def _timed(fn: Callable[[list[bytes]], int], chunks: list[bytes]) -> tuple[float, int]:
    started = time.perf_counter()
    count = fn(chunks)
    return time.perf_counter() - started, count


def speed(body: bytes, *, messages: int, runs: int) -> dict[str, object]:
    per_copy = body.count(b"\r\n\r\n")
    copies = -(-messages // per_copy)
    stream = GREETING + body * copies
    chunks = [stream[i : i + READ_SIZE] for i in range(0, len(stream), READ_SIZE)]
    rates: dict[str, list[float]] = {"ours": [], "panoramisk": []}
    counts: dict[str, int] = {}
    parsers = {"ours": count_ours, "panoramisk": count_panoramisk}
    for _ in range(runs):
        for name, fn in parsers.items():  # alternate, so drift hits both alike
            seconds, count = _timed(fn, chunks)
            rates[name].append(count / seconds)
            counts[name] = count
    medians = {name: statistics.median(values) for name, values in rates.items()}
    return {
        "bytes": len(stream),
        "reads": len(chunks),
        "messages": counts,
        "runs": runs,
        "median_msgs_per_s": medians,
        "all_msgs_per_s": rates,
        "ratio": medians["ours"] / medians["panoramisk"],
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    body = fixture_body()
    result = {
        "speed": speed(body, messages=args.messages, runs=args.runs),
        "exact": exactness(body),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    s, e = result["speed"], result["exact"]
    print(f"{s['messages']['ours']:,} messages, {s['bytes']:,} bytes in {s['reads']:,} reads "
          f"of {READ_SIZE} B; median of {s['runs']} runs")  # fmt: skip
    print(f"{'parser':<12}{'msgs/s':>12}{'exact msgs':>14}{'张三 split':>12}")
    for name in ("ours", "panoramisk"):
        rate = s["median_msgs_per_s"][name]
        print(f"{name:<12}{rate:>12,.0f}{e[name + '_exact']:>8}/{e['messages']:<5}"
              f"{e['split_utf8_' + name]!s:>10}")  # fmt: skip
    print(f"ours / panoramisk: {s['ratio']:.2f}x")


if __name__ == "__main__":
    main()
