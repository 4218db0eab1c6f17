"""An agent's own QA scores (``/qa/mine``): read, listen, acknowledge or dispute.

Agents only (their seat's extension is who the reviews name); a dispute needs a reason and
sends the call back to the QA queue (``recordings.qa.scorecards.dispute``).
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent_console.deps import AgentAction, AgentUser, Services
from agent_console.pages import Pages
from recordings.errors import QaError
from recordings.qa import desk
from recordings.qa.scorecards import acknowledge, dispute

router = APIRouter(prefix="/qa/mine", tags=["qa"])

ReviewId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NOTES = {
    "acknowledged": "Thank you: the score is acknowledged.",
    "disputed": "Your dispute goes to a reviewer.",
    "refused": "Not saved: a dispute needs your reason, and a score is answered once.",
}


def _back(note: str) -> RedirectResponse:
    return RedirectResponse(f"/qa/mine/?note={note}", status_code=303)


@router.get("/", response_class=HTMLResponse, summary="My QA scores")
def mine(
    request: Request,
    user: AgentUser,
    services: Services,
    note: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    with services.sessions() as session:
        return pages.render(
            request,
            "qa_mine.html",
            user=user,
            reviews=desk.reviews_of_agent(session, user.agent_id),
            note=NOTES.get(note or ""),
            tz=ZoneInfo(services.timezone),
        )


@router.post("/{review_id}/acknowledge", summary="Acknowledge a score")
def ack(user: AgentAction, services: Services, review_id: ReviewId) -> RedirectResponse:
    try:
        with services.sessions.begin() as session:
            acknowledge(session, review_id, agent=user.agent_id, now=services.clock.now())
    except QaError:
        return _back("refused")
    return _back("acknowledged")


@router.post("/{review_id}/dispute", summary="Dispute a score (with the reason)")
def disagree(
    user: AgentAction,
    services: Services,
    review_id: ReviewId,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> RedirectResponse:
    try:
        with services.sessions.begin() as session:
            dispute(session, review_id, agent=user.agent_id, comment=reason,
                    now=services.clock.now())  # fmt: skip
    except QaError:
        return _back("refused")
    return _back("disputed")
