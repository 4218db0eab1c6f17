"""Every word the consoles show has its Chinese text (the default language)."""

from __future__ import annotations

import re
from pathlib import Path

import agent_console
from agent_console.models import Role
from agent_console.routes.agent import SCRIPT_TEXTS
from agent_console.texts import CATALOG, translator

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
    found: list[str] = list(SCRIPT_TEXTS) + [r.value for r in Role]
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
    assert CATALOG.missing(messages, "zh_CN") == []
    assert "Outside calling hours in the customer's time zone." in messages  # a refusal
    assert "Kept for me" in messages  # a word of agent_work.js


def test_english_is_the_msgid_or_a_readable_word() -> None:
    _ = translator("en")
    assert _("Dial") == "Dial"
    assert _("wrap_up") == "Wrap-up"
    assert translator(None)("wrap_up") == "话后处理"  # Chinese unless English is chosen
