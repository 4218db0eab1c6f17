"""The agent's call controls (``/agent/api/calls``): hold, mute, transfers, recording pause.

Agent role only, CSRF on every POST; only on the agent's own current call (403 for another
call, 409 when there is no call to control). Routes parse, call ``CallControlService`` and
shape the reply: no SQL and no telephony here.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field

from agent_console.call_controls import CallControlService
from agent_console.deps import AgentAction, AgentUser
from dialer.telephony.port import TargetKind, TransferTarget

router = APIRouter(prefix="/agent/api/calls", tags=["calls"])

CallId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


class HoldUpdate(BaseModel):
    held: bool


class MuteUpdate(BaseModel):
    muted: bool


class RecordingUpdate(BaseModel):
    paused: bool


class TransferCreate(BaseModel):
    """``kind`` agent / supervisor (``id`` = their extension) or queue (``id`` = its name);
    ``attended``: consult the target first (agents and supervisors only)."""

    kind: Literal["agent", "supervisor", "queue"]
    id: str = Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")
    attended: bool = False


def _calls(request: Request) -> CallControlService:
    calls: CallControlService = request.app.state.calls
    return calls


@router.get("/targets", summary="Who this agent may transfer to")
def targets(request: Request, user: AgentUser) -> dict[str, object]:
    return _calls(request).targets(user.agent_id)


@router.get(
    "/{call_id}", summary="The call's controls (hold, mute, pause) and its recording pauses"
)
def controls(request: Request, user: AgentUser, call_id: CallId) -> dict[str, object]:
    return _calls(request).state(user.agent_id, call_id)


@router.post("/{call_id}/hold", summary="Put the customer on hold, or take them off hold")
async def hold(
    request: Request, user: AgentAction, call_id: CallId, body: HoldUpdate
) -> dict[str, object]:
    return await _calls(request).hold(user.agent_id, call_id, held=body.held)


@router.post("/{call_id}/mute", summary="Mute or unmute the agent toward the customer")
async def mute(
    request: Request, user: AgentAction, call_id: CallId, body: MuteUpdate
) -> dict[str, object]:
    return await _calls(request).mute(user.agent_id, call_id, muted=body.muted)


@router.post("/{call_id}/transfer", summary="Blind transfer, or start an attended one")
async def transfer(
    request: Request, user: AgentAction, call_id: CallId, body: TransferCreate
) -> dict[str, object]:
    target = TransferTarget(TargetKind(body.kind), body.id)
    return await _calls(request).transfer(user.agent_id, call_id, target, attended=body.attended)


@router.post("/{call_id}/consult/complete", summary="Complete the attended transfer")
async def complete(request: Request, user: AgentAction, call_id: CallId) -> dict[str, object]:
    return await _calls(request).complete_consult(user.agent_id, call_id)


@router.post("/{call_id}/consult/cancel", summary="Cancel the consultation, back to the customer")
async def cancel(request: Request, user: AgentAction, call_id: CallId) -> dict[str, object]:
    return await _calls(request).cancel_consult(user.agent_id, call_id)


@router.post(
    "/{call_id}/recording",
    summary="Pause the recording (card details) or resume it; it resumes by itself at the limit",
)
async def recording(
    request: Request, user: AgentAction, call_id: CallId, body: RecordingUpdate
) -> dict[str, object]:
    return await _calls(request).pause_recording(user.agent_id, call_id, paused=body.paused)
