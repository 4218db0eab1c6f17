"""Wiring of the recordings part from settings: the store, registration options, the catalog."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import recordings
from config.settings import Settings
from renewals.i18n import Catalog, environment_language

if TYPE_CHECKING:  # numpy and soundfile load only in the commands that use them
    from recordings.models import ChannelLayout
    from recordings.registration import RegistrationOptions
    from recordings.store import RecordingStore

__all__ = ["layout", "registration_options", "say", "store"]


def store(settings: Settings) -> RecordingStore:
    from recordings.store import RecordingStore

    return RecordingStore(root=settings.resolved_recording_store_dir)


def layout(settings: Settings) -> ChannelLayout:
    """The source WAVs' channel layout: as configured, or what the telephony backend writes."""
    from recordings.models import ChannelLayout

    if settings.recording_layout != "auto":
        return ChannelLayout(settings.recording_layout)
    if settings.telephony == "simulated":
        return ChannelLayout.AGENT_LEFT  # dialer/simulated/recorder.py
    return ChannelLayout.CUSTOMER_LEFT  # MixMonitor D in config/asterisk/extensions.conf


def registration_options(settings: Settings) -> RegistrationOptions:
    from recordings.registration import RegistrationOptions

    return RegistrationOptions(
        source_root=settings.resolved_recordings_dir,
        layout=layout(settings),
        retention=timedelta(days=settings.recording_retention_days),
        opus_level=settings.recording_opus_level,
        keep_wav=settings.recording_keep_wav,
    )


def say(message: str, **values: object) -> str:
    """A CLI message of the recordings part in the user's language, with ``{name}`` filled in."""
    catalog = Catalog(Path(recordings.__file__).parent / "locale", "recordings")
    return catalog.gettext(message, environment_language()).format(**values)
