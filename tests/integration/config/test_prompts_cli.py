"""`xubao prompts make`: the dialplan's prompts rendered with espeak-ng and sox (issue 9)."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from config.cli import main
from config.prompts import PROMPT_TEXTS, prompt_text
from renewals.i18n import Catalog

LOCALE = Path(__file__).resolve().parents[3] / "config" / "locale"


@pytest.fixture(autouse=True)
def _no_config_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_prompts_make_writes_8khz_mono_wavs(
    lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / lang
    argv = ["prompts", "make", "--lang", lang, "--out", str(out)]
    assert main([*argv, "--company", "续保保险", "--callback", "4008001234"]) == 0
    printed = capsys.readouterr().out.split()
    assert sorted(Path(p).name for p in printed) == sorted(f"{n}.wav" for n in PROMPT_TEXTS)
    for name in PROMPT_TEXTS:
        with wave.open(str(out / f"{name}.wav")) as wav:
            assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2)
            assert wav.getnframes() / 8000 > 2.0  # a spoken sentence, not an empty file


def test_prompt_words_are_in_both_languages() -> None:
    assert not Catalog(LOCALE, "prompts").missing(list(PROMPT_TEXTS.values()), "zh_CN")
    zh = prompt_text("xubao-safe-message", language="zh_CN", company="续保", callback="4008001234")
    en = prompt_text("xubao-safe-message", language="en", company="Xubao", callback="4008001234")
    assert "按9" in zh and "4 0 0 8 0 0 1 2 3 4" in zh
    assert "press 9" in en and en.startswith("Hello, this is Xubao")


def test_a_bad_callback_number_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["prompts", "make", "--out", str(tmp_path), "--company", "续保", "--callback", "call us"]
    assert main(argv) == 2
    assert "--callback" in capsys.readouterr().out
    assert not list(tmp_path.iterdir())
