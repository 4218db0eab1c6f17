"""What the consoles drive: per campaign, its seat desk and (when in this process) its runtime.

The composition root builds one ``Floor`` per process. Every seat change goes through the
campaign's ``SeatDesk`` (so the telephony backend's queue follows); preview dials go through
the campaign runtime, which leases, stores the attempt and originates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from dialer.runtime import CampaignRuntime
from dialer.seats import SeatDesk
from dialer.telephony import TelephonyPort

__all__ = ["CampaignFloor", "Floor"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CampaignFloor:
    """``port`` is the telephony backend the desk drives (call controls go through it)."""

    campaign_id: str
    desk: SeatDesk
    port: TelephonyPort
    runtime: CampaignRuntime | None = None  # None: dialing runs in another process


@dataclass(frozen=True, slots=True)
class Floor:
    campaigns: Mapping[str, CampaignFloor]

    def get(self, campaign_id: str | None) -> CampaignFloor | None:
        if campaign_id is None:
            return None
        return self.campaigns.get(campaign_id)

    def default(self) -> CampaignFloor | None:
        return next(iter(self.campaigns.values()), None)
