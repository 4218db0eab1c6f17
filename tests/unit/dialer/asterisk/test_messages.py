"""Message classification and lookups on real fixture messages."""

from __future__ import annotations

from dialer.asterisk.framing import AmiFramer
from dialer.asterisk.messages import Message, MessageKind
from tests.ami_transcripts import load


def _messages(scenario: str, conn: str = "c1") -> list[Message]:
    framer = AmiFramer()
    out: list[Message] = []
    for chunk in load(scenario).recv_chunks(conn):
        out.extend(m for m in framer.feed(chunk) if isinstance(m, Message))
    return out


def test_originate_response_is_an_event_despite_its_response_header_02() -> None:
    message = next(m for m in _messages("02") if m.event == "OriginateResponse")
    assert message.kind is MessageKind.EVENT
    assert message.response == "Success"
    assert message.action_id == "c1-originate-002"
    assert message.get("Reason") == "4"


def test_lookup_ignores_case_and_action_id_may_come_last_01() -> None:
    params = next(m for m in _messages("01") if m.event == "QueueParams")
    assert params.headers[-1][0] == "ActionID"
    assert params.get("actionid") == params["ActionID"] == "c1-queuestatus-006"


def test_repeated_variable_headers_of_status_02() -> None:
    status = next(m for m in _messages("02") if m.event == "Status")
    assert len(status.get_all("Variable")) == 2
    assert set(status.variables()) == {"CAMPAIGN_ID", "LEAD_ID"}


def test_secrets_are_masked() -> None:
    message = Message.from_pairs([("Action", "Login"), ("Secret", "s3cret"), ("key", "k")])
    assert "s3cret" not in repr(message.masked())
    assert ("key", "***") in message.masked()
