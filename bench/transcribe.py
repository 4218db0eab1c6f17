"""Transcription speed and memory: the pipeline's workers against raw Vosk, in the same run.

    PYTHONPATH=. python -m bench.transcribe [--calls 4] [--length-s 30] [--workers N]

Calls are made as the simulated network records them (bench/call_audio.py). The model is loaded
once (its load time is reported apart) and the processes are forked from the loaded model, as
``xubao transcribe-worker --processes N`` does. Then, on the same calls:
- raw Vosk: ``KaldiRecognizer`` over each WAV channel, in 1 and in N processes;
- the pipeline: the calls registered in a scratch SQLite database (Opus files in a store), and
  N processes running ``recordings.worker.run_worker`` until the queue is empty.
Reported: real-time factor (processing seconds per audio second, per process), throughput in
audio seconds per wall second, the pipeline/raw throughput ratio (goal >= 0.9), and each
worker's peak RSS (shared model pages included) and PSS (shared pages split between workers).
The pipeline's own work (claim, checksums, Opus decoding, storing the transcript, the checks) is
also timed alone, with a recogniser that answers at once, to tell it from Vosk's.
Each process's CPU seconds are reported beside the wall time, with the ratio of raw Vosk's CPU
seconds to the pipeline's: on a machine shared with other work the wall times swing with the
load (the load average is printed per run), while the CPU seconds a run needs do not.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sqlalchemy import delete, update

from bench.call_audio import make_calls
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from recordings.compress import read_source
from recordings.models import ChannelLayout, JobStatus, Speaker, Transcript, TranscriptionJob
from recordings.registration import RegistrationOptions, register_finished_calls
from recordings.speech import Word
from recordings.store import RecordingStore
from recordings.vosk_model import CHUNK_FRAMES, VoskRecognizer, load_model, reseed_dither
from recordings.worker import WorkerConfig, run_worker
from renewals.models import ContactAttempt
from tests import factories

Channel = npt.NDArray[np.int16]
FORK = multiprocessing.get_context("fork")


def _memory() -> dict[str, int]:
    """This process's peak RSS and current PSS, in kB (Linux /proc), and its CPU time in ms
    (a forked child's count starts at the fork)."""
    status = Path("/proc/self/status").read_text()
    peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
    rollup = Path("/proc/self/smaps_rollup").read_text()
    pss = int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:")))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_ms = round((usage.ru_utime + usage.ru_stime) * 1000)
    return {"peak_rss_kb": peak, "pss_kb": pss, "cpu_ms": cpu_ms}


def _cpu_s(memory: list[dict[str, int]]) -> float:
    return sum(m["cpu_ms"] for m in memory) / 1000


def _raw(model: object, channels: list[Channel]) -> None:
    import vosk

    for samples in channels:
        reseed_dither()
        rec = vosk.KaldiRecognizer(model, 8000)
        rec.SetWords(True)
        data = samples.astype("<i2").tobytes()
        for offset in range(0, len(data), CHUNK_FRAMES * 2):
            rec.AcceptWaveform(data[offset : offset + CHUNK_FRAMES * 2])
        json.loads(rec.FinalResult())


def _forked(n: int, job: Callable[[int], None]) -> tuple[float, list[dict[str, int]]]:
    """Run ``job(i)`` in ``n`` forked processes; wall seconds and each one's memory."""

    def child(i: int, pipe: Connection) -> None:
        job(i)
        pipe.send(_memory())

    pipes, procs = [], []
    started = time.perf_counter()
    for i in range(n):
        ours, theirs = FORK.Pipe()
        proc = FORK.Process(target=child, args=(i, theirs))
        proc.start()
        pipes.append(ours)
        procs.append(proc)
    memory = [p.recv() for p in pipes]
    for proc in procs:
        proc.join()
    return time.perf_counter() - started, memory


def _register(calls: list[Path], work: Path) -> tuple[str, RecordingStore]:
    url = f"sqlite:///{work / 'bench.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    t0 = datetime.now(UTC)
    with sessions.begin() as s:
        for n, path in enumerate(calls):
            lead = factories.lead()
            factories.add(s, lead)
            s.add(
                ContactAttempt(
                    lead_id=lead.id,
                    call_id=f"bench-{n}",
                    campaign_id="bench",
                    agent="a1",
                    started_at=t0,
                    ended_at=t0,
                    outcome="agreed",
                    recording_path=path.name,
                )
            )
    store = RecordingStore(root=work / "store")
    opts = RegistrationOptions(
        source_root=calls[0].parent,
        layout=ChannelLayout.AGENT_LEFT,
        retention=timedelta(days=1),
        keep_wav=True,
    )
    report = register_finished_calls(sessions, store, opts, now=t0)
    assert not report.failed, report.failed
    engine.dispose()
    return url, store


def _pipeline(recognizer: VoskRecognizer, url: str, store: RecordingStore, i: int) -> None:
    engine = create_db_engine(url)
    cfg = WorkerConfig(name=f"bench-{i}", lease=timedelta(hours=1), max_attempts=1)
    run_worker(
        make_session_factory(engine),
        store,
        recognizer,
        cfg,
        lambda: datetime.now(UTC),
        stop=threading.Event(),
        until_idle=True,
    )
    engine.dispose()


def _line(
    name: str, audio_s: float, wall_s: float, procs: int, memory: list[dict[str, int]]
) -> None:
    rtf = wall_s * procs / audio_s
    peak = max(m["peak_rss_kb"] for m in memory) / 1024
    pss = max(m["pss_kb"] for m in memory) / 1024
    cpu = _cpu_s(memory)
    print(
        f"{name:<22} {procs:>2} proc {wall_s:7.1f} s  RTF {rtf:5.2f}  "
        f"{audio_s / wall_s:6.2f} audio-s/s  CPU {cpu:6.1f} s (RTF {cpu / audio_s:4.2f})  "
        f"peak RSS {peak:6.0f} MB  PSS {pss:6.0f} MB  load {os.getloadavg()[0]:4.1f}"
    )


class _Instant:
    """A recogniser that answers at once (a word every 0.5 s): only the pipeline's work is left."""

    name = "instant"

    def recognise(self, samples: Channel, rate: int) -> list[Word]:
        count = int(len(samples) / rate / 0.5)
        return [Word(f"w{i}", i * 0.5, i * 0.5 + 0.4, 0.9) for i in range(count)]


def _own_work(url: str, store: RecordingStore) -> tuple[int, float, float]:
    """Jobs done, wall and CPU seconds of the pipeline around an instant recogniser."""
    _requeue(url)
    engine = create_db_engine(url)
    cfg = WorkerConfig(name="bench-own-work", lease=timedelta(hours=1), max_attempts=1)
    wall, cpu = time.perf_counter(), time.process_time()
    done = run_worker(
        make_session_factory(engine),
        store,
        _Instant(),
        cfg,
        lambda: datetime.now(UTC),
        stop=threading.Event(),
        until_idle=True,
    )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    engine.dispose()
    return done, wall, cpu


def _requeue(url: str) -> None:
    """Every job pending again and no transcript: the next repeat does the same work."""
    engine = create_db_engine(url)
    with engine.begin() as conn:
        conn.execute(delete(Transcript))
        conn.execute(
            update(TranscriptionJob).values(
                status=JobStatus.PENDING, attempts=0, worker=None, lease_until=None
            )
        )
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=4)
    parser.add_argument("--length-s", type=float, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs; medians")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        calls = make_calls(work / "calls", count=args.calls, length_s=args.length_s)
        sides = [read_source(p, ChannelLayout.AGENT_LEFT).sides for p in calls]
        channels = [side[s] for side in sides for s in Speaker]
        audio_s = sum(len(c) for c in channels) / 8000
        started = time.perf_counter()
        recognizer = load_model(None)
        print(
            f"model loaded in {time.perf_counter() - started:.1f} s; {len(channels)} channels, "
            f"{audio_s:.0f} audio seconds; {args.workers} workers"
        )
        model, n = recognizer._model, args.workers
        url, store = _register(calls, work)
        jobs, own_wall, own_cpu = _own_work(url, store)
        print(
            f"pipeline's own work (instant recogniser): {jobs} jobs, {own_wall:.2f} s wall, "
            f"{own_cpu:.2f} s CPU = {own_cpu / audio_s * 3600:.0f} CPU s per audio hour"
        )
        ratios: dict[int, list[float]] = {1: [], n: []}
        cpu_ratios: dict[int, list[float]] = {1: [], n: []}
        for _ in range(args.repeat):
            for procs in sorted({1, n}):
                # Raw Vosk gets whole calls per process too, as the workers get jobs.
                raw_wall, raw_mem = _forked(
                    procs,
                    lambda i, p=procs: _raw(
                        model, [c for call in sides[i::p] for c in call.values()]
                    ),
                )
                _line("raw Vosk", audio_s, raw_wall, procs, raw_mem)
                _requeue(url)
                pipe_wall, mem = _forked(procs, lambda i: _pipeline(recognizer, url, store, i))
                _line("pipeline workers", audio_s, pipe_wall, procs, mem)
                ratios[procs].append(raw_wall / pipe_wall)
                cpu_ratios[procs].append(_cpu_s(raw_mem) / _cpu_s(mem))
                print(
                    f"  ratio pipeline / raw Vosk, {procs} process(es): wall "
                    f"{ratios[procs][-1]:.2f}, CPU {cpu_ratios[procs][-1]:.2f}"
                )
        for procs in sorted({1, n}):
            print(
                f"median ratio pipeline / raw Vosk, {procs} process(es): wall "
                f"{statistics.median(ratios[procs]):.2f}, CPU "
                f"{statistics.median(cpu_ratios[procs]):.2f}"
            )


if __name__ == "__main__":
    main()
