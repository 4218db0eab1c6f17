"""Words the ``xubao`` command line shows people, from its catalog (``config/locale/*/cli.po``).

Messages are written in English in the code (the msgid, with ``{name}`` placeholders); the
``zh_CN`` catalog gives the Chinese shown by default. ``--lang en`` or ``XUBAO_LANG=en`` picks
English. An error line carries both languages in the default (Chinese, then English), so a
message pasted into a bug report is read by everyone.
"""

from __future__ import annotations

from pathlib import Path

from renewals.i18n import Catalog, normalise_language

__all__ = ["KEYWORDS", "LOCALE_DIR", "N_", "Messages", "Phrase", "one_line"]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "cli"
# What marks a msgid in the code, for Babel's extractor (the catalog test lists them with it).
KEYWORDS = {
    "N_": None,
    "Phrase": None,
    "text": None,
    "error_line": None,
    "plural": (1, 2),
    "Failure": (2,),
}


def N_(msgid: str) -> str:
    """Marks ``msgid`` for the catalog where it is defined; it is translated where shown."""
    return msgid


def one_line(text: object) -> str:
    """``text`` with its line breaks and runs of spaces folded: an error is one line."""
    return " ".join(str(text).split())


class Phrase(str):
    """A parameter that is itself a msgid: translated with the message it fills."""

    __slots__ = ()


class Messages:
    """The CLI's messages in one language (``zh_CN`` or ``en``)."""

    def __init__(self, language: str | None) -> None:
        self.language = normalise_language(language)
        self._catalog = Catalog(LOCALE_DIR, DOMAIN)

    def text(self, msgid: str, **params: object) -> str:
        """``msgid`` in this language, its ``{placeholders}`` filled."""
        return self._catalog.gettext(msgid, self.language).format(**params)

    def plural(self, singular: str, plural: str, n: int, **params: object) -> str:
        template = self._catalog.ngettext(singular, plural, n, self.language)
        return template.format(n=n, **params)

    def error_line(self, msgid: str, **params: object) -> str:
        """``xubao: <Chinese> | <English>`` (English only with ``--lang en``), on one line."""
        english = msgid.format(**self._fill(params, "en"))
        if self.language == "en":
            return f"xubao: {english}"
        local = self._catalog.gettext(msgid, self.language).format(**self._fill(params))
        return f"xubao: {local} | {english}"

    def _fill(self, params: dict[str, object], language: str | None = None) -> dict[str, str]:
        lang = language or self.language
        return {
            name: one_line(
                self._catalog.gettext(value, lang) if isinstance(value, Phrase) else value
            )
            for name, value in params.items()
        }
