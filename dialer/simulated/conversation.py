"""Who says what when, on a bridged call: alternating agent and customer prompts.

Time 0 is the moment of the bridge. The agent speaks first (as in fixture 02, where the agent's
``queue-thankyou`` opens the recording), then the customer, with short pauses between turns.
"""

from __future__ import annotations

import enum
import random
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

from dialer.simulated.audio import RATE, Prompt

__all__ = ["Conversation", "Side", "Utterance", "Voices"]

_FIRST_WORDS_S = 0.3
_PAUSE_S = (0.4, 1.2)


class Side(enum.StrEnum):
    AGENT = "agent"
    CUSTOMER = "customer"


@dataclass(frozen=True, slots=True)
class Utterance:
    side: Side
    start: int  # sample offset from the bridge
    prompt: Prompt

    @property
    def end(self) -> int:
        return self.start + len(self.prompt.samples)


class Conversation:
    """The utterances of one call, and their rendering into per-side sample windows."""

    def __init__(self, utterances: Sequence[Utterance]) -> None:
        self.utterances = tuple(utterances)

    @classmethod
    def script(
        cls,
        *,
        rng: random.Random,
        length_s: float,
        agent: Sequence[Prompt],
        customer: Sequence[Prompt],
    ) -> Conversation:
        """Alternate turns, prompts drawn from each side's list, until ``length_s`` is filled."""
        turns: list[Utterance] = []
        at = int(_FIRST_WORDS_S * RATE)
        side = Side.AGENT
        while at < length_s * RATE:
            prompt = rng.choice(agent if side is Side.AGENT else customer)
            turns.append(Utterance(side, at, prompt))
            at += len(prompt.samples) + int(rng.uniform(*_PAUSE_S) * RATE)
            side = Side.CUSTOMER if side is Side.AGENT else Side.AGENT
        return cls(turns)

    def render(self, side: Side, start: int, count: int) -> array[int]:
        """``count`` samples of ``side`` from sample ``start`` (silence where nobody speaks)."""
        out = array("h", bytes(2 * count))
        end = start + count
        for u in self.utterances:
            if u.side is side and u.start < end and u.end > start:
                lo, hi = max(u.start, start), min(u.end, end)
                out[lo - start : hi - start] = u.prompt.samples[lo - u.start : hi - u.start]
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Voices:
    """The prompts each side speaks, and the safe message played to an abandoned customer."""

    agent: tuple[Prompt, ...]
    customer: tuple[Prompt, ...]
    safe_message: Prompt
