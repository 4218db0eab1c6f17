"""Pacing: how many calls to place now (preview, progressive, predictive). Pure logic, no I/O."""

from dialer.pacing.base import Pacer
from dialer.pacing.errors import InvalidSnapshot, PacingError
from dialer.pacing.predictive import PredictivePacer, PredictiveSettings
from dialer.pacing.preview import PreviewPacer
from dialer.pacing.progressive import ProgressivePacer, progressive_count
from dialer.pacing.snapshot import (
    AbandonWindow,
    AgentPhase,
    BusyAgent,
    OutcomeStats,
    PacingLimits,
    PacingSnapshot,
    Spread,
)

__all__ = [
    "AbandonWindow",
    "AgentPhase",
    "BusyAgent",
    "InvalidSnapshot",
    "OutcomeStats",
    "Pacer",
    "PacingError",
    "PacingLimits",
    "PacingSnapshot",
    "PredictivePacer",
    "PredictiveSettings",
    "PreviewPacer",
    "ProgressivePacer",
    "Spread",
    "progressive_count",
]
