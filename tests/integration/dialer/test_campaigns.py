"""Campaign life cycle rules on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.errors import CampaignError
from dialer.models import Campaign, CampaignMode, CampaignStatus

NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


def _spec(**kw: object) -> CampaignSpec:
    values: dict[str, object] = {"id": "q4", "name": "续保", "mode": CampaignMode.PROGRESSIVE}
    values.update(kw)
    return CampaignSpec(queue="renewals", **values)  # type: ignore[arg-type]


def test_a_campaign_without_a_caller_id_cannot_start_item11(
    session_factory: sessionmaker[Session],
) -> None:
    # Issue 9 item 11: it would dial as "Anonymous" <sip:anonymous@anonymous.invalid>.
    with session_factory.begin() as s:
        create_campaign(s, _spec(), now=NOW)  # a draft may still lack one
    with session_factory() as s, pytest.raises(CampaignError) as refused:
        set_campaign_status(s, "q4", CampaignStatus.RUNNING, now=NOW)
    assert refused.value.field == "caller_ids"
    assert "caller ID" in str(refused.value)
    with session_factory() as s:
        campaign = s.get(Campaign, "q4")
        assert campaign is not None and campaign.status is CampaignStatus.DRAFT
    with session_factory.begin() as s:
        create_campaign(s, _spec(id="q5", caller_ids=("02150001001",)), now=NOW)
        assert set_campaign_status(s, "q5", CampaignStatus.RUNNING, now=NOW).status is (
            CampaignStatus.RUNNING
        )


@pytest.mark.parametrize("number", ['"Campaign 42" <5550100>', "021-5000", "", "12"])
def test_a_caller_id_must_be_a_phone_number_item11(
    session_factory: sessionmaker[Session], number: str
) -> None:
    with session_factory() as s, pytest.raises(CampaignError) as refused:
        create_campaign(s, _spec(caller_ids=(number,)), now=NOW)
    assert refused.value.field == "caller_ids"
