"""Framing against the real Asterisk 22 bytes: as the reads arrived, then byte by byte."""

from __future__ import annotations

import pytest

from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Greeting, Message
from tests.ami_transcripts import SCENARIOS, Transcript, load

CASES = [(s, c) for s in SCENARIOS for c in load(s).conns]


def _frame(chunks: list[bytes]) -> list[Greeting | Message]:
    framer = AmiFramer()
    out: list[Greeting | Message] = []
    for chunk in chunks:
        out.extend(framer.feed(chunk))
    assert framer.pending_bytes == 0
    return out


def _one_byte_at_a_time(stream: bytes) -> list[bytes]:
    return [stream[i : i + 1] for i in range(len(stream))]


def _expected(transcript: Transcript, conn: str) -> list[tuple[str, ...]]:
    return [b.lines for b in transcript.txt_blocks() if b.conn == conn]


def _rendered(items: list[Greeting | Message]) -> list[tuple[str, ...]]:
    out = []
    for item in items:
        if isinstance(item, Greeting):
            out.append((item.line,))
        else:
            out.append(tuple(f"{k}: {v}" for k, v in item.headers))
    return out


@pytest.mark.parametrize(("scenario", "conn"), CASES)
def test_captured_chunks_give_every_message_and_header_exactly(scenario: str, conn: str) -> None:
    transcript = load(scenario)
    items = _frame(transcript.recv_chunks(conn))
    assert isinstance(items[0], Greeting)
    assert items[0].version == "11.0.0"
    assert _rendered(items) == _expected(transcript, conn)


@pytest.mark.parametrize(("scenario", "conn"), CASES)
def test_one_byte_at_a_time_gives_the_same_messages(scenario: str, conn: str) -> None:
    transcript = load(scenario)
    stream = transcript.server_stream(conn)
    assert _frame(_one_byte_at_a_time(stream)) == _frame(transcript.recv_chunks(conn))


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_message_sizes_match_the_capture_byte_counts(scenario: str) -> None:
    transcript = load(scenario)
    for conn in transcript.conns:
        blocks = [b for b in transcript.txt_blocks() if b.conn == conn]
        messages = _frame(transcript.recv_chunks(conn))[1:]
        for block, message in zip(blocks[1:], messages, strict=True):
            assert isinstance(message, Message)
            size = sum(len(f"{k}: {v}".encode()) + 2 for k, v in message.headers) + 2
            assert size == block.size


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_messages_come_in_the_order_of_the_index(scenario: str) -> None:
    transcript = load(scenario)
    got = []
    for conn in transcript.conns:
        for item in _frame(transcript.recv_chunks(conn))[1:]:
            assert isinstance(item, Message)
            name = item.event if item.is_event else f"Response: {item.response}"
            got.append((conn, name))
    assert sorted(got) == sorted(transcript.order())
    for conn in transcript.conns:
        assert [g for g in got if g[0] == conn] == [o for o in transcript.order() if o[0] == conn]


def test_final_empty_valued_headers_are_kept_02() -> None:
    messages = [m for m in _frame(load("02").recv_chunks("c1")) if isinstance(m, Message)]
    last_empty = [m for m in messages if m.headers[-1][1] == ""]
    assert last_empty, "02 has messages whose last header has an empty value"
    assert all(m.has(m.headers[-1][0]) for m in last_empty)


def test_repeated_output_headers_of_command_01() -> None:
    messages = [m for m in _frame(load("01").recv_chunks("c1")) if isinstance(m, Message)]
    command = next(m for m in messages if m.action_id == "c1-command-009")
    outputs = command.get_all("Output")
    assert len(outputs) > 3
    assert "" in outputs  # empty CLI lines are kept as empty Output: headers


def test_reply_split_across_three_reads_05_c3() -> None:
    transcript = load("05")
    messages = _frame(transcript.recv_chunks("c3"))
    reply = next(m for m in messages if isinstance(m, Message) and m.action_id == "c3-command-011")
    assert reply.response == "Error"
    assert reply.get_all("output")[0].startswith("No such command")


def test_bare_lf_and_garbage_client_lines_05_c3() -> None:
    framer = AmiFramer(expect_greeting=False)
    sent = []
    for chunk in load("05").sends("c3"):
        sent.extend(framer.feed(chunk))
    by_id = {m.action_id: m for m in sent if isinstance(m, Message)}
    assert by_id["c3-bare-lf"].get("Action") == "Ping"
    assert by_id["c3-lowercase"].get("Action") == "ping"
    garbage = next(m for m in sent if isinstance(m, Message) and m.headers[0][0] == "")
    assert garbage.headers == (("", "this line has no colon"),)


def test_utf8_character_split_across_reads_survives() -> None:
    raw = "Event: Newchannel\r\nCallerIDName: 张三\r\nAccountCode: \r\n\r\n".encode()
    cut = raw.index("张".encode()) + 1
    framer = AmiFramer(expect_greeting=False)
    assert framer.feed(raw[:cut]) == []
    (message,) = framer.feed(raw[cut:])
    assert isinstance(message, Message)
    assert message.get("CallerIDName") == "张三"
    assert message.headers[-1] == ("AccountCode", "")


def test_invalid_utf8_falls_back_to_latin1_for_that_message_only() -> None:
    raw = b"Event: A\r\nName: Jos\xe9\r\n\r\nEvent: B\r\nName: \xe5\xbc\xa0\r\n\r\n"
    a, b = AmiFramer(expect_greeting=False).feed(raw)
    assert isinstance(a, Message) and isinstance(b, Message)
    assert a.get("Name") == "José"
    assert b.get("Name") == "张"


def test_greeting_split_across_reads() -> None:
    framer = AmiFramer()
    assert framer.feed(b"Asterisk Call Man") == []
    greeting, message = framer.feed(b"ager/11.0.0\r\nResponse: Success\r\n\r\n")
    assert greeting == Greeting("Asterisk Call Manager/11.0.0")
    assert isinstance(message, Message) and message.response == "Success"


def test_stray_blank_lines_between_messages_are_skipped() -> None:
    framer = AmiFramer(expect_greeting=False)
    a, b = framer.feed(b"\r\nEvent: A\r\n\r\n\r\n\r\nEvent: B\r\nX: \r\n\r\n")
    assert isinstance(a, Message) and isinstance(b, Message)
    assert a.headers == (("Event", "A"),)
    assert b.headers == (("Event", "B"), ("X", ""))
