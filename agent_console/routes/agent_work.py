"""The agent's work tools (``/agent/api/work``): lead search, callbacks, manual dial, the
do-not-call button and the call script. Agents only (unsafe requests also CSRF-checked); a lead
that is not the agent's answers 403. Routes parse, call ``WorkTools`` and shape the reply.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from agent_console.deps import AgentAction, AgentUser
from agent_console.pages import language_of
from agent_console.schemas import CallbackCreate, DialPublic, DoNotCallCreate
from agent_console.worktools import WorkTools

router = APIRouter(prefix="/agent/api/work", tags=["agent work"])

LeadId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _tools(request: Request) -> WorkTools:
    tools: WorkTools = request.app.state.work_tools
    return tools


@router.get("/leads", summary="Search the agent's own leads (name, plate, policy no., last 4)")
def search(
    request: Request,
    user: AgentUser,
    q: Annotated[str, Query(max_length=40)] = "",
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=50)] = 20,
) -> dict[str, object]:
    return _tools(request).search(user.agent_id, q, page, page_size)


@router.get("/callbacks", summary="The agent's callbacks due today (kept for them or booked)")
def callbacks(request: Request, user: AgentUser) -> list[dict[str, object]]:
    return _tools(request).callbacks(user.agent_id)


@router.post(
    "/leads/{lead_id}/callback", summary="Book a callback: kept for this agent or for the team"
)
def schedule(
    request: Request, user: AgentAction, lead_id: LeadId, body: CallbackCreate
) -> dict[str, object]:
    return _tools(request).schedule(user.agent_id, lead_id, body)


@router.post("/leads/{lead_id}/dial", summary="Dial one of the agent's leads by hand (by id)")
async def manual_dial(request: Request, user: AgentAction, lead_id: LeadId) -> DialPublic:
    call_id = await _tools(request).manual_dial(user.agent_id, lead_id)
    return DialPublic(call_id=call_id, lead_id=lead_id)


@router.post(
    "/leads/{lead_id}/do-not-call",
    summary="Put the customer's number on the do-not-call list for ever; the lead is closed",
)
def do_not_call(
    request: Request, user: AgentAction, lead_id: LeadId, body: DoNotCallCreate
) -> dict[str, object]:
    return _tools(request).do_not_call(user.agent_id, lead_id, body.call_id)


@router.get("/leads/{lead_id}/script", summary="The renewal call script, filled in for this lead")
def script(request: Request, user: AgentUser, lead_id: LeadId) -> dict[str, object]:
    return _tools(request).script(user.agent_id, user.name, lead_id, language_of(request))
