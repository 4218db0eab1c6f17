"""The simulated telephone network: a seeded, real-audio backend of the telephony port.

Wiring (the composition root does this; nothing here is built at import time)::

    profile = SimProfile.load(Path("bench/profiles/small-team.json"))
    net = SimulatedNetwork(profile=profile, clock=clock, seed=7, recordings_dir=Path("var/rec"))
    await net.start()

With ``clock=SystemClock()`` calls take real time. For faster than real time, run the whole
program on ``run_virtual(main())`` (a ``VirtualTimeLoop``) with ``clock=VirtualClock(start=...)``:
an eight-hour shift of ~19,000 calls takes about four seconds.
"""

from dialer.simulated.audio import Prompt, PromptLibrary
from dialer.simulated.clock import VirtualClock, VirtualTimeLoop, run_virtual
from dialer.simulated.errors import ProfileError, PromptUnavailable
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
    "VirtualClock",
    "VirtualTimeLoop",
    "run_virtual",
]
