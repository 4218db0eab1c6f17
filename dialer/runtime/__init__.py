"""The campaign runtime: pacing, leases, originates, and every call followed to its outcome."""

from dialer.runtime.options import RuntimeOptions
from dialer.runtime.runtime import CampaignRuntime
from dialer.runtime.stats import CallStats

__all__ = ["CallStats", "CampaignRuntime", "RuntimeOptions"]
