"""Errors of the reports part::

ReportsError
├── InvalidPeriod     the last day is before the first
├── UnknownCampaign   no campaign with that id (also a LookupError)
└── UnknownTeam       no agent was ever in that team
"""

from __future__ import annotations

__all__ = ["InvalidPeriod", "ReportsError", "UnknownCampaign", "UnknownTeam"]


class ReportsError(Exception):
    """Base of every error the reports part raises."""


class InvalidPeriod(ReportsError, ValueError):
    def __init__(self, first: str, last: str) -> None:
        super().__init__(f"the period ends ({last}) before it begins ({first})")
        self.first, self.last = first, last


class UnknownCampaign(ReportsError, LookupError):
    def __init__(self, campaign_id: str) -> None:
        super().__init__(f"no campaign {campaign_id!r}")
        self.campaign_id = campaign_id


class UnknownTeam(ReportsError, LookupError):
    def __init__(self, team: str) -> None:
        super().__init__(f"no agent was ever in team {team!r}")
        self.team = team
