"""The consoles' message catalogs (``agent_console/locale/<lang>/LC_MESSAGES/<domain>.po``).

One domain per console area (agent, supervisor floor, QA, reports) so each area keeps its own
file; a msgid is looked up in each in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from renewals.i18n import Catalog, normalise_language

__all__ = ["CATALOG", "CATALOGS", "gettext", "translator"]

_LOCALE = Path(__file__).parent / "locale"
CATALOG = Catalog(_LOCALE, "console")
CATALOGS = (
    CATALOG,
    Catalog(_LOCALE, "supervisor"),
    Catalog(_LOCALE, "qa"),
    Catalog(_LOCALE, "reports_pages"),
)


def gettext(message: str, language: str | None = None) -> str:
    lang = normalise_language(language)
    for catalog in CATALOGS:
        text = catalog.gettext(message, lang)
        if text != message:
            return text
    return message


def translator(language: str | None) -> Callable[[str], str]:
    """``_`` for one language: the English msgid in, the language's text out."""
    lang = normalise_language(language)
    return lambda message: gettext(message, lang)
