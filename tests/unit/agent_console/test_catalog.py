"""Every word the consoles show has its Chinese text (the default language)."""

from __future__ import annotations

import re
from pathlib import Path

import agent_console
from agent_console.models import Role
from agent_console.routes.agent import SCRIPT_TEXTS
from agent_console.routes.reports import SCRIPT_TEXTS as REPORT_TEXTS
from agent_console.routes.supervisor import SCRIPT_TEXTS as SUPERVISOR_TEXTS
from agent_console.texts import CATALOG, CATALOGS, gettext, translator
from renewals.i18n import Catalog

ROOT = Path(agent_console.__file__).parent
CONFIG = ROOT.parents[0] / "config"
SOURCES = [*ROOT.rglob("*.py"), CONFIG / "commands/user.py", CONFIG / "commands/serve.py",
           CONFIG / "demo_console.py"]  # fmt: skip
# The domain's refusals the agent reads (their English message is a console msgid).
REFUSALS = [
    ROOT.parents[0] / "renewals/agent_leads.py",
    ROOT.parents[0] / "dialer/runtime/runtime.py",
]


def _msgids() -> list[str]:
    found: list[str] = [*SCRIPT_TEXTS, *SUPERVISOR_TEXTS, *REPORT_TEXTS, *(r.value for r in Role)]
    for template in (ROOT / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        found += re.findall(r'_\("([^"]+)"\)', text)
        found += re.findall(r"_\('([^']+)'\)", text)
        for listed in re.findall(r"work_msgids = \[(.*?)\]", text, re.S):  # agent_work.js's
            found += re.findall(r'"([^"]+)"', listed)
    for source in REFUSALS:
        found += re.findall(
            r'ManualDialRefused\(\s*\w+,\s*"[^"]+",\s*"([^"]+)"', source.read_text(encoding="utf-8")
        )
    for source in SOURCES:
        text = source.read_text(encoding="utf-8")
        found += re.findall(r'_\("([^"]+)"\)', text)
        found += re.findall(r'SeatProblem\(\s*"([^"]+)"', text)
        found += re.findall(r'super\(\).__init__\("([^"]+)"', text)
    return sorted(set(found))


def test_every_message_has_its_chinese_text() -> None:
    messages = _msgids()
    assert len(messages) > 100
    # Each area keeps its own domain; a message is translated if any domain has it.
    assert [m for m in messages if gettext(m, "zh_CN") == m] == []
    assert "Outside calling hours in the customer's time zone." in messages  # a refusal
    assert "Kept for me" in messages  # a word of agent_work.js


def test_the_supervisor_domain_holds_the_supervisor_page_words() -> None:
    supervisor = next(c for c in CATALOGS if c is not CATALOG)
    assert supervisor.missing(["Listen", "Whisper", "Barge", "Dial level"], "zh_CN") == []
    assert CATALOG.missing(["Listen"], "zh_CN") == ["Listen"]  # not in the agents' domain


def test_english_is_the_msgid_or_a_readable_word() -> None:
    _ = translator("en")
    assert _("Dial") == "Dial"
    assert _("wrap_up") == "Wrap-up"
    assert translator(None)("wrap_up") == "话后处理"  # Chinese unless English is chosen


def test_the_report_pages_words_are_in_their_own_domain() -> None:
    pages = [Catalog(ROOT / "locale", "reports_pages")]
    template = (ROOT / "templates" / "reports.html").read_text(encoding="utf-8")
    words = sorted(set(re.findall(r'_\("([^"]+)"\)', template)) | set(REPORT_TEXTS))
    assert [w for w in words if all(c.missing([w], "zh_CN") for c in pages)] == []
    assert translator("en")("Seat ranking") == "Seat ranking"
    assert translator(None)("Seat ranking") == "坐席排名"
