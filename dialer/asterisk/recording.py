"""The dialplan's recording contract: where MixMonitor's file is, relative to the store root.

``[xubao-dialer]`` and ``[xubao-route]`` record to ``${RECDIR}/<UTC date YYYY-MM-DD>/<call_id>``
(``.raw``, turned into ``.wav`` by sox when the recording ends) and say so first with
``UserEvent(XubaoRecording,CallId: …,Path: <date>/<call_id>.wav)``. RECDIR is the recording
store's root (same host or a shared mount), so the path the runtime stores is relative to it.
Dialplans older than that event only show ``MixMonitorStart`` (06-08): the path is then built
from the same contract with the adapter's clock.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import PurePosixPath

__all__ = ["contract_path", "relative_path"]

log = logging.getLogger(__name__)


def contract_path(call_id: str, at: datetime) -> str:
    """``<UTC date>/<call_id>.wav``: what the dialplan writes for a call recorded at ``at``."""
    return f"{at:%Y-%m-%d}/{call_id}.wav"


def relative_path(path: str) -> str:
    """``path`` when it is a plain relative path under the root, else "" (never ``..``)."""
    candidate = PurePosixPath(path)
    if not path or candidate.is_absolute() or ".." in candidate.parts:
        log.warning("recording path %r is not relative to the recordings root; ignored", path)
        return ""
    return str(candidate)
