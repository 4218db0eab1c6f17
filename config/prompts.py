"""The dialplan's prompts: their words (message catalogs) and a first rendering with espeak-ng.

The words live in ``config/locale/<lang>/LC_MESSAGES/prompts.po`` (msgid = English,
``zh_CN`` = Chinese), with ``{company}`` and ``{callback}`` filled in per deployment. espeak-ng
speaks them and sox makes what Asterisk plays best: 8 kHz, mono, 16-bit WAV. A synthetic voice
is a first version; a recorded voice under the same names replaces it.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from renewals.i18n import Catalog, normalise_language

__all__ = ["PROMPT_TEXTS", "PromptError", "prompt_text", "render_prompts"]

_LOCALE = Path(__file__).resolve().parent / "locale"
_CATALOG = Catalog(_LOCALE, "prompts")
_VOICES = {"zh_CN": "cmn", "en": "en"}
_CALLBACK = re.compile(r"^\+?[0-9]{3,20}$")

# The prompt names of extensions.conf [globals] (custom/<name>) and their words (msgids).
PROMPT_TEXTS = {
    "xubao-safe-message": (
        "Hello, this is {company} about your car insurance renewal. No advisor is free right "
        "now, so we will call you again later, or you can call us back on {callback}. "
        "To stop these calls, press 9 now."
    ),
    "xubao-optout-confirmed": (
        "Thank you. Your number has been removed and {company} will not call you again. Goodbye."
    ),
    "xubao-machine-message": (
        "Hello, this is {company} about your car insurance renewal. "
        "Please call us back on {callback}. Thank you."
    ),
}


class PromptError(Exception):
    """A prompt cannot be made as asked (bad input, or espeak-ng/sox failed)."""


@dataclass(frozen=True, slots=True)
class _Fill:
    company: str
    callback: str


def prompt_text(name: str, *, language: str, company: str, callback: str) -> str:
    """The words of prompt ``name`` in ``language``; the number is spoken digit by digit."""
    if not company.strip():
        raise PromptError("--company: give the company name the customer will hear")
    if not _CALLBACK.match(callback):
        raise PromptError(f"--callback: {callback!r} is not a phone number (digits, optional +)")
    spoken = " ".join(callback.lstrip("+"))
    template = _CATALOG.gettext(PROMPT_TEXTS[name], normalise_language(language))
    return template.format(company=company.strip(), callback=spoken)


def _run(argv: list[str]) -> None:
    try:
        subprocess.run(argv, check=True, capture_output=True, timeout=60)
    except FileNotFoundError:
        raise PromptError(f"{argv[0]} is not installed (Debian package: {argv[0]})") from None
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip()
        raise PromptError(f"{argv[0]} failed: {detail}") from None


def render_prompts(out: Path, *, language: str, company: str, callback: str) -> list[Path]:
    """Write ``<out>/<name>.wav`` for every prompt (8 kHz mono 16-bit); returns the files."""
    lang = normalise_language(language)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="xubao-prompts-") as tmp:
        for name in PROMPT_TEXTS:
            text = prompt_text(name, language=lang, company=company, callback=callback)
            raw = Path(tmp) / f"{name}.wav"
            _run(["espeak-ng", "-v", _VOICES[lang], "-s", "150", "-w", str(raw), text])
            target = out / f"{name}.wav"
            _run(["sox", str(raw), "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer",
                  str(target)])  # fmt: skip
            written.append(target)
    return written
