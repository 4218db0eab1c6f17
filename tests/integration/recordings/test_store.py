"""The store on real files and both databases: register, layouts, verify, purge, access."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from recordings.access import AccessKind, open_for_user
from recordings.compress import decode_mono
from recordings.errors import AccessDenied, RecordingNotFound, UnsafePath
from recordings.models import (
    ChannelLayout,
    JobStatus,
    QaHold,
    Recording,
    RecordingAccess,
    Speaker,
    TranscriptionJob,
)
from recordings.registration import register_finished_calls
from recordings.store import RecordingStore, sha256_of
from recordings.upkeep import Problem, purge, verify
from tests.integration.recordings.support import CALL_START, attempt, options, tone, write_stereo

NOW = CALL_START + timedelta(hours=1)


def _dominant_hz(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(np.float64)))
    return float(np.argmax(spectrum) * 8000 / len(samples))


def _register(
    sessions: sessionmaker[Session], tmp_path: Path, layout: ChannelLayout
) -> tuple[RecordingStore, Recording]:
    # Left channel 440 Hz for 2 s, right channel 1000 Hz for 3 s: each side is recognisable.
    write_stereo(tmp_path / "src" / "d" / "c.wav", tone(2, 440), tone(3, 1000))
    with sessions.begin() as s:
        attempt(s, recording_path="d/c.wav")
    store = RecordingStore(root=tmp_path / "store")
    report = register_finished_calls(sessions, store, options(tmp_path / "src", layout), now=NOW)
    assert report.failed == {} and len(report.registered) == 1
    with sessions() as s:
        rec = s.get(Recording, report.registered[0])
        assert rec is not None
        rec.files  # noqa: B018 - loaded while the session is open
        return store, rec


@pytest.mark.parametrize(
    ("layout", "agent_hz"), [(ChannelLayout.AGENT_LEFT, 440), (ChannelLayout.CUSTOMER_LEFT, 1000)]
)
def test_registration_stores_each_side_by_layout(
    session_factory: sessionmaker[Session], tmp_path: Path, layout: ChannelLayout, agent_hz: int
) -> None:
    store, rec = _register(session_factory, tmp_path, layout)
    assert (rec.channels, rec.sample_rate, rec.duration_ms) == (2, 8000, 3000)
    assert rec.source_layout is layout and rec.agent == "a1" and rec.campaign_id == "c1"
    assert rec.retain_until == CALL_START + timedelta(seconds=6) + timedelta(days=1827)
    by_speaker = {f.speaker: f for f in rec.files}
    for speaker, f in by_speaker.items():
        path = store.resolve(f.path)
        assert f.path.endswith(f"-{speaker.value}.opus") and f.path.startswith("2026/03/02/")
        assert path.stat().st_size == f.size_bytes and sha256_of(path) == f.sha256
    agent, rate = decode_mono(store.resolve(by_speaker[Speaker.AGENT].path))
    customer, _ = decode_mono(store.resolve(by_speaker[Speaker.CUSTOMER].path))
    assert rate == 8000 and len(agent) == 3 * 8000
    assert abs(_dominant_hz(agent) - agent_hz) < 20
    assert abs(_dominant_hz(customer) - (1440 - agent_hz)) < 20
    assert not (tmp_path / "src" / "d" / "c.wav").exists()  # the WAV goes once stored
    with session_factory() as s:
        job = s.scalars(select(TranscriptionJob)).one()
        assert job.recording_id == rec.id and job.status is JobStatus.PENDING
    again = register_finished_calls(session_factory, store, options(tmp_path / "src"), now=NOW)
    assert again.registered == [] and again.failed == {}


def test_missing_source_is_reported_and_others_still_registered(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    write_stereo(tmp_path / "src" / "ok.wav", tone(1, 440), tone(1, 880))
    with session_factory.begin() as s:
        lost = attempt(s, recording_path="gone.wav").id
        attempt(s, recording_path="ok.wav")
        evil = attempt(s, recording_path="../../etc/passwd").id
    store = RecordingStore(root=tmp_path / "store")
    report = register_finished_calls(session_factory, store, options(tmp_path / "src"), now=NOW)
    assert len(report.registered) == 1
    assert set(report.failed) == {lost, evil} and "leaves" in report.failed[evil]


def test_verify_reports_every_truncated_altered_and_missing_file(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    store, rec = _register(session_factory, tmp_path, ChannelLayout.AGENT_LEFT)
    agent = store.resolve(next(f.path for f in rec.files if f.speaker is Speaker.AGENT))
    customer = store.resolve(next(f.path for f in rec.files if f.speaker is Speaker.CUSTOMER))
    with session_factory() as s:
        assert list(verify(s, store)) == []
    data = agent.read_bytes()
    agent.write_bytes(data[: len(data) // 2])
    tampered = bytearray(customer.read_bytes())
    tampered[-10] ^= 0xFF
    customer.write_bytes(bytes(tampered))
    with session_factory() as s:
        found = {(p.path.rsplit("-", 1)[1], p.problem) for p in verify(s, store)}
    assert found == {("agent.opus", Problem.TRUNCATED), ("customer.opus", Problem.ALTERED)}
    agent.unlink()
    with session_factory() as s:
        assert Problem.MISSING in {p.problem for p in verify(s, store)}


def test_purge_keeps_recordings_under_retention_or_hold(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    store, rec = _register(session_factory, tmp_path, ChannelLayout.AGENT_LEFT)
    paths = [store.resolve(f.path) for f in rec.files]
    with session_factory.begin() as s:
        assert purge(s, store, now=rec.retain_until - timedelta(seconds=1), dry_run=False) == []
        s.add(QaHold(recording_id=rec.id, placed_by="qa1", reason="complaint", placed_at=NOW))
    later = rec.retain_until + timedelta(days=1)
    with session_factory.begin() as s:
        assert purge(s, store, now=later, dry_run=False) == []
        s.scalars(select(QaHold)).one().released_at = later
    with session_factory.begin() as s:
        assert [r.id for r in purge(s, store, now=later, dry_run=True)] == [rec.id]
    assert all(p.exists() for p in paths)
    with session_factory.begin() as s:
        assert [r.id for r in purge(s, store, now=later, dry_run=False)] == [rec.id]
    assert not any(p.exists() for p in paths)
    with session_factory() as s:
        assert s.get(Recording, rec.id).purged_at is not None  # type: ignore[union-attr]
        assert list(verify(s, store)) == []


def test_access_is_checked_and_logged(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    store, rec = _register(session_factory, tmp_path, ChannelLayout.AGENT_LEFT)
    with session_factory.begin() as s:
        kw = {"recording_id": rec.id, "kind": AccessKind.PLAY, "now": NOW}
        path = open_for_user(s, store, user="a1", role="agent", speaker="agent", **kw)  # type: ignore[arg-type]
        assert path.is_file()
        open_for_user(s, store, user="qa1", role="qa", speaker=Speaker.CUSTOMER, **kw)  # type: ignore[arg-type]
        with pytest.raises(AccessDenied):
            open_for_user(s, store, user="a2", role="agent", speaker="agent", **kw)  # type: ignore[arg-type]
        with pytest.raises(RecordingNotFound):
            open_for_user(s, store, user="qa1", role="qa", speaker="../../etc/passwd", **kw)  # type: ignore[arg-type]
    with session_factory() as s:
        log = [(a.user, a.action, a.speaker) for a in s.scalars(select(RecordingAccess))]
    assert log == [("a1", "play", "agent"), ("qa1", "play", "customer")]


@pytest.mark.parametrize(
    "path", ["../x.opus", "/etc/passwd", "a/../../x", "a\\..\\..\\x", "", "a\x00b", "2026/../../x"]
)
def test_store_lookup_refuses_paths_leaving_the_root(tmp_path: Path, path: str) -> None:
    with pytest.raises(UnsafePath):
        RecordingStore(root=tmp_path).resolve(path)


def test_store_lookup_refuses_a_symlink_out_of_the_root(tmp_path: Path) -> None:
    root = tmp_path / "store"
    root.mkdir()
    (root / "out").symlink_to(tmp_path)
    with pytest.raises(UnsafePath):
        RecordingStore(root=root).resolve("out/secret")
