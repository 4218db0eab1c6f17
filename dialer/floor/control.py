"""Campaign control from the supervisors' page: start, pause, stop, the mode and the dial-level
cap, each within the campaign rules and audited with its old and new value whatever the outcome.

The runtime reads its campaign's row on every tick, so a pause written here stops dialing at
the next tick (no message to the runtime is needed, and it works across processes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session, sessionmaker

from dialer.campaigns import set_campaign_status
from dialer.errors import CampaignError
from dialer.floor.audit import record_action
from dialer.floor.models import AuditOutcome
from dialer.models import Campaign, CampaignMode, CampaignStatus
from renewals.clock import Clock

__all__ = ["MAX_DIAL_LEVEL", "MIN_DIAL_LEVEL", "CampaignControl"]

log = logging.getLogger(__name__)

# The same bounds as a new campaign's ``max_lines_per_agent`` (dialer.campaigns).
MIN_DIAL_LEVEL, MAX_DIAL_LEVEL = 1.0, 10.0


class CampaignControl:
    """Changes to a campaign's status, mode and dial-level cap, one audited row each."""

    def __init__(self, *, sessions: sessionmaker[Session], clock: Clock) -> None:
        self._sessions, self._clock = sessions, clock

    def set_status(self, campaign_id: str, status: CampaignStatus, *, supervisor: str) -> None:
        """Raises ``CampaignError`` for a move the rules forbid (a stopped campaign stays so)."""

        def change(session: Session, campaign: Campaign) -> tuple[str, str]:
            old = campaign.status.value
            set_campaign_status(session, campaign_id, status, now=self._clock.now())
            return old, status.value

        self._audited(campaign_id, "campaign.status", supervisor, status.value, change)

    def set_mode(self, campaign_id: str, mode: CampaignMode, *, supervisor: str) -> None:
        """A stopped campaign keeps its mode (it never dials again)."""

        def change(session: Session, campaign: Campaign) -> tuple[str, str]:
            if campaign.status is CampaignStatus.STOPPED:
                raise CampaignError(campaign_id, "mode: a stopped campaign", field="mode")
            old, campaign.mode = campaign.mode.value, mode
            campaign.updated_at = self._clock.now()
            return old, mode.value

        self._audited(campaign_id, "campaign.mode", supervisor, mode.value, change)

    def set_dial_level_cap(self, campaign_id: str, cap: float, *, supervisor: str) -> None:
        """Lines per logged-in agent the pacer may reach, ``MIN_DIAL_LEVEL``…``MAX_DIAL_LEVEL``."""

        def change(session: Session, campaign: Campaign) -> tuple[str, str]:
            if not MIN_DIAL_LEVEL <= cap <= MAX_DIAL_LEVEL:
                raise CampaignError(
                    campaign_id,
                    f"max_lines_per_agent: must be between {MIN_DIAL_LEVEL:g} and "
                    f"{MAX_DIAL_LEVEL:g}",
                    field="max_lines_per_agent",
                )
            old, campaign.max_lines_per_agent = campaign.max_lines_per_agent, cap
            campaign.updated_at = self._clock.now()
            return f"{old:g}", f"{cap:g}"

        self._audited(campaign_id, "campaign.dial_level", supervisor, f"{cap:g}", change)

    def _audited(
        self,
        campaign_id: str,
        action: str,
        supervisor: str,
        wanted: str,
        change: Callable[[Session, Campaign], tuple[str, str]],
    ) -> None:
        try:
            with self._sessions.begin() as session:
                campaign = session.get(Campaign, campaign_id)
                if campaign is None:
                    raise CampaignError(campaign_id, "no such campaign")
                old, new = change(session, campaign)
                record_action(
                    session, at=self._clock.now(), supervisor=supervisor, action=action,
                    outcome=AuditOutcome.DONE, campaign_id=campaign_id, old_value=old,
                    new_value=new,
                )  # fmt: skip
        except CampaignError as exc:
            with self._sessions.begin() as session:
                record_action(
                    session, at=self._clock.now(), supervisor=supervisor, action=action,
                    outcome=AuditOutcome.REFUSED, campaign_id=campaign_id, new_value=wanted,
                    detail=str(exc),
                )  # fmt: skip
            raise
        log.info("supervisor %s: %s %s %s → %s", supervisor, action, campaign_id, old, new)
