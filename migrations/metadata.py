"""Every part's models, gathered on one MetaData for Alembic."""

from __future__ import annotations

import agent_console.models
import dialer.floor.models
import dialer.models
import dialer.recording_pauses
import ivr.models
import recordings.models
import recordings.qa.models
import renewals.models
import reports.models

# The tables of every part are declared on the renewals Base; importing registers them.
target_metadata = renewals.models.Base.metadata
_registered = (
    agent_console.models.User,
    dialer.models.Campaign,
    dialer.floor.models.SupervisorAction,
    dialer.recording_pauses.RecordingPause,
    ivr.models.IvrSession,
    reports.models.AgentTeam,
    recordings.models.Recording,
    recordings.qa.models.QaReview,
)

__all__ = ["target_metadata"]
