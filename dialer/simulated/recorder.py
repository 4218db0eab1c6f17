"""A stereo WAV recording of a simulated call: left = agent, right = customer, 8 kHz 16-bit.

Like MixMonitor with option ``b`` (fixture 02), only the bridged time is recorded. The file is
created when recording starts, frames are appended whenever the call advances it, and the header
is completed on ``close`` (which the call always reaches, on hangup, stop or network close).
A side can be silenced for a while (``silence``): the recording is paused for card details, the
agent is muted, the customer is on hold; silence is written, so the file keeps its length, as
``MixMonitorMute`` does on Asterisk.
"""

from __future__ import annotations

import sys
import wave
from array import array
from pathlib import Path

from dialer.simulated.audio import RATE
from dialer.simulated.conversation import Conversation, Side

__all__ = ["StereoRecorder"]

_CHUNK = RATE  # render one second at a time to keep memory flat on long calls


class StereoRecorder:
    """Writes a call's conversation into ``path`` from ``offset_s`` (seconds after the bridge)."""

    def __init__(self, *, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # The file stays open for the life of the recording; close() is always reached.
        self._wav: wave.Wave_write | None = wave.open(str(path), "wb")  # noqa: SIM115
        self._wav.setnchannels(2)
        self._wav.setsampwidth(2)
        self._wav.setframerate(RATE)
        self._conversation: Conversation | None = None
        self._position = 0  # next sample of the conversation to write
        self._silent: frozenset[Side] = frozenset()

    @property
    def closed(self) -> bool:
        return self._wav is None

    def bridged(self, conversation: Conversation, *, offset_s: float) -> None:
        """The call is bridged: record ``conversation`` from ``offset_s`` into it."""
        self._conversation = conversation
        self._position = max(0, round(offset_s * RATE))

    def advance(self, to_s: float) -> None:
        """Append the frames up to ``to_s`` seconds after the bridge (nothing before a bridge)."""
        if self._wav is None or self._conversation is None:
            return
        end = round(to_s * RATE)
        while self._position < end:
            count = min(_CHUNK, end - self._position)
            frames = self._frames(self._conversation, self._position, count, self._silent)
            self._wav.writeframes(frames)
            self._position += count

    def silence(self, sides: frozenset[Side], *, at_s: float) -> None:
        """From ``at_s`` seconds after the bridge on, write ``sides`` as silence (none: all
        audio again). What came before is written first, as it was."""
        self.advance(at_s)
        self._silent = sides

    def close(self) -> None:
        """Finish the file (the header gets its real length); idempotent."""
        if self._wav is not None:
            wav, self._wav = self._wav, None
            wav.close()

    @staticmethod
    def _frames(
        conversation: Conversation, start: int, count: int, silent: frozenset[Side]
    ) -> bytes:
        stereo = array("h", bytes(4 * count))
        if Side.AGENT not in silent:
            stereo[0::2] = conversation.render(Side.AGENT, start, count)
        if Side.CUSTOMER not in silent:
            stereo[1::2] = conversation.render(Side.CUSTOMER, start, count)
        if sys.byteorder == "big":
            stereo.byteswap()
        return stereo.tobytes()
