"""``xubao transcribe FILE [--json]``, ``xubao transcribe --all-pending``, ``transcribe-worker``.

The model is loaded once, before any work, so a missing or broken model is one clear error at
start-up. ``transcribe-worker --processes N`` loads it in the parent and forks N workers that
share its pages (copy-on-write), each with its own database connections.
"""

from __future__ import annotations

import argparse

from config.settings import Settings
from recordings.models import ChannelLayout


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cmd = sub.add_parser("transcribe", help="transcribe a WAV file, or every pending recording")
    what = cmd.add_mutually_exclusive_group(required=True)
    what.add_argument("file", nargs="?", help="a stereo WAV file (no database involved)")
    what.add_argument("--all-pending", action="store_true", help="run every pending job now")
    cmd.add_argument("--json", action="store_true")
    cmd.add_argument("--layout", choices=[c.value for c in ChannelLayout])
    cmd.set_defaults(handler=run_transcribe)
    worker = sub.add_parser("transcribe-worker", help="transcription workers on the job queue")
    worker.add_argument("--processes", type=int, default=1)
    worker.add_argument("--until-idle", action="store_true", help="stop when the queue is empty")
    worker.set_defaults(handler=run_workers)


def run_transcribe(args: argparse.Namespace, settings: Settings) -> int:
    from config.transcribing import run_transcribe as run

    return run(args, settings)


def run_workers(args: argparse.Namespace, settings: Settings) -> int:
    from config.transcribing import run_workers as run

    return run(args, settings)
