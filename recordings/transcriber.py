"""A call's transcript: each side recognised on its own, then silences and talk-over measured.

Talk is the union of a side's word intervals, with pauses shorter than ``PAUSE_S`` inside a
turn counted as talk. Silence is where neither side talks; talk-over is where both do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from recordings.compress import read_source
from recordings.models import ChannelLayout, Speaker
from recordings.speech import Recognizer, Word

__all__ = ["CallTranscript", "Side", "SpeakerTranscript", "as_json", "transcribe", "transcribe_wav"]

PAUSE_S = 0.5
Interval = tuple[float, float]


@dataclass(frozen=True)
class Side:
    speaker: Speaker
    channel: int
    samples: npt.NDArray[np.int16]
    rate: int


@dataclass(frozen=True)
class SpeakerTranscript:
    speaker: Speaker
    channel: int
    words: list[Word]
    talk: list[Interval]

    @property
    def text(self) -> str:
        return " ".join(w.word for w in self.words)

    @property
    def talk_ms(self) -> int:
        return round(sum(end - start for start, end in self.talk) * 1000)


@dataclass(frozen=True)
class CallTranscript:
    model: str
    duration_ms: int
    speakers: list[SpeakerTranscript]
    silences: list[Interval]
    talk_over: list[Interval]

    @property
    def longest_silence_ms(self) -> int:
        return round(max((end - start for start, end in self.silences), default=0.0) * 1000)

    @property
    def talk_over_ms(self) -> int:
        return round(sum(end - start for start, end in self.talk_over) * 1000)


def merge(intervals: Sequence[Interval], gap: float = 0.0) -> list[Interval]:
    """Sorted, overlapping (or closer than ``gap``) intervals joined."""
    out: list[Interval] = []
    for start, end in sorted(intervals):
        if out and start - out[-1][1] <= gap:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    out: list[Interval] = []
    for s1, e1 in a:
        for s2, e2 in b:
            start, end = max(s1, s2), min(e1, e2)
            if end > start:
                out.append((start, end))
    return merge(out)


def gaps(talk: Sequence[Interval], duration: float) -> list[Interval]:
    """The stretches of ``[0, duration]`` outside ``talk``."""
    out, cursor = [], 0.0
    for start, end in merge(talk):
        if start > cursor:
            out.append((cursor, start))
        cursor = max(cursor, end)
    if duration > cursor:
        out.append((cursor, duration))
    return out


def transcribe(recognizer: Recognizer, sides: Sequence[Side]) -> CallTranscript:
    """Recognise each side alone (the channels never mix) and measure the conversation."""
    duration = max((len(s.samples) / s.rate for s in sides), default=0.0)
    speakers = []
    for side in sorted(sides, key=lambda s: s.channel):
        words = recognizer.recognise(side.samples, side.rate)
        talk = merge([(w.start, w.end) for w in words], gap=PAUSE_S)
        speakers.append(SpeakerTranscript(side.speaker, side.channel, words, talk))
    both = [iv for s in speakers for iv in s.talk]
    over = intersect(speakers[0].talk, speakers[1].talk) if len(speakers) == 2 else []
    return CallTranscript(
        model=recognizer.name,
        duration_ms=round(duration * 1000),
        speakers=speakers,
        silences=gaps(both, duration),
        talk_over=over,
    )


def transcribe_wav(recognizer: Recognizer, path: Path, layout: ChannelLayout) -> CallTranscript:
    """A stereo WAV file as it is (no database, no store): for ``xubao transcribe FILE``."""
    audio = read_source(path, layout)
    sides = [Side(s, layout.channel_of(s), audio.sides[s], audio.rate) for s in Speaker]
    return transcribe(recognizer, sides)


def as_json(transcript: CallTranscript) -> dict[str, object]:
    """``{"speakers": [{"speaker", "channel", "text", "words": [{word, start, end, conf}]}]}``."""
    return {
        "speakers": [
            {
                "speaker": s.speaker.value,
                "channel": s.channel,
                "text": s.text,
                "words": [
                    {"word": w.word, "start": w.start, "end": w.end, "conf": w.conf}
                    for w in s.words
                ],
            }
            for s in transcript.speakers
        ]
    }
