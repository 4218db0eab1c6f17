"""The consoles' message catalog (``agent_console/locale/<lang>/LC_MESSAGES/console.po``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from renewals.i18n import Catalog, normalise_language

__all__ = ["CATALOG", "translator"]

CATALOG = Catalog(Path(__file__).parent / "locale", "console")


def translator(language: str | None) -> Callable[[str], str]:
    """``_`` for one language: the English msgid in, the language's text out."""
    lang = normalise_language(language)
    return lambda message: CATALOG.gettext(message, lang)
