"""The supervisors' live floor: every seat and call from the event bus, today's counts per
campaign, listen/whisper/barge through the telephony port, and the audit trail of it all."""

from dialer.floor.audit import record_action
from dialer.floor.errors import FloorError, NotOnCall
from dialer.floor.events import CallPlaced
from dialer.floor.models import AuditOutcome, SupervisorAction
from dialer.floor.placing import AnnouncingPort
from dialer.floor.service import FLOOR_EVENTS, FloorService
from dialer.floor.state import CallPhase, CampaignCounts, FloorCall, FloorSeat, FloorState
from dialer.floor.supervise import Supervision

__all__ = [
    "FLOOR_EVENTS",
    "AnnouncingPort",
    "AuditOutcome",
    "CallPhase",
    "CallPlaced",
    "CampaignCounts",
    "FloorCall",
    "FloorError",
    "FloorSeat",
    "FloorService",
    "FloorState",
    "NotOnCall",
    "Supervision",
    "SupervisorAction",
    "record_action",
]
