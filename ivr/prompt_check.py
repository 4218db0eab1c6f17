"""Prompts: their texts per language, the start-up check of the audio files, and synthesis.

Audio prompts live in a prompt directory laid out as Asterisk's sounds are:
``<dir>/<language>/<name>.wav`` (8 kHz mono 16-bit), so the same tree can be copied to
Asterisk's sounds directory and played over ARI as ``sound:<name>`` with ``lang=<language>``.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from ivr.flow import Flow
from ivr.speech import vocabulary

__all__ = [
    "IVR_LANGUAGES",
    "missing_audio",
    "missing_texts",
    "needed_prompts",
    "prompt_texts",
    "synthesize",
]

log = logging.getLogger(__name__)

IVR_LANGUAGES = ("zh_CN", "en")
_ESPEAK_VOICE = {"zh_CN": "cmn", "en": "en"}


@cache
def prompt_texts(language: str) -> dict[str, str]:
    """name → the words of that prompt in ``language`` (shipped ``ivr/prompts/<lang>.toml``)."""
    path = Path(__file__).resolve().parent / "prompts" / f"{language}.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data["prompts"].items()}


def needed_prompts(flows: Iterable[Flow], language: str) -> set[str]:
    """Every prompt the flows can play in ``language``: their own and the spoken facts'."""
    names = vocabulary(language) | {"xubao/recovered"}
    for flow in flows:
        names |= flow.prompt_names()
    return names


def missing_texts(flows: Iterable[Flow], language: str) -> list[str]:
    texts = prompt_texts(language)
    return sorted(n for n in needed_prompts(flows, language) if n not in texts)


def missing_audio(flows: Iterable[Flow], prompt_dir: Path, languages: Iterable[str]) -> list[str]:
    """``<language>/<name>.wav`` of every needed prompt not in ``prompt_dir`` (sorted)."""
    flows = list(flows)
    missing = []
    for language in languages:
        for name in sorted(needed_prompts(flows, language)):
            if not (prompt_dir / language / f"{name}.wav").is_file():
                missing.append(f"{language}/{name}.wav")
    return missing


def synthesize(flows: Iterable[Flow], prompt_dir: Path, language: str) -> list[Path]:
    """Speak every needed prompt that has no audio yet with espeak-ng (then sox to 8 kHz
    mono, as Asterisk plays it); returns the files written. Real recordings, once dropped in,
    are never overwritten."""
    espeak, sox = shutil.which("espeak-ng"), shutil.which("sox")
    if espeak is None or sox is None:
        raise FileNotFoundError("espeak-ng and sox are needed (make system-deps installs them)")
    texts = prompt_texts(language)
    written = []
    for name in sorted(needed_prompts(flows, language)):
        target = prompt_dir / language / f"{name}.wav"
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        raw = target.with_suffix(".espeak.wav")
        voice = _ESPEAK_VOICE[language]
        subprocess.run([espeak, "-v", voice, "-w", str(raw), texts[name]], check=True)
        subprocess.run(
            [sox, "-q", str(raw), "-r", "8000", "-c", "1", "-b", "16", str(target)], check=True
        )
        raw.unlink()
        written.append(target)
    log.info("synthesised %s %s prompts into %s", len(written), language, prompt_dir)
    return written
