"""Building the telephony backend the settings name: the simulated network or Asterisk (AMI)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from config.settings import Settings
from dialer.asterisk.adapter import AmiTelephony
from dialer.asterisk.prompts import REQUIRED_PROMPTS
from dialer.asterisk.settings import AmiSettings
from dialer.runtime import RuntimeOptions
from dialer.simulated import SimProfile, SimulatedNetwork
from dialer.telephony import TelephonyPort
from renewals.clock import Clock

__all__ = ["ami_settings", "build_telephony", "default_sim_profile", "runtime_options"]


def default_sim_profile() -> Path:
    """The packaged profile (a 10-agent team, 20% human answers)."""
    return Path(str(resources.files("dialer.simulated") / "profiles" / "default.json"))


def ami_settings(settings: Settings) -> AmiSettings:
    return AmiSettings(
        host=settings.ami_host,
        port=settings.ami_port,
        username=settings.ami_user,
        secret=settings.ami_secret.get_secret_value(),
        md5_login=settings.ami_md5_login,
        customer_dial_template=settings.customer_dial_template,
        agent_interface_template=settings.agent_interface_template,
        agent_state_interface_template=settings.agent_state_interface_template,
        supervisor_dial_template=settings.supervisor_dial_template,
        context=settings.dialer_context,
        route_context=settings.ami_route_context,
        play_context=settings.ami_play_context,
        hold_context=settings.ami_hold_context,
        transfer_context=settings.ami_transfer_context,
        originate_rate_per_s=settings.ami_originate_rate_per_s,
        required_prompts=REQUIRED_PROMPTS if settings.asterisk_check_prompts else (),
        sounds_dir=settings.asterisk_sounds_dir,
        sounds_language=settings.asterisk_sounds_language,
    )


def build_telephony(settings: Settings, clock: Clock) -> TelephonyPort:
    """The configured backend, not yet started (``await port.start()``)."""
    if settings.telephony == "asterisk":
        return AmiTelephony(settings=ami_settings(settings), clock=clock)
    profile = SimProfile.load(settings.sim_profile or default_sim_profile())
    return SimulatedNetwork(
        profile=profile,
        clock=clock,
        seed=settings.sim_seed,
        recordings_dir=settings.resolved_recordings_dir,
    )


def runtime_options(settings: Settings) -> RuntimeOptions:
    # With Asterisk the dialplan's MixMonitor already records; asking again would double it.
    record = not (settings.telephony == "asterisk" and settings.asterisk_dialplan_records)
    return RuntimeOptions(
        record_calls=record,
        seat_lapse_s=settings.seat_lapse_s,
        recordings_dir=settings.resolved_recordings_dir,
        recording_pause_limit_s=settings.console.recording_pause_limit_s,
    )
