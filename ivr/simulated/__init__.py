"""The IVR on the simulated network: a simulated customer hears prompts as events and presses
keys by a profile; :class:`SimulatedCall` is the driver the flow engine runs on, as it runs on
ARI's."""

from ivr.simulated.call import CustomerHeard, SimulatedCall
from ivr.simulated.customer import CustomerProfile, ScriptedCustomer, random_profile

__all__ = [
    "CustomerHeard",
    "CustomerProfile",
    "ScriptedCustomer",
    "SimulatedCall",
    "random_profile",
]
