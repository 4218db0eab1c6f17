"""Real speech through the whole path to the QA page, in Chromium against ``xubao serve``:
a stereo call made here (espeak-ng's Korean voice on the agent's channel, Debian's Asterisk
prompt ``tt-weasels`` on the customer's) → registered → job → worker → transcript per speaker
with times → found by search → shown on the QA page, played, the transcript following it.

As in tests/integration/recordings/test_pipeline.py (which also compares with raw Vosk word for
word), what is checked is what the pipeline owes, not the recogniser's accuracy.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config.db import create_db_engine, make_session_factory
from dialer.models import CampaignMode
from recordings.models import ChannelLayout, RecordingAccess, Speaker, Transcript
from recordings.qa.models import CheckKind, QaCheckRule
from recordings.registration import RegistrationOptions, register_finished_calls
from recordings.search import search_transcripts
from recordings.store import RecordingStore
from recordings.textnorm import squash
from recordings.vosk_model import load_model
from recordings.worker import WorkerConfig, run_worker
from renewals.models import ContactAttempt, Lead
from tests.browser.conftest import log_in, shot
from tests.console_floor import Server, serving
from tests.integration.recordings.speech import Call, make_call

SLACK_S = 0.35  # Vosk's word edges may sit a frame or two outside the audio they came from


@dataclass(frozen=True)
class Spoken:
    server: Server
    sessions: sessionmaker[Session]
    call: Call
    recording_id: int
    agent_text: str


def _now() -> datetime:
    return datetime.now(UTC)


def _record_and_transcribe(directory: Path, sessions: sessionmaker[Session], call: Call) -> int:
    source = directory / "wav"
    source.mkdir()
    shutil.copy(call.path, source / "call.wav")
    start = _now() - timedelta(minutes=5)
    with sessions.begin() as s:
        lead_id = s.scalars(select(Lead.id).order_by(Lead.id).limit(1)).one()
        s.add(QaCheckRule(name="talk share", kind=CheckKind.TALK_SHARE,
                          params={"min_pct": 0, "max_pct": 100}))  # fmt: skip
        s.add(
            ContactAttempt(
                lead_id=lead_id, call_id="spoken-1", campaign_id="c1", agent="1001",
                started_at=start, bridged_at=start,
                ended_at=start + timedelta(seconds=call.duration), outcome="agreed",
                recording_path="call.wav",
            )
        )  # fmt: skip
    store = RecordingStore(root=directory / "recording-store")  # the server's store
    opts = RegistrationOptions(
        source_root=source, layout=ChannelLayout.AGENT_LEFT, retention=timedelta(days=1827)
    )
    report = register_finished_calls(sessions, store, opts, now=_now())
    assert report.failed == {} and len(report.registered) == 1
    cfg = WorkerConfig(name="browser-test", lease=timedelta(minutes=5), max_attempts=1)
    done = run_worker(sessions, store, load_model(None), cfg, _now, stop=threading.Event(),
                      until_idle=True)  # fmt: skip
    assert done == 1
    return report.registered[0]


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spoken]:
    directory = tmp_path_factory.mktemp("qa-browser")
    call = make_call(directory / "speech")
    url = f"sqlite:///{directory / 'xubao.db'}"
    with serving(url, directory, mode=CampaignMode.PREVIEW) as server:
        engine = create_db_engine(url)
        sessions = make_session_factory(engine)
        recording_id = _record_and_transcribe(directory, sessions, call)
        with sessions() as s:
            transcript = s.get(Transcript, recording_id)
            assert transcript is not None
            agent = next(t for t in transcript.speakers if t.speaker is Speaker.AGENT)
            text = agent.text
        yield Spoken(server, sessions, call, recording_id, text)
        engine.dispose()


def _within(words: list[dict[str, object]], span: tuple[float, float]) -> bool:
    return all(
        span[0] - SLACK_S <= float(w["start"]) <= float(w["end"]) <= span[1] + SLACK_S  # type: ignore[arg-type]
        for w in words
    )


def test_transcript_per_speaker_with_times_and_found_by_search(spoken: Spoken) -> None:
    with spoken.sessions() as s:
        transcript = s.get(Transcript, spoken.recording_id)
        assert transcript is not None
        sides = {t.speaker: t for t in transcript.speakers}
        agent, customer = sides[Speaker.AGENT].words, sides[Speaker.CUSTOMER].words
        assert agent and customer  # each side recognised on its own channel
        assert _within(agent, spoken.call.agent) and _within(customer, spoken.call.customer)
        for words in (agent, customer):
            starts = [float(w["start"]) for w in words]  # type: ignore[arg-type]
            assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] < spoken.call.duration
        hits = search_transcripts(s, squash(spoken.agent_text)[:4])
        assert any(h.recording_id == spoken.recording_id for h in hits)


def test_found_on_the_qa_page_played_with_the_transcript_following(
    spoken: Spoken, browser: Browser
) -> None:
    page = log_in(browser, spoken.server, "qa1")
    assert page.url.endswith("/qa/")  # the QA user's home page
    page.fill("input[name=words]", squash(spoken.agent_text)[:4])
    page.click("#qa-search")
    row = page.locator(f'tr[data-recording="{spoken.recording_id}"]')
    expect(row).to_be_visible()
    expect(page.locator("#qa-calls tbody tr")).to_have_count(1)
    shot(page, "qa_calls_found")
    row.locator("a").click()
    page.wait_for_url(f"**/qa/calls/{spoken.recording_id}")
    # Both speakers, labelled, each turn's words with their times.
    agent_turns = page.locator('.turn[data-speaker="agent"]')
    customer_turns = page.locator('.turn[data-speaker="customer"]')
    expect(agent_turns.first).to_be_visible()
    expect(customer_turns.first).to_be_visible()
    expect(agent_turns.first.locator(".who")).to_have_text("坐席")
    expect(customer_turns.first.locator(".who")).to_have_text("客户")
    expect(page.locator("#qa-checks tr.pass")).to_have_count(1)
    # The stored audio loads through the playback route and is the call's length.
    page.wait_for_function(
        "document.getElementById('audio-agent').readyState >= 1"
        " && document.getElementById('audio-customer').readyState >= 1"
    )
    duration = page.evaluate("document.getElementById('audio-agent').duration")
    assert abs(duration - spoken.call.duration) < 0.5
    # A click on a customer's word plays from there and lights that word.
    word = customer_turns.first.locator(".w").first
    start = float(word.get_attribute("data-s") or "nan")
    word.click()
    expect(word).to_have_class("w now")
    page.wait_for_function(f"document.getElementById('audio-agent').currentTime > {start}")
    shot(page, "qa_call_playing")
    # Playing on, the highlight moves with the audio and the customer's side keeps up.
    later = page.evaluate("document.getElementById('audio-agent').currentTime")
    page.wait_for_function(
        f"document.getElementById('audio-agent').currentTime > {later + 0.5}", timeout=15_000
    )
    lit = page.evaluate(
        "Array.from(document.querySelectorAll('.w.now')).map(e => parseFloat(e.dataset.s))"
    )
    now = page.evaluate("document.getElementById('audio-agent').currentTime")
    ends = page.evaluate(
        "Array.from(document.querySelectorAll('.w.now')).map(e => parseFloat(e.dataset.e))"
    )
    assert all(s <= now + 0.3 for s in lit) and all(e >= now - 0.5 for e in ends)
    gap = page.evaluate(
        "Math.abs(document.getElementById('audio-agent').currentTime"
        " - document.getElementById('audio-customer').currentTime)"
    )
    assert gap < 0.5
    page.click("#qa-play")  # pause
    shot(page, "qa_call_page")
    with spoken.sessions() as s:
        heard = {
            (a.user, a.action, a.speaker)
            for a in s.scalars(
                select(RecordingAccess).where(RecordingAccess.recording_id == spoken.recording_id)
            )
        }
    assert heard == {("qa1", "play", "agent"), ("qa1", "play", "customer")}
    page.context.close()
