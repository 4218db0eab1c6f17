"""A call's conversation: sides alternate, agent first, rendering places each prompt."""

from __future__ import annotations

import random
from array import array
from itertools import pairwise

from dialer.simulated.audio import RATE, Prompt
from dialer.simulated.conversation import Conversation, Side, Utterance


def tone(name: str, value: int, seconds: float) -> Prompt:
    return Prompt(name=name, samples=array("h", [value]) * int(seconds * RATE))


def test_script_alternates_sides_agent_first_and_fills_the_length() -> None:
    conversation = Conversation.script(
        rng=random.Random(1), length_s=30, agent=[tone("a", 100, 2)], customer=[tone("c", -7, 3)]
    )
    sides = [u.side for u in conversation.utterances]
    assert sides[0] is Side.AGENT
    assert all(x is not y for x, y in pairwise(sides))
    assert conversation.utterances[-1].start < 30 * RATE <= conversation.utterances[-1].end + RATE


def test_render_pastes_each_side_and_leaves_silence_elsewhere() -> None:
    conversation = Conversation(
        [
            Utterance(Side.AGENT, 10, tone("a", 5, 0.001)),
            Utterance(Side.CUSTOMER, 20, tone("c", 9, 0.001)),
        ]
    )
    left = conversation.render(Side.AGENT, 8, 20)
    right = conversation.render(Side.CUSTOMER, 8, 20)
    assert list(left) == [0, 0] + [5] * 8 + [0] * 10
    assert list(right) == [0] * 12 + [9] * 8
