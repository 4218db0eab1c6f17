"""Errors of the reports part::

ReportsError
├── InvalidPeriod     the last day is before the first
├── PeriodTooLong     more days than a report page serves, or days outside 2000-2099
├── UnknownCampaign   no campaign with that id (also a LookupError)
└── UnknownTeam       no agent was ever in that team
"""

from __future__ import annotations

__all__ = ["InvalidPeriod", "PeriodTooLong", "ReportsError", "UnknownCampaign", "UnknownTeam"]


class ReportsError(Exception):
    """Base of every error the reports part raises."""


class InvalidPeriod(ReportsError, ValueError):
    def __init__(self, first: str, last: str) -> None:
        super().__init__(f"the period ends ({last}) before it begins ({first})")
        self.first, self.last = first, last


class PeriodTooLong(ReportsError, ValueError):
    def __init__(self, first: str, last: str, max_days: int) -> None:
        super().__init__(
            f"a report covers at most {max_days} days of 2000-2099 ({first} to {last})"
        )
        self.first, self.last, self.max_days = first, last, max_days


class UnknownCampaign(ReportsError, LookupError):
    def __init__(self, campaign_id: str) -> None:
        super().__init__(f"no campaign {campaign_id!r}")
        self.campaign_id = campaign_id


class UnknownTeam(ReportsError, LookupError):
    def __init__(self, team: str) -> None:
        super().__init__(f"no agent was ever in team {team!r}")
        self.team = team
