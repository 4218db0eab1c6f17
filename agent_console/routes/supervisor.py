"""The supervisor's page and API (``/supervisor``): the live floor, listen/whisper/barge, seat
and campaign control, the audit trail.

Every route needs the supervisor or admin role (agents get 403); unsafe ones the CSRF header
too. Routes parse, call a service and shape the reply: no SQL and no telephony here.
"""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from agent_console.deps import Services, SupervisorAction, SupervisorUser
from agent_console.pages import Pages, language_of
from agent_console.supervisor_feed import SupervisorConsole
from agent_console.texts import translator
from dialer.models import CampaignMode, CampaignStatus
from dialer.telephony import SpyMode

router = APIRouter(prefix="/supervisor", tags=["supervisor"])

LeadId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AgentId = Annotated[str, Path(min_length=1, max_length=40)]
CampaignId = Annotated[str, Path(min_length=1, max_length=40)]

# Words the page's script shows; the page hands it their translation.
SCRIPT_TEXTS = (
    "ready", "reserved", "on_call", "wrap_up", "paused", "logged_out", "DEAD", "Connected",
    "Reconnecting…", "listen", "whisper", "barge", "Listen", "Whisper", "Barge", "Pause",
    "Log out", "Monitored by", "dialing", "ringing", "waiting", "talking", "ending",
    "running", "draft", "stopped", "preview", "progressive", "predictive", "Start", "Stop",
    "Dial level", "Lines in use", "Answer rate", "Abandoned today", "Abandoned 30 days", "Cap",
    "Agents", "Avg talk", "Avg customer wait", "Avg agent wait", "Avg wrap-up", "Avg pause",
    "Leads ready now", "Dialable today", "Mode",
    "Dial-level cap", "Save", "AMI link down since", "Link back up; time lost",
    "No dialable leads left", "Abandon rate near the cap", "Abandon rate at the cap",
    "Too long in one state", "On a call with no live line (DEAD)", "Reason", "Done.",
    "All campaigns", "All teams", "s", "done", "refused", "failed", "No alerts.",
    "spy.listen", "spy.whisper", "spy.barge", "campaign.status", "campaign.mode",
    "campaign.dial_level", "seat.pause", "seat.logout", "lead.reassign", "ivr.inbound",
    "ivr.reminder", "call.held", "call.consulting", "call.muted",
)  # fmt: skip


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SpyCreate(_Body):
    mode: SpyMode


class SeatForceCreate(_Body):
    reason: str = Field(min_length=1, max_length=40)


class CampaignStatusUpdate(_Body):
    status: Literal[CampaignStatus.RUNNING, CampaignStatus.PAUSED, CampaignStatus.STOPPED]


class CampaignModeUpdate(_Body):
    mode: CampaignMode


class DialLevelUpdate(_Body):
    cap: float = Field(ge=1.0, le=10.0)


class LeadReassignCreate(_Body):
    agent_id: str = Field(max_length=40)


def _console(request: Request) -> SupervisorConsole:
    console: SupervisorConsole = request.app.state.supervisor
    return console


@router.get("/", response_class=HTMLResponse, summary="The supervisor's page (the wallboard)")
async def page(request: Request, user: SupervisorUser, services: Services) -> HTMLResponse:
    language = language_of(request)
    _ = translator(language)
    texts = {t: _(t) for t in SCRIPT_TEXTS}
    # A paused seat shows its pause code's label, as the agent chose it.
    texts |= {p.code: p.label(language) for p in services.options.pause_codes}
    pages: Pages = request.app.state.pages
    return pages.render(
        request,
        "supervisor.html",
        user=user,
        campaigns=list(services.floor.campaigns),
        teams=_console(request).teams(),
        timezone=services.timezone,
        texts=json.dumps(texts, ensure_ascii=False),
    )


@router.get("/api/floor", summary="The floor now: seats, campaigns, the link and alerts")
async def floor(request: Request, _user: SupervisorUser) -> dict[str, object]:
    # On the event loop, not in the thread pool: the floor is changed by the loop's bus task.
    return _console(request).message()


@router.get("/api/audit", summary="The supervisors' audit trail, newest first")
def audit(
    request: Request, _user: SupervisorUser, limit: Annotated[int, Query(ge=1, le=500)] = 50
) -> list[dict[str, str]]:
    return _console(request).audit(limit)


@router.post("/api/calls/{call_id}/spy", summary="Listen, whisper or barge on an agent's call")
async def spy(
    request: Request,
    user: SupervisorAction,
    call_id: Annotated[str, Path(min_length=1, max_length=64)],
    body: SpyCreate,
) -> dict[str, str]:
    console = _console(request)
    phone = console.phone_of(user.name)
    await console.supervision().spy(call_id, supervisor=user.name, mode=body.mode, phone=phone)
    return {"call_id": call_id, "mode": body.mode.value}


@router.post("/api/seats/{agent_id}/pause", summary="Force the seat to pause, with a reason")
async def force_pause(
    request: Request, user: SupervisorAction, agent_id: AgentId, body: SeatForceCreate
) -> dict[str, str]:
    console = _console(request)
    desk = console.campaign_floor_of_seat(agent_id).desk
    await console.seats.force_pause(desk, agent_id, reason=body.reason, supervisor=user.name)
    return {"agent_id": agent_id, "state": "paused"}


@router.post("/api/seats/{agent_id}/logout", summary="Force a log-out; the call is hung up")
async def force_logout(
    request: Request, user: SupervisorAction, agent_id: AgentId, body: SeatForceCreate
) -> dict[str, str]:
    console = _console(request)
    found = console.campaign_floor_of_seat(agent_id)
    await console.seats.force_logout(
        found.desk, found.port, agent_id, reason=body.reason, supervisor=user.name
    )
    return {"agent_id": agent_id, "state": "logged_out"}


@router.post("/api/campaigns/{campaign_id}/status", summary="Start, pause or stop a campaign")
def campaign_status(
    request: Request, user: SupervisorAction, campaign_id: CampaignId, body: CampaignStatusUpdate
) -> dict[str, str]:
    console = _console(request)
    console.campaigns.set_status(campaign_id, body.status, supervisor=user.name)
    console.stale()
    return {"campaign_id": campaign_id, "status": body.status.value}


@router.post("/api/campaigns/{campaign_id}/mode", summary="Preview, progressive or predictive")
def campaign_mode(
    request: Request, user: SupervisorAction, campaign_id: CampaignId, body: CampaignModeUpdate
) -> dict[str, str]:
    console = _console(request)
    console.campaigns.set_mode(campaign_id, body.mode, supervisor=user.name)
    console.stale()
    return {"campaign_id": campaign_id, "mode": body.mode.value}


@router.post("/api/campaigns/{campaign_id}/dial-level", summary="The lines-per-agent cap")
def campaign_dial_level(
    request: Request, user: SupervisorAction, campaign_id: CampaignId, body: DialLevelUpdate
) -> dict[str, object]:
    console = _console(request)
    console.campaigns.set_dial_level_cap(campaign_id, body.cap, supervisor=user.name)
    console.stale()
    return {"campaign_id": campaign_id, "cap": body.cap}


@router.post("/api/leads/{lead_id}/reassign", summary="Give a lead to another agent")
def reassign(
    request: Request, user: SupervisorAction, lead_id: LeadId, body: LeadReassignCreate
) -> dict[str, object]:
    _console(request).seats.reassign_lead(lead_id, body.agent_id, supervisor=user.name)
    return {"lead_id": lead_id, "agent_id": body.agent_id}
