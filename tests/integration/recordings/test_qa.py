"""QA on both databases: sampled queue, one reviewer per call, scoring, disputes, calibration,
automatic checks as data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from recordings.errors import QaError
from recordings.qa.checks import run_checks
from recordings.qa.models import (
    CheckKind,
    QaCheckRule,
    QaQueueEntry,
    QaSamplingRule,
    ReviewStatus,
)
from recordings.qa.sampling import claim_next, in_sample, release, sample_for_review
from recordings.qa.scorecards import (
    Answer,
    acknowledge,
    calibration_spread,
    create_template,
    dispute,
    score_call,
)
from tests.integration.recordings.support import CALL_START, recording_row, transcript_row

NOW = CALL_START + timedelta(days=1)
ITEMS = [("问候并报公司名", 10, False), ("核对车辆信息", 20, False), ("未误导客户", 0, True)]


def test_sampling_by_outcome_and_one_reviewer_per_call(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        s.add_all(
            [
                QaSamplingRule(outcome="agreed", rate_pct=100),
                QaSamplingRule(outcome="declined", rate_pct=0),
            ]
        )
        won = recording_row(s, outcome="agreed")
        lost = recording_row(s, outcome="declined")
        sample_for_review(s, won)
        sample_for_review(s, lost)
    with session_factory.begin() as s:
        entries = s.scalars(select(QaQueueEntry)).all()
        assert [(e.recording_id, e.reason) for e in entries] == [(won.id, "agreed")]
        first = claim_next(s, "qa1", NOW)
        assert first is not None and first.claimed_by == "qa1"
        assert claim_next(s, "qa2", NOW) is None  # the only call is held by qa1
        assert claim_next(s, "qa1", NOW) == first  # qa1 still holds it
        assert not release(s, first.id, "qa2") and release(s, first.id, "qa1")
        again = claim_next(s, "qa2", NOW)
        assert again is not None and again.claimed_by == "qa2"


def test_sampling_rate_is_a_stable_share() -> None:
    picked = sum(in_sample(f"call-{n}", 20) for n in range(5000))
    assert 850 < picked < 1150
    assert all(in_sample(f"call-{n}", 100) for n in range(100))
    assert not any(in_sample(f"call-{n}", 0) for n in range(100))


def test_score_dispute_rescore_and_acknowledge(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        template = create_template(
            s, name="续保标准", passing_score=25, items=ITEMS, by="admin", now=NOW
        )
        rec = recording_row(s, agent="a1")
        s.add(QaQueueEntry(recording_id=rec.id, reason="agreed", queued_at=NOW))
        s.flush()
        entry = claim_next(s, "qa1", NOW)
        assert entry is not None
        ids = [i.id for i in template.items]
        with pytest.raises(QaError):  # points over the item's maximum
            score_call(
                s,
                recording_id=rec.id,
                template_id=template.id,
                reviewer="qa1",
                answers={ids[0]: Answer(11), ids[1]: Answer(0), ids[2]: Answer(0)},
                comment="",
                now=NOW,
                entry_id=entry.id,
            )
        review = score_call(
            s,
            recording_id=rec.id,
            template_id=template.id,
            reviewer="qa1",
            answers={
                ids[0]: Answer(10),
                ids[1]: Answer(20),
                ids[2]: Answer(0, failed=True, comment="承诺返现"),
            },
            comment="误导",
            now=NOW,
            entry_id=entry.id,
        )
        assert (review.score, review.max_score, review.instant_failed, review.passed) == (
            30,
            30,
            True,
            False,
        )
        with pytest.raises(QaError):
            dispute(s, review.id, agent="a2", comment="不是我的", now=NOW)
        back = dispute(s, review.id, agent="a1", comment="没有承诺返现", now=NOW)
        assert back.disputed_review_id == review.id
        taken = claim_next(s, "qa2", NOW)
        assert taken is not None and taken.id == back.id
        second = score_call(
            s,
            recording_id=rec.id,
            template_id=template.id,
            reviewer="qa2",
            answers={ids[0]: Answer(10), ids[1]: Answer(15), ids[2]: Answer(0)},
            comment="复核",
            now=NOW,
            entry_id=back.id,
        )
        assert second.passed and review.status is ReviewStatus.RESCORED
        acknowledge(s, second.id, agent="a1", now=NOW)
        assert second.status is ReviewStatus.ACKNOWLEDGED
        with pytest.raises(QaError):
            dispute(s, second.id, agent="a1", comment="again", now=NOW)


def test_calibration_spread(session_factory: sessionmaker[Session]) -> None:
    with session_factory.begin() as s:
        template = create_template(s, name="t", passing_score=10, items=ITEMS, by="admin", now=NOW)
        rec = recording_row(s)
        ids = [i.id for i in template.items]
        for reviewer, points in (("qa1", (10, 20)), ("qa2", (10, 10)), ("qa3", (5, 20))):
            score_call(
                s,
                recording_id=rec.id,
                template_id=template.id,
                reviewer=reviewer,
                answers={ids[0]: Answer(points[0]), ids[1]: Answer(points[1]), ids[2]: Answer(0)},
                comment="",
                now=NOW,
                calibration=True,
            )
        spread = calibration_spread(s, rec.id, template.id)
    assert spread.reviewers == ["qa1", "qa2", "qa3"] and spread.scores == [30, 20, 25]
    assert (spread.low, spread.high) == (20, 30) and spread.items_disagreeing == ids[:2]
    assert round(spread.stdev, 2) == 4.08


def test_automatic_checks_follow_the_rules_in_the_table(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        s.add_all(
            [
                QaCheckRule(
                    name="greeting",
                    kind=CheckKind.GREETING,
                    params={"phrases": ["您好"], "company": ["平安车险"], "within_s": 30},
                ),
                QaCheckRule(
                    name="forbidden", kind=CheckKind.FORBIDDEN, params={"phrases": ["保证 返现"]}
                ),
                QaCheckRule(
                    name="share", kind=CheckKind.TALK_SHARE, params={"min_pct": 40, "max_pct": 70}
                ),
                QaCheckRule(name="silence", kind=CheckKind.LONGEST_SILENCE, params={"max_s": 3}),
            ]
        )
        good = recording_row(s)
        transcript_row(s, good, [("您好", 1.0), ("平安", 2.0), ("车险", 2.5)])
        late = recording_row(s)
        transcript_row(
            s,
            late,
            [("喂", 1.0), ("您好", 31.0), ("平安车险", 32.0), ("保证", 40.0), ("返现", 40.5)],
        )
        s.flush()
        results = {
            rid: {r.rule_id: r.passed for r in run_checks(s, rid, NOW)}
            for rid in (good.id, late.id)
        }
        rules = {r.name: r.id for r in s.scalars(select(QaCheckRule))}
    assert results[good.id] == {
        rules["greeting"]: True,
        rules["forbidden"]: True,
        rules["share"]: False,
        rules["silence"]: False,
    }
    assert results[late.id][rules["greeting"]] is False
    assert results[late.id][rules["forbidden"]] is False
