"""The supervisors' live floor: every seat and call from the event bus, the calls in the IVR,
today's counts per campaign, the feed and alerts the supervisors' page shows,
listen/whisper/barge through the telephony port, campaign and seat control, and the audit
trail of it all."""

from dialer.floor.audit import recent_actions, record_action
from dialer.floor.control import CampaignControl
from dialer.floor.errors import FloorError, NotOnCall
from dialer.floor.events import CallPlaced, IvrCallEnded, IvrCallStarted, IvrDirection
from dialer.floor.feed import AlertLimits, floor_feed
from dialer.floor.ivr_lines import IVR_STALE_S, IvrCounts, IvrLines
from dialer.floor.models import AuditOutcome, SupervisorAction
from dialer.floor.placing import AnnouncingPort
from dialer.floor.seat_control import SeatControl
from dialer.floor.service import FLOOR_EVENTS, FloorService
from dialer.floor.state import (
    CallPhase,
    CampaignCounts,
    FloorCall,
    FloorSeat,
    FloorState,
    LinkWatch,
)
from dialer.floor.stats import CampaignStats, campaign_stats, wins_today
from dialer.floor.supervise import Supervision

__all__ = [
    "FLOOR_EVENTS",
    "IVR_STALE_S",
    "AlertLimits",
    "AnnouncingPort",
    "AuditOutcome",
    "CallPhase",
    "CallPlaced",
    "CampaignControl",
    "CampaignCounts",
    "CampaignStats",
    "FloorCall",
    "FloorError",
    "FloorSeat",
    "FloorService",
    "FloorState",
    "IvrCallEnded",
    "IvrCallStarted",
    "IvrCounts",
    "IvrDirection",
    "IvrLines",
    "LinkWatch",
    "NotOnCall",
    "SeatControl",
    "Supervision",
    "SupervisorAction",
    "campaign_stats",
    "floor_feed",
    "recent_actions",
    "record_action",
    "wins_today",
]
