"""Every word the reports show has its Chinese in ``reports/locale``."""

from __future__ import annotations

from config.commands.report import MESSAGES
from config.commands.report_output import WRITTEN
from reports.i18n import catalog
from reports.tables import HEADERS


def test_every_message_is_translated_to_chinese() -> None:
    assert catalog().missing([*HEADERS, *MESSAGES, WRITTEN], "zh_CN") == []


def test_english_is_the_msgid() -> None:
    assert catalog().gettext("Renewal rate", "en") == "Renewal rate"
    assert catalog().gettext("Renewal rate", "zh_CN") == "续保率"
