"""The agent's page and API (``/agent``): seat, preview dial, leads and dispositions.

Every route needs the agent role; unsafe ones the CSRF header too. Routes parse, call a
service and shape the reply: no SQL and no telephony here.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse

from agent_console.deps import AgentAction, AgentUser, Services
from agent_console.leads import check_visible, lead_card
from agent_console.pages import Pages, language_of
from agent_console.schemas import (
    DialPublic,
    DispositionCreate,
    DispositionPublic,
    PauseCreate,
    SeatLoginCreate,
)
from agent_console.seat import SeatService
from agent_console.texts import translator
from agent_console.work import WorkService

router = APIRouter(prefix="/agent", tags=["agent"])

# Ids are 32-bit in the schema on every backend (SQLite's integers stop at 2**63 - 1).
LeadId = Annotated[int, Path(ge=1, le=2**31 - 1)]

# Words the page's script shows; the page hands it their translation.
SCRIPT_TEXTS = (
    "logged_out", "ready", "reserved", "on_call", "wrap_up", "paused",
    "Connected", "Reconnecting…", "No lead is due now.", "Saved.", "Remaining",
    "Over the limit by", "Call ended: set the disposition.", "Next contact",
    "No calls yet.", "Dialling…", "Customer", "Phone", "Plate", "Insurer", "Expires",
    "Tenure (years)", "Stage", "Attempts", "Notes", "Quote", "Vehicle", "Seats",
    "First registration", "Claims last year", "NCD level", "Why", "Compulsory insurance",
    "Vessel tax", "New policy from", "Last year's policies", "Commercial", "Compulsory",
    "Gifts on offer", "Total", "Why now", "listed", "first_call", "quote",
    "follow_up", "closed", "completed", "abandoned", "no_answer", "busy", "machine", "failed",
    "interrupted", "agreed", "declined", "callback", "wrong_number", "do_not_call",
    "no_decision", "price", "service", "product", "other",
)  # fmt: skip


def _seats(request: Request) -> SeatService:
    seats: SeatService = request.app.state.seats
    return seats


def _work(request: Request) -> WorkService:
    work: WorkService = request.app.state.work
    return work


@router.get("/", response_class=HTMLResponse, summary="The agent's page")
def page(request: Request, user: AgentUser, services: Services) -> HTMLResponse:
    language = language_of(request)
    _ = translator(language)
    pages: Pages = request.app.state.pages
    codes = [
        {"code": p.code, "label": p.label(language), "limit_s": p.limit_s}
        for p in services.options.pause_codes
    ]
    return pages.render(
        request,
        "agent.html",
        user=user,
        campaigns=list(services.floor.campaigns),
        timezone=services.timezone,
        pause_codes=codes,
        texts=json.dumps({t: _(t) for t in SCRIPT_TEXTS}, ensure_ascii=False),
    )


@router.get("/api/state", summary="The seat, the pause codes and the current call's pop")
def state(request: Request, user: AgentUser, services: Services) -> dict[str, object]:
    seat = _seats(request).view(user.agent_id)
    language = language_of(request)
    call_id = _seats(request).current_call(user.agent_id)
    pop = request.app.state.pops.pop_message(call_id, language) if call_id else None
    return {"agent_id": user.agent_id, "seat": seat, "pop": pop}


@router.post("/api/seat/login", summary="Log in to a seat (the phone joins the queue)")
async def seat_login(
    request: Request, user: AgentAction, body: SeatLoginCreate
) -> dict[str, object]:
    await _seats(request).login(user.agent_id, user.name, body.campaign_id)
    return _seats(request).view(user.agent_id)


@router.post("/api/seat/ready", summary="Ready for the next call")
async def seat_ready(request: Request, user: AgentAction) -> dict[str, object]:
    await _seats(request).ready(user.agent_id)
    return _seats(request).view(user.agent_id)


@router.post("/api/seat/pause", summary="Pause with a pause code")
async def seat_pause(request: Request, user: AgentAction, body: PauseCreate) -> dict[str, object]:
    await _seats(request).pause(user.agent_id, body.code)
    return _seats(request).view(user.agent_id)


@router.post("/api/seat/logout", summary="Log out of the seat (the phone leaves the queue)")
async def seat_logout(request: Request, user: AgentAction) -> dict[str, object]:
    await _seats(request).logout(user.agent_id)
    return _seats(request).view(user.agent_id)


@router.post("/api/call/hangup", summary="Hang up the seat's call (wrap-up follows)")
async def hang_up(request: Request, user: AgentAction) -> dict[str, object]:
    call_id = await _seats(request).hang_up(user.agent_id)
    return {"call_id": call_id}


@router.get("/api/preview", summary="The next lead to dial, with why it is due (or null)")
def preview(request: Request, user: AgentUser) -> dict[str, object] | None:
    return _work(request).preview(user.agent_id, language_of(request))


@router.post("/api/preview/{lead_id}/dial", summary="Dial this lead (one click, by lead id)")
async def dial(request: Request, user: AgentAction, lead_id: LeadId) -> DialPublic:
    call_id = await _work(request).dial(user.agent_id, lead_id)
    return DialPublic(call_id=call_id, lead_id=lead_id)


@router.get("/api/leads/{lead_id}", summary="A lead of this agent: quote panel and history")
def lead(
    request: Request, user: AgentUser, services: Services, lead_id: LeadId
) -> dict[str, object]:
    with services.sessions() as session:
        found = check_visible(session, user.agent_id, lead_id)
        return lead_card(
            session,
            found,
            at=services.clock.now(),
            timezone=services.timezone,
            quoting=services.quoting,
            language=language_of(request),
            gifts=request.app.state.work_tools.gifts_on_offer(language_of(request)),
        )


@router.post(
    "/api/leads/{lead_id}/disposition",
    summary="Set the call's disposition; stored with the lead's next contact",
)
async def dispose(
    request: Request, user: AgentAction, lead_id: LeadId, body: DispositionCreate
) -> DispositionPublic:
    return await _work(request).dispose(user.agent_id, lead_id, body)
