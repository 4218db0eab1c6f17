"""Each IVR package's ``__all__`` names what it has."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "ivr.ari",
    "ivr.errors",
    "ivr.flow",
    "ivr.engine",
    "ivr.notifier",
    "ivr.port",
    "ivr.speech",
    "ivr.prompt_check",
    "ivr.simulated",
    "ivr.sessions",
    "ivr.reminders",
    "ivr.service",
    "ivr.models",
]


@pytest.mark.parametrize("name", MODULES)
def test_all_is_complete(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__all__
    for symbol in module.__all__:
        assert hasattr(module, symbol), f"{name}.{symbol}"
