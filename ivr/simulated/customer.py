"""Simulated customers: what they press when a menu asks them, by profile.

A profile is the customer's answers in order, one per menu they hear: a key (``"1"``), or
``"silence"`` (the menu times out) or ``"hangup"``. After the last answer they stay silent.
``barge_in`` customers press while the menu still plays (ARI does not stop it: the driver must).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ACTIONS", "CustomerProfile", "ScriptedCustomer", "random_profile"]

ACTIONS = ("silence", "hangup")


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerProfile:
    answers: tuple[str, ...]
    barge_in: bool = False
    language: str = "zh_CN"

    def __post_init__(self) -> None:
        for i, answer in enumerate(self.answers):
            if answer not in ACTIONS and (len(answer) != 1 or answer not in "0123456789*#"):
                raise ValueError(f"answers[{i}]: {answer!r} is not a key, 'silence' or 'hangup'")

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> CustomerProfile:
        """From JSON/TOML: ``{"answers": ["silence", "5", "2", "1"], "barge_in": false}``."""
        answers = data.get("answers", [])
        if not isinstance(answers, list):
            raise ValueError("answers: must be a list")
        return cls(
            answers=tuple(str(a) for a in answers),
            barge_in=bool(data.get("barge_in", False)),
            language=str(data.get("language", "zh_CN")),
        )


@dataclass
class ScriptedCustomer:
    """Answers menus from its profile and keeps what it heard (the prompt events)."""

    profile: CustomerProfile
    heard: list[tuple[str, ...]] = field(default_factory=list)
    pressed: list[str] = field(default_factory=list)
    _next: int = 0

    def hear(self, prompts: Sequence[str], *, menu: bool) -> str | None:
        """A prompt event; for a menu, the customer's answer (None for plain prompts)."""
        self.heard.append(tuple(prompts))
        if not menu:
            return None
        if self._next >= len(self.profile.answers):
            return "silence"
        answer = self.profile.answers[self._next]
        self._next += 1
        if answer not in ACTIONS:
            self.pressed.append(answer)
        return answer


def random_profile(
    rng: random.Random, weights: Mapping[str, float] | None = None
) -> CustomerProfile:
    """A demo customer: up to three answers drawn by ``weights`` (key or action → weight)."""
    table = weights or {"1": 0.35, "2": 0.25, "9": 0.05, "silence": 0.2, "5": 0.1, "hangup": 0.05}
    keys, probs = list(table), list(table.values())
    answers = tuple(rng.choices(keys, probs)[0] for _ in range(3))
    # "2" leads to the callback menu: the last answer picks its slot.
    answers = (*answers, rng.choice("123"))
    return CustomerProfile(answers=answers, barge_in=rng.random() < 0.3)
