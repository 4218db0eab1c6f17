"""Preview mode: the agent sees the next customer and clicks to dial, so pacing places nothing."""

from __future__ import annotations

from dialer.pacing.snapshot import PacingSnapshot

__all__ = ["PreviewPacer"]


class PreviewPacer:
    """Never places an automatic call; the agent console dials on the agent's click."""

    name = "preview"

    def calls_to_place(self, snapshot: PacingSnapshot) -> int:
        return 0
