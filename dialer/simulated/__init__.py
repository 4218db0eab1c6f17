"""The simulated telephone network: a seeded, real-audio backend of the telephony port."""

from dialer.simulated.audio import Prompt, PromptLibrary
from dialer.simulated.clock import VirtualClock, VirtualTimeLoop, run_virtual
from dialer.simulated.errors import ProfileError, PromptUnavailable, SubscriberOverflow
from dialer.simulated.network import SimAudio, SimulatedNetwork
from dialer.simulated.profile import Lognormal, OutcomeShares, SimProfile

__all__ = [
    "Lognormal",
    "OutcomeShares",
    "ProfileError",
    "Prompt",
    "PromptLibrary",
    "PromptUnavailable",
    "SimAudio",
    "SimProfile",
    "SimulatedNetwork",
    "SubscriberOverflow",
    "VirtualClock",
    "VirtualTimeLoop",
    "run_virtual",
]
