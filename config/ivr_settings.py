"""The ``[ivr]`` settings table: ARI connection, flows and prompts, reminder calls.

Environment: ``XUBAO_IVR__ARI_URL``, ``XUBAO_IVR__ARI_PASSWORD``, … (nested delimiter ``__``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = ["IvrSettings"]


class IvrSettings(BaseModel):
    """Times in seconds; ``reminder_days``: days before the policy ends (customer's calendar)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    ari_url: str = "http://127.0.0.1:8088"
    ari_app: str = "xubao-ivr"
    ari_user: str = "xubao"
    # The shipped ari.conf's placeholder: refused in production (config.settings).
    ari_password: SecretStr = SecretStr("CHANGE-ME-xubao-ari-password")
    flows_dir: Path | None = None  # empty → the shipped flows (ivr/flows)
    prompt_dir: Path | None = None  # empty → <data_dir>/prompts (what `xubao ivr prompts` fills)
    language: str = "zh_CN"
    queue: str = "renewal"  # the campaign queue transfers go to when a lead has no own agent
    reminders_enabled: bool = True
    reminder_days: int = Field(default=7, ge=1, le=60)
    reminder_interval_s: float = Field(default=600.0, gt=0)
    reminder_batch: int = Field(default=50, ge=1)
    # Reminder calls enter Stasis through a Local channel whose far half dials the customer
    # (config/asterisk/extensions.conf [xubao-ivr-reminder]).
    reminder_dial_template: str = "Local/{number}@xubao-ivr-reminder"
    reminder_caller_id: str = ""
    sim_seed: int = 11  # the simulated customers' keys, on the simulated network
