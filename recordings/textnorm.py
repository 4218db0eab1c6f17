"""Text as search and checks compare it: no whitespace, case folded.

Chinese is written without spaces but Vosk's Chinese models put a space between words, so a
phrase typed by a person ("车险续保") must match a transcript's "车险 续保": both sides drop
every space.
"""

from __future__ import annotations

__all__ = ["squash"]


def squash(text: str) -> str:
    return "".join(text.split()).casefold()
