"""The IVR: voice menus as data, run over Asterisk ARI or on the simulated network.

``ivr.flow`` loads the flows (``ivr/flows/*.toml``); ``ivr.engine`` runs one on a call through
the driver port (``ivr.port``), implemented by ``ivr.ari`` (our ARI client, its driver and the
Stasis app) and ``ivr.simulated``; ``ivr.sessions`` stores what a call did to its lead;
``ivr.reminders`` picks the reminder calls; ``ivr.notifier`` announces each session on the
event bus, when there is one. Nothing is imported here: import the module you use.
"""
