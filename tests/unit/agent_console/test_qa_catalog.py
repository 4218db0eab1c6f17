"""The QA pages' words are in the ``qa`` domain, in Chinese (the default) and readable English."""

from __future__ import annotations

import re
from pathlib import Path

import agent_console
from agent_console.routes import qa, qa_admin, qa_mine
from agent_console.texts import CATALOGS, translator
from recordings.models import Speaker
from recordings.qa.models import CheckKind, ReviewStatus

ROOT = Path(agent_console.__file__).parent
QA_DOMAIN = next(c for c in CATALOGS if c._domain == "qa")


def _qa_msgids() -> list[str]:
    found: set[str] = set()
    for template in (ROOT / "templates").glob("qa*.html"):
        text = template.read_text(encoding="utf-8")
        found |= set(re.findall(r'_\("([^"]+)"\)', text))
        found |= set(re.findall(r"_\('([^']+)'\)", text))
    for module in (qa, qa_admin, qa_mine):
        found |= set(module.NOTES.values())
    # Words the templates translate from data: check kinds, review states, speakers.
    found |= {k.value for k in CheckKind} | {s.value for s in ReviewStatus}
    found |= {s.value for s in Speaker}
    return sorted(found)


def test_every_qa_word_has_its_chinese_text() -> None:
    messages = _qa_msgids()
    assert len(messages) > 80
    chinese = translator("zh_CN")
    assert [m for m in messages if chinese(m) == m] == []
    # The area's own words live in its own file, not in the agent page's catalog.
    assert QA_DOMAIN.missing(["Calls to review", "Scorecard", "talk_share"]) == []


def test_english_reads_as_english() -> None:
    _ = translator("en")
    assert _("Calls to review") == "Calls to review"
    assert _("talk_share") == "Talk share"
    assert translator(None)("Scorecard") == "评分表"
