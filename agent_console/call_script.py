"""The renewal call script: steps as data (a TOML file), filled in with the customer's fields.

Each step's text is a Jinja template rendered in a sandbox with autoescape on, so a customer's
name or a note can never become markup; the result is safe HTML for the page.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from jinja2.sandbox import SandboxedEnvironment

from renewals.i18n import normalise_language

__all__ = ["CallScript", "ScriptError", "ScriptStep", "load_script"]


class ScriptError(ValueError):
    """The script file is missing a language, a title or its steps (the message says which)."""


@dataclass(frozen=True, slots=True)
class ScriptStep:
    title: str
    html: str  # the template's markup with every field escaped (autoescape)


@dataclass(frozen=True, slots=True)
class _Language:
    title: str
    constants: dict[str, str]  # company, gifts: the file's own values
    steps: tuple[tuple[str, str], ...]  # (title, template source)


class CallScript:
    """One script in every language of the file; ``render`` fills it for one customer."""

    def __init__(self, languages: dict[str, _Language]) -> None:
        self._languages = languages
        self._env = SandboxedEnvironment(autoescape=True)

    def render(self, language: str, fields: dict[str, object]) -> tuple[str, list[ScriptStep]]:
        """The title and the steps in ``language`` (zh_CN if the file lacks it)."""
        script = self._languages.get(normalise_language(language)) or self._languages["zh_CN"]
        values = {**script.constants, **fields}
        steps = [
            ScriptStep(title, self._env.from_string(source).render(values))
            for title, source in script.steps
        ]
        return script.title, steps

    def constant(self, language: str, name: str) -> str:
        """One of the file's own values (``gifts``, ``company``) in ``language``; "" if unset."""
        script = self._languages.get(normalise_language(language)) or self._languages["zh_CN"]
        return script.constants.get(name, "")


def load_script(path: Path) -> CallScript:
    """Read and check a script file; raises :class:`ScriptError` (or ``OSError``)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScriptError(f"{path}: {exc}") from exc
    if "zh_CN" not in data:
        raise ScriptError(f"{path}: the default language zh_CN is missing")
    languages: dict[str, _Language] = {}
    for language, section in data.items():
        steps = section.get("steps") if isinstance(section, dict) else None
        if not isinstance(steps, list) or not steps:
            raise ScriptError(f"{path}: [{language}] has no steps")
        try:
            parsed = tuple((str(s["title"]), str(s["text"])) for s in steps)
        except (KeyError, TypeError) as exc:
            raise ScriptError(f"{path}: [{language}] every step needs a title and a text") from exc
        constants = {k: str(v) for k, v in section.items() if k not in ("steps", "title")}
        languages[language] = _Language(str(section.get("title", "")), constants, parsed)
    return CallScript(languages)
