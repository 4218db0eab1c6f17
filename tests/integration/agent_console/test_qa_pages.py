"""The QA pages and the playback route against a real ``xubao serve`` (SQLite, PostgreSQL):
roles, the stored file streamed with Range and every access logged, an agent held to their own
calls, path traversal refused, and the review flow (template, queue claim, score, dispute, hold).
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from dialer.models import CampaignMode
from dialer.recording_pauses import close_pause, open_pause
from recordings.models import (
    ChannelLayout,
    QaHold,
    Recording,
    RecordingAccess,
    RecordingFile,
    Speaker,
)
from recordings.qa.models import QaQueueEntry, QaReview, QaSamplingRule, ReviewStatus
from recordings.qa.sampling import sample_for_review
from recordings.registration import RegistrationOptions, register_finished_calls
from recordings.store import RecordingStore
from renewals.models import ContactAttempt, Lead
from tests.conftest import _fresh_postgres_database
from tests.console_floor import Server, serving
from tests.integration.agent_console.conftest import log_in
from tests.integration.recordings.support import tone, transcript_row, write_stereo


@dataclass(frozen=True)
class Floor:
    server: Server
    sessions: sessionmaker[Session]
    store: RecordingStore
    mine: int  # agent1's (extension 1001) recording
    theirs: int  # agent2's (extension 1002) recording


def _register(directory: Path, sessions: sessionmaker[Session]) -> tuple[int, int]:
    """Two calls, agent1's and agent2's, registered into the server's store with transcripts."""
    source = directory / "wav"
    start = datetime.now(UTC) - timedelta(hours=1)
    with sessions.begin() as s:
        s.add(QaSamplingRule(outcome="agreed", rate_pct=100))
        leads = list(s.scalars(select(Lead.id).order_by(Lead.id).limit(2)))
        for n, (lead_id, agent) in enumerate(zip(leads, ("1001", "1002"), strict=True)):
            write_stereo(source / f"{n}.wav", tone(3, 440 + 200 * n), tone(3, 300))
            s.add(
                ContactAttempt(
                    lead_id=lead_id, call_id=f"qa-call-{n}", campaign_id="c1", agent=agent,
                    started_at=start, bridged_at=start, ended_at=start + timedelta(seconds=3),
                    outcome="agreed", recording_path=f"{n}.wav",
                )
            )  # fmt: skip
    opts = RegistrationOptions(
        source_root=source, layout=ChannelLayout.AGENT_LEFT, retention=timedelta(days=1827)
    )
    store = RecordingStore(root=directory / "recording-store")
    report = register_finished_calls(
        sessions, store, opts, now=datetime.now(UTC), after_register=sample_for_review
    )
    assert report.failed == {} and len(report.registered) == 2
    mine, theirs = report.registered
    with sessions.begin() as s:
        for rec_id, said in ((mine, [("续保", 0.5), ("优惠", 1.0)]), (theirs, [("再见", 0.5)])):
            rec = s.get(Recording, rec_id)
            assert rec is not None
            sides = transcript_row(s, rec, said, customer_text="好的").speakers
            sides[1].words = [{"word": "好的", "start": 2.0, "end": 2.4, "conf": 0.9}]
    return mine, theirs


@contextmanager
def _floor(url: str, directory: Path) -> Iterator[Floor]:
    with serving(url, directory, mode=CampaignMode.PREVIEW) as server:
        engine = create_db_engine(url)
        sessions = make_session_factory(engine)
        mine, theirs = _register(directory, sessions)
        store = RecordingStore(root=directory / "recording-store")
        yield Floor(server, sessions, store, mine, theirs)
        engine.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def floor(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Floor]:
    directory = tmp_path_factory.mktemp("qa")
    if request.param == "sqlite":
        with _floor(f"sqlite:///{directory / 'xubao.db'}", directory) as running:
            yield running
        return
    for url in _fresh_postgres_database():
        with _floor(url, directory) as running:
            yield running


def _form(client: httpx.Client, path: str, csrf: str, **data: str) -> httpx.Response:
    return client.post(path, data={"csrf_token": csrf, **data})


def _accesses(floor: Floor, recording_id: int) -> list[tuple[str, str, str]]:
    with floor.sessions() as s:
        rows = s.scalars(
            select(RecordingAccess)
            .where(RecordingAccess.recording_id == recording_id)
            .order_by(RecordingAccess.id)
        )
        return [(a.user, a.action, a.speaker) for a in rows]


