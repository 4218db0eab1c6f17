"""Prompts: Debian's Asterisk recordings, espeak-ng renderings cached on disk, and refusals."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from dialer.simulated import PromptLibrary, PromptUnavailable


def test_installed_asterisk_prompt_is_read_at_8khz() -> None:
    prompt = PromptLibrary().get("hello-world")
    assert prompt.duration_s == pytest.approx(1.40425)
    assert max(prompt.samples) > 1000


def test_prompt_without_a_file_is_rendered_once_with_espeak_ng(tmp_path: Path) -> None:
    texts = {"xubao/renewal-greeting": "Your car insurance renewal is due."}
    library = PromptLibrary(sounds_dir=tmp_path / "none", cache_dir=tmp_path / "cache", texts=texts)
    prompt = library.get("xubao/renewal-greeting")
    cached = tmp_path / "cache/xubao/renewal-greeting.wav"
    with wave.open(str(cached), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 8000)
    assert prompt.duration_s > 1.0
    assert max(prompt.samples) > 1000
    again = PromptLibrary(sounds_dir=tmp_path / "none", cache_dir=tmp_path / "cache", texts={})
    assert again.get("xubao/renewal-greeting").samples == prompt.samples  # from the cache


def test_a_prompt_in_another_format_is_refused(tmp_path: Path) -> None:
    with wave.open(str(tmp_path / "wide.wav"), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16000)
        wav.writeframes(b"\0\0" * 160)
    with pytest.raises(PromptUnavailable, match="wide"):
        PromptLibrary(sounds_dir=tmp_path).get("wide")


@pytest.mark.parametrize("name", ["no-such-prompt", "../etc/passwd", "a b", ""])
def test_missing_or_malformed_names_are_refused(name: str) -> None:
    with pytest.raises(PromptUnavailable):
        PromptLibrary().get(name)
