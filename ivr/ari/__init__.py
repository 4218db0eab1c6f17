"""Our own small asyncio ARI client: REST on httpx, events on ``websockets``.

``AriRest`` makes the REST calls, ``AriClient`` keeps the event socket up and re-syncs after
each reconnect; ``ivr.ari.driver`` runs flows on it. Why not ari-client/asyncari/aioari: see
the README (ari-client 0.9.0 spins at 100% CPU when the socket closes; the other two do not
reconnect).
"""

from ivr.ari.client import AriClient
from ivr.ari.events import (
    AppReplaced,
    AriEvent,
    ChannelDestroyed,
    ChannelDtmf,
    ChannelGone,
    ChannelHangupRequest,
    ChannelRecovered,
    ChannelVarset,
    OtherEvent,
    PlaybackFinished,
    PlaybackStarted,
    StasisEnd,
    StasisStart,
    parse_event,
)
from ivr.ari.model import Application, Channel, Playback
from ivr.ari.rest import SUPPORTED_MEDIA, AriRest
from ivr.ari.settings import AriSettings

__all__ = [
    "SUPPORTED_MEDIA",
    "AppReplaced",
    "Application",
    "AriClient",
    "AriEvent",
    "AriRest",
    "AriSettings",
    "Channel",
    "ChannelDestroyed",
    "ChannelDtmf",
    "ChannelGone",
    "ChannelHangupRequest",
    "ChannelRecovered",
    "ChannelVarset",
    "OtherEvent",
    "Playback",
    "PlaybackFinished",
    "PlaybackStarted",
    "StasisEnd",
    "StasisStart",
    "parse_event",
]
