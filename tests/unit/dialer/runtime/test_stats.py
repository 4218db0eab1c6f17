"""The pacer's statistics: fates counted when known, talk time not biased to short calls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dialer.calls.states import Outcome
from dialer.runtime.stats import CallStats, fate_of
from dialer.telephony.events import AnswerKind, CallAnswered, CallBusy, CallRinging

T0 = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)


def test_a_persons_answer_counts_at_once_not_when_the_talk_ends() -> None:
    stats = CallStats(calls=100, recent_window_s=900)
    for _ in range(7):
        stats.fate_known(Outcome.NO_ANSWER)
    for _ in range(3):
        stats.fate_known(Outcome.COMPLETED, ring_s=8.0)  # still talking: no call_ended yet
    s = stats.outcome_stats()
    assert (s.attempts, s.human_rate, s.no_answer_rate) == (10, 0.3, 0.7)


def test_talk_time_counts_the_conversations_still_going() -> None:
    stats = CallStats(calls=100, recent_window_s=900)
    for talk in (20.0, 25.0, 30.0, 35.0, 40.0):  # the short ones ended first
        stats.call_ended(Outcome.COMPLETED, at=T0, talk_s=talk)
    plain = stats.outcome_stats()
    with_ongoing = stats.outcome_stats(ongoing_talk_s=[100.0] * 5)
    assert plain.talk.mean_s == 30.0
    assert with_ongoing.talk.mean_s == (150.0 + 500.0) / 5


def test_a_call_ending_refreshes_the_cached_statistics() -> None:
    stats = CallStats(calls=100, recent_window_s=900)
    assert stats.outcome_stats().attempts == 0
    stats.fate_known(Outcome.BUSY)
    assert stats.outcome_stats().attempts == 1
    stats.call_ended(Outcome.ABANDONED, at=T0, talk_s=None)
    assert stats.rolling.abandoned == 1 and stats.recent(T0 + timedelta(seconds=1)).abandoned == 1


def test_fate_of_reads_answers_and_failures_only() -> None:
    answered = CallAnswered(call_id="c", at=T0 + timedelta(seconds=9), kind=AnswerKind.HUMAN)
    assert fate_of(answered, dialed_at=T0) == (Outcome.COMPLETED, 9.0)
    machine = CallAnswered(call_id="c", at=T0, kind=AnswerKind.MACHINE)
    assert fate_of(machine, dialed_at=T0) == (Outcome.MACHINE, 0.0)
    assert fate_of(CallAnswered(call_id="c", at=T0), dialed_at=T0) is None  # AMD not done
    assert fate_of(CallBusy(call_id="c", at=T0), dialed_at=T0) == (Outcome.BUSY, None)
    assert fate_of(CallRinging(call_id="c", at=T0), dialed_at=T0) is None
