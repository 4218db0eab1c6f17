"""The recordings benchmarks' own parts: the word edit distance and the test calls."""

from __future__ import annotations

import wave
from pathlib import Path

from bench.call_audio import make_calls
from bench.recording_size import edit_distance


def test_edit_distance_counts_words_changed() -> None:
    assert edit_distance([], []) == 0
    assert edit_distance(["a", "b", "c"], ["a", "b", "c"]) == 0
    assert edit_distance(["a", "b", "c"], ["a", "x", "c"]) == 1
    assert edit_distance(["a", "b", "c"], ["b", "c"]) == 1
    assert edit_distance(["a"], ["x", "y", "z"]) == 3


def test_calls_are_stereo_8k_of_the_asked_length(tmp_path: Path) -> None:
    calls = make_calls(tmp_path, count=2, length_s=4)
    assert len(calls) == 2
    for path in calls:
        with wave.open(str(path)) as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (2, 2, 8000)
            assert w.getnframes() == 4 * 8000
