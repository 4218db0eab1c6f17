"""Every name each recordings module exports exists (the public surface is what it says)."""

from __future__ import annotations

import importlib

import pytest

MODULES = [
    "recordings.access", "recordings.compress", "recordings.errors", "recordings.jobs",
    "recordings.model_install", "recordings.models", "recordings.registration",
    "recordings.search", "recordings.search_ddl", "recordings.speech", "recordings.store",
    "recordings.textnorm", "recordings.transcriber", "recordings.upkeep",
    "recordings.vosk_model", "recordings.worker", "recordings.qa.checks",
    "recordings.qa.models", "recordings.qa.sampling", "recordings.qa.scorecards",
    "recordings.qa.desk", "recordings.qa.holds",
]  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_all_names_exist(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert len(set(exported)) == len(exported)
    assert [n for n in exported if not hasattr(module, n)] == []
