"""The transcription commands' work: the model, one file, the pending jobs, the workers.

Imported by ``config/commands/transcribe.py`` when one of them runs (numpy, soundfile, Vosk).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import signal
import socket
import sys
import threading
from datetime import timedelta
from pathlib import Path

from config import recordings as wiring
from config.db import create_db_engine, make_session_factory
from config.settings import Settings
from recordings.errors import BadRecording, ModelUnavailable
from recordings.jobs import Claim, counts
from recordings.models import ChannelLayout, JobStatus
from recordings.speech import Recognizer
from recordings.transcriber import CallTranscript, as_json, transcribe_wav
from recordings.vosk_model import load_model
from recordings.worker import WorkerConfig, run_worker
from renewals.clock import SystemClock

__all__ = ["run_transcribe", "run_workers"]


def _model(settings: Settings) -> Recognizer | None:
    try:
        return load_model(settings.vosk_model)
    except ModelUnavailable as exc:
        print(wiring.say("error: {error}", error=exc), file=sys.stderr)
        return None


def _print_text(transcript: CallTranscript) -> None:
    for side in transcript.speakers:
        print(f"== {wiring.say(side.speaker.value)} ({side.channel})")
        for w in side.words:
            print(f"  [{w.start:7.2f} – {w.end:7.2f}] {w.word}  ({w.conf:.2f})")
    print(
        wiring.say(
            "longest silence {s:.1f} s, talk-over {o:.1f} s",
            s=transcript.longest_silence_ms / 1000,
            o=transcript.talk_over_ms / 1000,
        )
    )


def run_transcribe(args: argparse.Namespace, settings: Settings) -> int:
    recognizer = _model(settings)
    if recognizer is None:
        return 2
    if args.all_pending:
        return _all_pending(settings, recognizer)
    layout = ChannelLayout(args.layout) if args.layout else wiring.layout(settings)
    try:
        transcript = transcribe_wav(recognizer, Path(args.file), layout)
    except BadRecording as exc:
        print(wiring.say("error: {error}", error=exc), file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(as_json(transcript), ensure_ascii=False))
    else:
        _print_text(transcript)
    return 0


def _config(settings: Settings, poll_s: float = 2.0) -> WorkerConfig:
    return WorkerConfig(
        name=f"{socket.gethostname()}:{os.getpid()}",
        lease=timedelta(seconds=settings.transcribe_lease_s),
        max_attempts=settings.transcribe_max_attempts,
        poll_s=poll_s,
    )


def _progress(done: int, total: int) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    sys.stderr.flush()


def _all_pending(settings: Settings, recognizer: Recognizer) -> int:
    engine = create_db_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            total = counts(session).get(JobStatus.PENDING, 0)
        seen: set[int] = set()  # a retried job is one job

        def tick(job: Claim) -> None:
            seen.add(job.job_id)
            _progress(len(seen), max(total, len(seen)))

        _progress(0, total)
        run_worker(
            sessions,
            wiring.store(settings),
            recognizer,
            _config(settings),
            SystemClock().now,
            stop=threading.Event(),
            until_idle=True,
            on_job=tick,
        )
        sys.stderr.write("\n")
        with sessions() as session:
            left = counts(session)
    finally:
        engine.dispose()
    failed = left.get(JobStatus.FAILED, 0)
    print(wiring.say("{done} jobs run; {failed} failed for good", done=len(seen), failed=failed))
    return 1 if failed else 0


def _worker_process(settings: Settings, recognizer: Recognizer, until_idle: bool) -> None:
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it sends SIGTERM
    engine = create_db_engine(settings.resolved_database_url)
    try:
        run_worker(
            make_session_factory(engine),
            wiring.store(settings),
            recognizer,
            _config(settings),
            SystemClock().now,
            stop=stop,
            until_idle=until_idle,
        )
    finally:
        engine.dispose()


def run_workers(args: argparse.Namespace, settings: Settings) -> int:
    recognizer = _model(settings)
    if recognizer is None:
        return 2
    if args.processes < 1:
        print(wiring.say("error: {error}", error="--processes must be at least 1"))
        return 2
    if args.processes == 1:
        _worker_process(settings, recognizer, args.until_idle)
        return 0
    context = multiprocessing.get_context("fork")  # children share the loaded model's pages
    children = [
        context.Process(
            target=_worker_process,
            args=(settings, recognizer, args.until_idle),
            name=f"transcribe-{n}",
        )
        for n in range(args.processes)
    ]
    for child in children:
        child.start()
    try:
        for child in children:
            child.join()
    except KeyboardInterrupt:
        for child in children:
            child.terminate()
        for child in children:
            child.join()
    return 0 if all(child.exitcode == 0 for child in children) else 1
