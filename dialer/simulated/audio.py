"""Real speech for simulated customers and agents: 8 kHz 16-bit mono prompts.

Prompts come from Debian's ``asterisk-core-sounds-en-wav`` (``/usr/share/asterisk/sounds/en``),
or, for a name with a text but no file, are rendered once with espeak-ng and resampled with sox
into a cache directory. Loading is synchronous on purpose: it happens once at ``start()``, and a
thread or subprocess wait inside a virtual-time loop would let simulated time run ahead.
"""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import tempfile
import wave
from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dialer.simulated.errors import PromptUnavailable

__all__ = ["DEFAULT_SOUNDS_DIR", "RATE", "Prompt", "PromptLibrary"]

logger = logging.getLogger(__name__)

RATE = 8000  # samples per second, the telephone rate Asterisk records at
DEFAULT_SOUNDS_DIR = Path("/usr/share/asterisk/sounds/en")
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_/-]*")
_RENDER_TIMEOUT_S = 30.0


@dataclass(frozen=True, slots=True, eq=False)
class Prompt:
    """One prompt's samples (signed 16-bit, native byte order, ``RATE`` per second)."""

    name: str
    samples: array[int] = field(repr=False)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / RATE


def read_mono_wav(path: Path, *, name: str) -> Prompt:
    """Read an 8 kHz 16-bit mono WAV; ``PromptUnavailable`` if it is another format."""
    try:
        with wave.open(str(path), "rb") as wav:
            shape = (wav.getnchannels(), wav.getsampwidth(), wav.getframerate())
            if shape != (1, 2, RATE):
                raise PromptUnavailable(name, f"{path} is {shape}, need (1, 2, {RATE})")
            data = wav.readframes(wav.getnframes())
    except (OSError, wave.Error, EOFError) as bad:
        raise PromptUnavailable(name, f"cannot read {path}: {bad}") from None
    samples = array("h")
    samples.frombytes(data)
    if sys.byteorder == "big":
        samples.byteswap()  # WAV data is little-endian
    return Prompt(name=name, samples=samples)


class PromptLibrary:
    """Finds prompts by name: installed WAV, cached rendering, or a fresh espeak-ng rendering."""

    def __init__(
        self,
        *,
        sounds_dir: Path = DEFAULT_SOUNDS_DIR,
        cache_dir: Path | None = None,
        texts: Mapping[str, str] | None = None,
    ) -> None:
        self._sounds_dir = sounds_dir
        self._cache_dir = cache_dir
        self._texts = dict(texts or {})
        self._loaded: dict[str, Prompt] = {}

    def get(self, name: str) -> Prompt:
        """The prompt called ``name`` (e.g. ``hello-world``); loaded once, then cached."""
        prompt = self._loaded.get(name)
        if prompt is None:
            prompt = self._loaded[name] = self._load(name)
        return prompt

    def _load(self, name: str) -> Prompt:
        if not _NAME.fullmatch(name) or ".." in name:
            raise PromptUnavailable(name, "not a prompt name")
        installed = self._sounds_dir / f"{name}.wav"
        if installed.is_file():
            return read_mono_wav(installed, name=name)
        if self._cache_dir is None:
            raise PromptUnavailable(name, f"not in {self._sounds_dir} and no cache directory")
        cached = self._cache_dir / f"{name}.wav"
        if not cached.is_file():
            if name not in self._texts:
                raise PromptUnavailable(name, f"not in {self._sounds_dir} and no text to render")
            self._render(self._texts[name], cached, name=name)
        return read_mono_wav(cached, name=name)

    @staticmethod
    def _render(text: str, target: Path, *, name: str) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            raw, out = Path(work, "espeak.wav"), Path(work, "8k.wav")
            try:
                subprocess.run(
                    ["espeak-ng", "-v", "en", "-w", str(raw), text],
                    check=True,
                    capture_output=True,
                    timeout=_RENDER_TIMEOUT_S,
                )
                subprocess.run(
                    ["sox", str(raw), "-r", str(RATE), "-c", "1", "-b", "16", str(out)],
                    check=True,
                    capture_output=True,
                    timeout=_RENDER_TIMEOUT_S,
                )
            except (OSError, subprocess.SubprocessError) as failed:
                raise PromptUnavailable(name, f"espeak-ng/sox failed: {failed}") from None
            out.replace(target)  # atomic: a half-written cache file is never read
        logger.info("rendered prompt %s with espeak-ng into %s", name, target)
