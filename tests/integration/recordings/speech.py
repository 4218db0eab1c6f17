"""Real speech for the tests: a stereo call made with espeak-ng and sox, and raw Vosk to compare.

Agent (left): espeak-ng's Korean voice from 0.5 s. Customer (right): Debian's Asterisk prompt
``tt-weasels`` (English) after the agent has finished. Both end with 2 s of digital silence.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

KOREAN = "안녕하세요 자동차 보험 갱신 안내입니다."
PROMPT = Path("/usr/share/asterisk/sounds/en/tt-weasels.wav")
TAIL_S = 2.0
CHUNK_FRAMES = 4000  # the same chunk size as the pipeline (vosk_model.CHUNK_FRAMES)


@dataclass(frozen=True)
class Call:
    path: Path  # stereo 8 kHz 16-bit WAV, agent left
    agent: tuple[float, float]  # seconds where the agent's audio is
    customer: tuple[float, float]
    duration: float


def _seconds(path: Path) -> float:
    return float(subprocess.check_output(["soxi", "-D", str(path)], text=True))


def make_call(folder: Path) -> Call:
    folder.mkdir(parents=True, exist_ok=True)
    voice = folder / "ko.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(voice), KOREAN], check=True)
    agent_len, prompt_len = _seconds(voice), _seconds(PROMPT)
    agent = (0.5, 0.5 + agent_len)
    customer = (agent[1] + 1.5, agent[1] + 1.5 + prompt_len)
    duration = customer[1] + TAIL_S
    sides = []
    for name, source, (start, end) in (("a", voice, agent), ("c", PROMPT, customer)):
        side = folder / f"{name}.wav"
        subprocess.run(["sox", str(source), "-r", "8000", "-c", "1", "-b", "16", str(side),
                        "pad", f"{start}", f"{duration - end}"], check=True)  # fmt: skip
        sides.append(str(side))
    call = folder / "call.wav"
    subprocess.run(["sox", "-M", *sides, "-b", "16", str(call)], check=True)
    return Call(path=call, agent=agent, customer=customer, duration=_seconds(call))


def raw_vosk_words(model: object, samples: npt.NDArray[np.int16], rate: int) -> list[str]:
    """Vosk used as its README shows, on one channel: the words it returns, in order.

    Kaldi's dither noise comes from the C library's rand(); it is seeded as the pipeline seeds
    it, so both start from the same noise (vosk_model.DITHER_SEED).
    """
    import vosk

    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.srand(1)
    rec = vosk.KaldiRecognizer(model, rate)
    rec.SetWords(True)
    data = samples.astype("<i2").tobytes()
    words: list[str] = []
    for offset in range(0, len(data), CHUNK_FRAMES * 2):
        if rec.AcceptWaveform(data[offset : offset + CHUNK_FRAMES * 2]):
            words += [w["word"] for w in json.loads(rec.Result()).get("result", [])]
    words += [w["word"] for w in json.loads(rec.FinalResult()).get("result", [])]
    return words
