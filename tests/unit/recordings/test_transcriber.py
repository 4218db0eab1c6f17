"""Talk, silence and talk-over from word times; each side recognised alone."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from recordings.models import ChannelLayout, Speaker
from recordings.speech import Word
from recordings.transcriber import Side, as_json, gaps, intersect, merge, transcribe


class ScriptedRecognizer:
    """A small real recognizer for tests: the words it was given for each signal level."""

    name = "scripted"

    def __init__(self, by_level: dict[int, list[Word]]) -> None:
        self.by_level = by_level
        self.calls: list[int] = []

    def recognise(self, samples: npt.NDArray[np.int16], rate: int) -> list[Word]:
        level = int(samples.max())
        self.calls.append(level)
        return self.by_level.get(level, [])


def test_intervals() -> None:
    assert merge([(3, 4), (0, 1), (1.2, 2)], gap=0.5) == [(0, 2), (3, 4)]
    assert merge([(0, 1), (1.2, 2)]) == [(0, 1), (1.2, 2)]
    assert intersect([(0, 2), (5, 6)], [(1, 5.5)]) == [(1, 2), (5, 5.5)]
    assert gaps([(1, 2), (1.5, 3)], 5) == [(0, 1), (3, 5)]
    assert gaps([], 2) == [(0, 2)]


def test_each_side_alone_then_silence_and_talk_over() -> None:
    agent = [Word("您好", 0.5, 1.0, 0.9), Word("平安", 1.2, 2.0, 0.8)]
    customer = [Word("喂", 1.5, 2.5, 0.7)]
    recognizer = ScriptedRecognizer({1: agent, 2: customer})
    rate = 8000
    sides = [
        Side(Speaker.CUSTOMER, 1, np.full(5 * rate, 2, np.int16), rate),
        Side(Speaker.AGENT, 0, np.full(5 * rate, 1, np.int16), rate),
    ]
    t = transcribe(recognizer, sides)
    assert recognizer.calls == [1, 2]  # one recognition per side, in channel order
    assert [s.speaker for s in t.speakers] == [Speaker.AGENT, Speaker.CUSTOMER]
    assert t.speakers[0].talk == [(0.5, 2.0)] and t.speakers[0].talk_ms == 1500
    assert t.talk_over == [(1.5, 2.0)] and t.talk_over_ms == 500
    assert t.silences == [(0.0, 0.5), (2.5, 5.0)] and t.longest_silence_ms == 2500
    assert as_json(t) == {
        "speakers": [
            {"speaker": "agent", "channel": 0, "text": "您好 平安", "words": [
                {"word": "您好", "start": 0.5, "end": 1.0, "conf": 0.9},
                {"word": "平安", "start": 1.2, "end": 2.0, "conf": 0.8}]},
            {"speaker": "customer", "channel": 1, "text": "喂", "words": [
                {"word": "喂", "start": 1.5, "end": 2.5, "conf": 0.7}]},
        ]
    }  # fmt: skip


def test_layouts_name_the_agent_channel() -> None:
    assert ChannelLayout.AGENT_LEFT.channel_of(Speaker.AGENT) == 0
    assert ChannelLayout.AGENT_LEFT.channel_of(Speaker.CUSTOMER) == 1
    assert ChannelLayout.CUSTOMER_LEFT.channel_of(Speaker.AGENT) == 1
    assert ChannelLayout.CUSTOMER_LEFT.channel_of(Speaker.CUSTOMER) == 0
