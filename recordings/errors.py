"""Errors of the recordings part.

::

    RecordingsError
    ├── RecordingNotFound        no recording (or file) with that id
    ├── UnsafePath               a path that would leave the store's root
    ├── BadRecording             a source file that is not the stereo WAV we expect
    ├── AccessDenied             this user may not hear this call
    ├── ModelUnavailable         the Vosk model is missing or broken (one clear start-up error)
    ├── ModelInstallFailed       download, checksum or unpacking of a model failed
    └── QaError                  a QA action not allowed in the review's state
"""

from __future__ import annotations

__all__ = [
    "AccessDenied",
    "BadRecording",
    "ModelInstallFailed",
    "ModelUnavailable",
    "QaError",
    "RecordingNotFound",
    "RecordingsError",
    "UnsafePath",
]


class RecordingsError(Exception):
    """Base of every error raised by ``recordings``."""


class RecordingNotFound(RecordingsError):
    def __init__(self, recording_id: int | str) -> None:
        super().__init__(f"no recording {recording_id}")
        self.recording_id = recording_id


class UnsafePath(RecordingsError):
    def __init__(self, path: str) -> None:
        super().__init__(f"path leaves the recording store: {path!r}")
        self.path = path


class BadRecording(RecordingsError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


class AccessDenied(RecordingsError):
    def __init__(self, user: str, recording_id: int) -> None:
        super().__init__(f"{user} may not access recording {recording_id}")
        self.user, self.recording_id = user, recording_id


class ModelUnavailable(RecordingsError):
    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"speech model unusable at {path}: {reason} "
            "(set XUBAO_VOSK_MODEL, or `xubao models install URL --sha256 HEX`)"
        )
        self.path, self.reason = path, reason


class ModelInstallFailed(RecordingsError):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"model install from {url} failed: {reason}")
        self.url, self.reason = url, reason


class QaError(RecordingsError):
    def __init__(self, what: str, *, review_id: int | None = None) -> None:
        super().__init__(what if review_id is None else f"review {review_id}: {what}")
        self.review_id = review_id
