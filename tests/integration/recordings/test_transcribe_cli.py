"""`xubao transcribe FILE [--json]` (no database) and the model's start-up errors."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import soundfile as sf

from config.cli import main
from tests.integration.recordings.speech import Call, raw_vosk_words


def _channel(call: Call, tmp_path: Path, number: int) -> Path:
    out = tmp_path / f"ch{number}.wav"
    subprocess.run(["sox", str(call.path), str(out), "remix", str(number)], check=True)
    return out


def test_json_gives_each_speaker_with_timed_words_as_raw_vosk_does(
    call: Call, raw_model: object, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")  # unused
    assert main(["transcribe", str(call.path), "--json", "--layout", "agent_left"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert list(out) == ["speakers"]
    speakers = out["speakers"]
    assert [(s["speaker"], s["channel"]) for s in speakers] == [("agent", 0), ("customer", 1)]
    for side, span in zip(speakers, (call.agent, call.customer), strict=True):
        assert set(side) == {"speaker", "channel", "text", "words"}
        assert side["words"], f"no words from the {side['speaker']}"
        for word in side["words"]:
            assert set(word) == {"word", "start", "end", "conf"}
            assert span[0] - 0.35 <= word["start"] <= word["end"] <= span[1] + 0.35
        assert side["text"] == " ".join(w["word"] for w in side["words"])
        samples, rate = sf.read(_channel(call, tmp_path, side["channel"] + 1), dtype="int16")
        assert [w["word"] for w in side["words"]] == raw_vosk_words(raw_model, samples, rate)


def test_the_channel_layout_names_the_speakers(
    call: Call, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_TELEPHONY", "asterisk")  # MixMonitor D: customer on the left
    assert main(["transcribe", str(call.path), "--json"]) == 0
    speakers = json.loads(capsys.readouterr().out)["speakers"]
    assert [(s["speaker"], s["channel"]) for s in speakers] == [("customer", 0), ("agent", 1)]
    assert speakers[0]["words"] and all(w["start"] < call.agent[1] + 0.35
                                        for w in speakers[0]["words"])  # fmt: skip


@pytest.mark.parametrize("broken", ["missing", "empty", "garbage"])
def test_a_missing_or_broken_model_is_one_clear_error(
    broken: str, call: Call, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    model = tmp_path / "model"
    if broken != "missing":
        (model / "conf").mkdir(parents=True)
        (model / "am").mkdir()
    if broken == "garbage":
        (model / "conf" / "model.conf").write_text("--beam=10\n")
        (model / "am" / "final.mdl").write_bytes(b"not a model")
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_VOSK_MODEL", str(model))
    monkeypatch.setenv("XUBAO_LANG", "en")
    assert main(["transcribe", str(call.path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"speech model unusable at {model}" in err
    assert "XUBAO_VOSK_MODEL" in err


def test_a_file_that_is_not_stereo_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    mono = tmp_path / "mono.wav"
    subprocess.run(["sox", "-n", "-r", "8000", "-c", "1", "-b", "16", str(mono), "trim", "0", "1"],
                   check=True)  # fmt: skip
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_LANG", "en")
    assert main(["transcribe", str(mono)]) == 2
    assert "1 channels, expected 2" in capsys.readouterr().err
