"""Automatic checks of a transcribed call, with the rules as data (``qa_check_rules``).

Kinds and their parameters (JSON):
- ``greeting``: ``phrases`` (any one of them) and ``company`` (every one of them) said by the
  agent within ``within_s`` seconds (default 30) of the start;
- ``forbidden``: none of ``phrases`` said by the agent;
- ``talk_share``: the agent's share of talk time in ``min_pct``..``max_pct``;
- ``longest_silence``: no silence (neither side talking) longer than ``max_s``.
Phrases are compared with whitespace removed and case folded, as transcript search does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from recordings.errors import QaError
from recordings.models import Speaker, Transcript
from recordings.qa.models import CheckKind, QaCheckResult, QaCheckRule
from recordings.textnorm import squash

__all__ = ["CallFacts", "Verdict", "evaluate", "run_checks"]


@dataclass(frozen=True)
class CallFacts:
    """What the checks need from a transcript: the agent's words with start times (seconds)."""

    agent_words: Sequence[tuple[str, float]]
    agent_talk_ms: int
    customer_talk_ms: int
    longest_silence_ms: int


@dataclass(frozen=True)
class Verdict:
    passed: bool
    detail: str


def _strings(params: Mapping[str, object], key: str) -> list[str]:
    value = params.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise QaError(f"check parameter {key!r} must be a list of strings")
    return [squash(v) for v in value]


def _number(params: Mapping[str, object], key: str, default: float) -> float:
    value = params.get(key, default)
    if not isinstance(value, int | float):
        raise QaError(f"check parameter {key!r} must be a number")
    return float(value)


def evaluate(kind: CheckKind, params: Mapping[str, object], facts: CallFacts) -> Verdict:
    if kind is CheckKind.GREETING:
        within = _number(params, "within_s", 30)
        said = squash("".join(w for w, start in facts.agent_words if start <= within))
        greeted = any(p in said for p in _strings(params, "phrases"))
        missing = [c for c in _strings(params, "company") if c not in said]
        ok = greeted and not missing
        return Verdict(ok, f"greeted={greeted} company_missing={missing} within={within:g}s")
    if kind is CheckKind.FORBIDDEN:
        said = squash("".join(w for w, _ in facts.agent_words))
        found = [p for p in _strings(params, "phrases") if p and p in said]
        return Verdict(not found, f"said={found}")
    if kind is CheckKind.TALK_SHARE:
        total = facts.agent_talk_ms + facts.customer_talk_ms
        share = 100.0 * facts.agent_talk_ms / total if total else 0.0
        low, high = _number(params, "min_pct", 0), _number(params, "max_pct", 100)
        return Verdict(low <= share <= high, f"agent_share={share:.1f}% range={low:g}..{high:g}")
    limit = _number(params, "max_s", 10)
    longest = facts.longest_silence_ms / 1000
    return Verdict(longest <= limit, f"longest_silence={longest:.1f}s max={limit:g}s")


def _facts(transcript: Transcript) -> CallFacts:
    sides = {s.speaker: s for s in transcript.speakers}
    agent = sides.get(Speaker.AGENT)
    customer = sides.get(Speaker.CUSTOMER)
    words = [(str(w["word"]), float(w["start"])) for w in (agent.words if agent else [])]  # type: ignore[arg-type]
    return CallFacts(
        agent_words=words,
        agent_talk_ms=agent.talk_ms if agent else 0,
        customer_talk_ms=customer.talk_ms if customer else 0,
        longest_silence_ms=transcript.longest_silence_ms,
    )


def run_checks(session: Session, recording_id: int, now: datetime) -> list[QaCheckResult]:
    """Apply every active rule to the recording's transcript; results replace earlier ones."""
    transcript = session.get(Transcript, recording_id)
    if transcript is None:
        raise QaError(f"recording {recording_id} has no transcript yet")
    facts = _facts(transcript)
    session.execute(delete(QaCheckResult).where(QaCheckResult.recording_id == recording_id))
    results = []
    for rule in session.scalars(select(QaCheckRule).where(QaCheckRule.active.is_(True))):
        verdict = evaluate(rule.kind, rule.params, facts)
        results.append(
            QaCheckResult(
                recording_id=recording_id,
                rule_id=rule.id,
                passed=verdict.passed,
                detail=verdict.detail,
                checked_at=now,
            )
        )
    session.add_all(results)
    session.flush()
    return results
