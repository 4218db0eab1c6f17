"""Creating campaigns with validated settings; moving them through their statuses."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy.orm import Session

from dialer.errors import CampaignError
from dialer.models import Campaign, CampaignMode, CampaignStatus

__all__ = ["MIN_RING_TIMEOUT_S", "CampaignSpec", "create_campaign", "set_campaign_status"]

log = logging.getLogger(__name__)

# The playbook: let it ring at least 15 s before giving up on no-answer.
MIN_RING_TIMEOUT_S = 15
# Regulatory ceiling for the abandoned-call rate (percent of live answers, rolling 30 days).
MAX_ABANDON_CAP_PCT = 3.0
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
# The dialplan routes answered calls with ``exten => _[a-z0-9].`` (config/asterisk/
# extensions.conf): a lower-case letter or digit, then at least one more character. Only
# letters, digits and '_' follow: Asterisk ignores '-' when it matches extensions.
_QUEUE = re.compile(r"^[a-z0-9][a-z0-9_]{1,39}$")
# A presentable number: what the carrier shows the customer (the Originate's CallerID).
_CALLER_ID = re.compile(r"^\+?[0-9]{3,20}$")

_ALLOWED_STATUS: dict[CampaignStatus, frozenset[CampaignStatus]] = {
    CampaignStatus.DRAFT: frozenset({CampaignStatus.RUNNING, CampaignStatus.STOPPED}),
    CampaignStatus.RUNNING: frozenset({CampaignStatus.PAUSED, CampaignStatus.STOPPED}),
    CampaignStatus.PAUSED: frozenset({CampaignStatus.RUNNING, CampaignStatus.STOPPED}),
    CampaignStatus.STOPPED: frozenset(),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class CampaignSpec:
    """What a supervisor sets up. Percent, seconds and counts as named."""

    id: str
    name: str
    mode: CampaignMode
    queue: str
    stages: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    owner: str | None = None
    abandon_cap_pct: float = MAX_ABANDON_CAP_PCT
    max_lines_per_agent: float = 3.0
    ring_timeout_s: int = 25
    wrap_up_limit_s: int = 60
    caller_ids: tuple[str, ...] = field(default_factory=tuple)
    caller_id_daily_cap: int = 300
    calling_start: str | None = None
    calling_end: str | None = None


def _validate(spec: CampaignSpec, allowed_hours: tuple[time, time] | None) -> None:
    def bad(field_name: str, message: str) -> CampaignError:
        return CampaignError(spec.id, f"{field_name}: {message}", field=field_name)

    if not _ID.match(spec.id):
        raise bad("id", "use 1-40 lowercase letters, digits, '-' or '_'")
    if not _QUEUE.match(spec.queue):
        raise bad(
            "queue",
            f"{spec.queue!r} cannot be routed by the dialplan (_[a-z0-9].): use 2-40 "
            "lower-case letters, digits or '_', starting with a letter or digit",
        )
    if spec.ring_timeout_s < MIN_RING_TIMEOUT_S:
        raise bad("ring_timeout_s", f"must be at least {MIN_RING_TIMEOUT_S} s")
    if not 0 < spec.abandon_cap_pct <= MAX_ABANDON_CAP_PCT:
        raise bad("abandon_cap_pct", f"must be above 0 and at most {MAX_ABANDON_CAP_PCT}%")
    if not 1.0 <= spec.max_lines_per_agent <= 10.0:
        raise bad("max_lines_per_agent", "must be between 1 and 10")
    if spec.wrap_up_limit_s < 0:
        raise bad("wrap_up_limit_s", "cannot be negative")
    for number in spec.caller_ids:
        if not _CALLER_ID.match(number):
            raise bad("caller_ids", f"{number!r} is not a phone number (digits, optional +)")
    if spec.caller_id_daily_cap < 1:
        raise bad("caller_id_daily_cap", "must be at least 1")
    for name in ("calling_start", "calling_end"):
        value = getattr(spec, name)
        if value is not None and not _HHMM.match(value):
            raise bad(name, f"{value!r} is not HH:MM")
    if (spec.calling_start is None) != (spec.calling_end is None):
        raise bad("calling_end", "give both ends of the calling window or neither")
    _check_hours(spec, allowed_hours)


def _check_hours(spec: CampaignSpec, allowed: tuple[time, time] | None) -> None:
    # Refused here rather than clamped by the runtime later: the supervisor learns at once.
    if spec.calling_start is None or spec.calling_end is None:
        return
    start, end = time.fromisoformat(spec.calling_start), time.fromisoformat(spec.calling_end)
    window = f"{spec.calling_start}-{spec.calling_end}"
    if not start < end:
        raise CampaignError(spec.id, f"hours: {window} ends before it starts", field="hours")
    if allowed is not None and not (allowed[0] <= start and end <= allowed[1]):
        legal = f"{allowed[0]:%H:%M}-{allowed[1]:%H:%M}"
        raise CampaignError(
            spec.id,
            f"hours: {window} is outside the calling window of the rules, {legal}: "
            "choose hours inside it",
            field="hours",
        )


def create_campaign(
    session: Session,
    spec: CampaignSpec,
    *,
    now: datetime,
    allowed_hours: tuple[time, time] | None = None,
) -> Campaign:
    """Validate ``spec`` and add the campaign as a draft; raises :class:`CampaignError`.

    ``allowed_hours`` is the rules' calling window (local start inclusive, end exclusive):
    the campaign's own hours must lie inside it.
    """
    _validate(spec, allowed_hours)
    if session.get(Campaign, spec.id) is not None:
        raise CampaignError(spec.id, "already exists", field="id")
    campaign = Campaign(
        id=spec.id,
        name=spec.name,
        mode=spec.mode,
        status=CampaignStatus.DRAFT,
        queue=spec.queue,
        filter_stages=list(spec.stages),
        filter_regions=list(spec.regions),
        filter_owner=spec.owner,
        abandon_cap_pct=spec.abandon_cap_pct,
        max_lines_per_agent=spec.max_lines_per_agent,
        ring_timeout_s=spec.ring_timeout_s,
        wrap_up_limit_s=spec.wrap_up_limit_s,
        caller_ids=list(spec.caller_ids),
        caller_id_daily_cap=spec.caller_id_daily_cap,
        calling_start=spec.calling_start,
        calling_end=spec.calling_end,
        created_at=now,
        updated_at=now,
    )
    session.add(campaign)
    session.flush()
    return campaign


def set_campaign_status(
    session: Session, campaign_id: str, status: CampaignStatus, *, now: datetime
) -> Campaign:
    """Start, pause or stop a campaign; a stopped campaign cannot be restarted, and a campaign
    without a caller ID (an empty pool) cannot start."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise CampaignError(campaign_id, "no such campaign")
    if campaign.status == status:
        return campaign
    if status not in _ALLOWED_STATUS[campaign.status]:
        raise CampaignError(
            campaign_id, f"cannot go from {campaign.status.value} to {status.value}", field="status"
        )
    if status is CampaignStatus.RUNNING and not campaign.caller_ids:
        # Without one the carrier gets "Anonymous" <sip:anonymous@anonymous.invalid>, which
        # carriers refuse and customers do not answer (issue 9 item 11).
        raise CampaignError(
            campaign_id,
            "caller_ids: give the campaign at least one caller ID (its pool) before starting it",
            field="caller_ids",
        )
    campaign.status = status
    campaign.updated_at = now
    log.info("campaign %s → %s", campaign_id, status.value)
    return campaign