def test_roles_of_the_qa_pages(floor: Floor) -> None:
    qa, _ = log_in(floor.server, "qa1")
    assert qa.get("/").headers["location"] == "/qa/"
    assert qa.get("/qa/").status_code == 200
    assert qa.get(f"/qa/calls/{floor.mine}").status_code == 200
    assert qa.get("/qa/templates/").status_code == 403  # admins edit templates
    assert qa.get("/qa/mine/").status_code == 403  # an agent's page
    admin, _ = log_in(floor.server, "admin1")
    assert admin.get("/qa/").status_code == 200
    assert admin.get("/qa/templates/").status_code == 200
    for name in ("agent1", "super1"):
        other, csrf = log_in(floor.server, name)
        assert other.get("/qa/").status_code == 403
        assert other.get(f"/qa/calls/{floor.mine}").status_code == 403
        assert _form(other, "/qa/queue/claim", csrf).status_code == 403
    agent, _ = log_in(floor.server, "agent1")
    assert agent.get("/qa/mine/").status_code == 200
    anonymous = httpx.Client(base_url=floor.server.url)
    assert anonymous.get(f"/recordings/{floor.mine}/agent.opus").status_code == 303


def test_playback_streams_the_stored_file_with_range_and_logs_it(floor: Floor) -> None:
    qa, _ = log_in(floor.server, "qa1")
    with floor.sessions() as s:
        stored = s.scalars(
            select(RecordingFile.path).where(
                RecordingFile.recording_id == floor.theirs, RecordingFile.speaker == Speaker.AGENT
            )
        ).one()
    data = floor.store.resolve(stored).read_bytes()
    whole = qa.get(f"/recordings/{floor.theirs}/agent.opus")
    assert whole.status_code == 200 and whole.content == data
    assert whole.headers["content-type"] == "audio/ogg"
    assert whole.headers["accept-ranges"] == "bytes"
    part = qa.get(f"/recordings/{floor.theirs}/agent.opus", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == data[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(data)}"
    down = qa.get(f"/recordings/{floor.theirs}/agent/download")
    assert down.status_code == 200 and down.content == data
    assert down.headers["content-disposition"].startswith("attachment")
    # One playback (its range requests are one access), one download: who, what, which side.
    assert _accesses(floor, floor.theirs) == [
        ("qa1", "play", "agent"),
        ("qa1", "download", "agent"),
    ]
    with floor.sessions() as s:
        at = s.scalars(select(RecordingAccess.at).order_by(RecordingAccess.id)).first()
    assert at is not None and abs((at - datetime.now(UTC)).total_seconds()) < 3600 * 24


def test_an_agent_plays_only_their_own_calls(floor: Floor) -> None:
    agent, _ = log_in(floor.server, "agent1")
    assert agent.get(f"/recordings/{floor.mine}/customer.opus").status_code == 200
    refused = agent.get(f"/recordings/{floor.theirs}/customer.opus")
    assert refused.status_code == 403 and b"OggS" not in refused.content
    assert agent.get(f"/recordings/{floor.theirs}/agent/download").status_code == 403
    assert ("agent1", "play", "customer") in _accesses(floor, floor.mine)
    assert not [a for a in _accesses(floor, floor.theirs) if a[0] == "agent1"]


def _raw_get(server: Server, path: str, cookie: str) -> tuple[int, bytes]:
    """Sent byte for byte (an HTTP client library would normalise the dots away)."""
    where = urlsplit(server.url)
    conn = http.client.HTTPConnection(where.hostname or "", where.port, timeout=20)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.putheader("Cookie", f"xubao_session={cookie}")
    conn.endheaders()
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    return answer.status, body


@pytest.mark.parametrize(
    "path",
    [
        "/recordings/../../etc/passwd",
        "/recordings/..%2F..%2F..%2Fetc%2Fpasswd/agent.opus",
        "/recordings/%2e%2e/%2e%2e/etc/passwd",
        "/recordings/1/..%2F..%2F..%2F..%2Fetc%2Fpasswd.opus",
        "/recordings/1/agent.opus/../../../../etc/passwd",
        "/recordings/%252e%252e%252fetc%252fpasswd/agent.opus",
        "/recordings/1%00/agent.opus",
        "/static/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    ],
)
def test_path_traversal_in_the_url_is_refused(floor: Floor, path: str) -> None:
    qa, _ = log_in(floor.server, "qa1")
    status, body = _raw_get(floor.server, path, qa.cookies["xubao_session"])
    assert status in {400, 403, 404, 422}, (path, status)
    assert b"root:" not in body


def test_a_row_whose_path_leaves_the_store_is_refused(floor: Floor, tmp_path: Path) -> None:
    qa, _ = log_in(floor.server, "qa1")
    outside = tmp_path / "secret.opus"
    outside.write_bytes(b"OggS secret")
    link = floor.store.root / "escape.opus"
    link.symlink_to(outside)
    where = (RecordingFile.recording_id == floor.theirs, RecordingFile.speaker == Speaker.CUSTOMER)
    with floor.sessions() as s:
        original = s.scalars(select(RecordingFile.path).where(*where)).one()
    try:
        for tampered in ("../../../../../etc/passwd", str(outside), "escape.opus"):
            with floor.sessions.begin() as s:
                s.execute(update(RecordingFile).where(*where).values(path=tampered))
            answer = qa.get(f"/recordings/{floor.theirs}/customer.opus")
            assert answer.status_code == 404, tampered  # refused; the path is not shown
            assert b"secret" not in answer.content and b"root:" not in answer.content
            assert tampered.encode() not in answer.content
    finally:
        with floor.sessions.begin() as s:
            s.execute(update(RecordingFile).where(*where).values(path=original))
        link.unlink()
    assert qa.get(f"/recordings/{floor.theirs}/customer.opus").status_code == 200


def _csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    return found.group(1)


def test_filters_find_calls_by_agent_and_words(floor: Floor) -> None:
    qa, _ = log_in(floor.server, "qa1")

    def listed(**query: str) -> set[int]:
        page = qa.get("/qa/", params=query)
        assert page.status_code == 200
        return {int(n) for n in re.findall(r'data-recording="(\d+)"', page.text)}

    assert listed() >= {floor.mine, floor.theirs}
    assert listed(agent="1001") == {floor.mine}
    assert listed(words="续保优惠") == {floor.mine}  # Chinese, spaces between words ignored
    assert listed(words="再见", agent="1001") == set()
    assert listed(outcome="agreed", campaign="c1", min_s="2", max_s="4") >= {floor.mine}
    assert listed(min_s="10") == set()
    today = datetime.now(UTC).date()
    assert floor.mine in listed(date_from=(today - timedelta(days=1)).isoformat())
    assert listed(date_to=(today - timedelta(days=2)).isoformat()) == set()
    call = qa.get(f"/qa/calls/{floor.mine}").text
    # Both speakers, labelled, with each word's time for the player.
    assert 'data-speaker="agent"' in call and 'data-speaker="customer"' in call
    assert re.search(r'data-s="1\.00" data-e="1\.40"[^>]*>优惠<', call)


def test_review_flow_template_claim_score_dispute_hold(floor: Floor) -> None:
    admin, admin_csrf = log_in(floor.server, "admin1")
    items = "Greeted and named the company | 10\nNo forbidden promise | 20 | fail\n"
    made = _form(admin, "/qa/templates/", admin_csrf, name="基本", passing_score="20", items=items)
    assert made.headers["location"].endswith("note=created")
    again = _form(admin, "/qa/templates/", admin_csrf, name="基本", passing_score="5", items=items)
    assert again.headers["location"].endswith("note=refused")  # names are unique
    qa, csrf = log_in(floor.server, "qa1")
    claimed = _form(qa, "/qa/queue/claim", csrf)
    assert re.search(r"/qa/calls/(\d+)\?note=claimed", claimed.headers["location"])
    with floor.sessions() as s:
        entry = s.scalars(select(QaQueueEntry).where(QaQueueEntry.claimed_by == "qa1")).one()
    # One reviewer at a time: the admin (who may review too) cannot take it.
    taken = _form(admin, f"/qa/calls/{entry.recording_id}/claim", admin_csrf,
                  entry_id=str(entry.id))  # fmt: skip
    assert taken.headers["location"].endswith("note=taken")
    page = qa.get(f"/qa/calls/{entry.recording_id}").text
    template_id = re.search(r'name="template_id" value="(\d+)"', page)
    item_ids = re.findall(r'name="points_(\d+)"', page)
    assert template_id and len(item_ids) == 2
    review = {"template_id": template_id.group(1), "entry_id": str(entry.id), "comment": "ok"}
    review |= {f"points_{item_ids[0]}": "10", f"points_{item_ids[1]}": "30"}  # over the item's 20
    refused = _form(qa, f"/qa/calls/{entry.recording_id}/review", csrf, **review)
    assert refused.headers["location"].endswith("note=refused")
    review[f"points_{item_ids[1]}"] = "20"
    saved = _form(qa, f"/qa/calls/{entry.recording_id}/review", csrf, **review)
    assert saved.headers["location"].endswith("note=scored")
    with floor.sessions() as s:
        scored = s.scalars(
            select(QaReview).where(QaReview.recording_id == entry.recording_id)
        ).one()
        assert (scored.score, scored.passed, scored.reviewer) == (30, True, "qa1")
        assert s.get(QaQueueEntry, entry.id).done_at is not None  # type: ignore[union-attr]
    # The agent whose call it was sees the score and disputes it; it goes back to the queue.
    owner = "agent1" if entry.recording_id == floor.mine else "agent2"
    agent, agent_csrf = log_in(floor.server, owner)
    assert f'data-review="{scored.id}"' in agent.get("/qa/mine/").text
    blank = _form(agent, f"/qa/mine/{scored.id}/dispute", agent_csrf, reason=" ")
    assert blank.headers["location"].endswith("note=refused")
    disputed = _form(agent, f"/qa/mine/{scored.id}/dispute", agent_csrf, reason="I did greet")
    assert disputed.headers["location"].endswith("note=disputed")
    late = _form(agent, f"/qa/mine/{scored.id}/acknowledge", agent_csrf)
    assert late.headers["location"].endswith("note=refused")
    with floor.sessions() as s:
        assert s.get(QaReview, scored.id).status is ReviewStatus.DISPUTED  # type: ignore[union-attr]
        assert s.scalars(
            select(QaQueueEntry).where(QaQueueEntry.disputed_review_id == scored.id)
        ).one().done_at is None  # fmt: skip
    # The other agent cannot answer for it.
    other, other_csrf = log_in(floor.server, "agent2" if owner == "agent1" else "agent1")
    assert (
        _form(other, f"/qa/mine/{scored.id}/acknowledge", other_csrf)
        .headers["location"]
        .endswith("note=refused")
    )
    # QA hold on and off.
    on = _form(qa, f"/qa/calls/{entry.recording_id}/hold", csrf, reason="complaint")
    assert on.headers["location"].endswith("note=held")
    assert "hold-off" in qa.get(f"/qa/calls/{entry.recording_id}").text
    off = _form(qa, f"/qa/calls/{entry.recording_id}/unhold", csrf)
    assert off.headers["location"].endswith("note=unheld")
    with floor.sessions() as s:
        hold = s.scalars(select(QaHold).where(QaHold.recording_id == entry.recording_id)).one()
        assert (hold.placed_by, hold.released_by) == ("qa1", "qa1")
    # Calibration: two reviewers score one call; the page shows their spread.
    for client, token, points in ((qa, csrf, "5"), (admin, admin_csrf, "10")):
        calibrate = review | {"calibration": "on", f"points_{item_ids[0]}": points}
        del calibrate["entry_id"]
        answer = _form(client, f"/qa/calls/{entry.recording_id}/review", token, **calibrate)
        assert answer.headers["location"].endswith("note=scored")
    spread = qa.get(f"/qa/calls/{entry.recording_id}").text
    assert re.search(r'class="spread">[^<]*qa1, admin1[^<]*25, 30[^<]*25–30', spread)
    # Without the CSRF token nothing is changed.
    assert qa.post(f"/qa/calls/{entry.recording_id}/hold", data={"reason": "x"}).status_code == 403


def test_the_call_page_says_where_the_agent_paused_the_recording(floor: Floor) -> None:
    qa, _ = log_in(floor.server, "qa1")
    assert 'id="qa-recording-pauses"' not in qa.get(f"/qa/calls/{floor.theirs}").text
    start = datetime(2026, 5, 6, 2, 0, 5, tzinfo=UTC)  # 10:00:05 in Shanghai
    with floor.sessions.begin() as s:
        rec = s.get(Recording, floor.theirs)
        assert rec is not None
        open_pause(s, call_id=rec.call_id, agent_id="1002", at=start)
        close_pause(s, call_id=rec.call_id, at=start + timedelta(seconds=42), by="limit")
    page = qa.get(f"/qa/calls/{floor.theirs}").text
    row = re.search(r'<tr class="recording-pause">(.*?)</tr>', page, re.S)
    assert row is not None
    cells = re.findall(r"<td>(.*?)</td>", row.group(1))
    assert cells == ["2026-05-06 10:00:05", "42", "到达时限自动恢复"]
