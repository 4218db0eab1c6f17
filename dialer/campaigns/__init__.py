"""Campaigns: their settings, life cycle (start, pause, stop) and caller-ID pool."""

from dialer.campaigns.caller_ids import pick_caller_id
from dialer.campaigns.service import CampaignSpec, create_campaign, set_campaign_status

__all__ = ["CampaignSpec", "create_campaign", "pick_caller_id", "set_campaign_status"]
