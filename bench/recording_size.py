"""Size of stored recordings per talk hour, and how much the compression changes transcripts.

    PYTHONPATH=. python -m bench.recording_size [--calls 6] [--length-s 60]
        [--levels 0.9 0.95 0.97 0.98 1.0] [--words-levels 0.9 0.97]

Calls are made as the simulated network records them (bench/call_audio.py). For each libsndfile
Opus compression level: MB per talk hour of the two mono Ogg Opus files the store keeps, next to
the 16-bit stereo WAV and to one stereo Ogg Opus file with how much of the agent leaks into the
customer's channel (the reason the store keeps two mono files). Then the word difference
(word-level edit distance over the WAV transcript's words) between transcripts of the WAV and of
the stored files at each of ``--words-levels``, next to the difference that other dither noise
alone makes (Kaldi dithers its input: the floor any change of the audio is measured against).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile as sf

from bench.call_audio import make_calls
from recordings.compress import SourceAudio, encode_mono, read_source
from recordings.models import ChannelLayout, Speaker
from recordings.vosk_model import load_model

HOUR_S = 3600.0


def edit_distance(a: list[str], b: list[str]) -> int:
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def _decode(data: bytes) -> npt.NDArray[np.int16]:
    samples, _ = sf.read(io.BytesIO(data), dtype="int16", always_2d=True)
    return np.ascontiguousarray(samples[:, 0])


def _stereo(audio: SourceAudio, level: float) -> tuple[int, float]:
    """Bytes of one stereo Opus file, and the agent's leak into the customer channel (dB)."""
    agent, customer = audio.sides[Speaker.AGENT], audio.sides[Speaker.CUSTOMER]
    buffer = io.BytesIO()
    buffer.name = "call.opus"
    sf.write(
        buffer,
        np.stack([agent, customer], axis=1),
        audio.rate,
        format="OGG",
        subtype="OPUS",
        compression_level=level,
    )
    decoded, _ = sf.read(io.BytesIO(buffer.getvalue()), dtype="float64", always_2d=True)
    a = agent.astype(np.float64) / 32768
    leak = float(np.dot(decoded[: len(a), 1], a) / max(np.dot(a, a), 1e-12))
    return len(buffer.getvalue()), 20 * np.log10(max(abs(leak), 1e-6))


def sizes(calls: list[Path], levels: list[float]) -> None:
    audios = [read_source(p, ChannelLayout.AGENT_LEFT) for p in calls]
    hours = sum(a.frames / a.rate for a in audios) / HOUR_S
    wav = sum(p.stat().st_size for p in calls)
    print(
        f"{len(calls)} calls, {hours * 60:.1f} talk minutes; stereo WAV "
        f"{wav / hours / 1e6:.1f} MB per talk hour"
    )
    print(f"{'level':>6} {'2 x mono Opus':>14} {'stereo Opus':>12} {'agent leak':>11}")
    for level in levels:
        mono = sum(
            len(encode_mono(a.sides[s], a.rate, level=level)) for a in audios for s in Speaker
        )
        stereo = [_stereo(a, level) for a in audios]
        size = sum(b for b, _ in stereo)
        leak = max(db for _, db in stereo)
        print(
            f"{level:>6.2f} {mono / hours / 1e6:>11.1f} MB {size / hours / 1e6:>9.1f} MB "
            f"{leak:>8.1f} dB"
        )


def word_difference(calls: list[Path], levels: list[float]) -> None:
    """Words changed by compression, next to the words changed by other dither noise alone."""
    recognizer = load_model(None)
    other_noise = recognizer.with_dither_seed(2)
    reference = 0
    changed = dict.fromkeys(["noise", *levels], 0)
    started = time.perf_counter()
    for path in calls:
        audio = read_source(path, ChannelLayout.AGENT_LEFT)
        for side in Speaker:
            samples = audio.sides[side]
            wav = [w.word for w in recognizer.recognise(samples, audio.rate)]
            reference += len(wav)
            noisy = [w.word for w in other_noise.recognise(samples, audio.rate)]
            changed["noise"] += edit_distance(wav, noisy)
            for level in levels:
                stored = _decode(encode_mono(samples, audio.rate, level=level))
                opus = [w.word for w in recognizer.recognise(stored, audio.rate)]
                changed[level] += edit_distance(wav, opus)
    print(
        f"word difference from the WAV's transcript ({reference} words, "
        f"{time.perf_counter() - started:.0f} s):"
    )
    for key, n in changed.items():
        what = "same WAV, other dither noise" if key == "noise" else f"stored, level {key}"
        print(f"  {what:<30} {n:>5} words = {100 * n / max(reference, 1):5.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=6)
    parser.add_argument("--length-s", type=float, default=60)
    parser.add_argument("--levels", type=float, nargs="+", default=[0.9, 0.95, 0.97, 0.98, 1.0])
    parser.add_argument("--words-levels", type=float, nargs="+", default=[0.9, 0.97])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        calls = make_calls(Path(work), count=args.calls, length_s=args.length_s)
        sizes(calls, args.levels)
        word_difference(calls, args.words_levels)


if __name__ == "__main__":
    main()
