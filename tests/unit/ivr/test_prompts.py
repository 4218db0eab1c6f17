"""Every prompt the flows can play has its text in both languages; missing audio is listed."""

from __future__ import annotations

from pathlib import Path

from ivr.flow import load_flows, shipped_flows_dir
from ivr.prompt_check import IVR_LANGUAGES, missing_audio, missing_texts, prompt_texts


def test_every_needed_prompt_has_a_text_in_each_language() -> None:
    flows = load_flows(shipped_flows_dir()).values()
    for language in IVR_LANGUAGES:
        assert missing_texts(flows, language) == [], language
    assert prompt_texts("zh_CN")["digits/7"] == "七"
    assert prompt_texts("en")["months/5"] == "May"


def test_missing_audio_lists_language_and_file(tmp_path: Path) -> None:
    flows = list(load_flows(shipped_flows_dir()).values())
    missing = missing_audio(flows, tmp_path, ["zh_CN"])
    assert "zh_CN/xubao/welcome.wav" in missing and "zh_CN/digits/7.wav" in missing
    (tmp_path / "zh_CN" / "xubao").mkdir(parents=True)
    (tmp_path / "zh_CN" / "xubao" / "welcome.wav").write_bytes(b"RIFF")
    assert "zh_CN/xubao/welcome.wav" not in missing_audio(flows, tmp_path, ["zh_CN"])
