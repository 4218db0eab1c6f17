"""Message catalogs for words shown to people: gettext ``.po`` files, ``zh_CN`` first, ``en``.

Each part keeps its own catalog folder (``<part>/locale/<lang>/LC_MESSAGES/<domain>.po``), so
parts never edit one shared file. Messages are written in English in the code (the msgid); the
``zh_CN`` catalog gives the Chinese shown by default. The ``.po`` files are read at run time with
Babel and compiled in memory, so no build step is needed. A message missing from a catalog
falls back to its English msgid (never to an error).
"""

from __future__ import annotations

import gettext
import io
import os
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "Catalog",
    "environment_language",
    "normalise_language",
]

DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")


def normalise_language(value: str | None) -> str:
    """``zh-CN``, ``zh_CN.UTF-8`` → ``zh_CN``; ``en-US`` → ``en``; anything else → the default."""
    if not value:
        return DEFAULT_LANGUAGE
    tag = value.split(".", 1)[0].replace("-", "_").lower()
    if tag.startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


@cache
def _load(directory: str, domain: str, language: str) -> gettext.NullTranslations:
    path = Path(directory) / language / "LC_MESSAGES" / f"{domain}.po"
    if not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=domain)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Catalog:
    """One part's messages; ``gettext(msgid, language)`` gives the text for that language."""

    def __init__(self, directory: Path, domain: str) -> None:
        self._directory, self._domain = str(directory), domain

    def gettext(self, message: str, language: str | None = None) -> str:
        lang = normalise_language(language)
        return _load(self._directory, self._domain, lang).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, language: str | None = None) -> str:
        lang = normalise_language(language)
        return _load(self._directory, self._domain, lang).ngettext(singular, plural, n)

    def missing(self, messages: list[str], language: str = DEFAULT_LANGUAGE) -> list[str]:
        """The msgids of ``messages`` the catalog does not translate (for the catalog tests)."""
        translations = _load(self._directory, self._domain, normalise_language(language))
        return [m for m in messages if translations.gettext(m) == m]


def environment_language() -> str:
    """The language asked for by ``XUBAO_LANG`` or ``LANG`` (the CLI's default), else zh_CN."""
    return normalise_language(os.environ.get("XUBAO_LANG") or os.environ.get("LANG"))
