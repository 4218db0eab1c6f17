"""Test calls for the recordings benchmarks, recorded as the simulated network records them.

The agent speaks Korean sentences (espeak-ng's Korean voice: the installed model is Korean), the
customer Debian's Asterisk prompts, in alternating turns (``dialer.simulated.Conversation``),
written by the simulated network's own ``StereoRecorder`` (agent left, 8 kHz 16-bit).
"""

from __future__ import annotations

import random
import subprocess
from pathlib import Path

from dialer.simulated.audio import DEFAULT_SOUNDS_DIR, Prompt, read_mono_wav
from dialer.simulated.conversation import Conversation
from dialer.simulated.recorder import StereoRecorder

__all__ = ["make_calls"]

AGENT_LINES = (
    "안녕하세요 자동차 보험 갱신 안내 전화입니다",
    "고객님의 보험이 다음 달에 만료됩니다",
    "올해는 무사고 할인이 적용되어 보험료가 내려갑니다",
    "갱신을 원하시면 지금 바로 도와드리겠습니다",
    "감사합니다 좋은 하루 보내세요",
)
CUSTOMER_PROMPTS = ("vm-intro", "tt-weasels", "agent-loginok", "conf-adminmenu", "vm-goodbye")


def _korean(folder: Path, n: int, text: str) -> Prompt:
    raw, out = folder / f"ko{n}.raw.wav", folder / f"ko{n}.wav"
    if not out.exists():
        subprocess.run(["espeak-ng", "-v", "ko", "-w", str(raw), text], check=True)
        subprocess.run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(out)], check=True)
    return read_mono_wav(out, name=f"ko{n}")


def make_calls(folder: Path, *, count: int, length_s: float, seed: int = 7) -> list[Path]:
    """``count`` stereo WAV calls of ``length_s`` seconds each under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    agent = [_korean(folder, n, text) for n, text in enumerate(AGENT_LINES)]
    customer = [
        read_mono_wav(DEFAULT_SOUNDS_DIR / f"{name}.wav", name=name)
        for name in CUSTOMER_PROMPTS
        if (DEFAULT_SOUNDS_DIR / f"{name}.wav").is_file()
    ]
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        conversation = Conversation.script(
            rng=rng, length_s=length_s, agent=agent, customer=customer
        )
        recorder = StereoRecorder(path=folder / f"call-{n}.wav")
        recorder.bridged(conversation, offset_s=0)
        recorder.advance(length_s)
        recorder.close()
        paths.append(recorder.path)
    return paths
