"""Errors raised only by the AMI backend, each a subclass of a ``dialer.errors`` type so
callers outside this package catch them without knowing any AMI name.

BackendUnavailable (dialer.errors)
└── EventQueueOverflow   a subscriber fell too far behind; its subscription was closed
"""

from __future__ import annotations

from dialer.errors import BackendUnavailable

__all__ = ["EventQueueOverflow"]


class EventQueueOverflow(BackendUnavailable):
    """The subscriber's bounded queue filled up; it must re-sync (``live_calls()``)."""
