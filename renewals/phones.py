"""Chinese mobile numbers: normalise what spreadsheets hold, validate, and mask for display.

Agents never see a full number (the playbook's privacy rule); logs use ``mask_phone`` too: it
is the one mask of the code base (consoles, CLI, logs of every part).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["InvalidPhone", "mask_phone", "normalise_phone"]

# Mainland mobile numbers: 11 digits starting 1[3-9] (MIIT numbering plan).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）.]")


class InvalidPhone(ValueError):
    """The value is not a Chinese mobile number; the message says why."""


def normalise_phone(raw: object) -> str:
    """Return the 11-digit mobile number in ``raw`` or raise :class:`InvalidPhone`.

    Accepts full-width digits, spaces, dashes, a ``+86``/``0086``/``86`` prefix, and numbers that a
    spreadsheet stored as floats (``13812345678.0``).
    """
    if raw is None:
        raise InvalidPhone("empty")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise InvalidPhone(f"not a phone number: {raw!r}")
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    if not text:
        raise InvalidPhone("empty")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a number cell read back as text
    text = _SEPARATORS.sub("", text)
    for prefix in ("+86", "0086", "86"):
        if text.startswith(prefix) and len(text) == len(prefix) + 11:
            text = text[len(prefix) :]
            break
    if not text.isdigit():
        raise InvalidPhone(f"contains non-digits: {mask_phone(text)}")
    if not _MOBILE.match(text):
        raise InvalidPhone(f"not an 11-digit mobile number starting 13-19: {mask_phone(text)}")
    return text


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; shorter values keep only their last two characters.

    From 11 characters (mobiles, landlines with area code, ``+86…``) at least four digits stay
    hidden; a shorter one (an extension, a test number like ``5551001``) would show nearly all
    of itself that way, so it keeps only its last two.
    """
    if len(phone) >= 11:
        return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
    return "*" * max(len(phone) - 2, 0) + phone[-2:]
