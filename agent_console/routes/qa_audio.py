"""Playback and download of a stored call (``/recordings``): checked, logged, seekable.

The file is found from the recording's id (an integer) and the side (an enum) through the
database row, under the configured store; nothing in the URL is ever used as a path. Agents
get their own calls only; QA, supervisors and admins any. Every access is logged
(``recordings.access``). ``FileResponse`` answers HTTP Range requests, so the player can seek.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse

from agent_console.deps import CurrentUser, Services
from agent_console.errors import NotFound, NotYours
from recordings.access import AccessKind, open_for_user
from recordings.errors import AccessDenied, RecordingNotFound, UnsafePath
from recordings.models import Speaker

router = APIRouter(prefix="/recordings", tags=["recordings"])

RecordingId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _send(
    services: Services, user: CurrentUser, recording_id: int, speaker: Speaker, kind: AccessKind
) -> FileResponse:
    try:
        with services.sessions.begin() as session:
            path = open_for_user(
                session,
                services.recordings,
                user=user.name,
                role=user.role.value,
                agent_id=user.agent_id,
                recording_id=recording_id,
                speaker=speaker,
                kind=kind,
                now=services.clock.now(),
            )
    except AccessDenied:
        raise NotYours("recording", recording_id) from None
    except (RecordingNotFound, UnsafePath):
        # A stored path leaving the store is a tampered row: refused, and the path not shown.
        raise NotFound("recording", recording_id) from None
    name = f"recording-{recording_id}-{speaker.value}.opus"
    disposition = "attachment" if kind is AccessKind.DOWNLOAD else "inline"
    return FileResponse(
        path,
        media_type="audio/ogg",
        filename=name,
        content_disposition_type=disposition,
        headers={"Cache-Control": "private, no-store"},
    )


@router.get("/{recording_id}/{speaker}.opus", summary="Play one side of a call (Range allowed)")
def play(
    services: Services, user: CurrentUser, recording_id: RecordingId, speaker: Speaker
) -> FileResponse:
    return _send(services, user, recording_id, speaker, AccessKind.PLAY)


@router.get("/{recording_id}/{speaker}/download", summary="Download one side of a call")
def download(
    services: Services, user: CurrentUser, recording_id: RecordingId, speaker: Speaker
) -> FileResponse:
    return _send(services, user, recording_id, speaker, AccessKind.DOWNLOAD)
