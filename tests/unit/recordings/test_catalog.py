"""Every message the recordings CLI shows has its Chinese text, and English is the msgid."""

from __future__ import annotations

import re
from pathlib import Path

import recordings
from recordings.upkeep import Problem
from renewals.i18n import Catalog

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [
    "config/commands/recordings.py",
    "config/transcribing.py",
    "config/commands/models.py",
]


def _messages() -> list[str]:
    found = []
    for name in SOURCES:
        text = (ROOT / name).read_text()
        found += re.findall(r'say\(\s*"([^"]+)"', text)
        found += re.findall(r'template = "([^"]+)"', text)
    return sorted(set(found)) + [p.value for p in Problem] + ["agent", "customer"]


def test_every_cli_message_is_translated() -> None:
    catalog = Catalog(Path(recordings.__file__).parent / "locale", "recordings")
    messages = _messages()
    assert len(messages) > 10
    assert catalog.missing(messages) == []
    assert catalog.gettext("error: {error}", "en") == "error: {error}"
