"""How a campaign runtime behaves (seconds as named)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["RuntimeOptions"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RuntimeOptions:
    """``lease_ttl_s`` must outlive a call between two heartbeats; ``stats_calls`` is how many
    recent ended calls the pacer's statistics cover; ``recent_window_s`` is the short-window
    abandon guard's span; ``record_calls`` asks the backend to record each bridged call (off
    when the Asterisk dialplan records by itself); ``seat_lapse_s`` is how long a seat may go
    unheard (no console or bot heartbeat) before it stops counting and is logged out;
    ``unavailable_hold_s`` how long dialing holds after the backend refused an originate as
    unavailable; ``recordings_dir``, when set, is where each call's recording file must be
    found when the call ends (a missing one is logged and marked); a recording paused longer
    than ``recording_pause_limit_s`` + ``recording_pause_grace_s`` is resumed by the runtime
    (the console that paused it resumes it at the limit, unless it is gone; None: never)."""

    tick_s: float = 1.0
    lease_ttl_s: float = 900.0
    heartbeat_s: float = 60.0
    stats_calls: int = 500
    recent_window_s: float = 900.0
    rolling_refresh_s: float = 60.0
    abandon_after_s: float = 2.0
    short_window_factor: float = 2.0
    record_calls: bool = True
    due_batch_factor: int = 3
    seat_lapse_s: float = 6.0
    unavailable_hold_s: float = 5.0
    recordings_dir: Path | None = None
    recording_pause_limit_s: float | None = None
    recording_pause_grace_s: float = 5.0
