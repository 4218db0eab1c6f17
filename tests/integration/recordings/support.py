"""Recordings for the tests: stereo WAVs made here, and the contact attempts pointing at them."""

from __future__ import annotations

import wave
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from recordings.models import ChannelLayout, Recording, Speaker, Transcript, TranscriptSpeaker
from recordings.registration import RegistrationOptions
from recordings.textnorm import squash
from renewals.models import ContactAttempt
from tests import factories

RATE = 8000
CALL_START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


def tone(seconds: float, hz: float, *, rate: int = RATE) -> npt.NDArray[np.int16]:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * hz * t) * 8000).astype(np.int16)


def write_stereo(path: Path, left: npt.NDArray[np.int16], right: npt.NDArray[np.int16]) -> Path:
    n = max(len(left), len(right))
    frames = np.zeros((n, 2), dtype="<i2")
    frames[: len(left), 0] = left
    frames[: len(right), 1] = right
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames.tobytes())
    return path


def attempt(
    session: Session, *, recording_path: str | None, agent: str = "a1", outcome: str = "agreed"
) -> ContactAttempt:
    lead = factories.lead()
    factories.add(session, lead)
    row = ContactAttempt(
        lead_id=lead.id,
        call_id=f"call-{lead.id}",
        campaign_id="c1",
        agent=agent,
        started_at=CALL_START,
        answered_at=CALL_START + timedelta(seconds=5),
        bridged_at=CALL_START + timedelta(seconds=6),
        ended_at=CALL_START + timedelta(seconds=60),
        outcome=outcome,
        recording_path=recording_path,
    )
    factories.add(session, row)
    return row


def options(source: Path, layout: ChannelLayout = ChannelLayout.AGENT_LEFT) -> RegistrationOptions:
    return RegistrationOptions(
        source_root=source, layout=layout, retention=timedelta(days=1827), keep_wav=False
    )


def recording_row(
    session: Session, *, agent: str = "a1", outcome: str = "agreed", duration_ms: int = 60_000
) -> Recording:
    """A registered recording without files (for search and QA tests that need no audio)."""
    row = attempt(session, recording_path=None, agent=agent, outcome=outcome)
    rec = Recording(
        attempt_id=row.id,
        call_id=row.call_id,
        lead_id=row.lead_id,
        campaign_id="c1",
        agent=agent,
        outcome=outcome,
        call_started_at=CALL_START,
        duration_ms=duration_ms,
        channels=2,
        sample_rate=8000,
        source_layout=ChannelLayout.AGENT_LEFT,
        source_bytes=0,
        registered_at=CALL_START,
        retain_until=CALL_START + timedelta(days=1827),
    )
    session.add(rec)
    session.flush()
    return rec


def transcript_row(
    session: Session, rec: Recording, agent_words: list[tuple[str, float]], customer_text: str = ""
) -> Transcript:
    words = [{"word": w, "start": t, "end": t + 0.4, "conf": 1.0} for w, t in agent_words]
    text = " ".join(w for w, _ in agent_words)
    row = Transcript(
        recording_id=rec.id,
        model="test",
        created_at=CALL_START,
        duration_ms=rec.duration_ms,
        longest_silence_ms=4000,
        talk_over_ms=0,
        speakers=[
            TranscriptSpeaker(
                speaker=Speaker.AGENT,
                channel=0,
                text=text,
                search_text=squash(text),
                words=words,
                talk_ms=30_000,
            ),
            TranscriptSpeaker(
                speaker=Speaker.CUSTOMER,
                channel=1,
                text=customer_text,
                search_text=squash(customer_text),
                words=[],
                talk_ms=10_000,
            ),
        ],
    )
    session.add(row)
    session.flush()
    return row
