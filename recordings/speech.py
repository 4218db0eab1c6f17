"""The speech-to-text port: one channel of telephone audio in, words with times out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

__all__ = ["Recognizer", "Word"]


@dataclass(frozen=True)
class Word:
    """A recognised word; ``start``/``end`` in seconds from the start, ``conf`` in 0..1."""

    word: str
    start: float
    end: float
    conf: float


class Recognizer(Protocol):
    """Transcribes one mono channel (16-bit samples at ``rate`` Hz, 8 kHz accepted as is)."""

    @property
    def name(self) -> str:
        """Which model (stored with each transcript)."""
        ...

    def recognise(self, samples: npt.NDArray[np.int16], rate: int) -> list[Word]: ...
