"""Every part's models, gathered on one MetaData for Alembic."""

from __future__ import annotations

import agent_console.models
import dialer.floor.models
import dialer.models
import ivr.models
import renewals.models

# The dialer's, the floor's, the consoles' and the IVR's tables are on the renewals Base;
# importing registers them.
target_metadata = renewals.models.Base.metadata
_registered = (
    agent_console.models.User,
    dialer.models.Campaign,
    dialer.floor.models.SupervisorAction,
    ivr.models.IvrSession,
)

__all__ = ["target_metadata"]
