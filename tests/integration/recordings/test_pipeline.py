"""Real speech through the whole path, on SQLite and PostgreSQL: a stereo call made with
espeak-ng and sox → registered → job → worker → transcript per speaker with times → search.

espeak-ng's Korean is recognised poorly by the small Korean model, so these tests check what
the pipeline owes, not accuracy: words only where that side speaks, times inside the audio and
in order, the very words raw Vosk gives on that channel alone, no words from silence.
"""

from __future__ import annotations

import shutil
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import soundfile as sf
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from recordings.jobs import counts
from recordings.models import JobStatus, Recording, Speaker, Transcript
from recordings.registration import register_finished_calls
from recordings.search import search_transcripts
from recordings.store import RecordingStore
from recordings.textnorm import squash
from recordings.vosk_model import VoskRecognizer
from recordings.worker import WorkerConfig, run_worker
from tests.integration.recordings.speech import Call, raw_vosk_words
from tests.integration.recordings.support import attempt, options, write_stereo

CFG = WorkerConfig(name="test-worker", lease=timedelta(minutes=5), max_attempts=3)
SLACK_S = 0.35  # Vosk's word edges may sit a frame or two outside the audio they came from


def _now() -> datetime:
    return datetime.now(UTC)


def _within(words: list[dict[str, object]], span: tuple[float, float]) -> bool:
    return all(
        span[0] - SLACK_S <= float(w["start"]) <= float(w["end"]) <= span[1] + SLACK_S  # type: ignore[arg-type]
        for w in words
    )


def test_real_speech_from_wav_to_search(
    session_factory: sessionmaker[Session], tmp_path: Path, call: Call,
    recognizer: VoskRecognizer, raw_model: object,
) -> None:  # fmt: skip
    source = tmp_path / "src"
    (source / "d").mkdir(parents=True)
    shutil.copy(call.path, source / "d" / "speech.wav")
    nothing = np.zeros(5 * 8000, np.int16)
    write_stereo(source / "d" / "silent.wav", nothing, nothing)
    with session_factory.begin() as s:
        spoken = attempt(s, recording_path="d/speech.wav").id
        silent = attempt(s, recording_path="d/silent.wav").id
    store = RecordingStore(root=tmp_path / "store")
    report = register_finished_calls(session_factory, store, options(source), now=_now())
    assert report.failed == {} and len(report.registered) == 2
    done = run_worker(session_factory, store, recognizer, CFG, _now, stop=threading.Event(),
                      until_idle=True)  # fmt: skip
    assert done == 2
    with session_factory() as s:
        assert counts(s) == {JobStatus.DONE: 2}
        rec = s.scalars(select(Recording).where(Recording.attempt_id == spoken)).one()
        quiet = s.scalars(select(Recording).where(Recording.attempt_id == silent)).one()
        transcript = s.get(Transcript, rec.id)
        assert transcript is not None
        sides = {t.speaker: t for t in transcript.speakers}
        assert (sides[Speaker.AGENT].channel, sides[Speaker.CUSTOMER].channel) == (0, 1)
        agent, customer = sides[Speaker.AGENT].words, sides[Speaker.CUSTOMER].words
        # Words only on the side that speaks, inside its speech, in order, inside the audio.
        assert agent and customer
        assert _within(agent, call.agent) and _within(customer, call.customer)
        for words in (agent, customer):
            starts = [float(w["start"]) for w in words]  # type: ignore[arg-type]
            assert starts == sorted(starts) and starts[0] >= 0 and starts[-1] < call.duration
            assert all(0 <= float(w["conf"]) <= 1 for w in words)  # type: ignore[arg-type]
        # The same words as raw Vosk gives on that channel alone (of the stored file).
        for f in rec.files:
            samples, rate = sf.read(store.resolve(f.path), dtype="int16")
            assert [w["word"] for w in sides[f.speaker].words] == raw_vosk_words(
                raw_model, samples, rate
            )
        # The gap between the turns is silence; nobody talked over anybody.
        assert transcript.talk_over_ms == 0
        assert transcript.longest_silence_ms >= 1000
        assert abs(transcript.duration_ms - call.duration * 1000) < 50
        # Silence yields no words.
        silence = s.get(Transcript, quiet.id)
        assert silence is not None and all(t.words == [] for t in silence.speakers)
        # Found by search, on the side that said it.
        said = squash(sides[Speaker.AGENT].text)[:4]
        hits = search_transcripts(s, said)
        assert any(h.recording_id == rec.id and h.speaker is Speaker.AGENT for h in hits)
