"""The QA console (``/qa``): find calls, listen with the transcript, score, queue, hold.

Role QA (or admin) on every route; the forms carry the session's CSRF token. A refused action
comes back to its page with a note (``?note=``, one of ``NOTES``), never with a raw error.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent_console.deps import QaAction, QaUser, Services
from agent_console.pages import Pages
from dialer.recording_pauses import pauses_of_call
from recordings.errors import QaError
from recordings.qa import desk
from recordings.qa.holds import place_hold, release_hold
from recordings.qa.sampling import claim_entry, claim_next, release
from recordings.qa.scorecards import Answer, calibration_spread, score_call
from recordings.search import CallFilter

router = APIRouter(prefix="/qa", tags=["qa"])

RecordingId = Annotated[int, Path(ge=1, le=2**31 - 1)]
EntryId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Text = Annotated[str, Form(max_length=2000)]

# What a redirect may say on the page it lands on (the key is in the URL, the words are ours).
NOTES = {
    "claimed": "You hold this call now: score it or give it back.",
    "taken": "Another reviewer holds this call, or you hold another one.",
    "empty": "The queue is empty.",
    "released": "The call is back in the queue.",
    "scored": "Review saved.",
    "held": "The recording is on hold: it will not be purged.",
    "unheld": "The hold is released.",
    "refused": "Not saved: check the form and try again.",
}


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _back(path: str, note: str) -> RedirectResponse:
    return RedirectResponse(f"{path}?note={note}", status_code=303)


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def whole(value: str | None, digits: int = 9) -> int | None:
    """A non-negative integer typed in a form, or None (ASCII digits only: ``"²".isdigit()``)."""
    if value and value.isascii() and value.isdigit() and len(value) <= digits:
        return int(value)
    return None


def _seconds(value: str | None) -> int | None:
    return whole(value, 6)


def _filter(params: dict[str, str | None], zone: ZoneInfo) -> CallFilter:
    """The list's filter from the query; a day is a local calendar day (the node's zone)."""
    since, until = _day(params["date_from"]), _day(params["date_to"])
    return CallFilter(
        agent=params["agent"] or None,
        campaign_id=params["campaign"] or None,
        outcome=params["outcome"] or None,
        since=datetime.combine(since, time(0), zone) if since else None,
        until=datetime.combine(until + timedelta(days=1), time(0), zone) if until else None,
        min_duration_s=_seconds(params["min_s"]),
        max_duration_s=_seconds(params["max_s"]),
        words=params["words"] or None,
    )


@router.get("/", response_class=HTMLResponse, summary="Calls to review, filtered; the queue")
def calls(
    request: Request,
    user: QaUser,
    services: Services,
    agent: Annotated[str | None, Query(max_length=40)] = None,
    campaign: Annotated[str | None, Query(max_length=40)] = None,
    outcome: Annotated[str | None, Query(max_length=24)] = None,
    date_from: Annotated[str | None, Query(max_length=10)] = None,
    date_to: Annotated[str | None, Query(max_length=10)] = None,
    min_s: Annotated[str | None, Query(max_length=6)] = None,
    max_s: Annotated[str | None, Query(max_length=6)] = None,
    words: Annotated[str | None, Query(max_length=100)] = None,
    note: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    params = {
        "agent": agent, "campaign": campaign, "outcome": outcome, "date_from": date_from,
        "date_to": date_to, "min_s": min_s, "max_s": max_s, "words": words,
    }  # fmt: skip
    zone = ZoneInfo(services.timezone)
    with services.sessions() as session:
        rows = desk.call_rows(session, _filter(params, zone))
        return _pages(request).render(
            request,
            "qa_calls.html",
            user=user,
            rows=rows,
            params={k: v or "" for k, v in params.items()},
            choices=desk.filter_choices(session),
            queue=desk.queue_view(session, user.name),
            note=NOTES.get(note or ""),
            tz=zone,
        )


@router.post("/queue/claim", summary="Take the next call of the QA queue")
def queue_claim(user: QaAction, services: Services) -> RedirectResponse:
    with services.sessions.begin() as session:
        entry = claim_next(session, user.name, services.clock.now())
        if entry is None:
            return _back("/qa/", "empty")
        return _back(f"/qa/calls/{entry.recording_id}", "claimed")


@router.post("/queue/{entry_id}/release", summary="Give a claimed call back to the queue")
def queue_release(user: QaAction, services: Services, entry_id: EntryId) -> RedirectResponse:
    with services.sessions.begin() as session:
        done = release(session, entry_id, user.name)
    return _back("/qa/", "released" if done else "taken")


@router.get("/calls/{recording_id}", response_class=HTMLResponse, summary="One call: listen, score")
def call_page(
    request: Request,
    user: QaUser,
    services: Services,
    recording_id: RecordingId,
    note: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    zone = ZoneInfo(services.timezone)
    with services.sessions() as session:
        view = desk.call_view(session, recording_id)
        spreads = []
        for template_id in sorted({r.template_id for r in view.reviews if r.calibration}):
            spreads.append(calibration_spread(session, recording_id, template_id))
        return _pages(request).render(
            request,
            "qa_call.html",
            user=user,
            view=view,
            templates=desk.templates(session, active_only=True),
            spreads=spreads,
            # Stretches the agent paused (card details): silence in the audio, said here.
            pauses=[
                {**p, "from": datetime.fromisoformat(str(p["started_at"])).astimezone(zone)}
                for p in pauses_of_call(session, view.recording.call_id)
            ],
            note=NOTES.get(note or ""),
            tz=ZoneInfo(services.timezone),
        )


@router.post("/calls/{recording_id}/claim", summary="Claim this call's queue entry")
def call_claim(
    user: QaAction,
    services: Services,
    recording_id: RecordingId,
    entry_id: Annotated[int, Form(ge=1, le=2**31 - 1)],
) -> RedirectResponse:
    with services.sessions.begin() as session:
        won = claim_entry(session, entry_id, user.name, services.clock.now())
    return _back(f"/qa/calls/{recording_id}", "claimed" if won else "taken")


def _answers(form: dict[str, str], item_ids: list[int]) -> dict[int, Answer]:
    answers = {}
    for item_id in item_ids:
        points = whole(form.get(f"points_{item_id}"), 6)
        if points is None:
            raise QaError(f"item {item_id}: points missing")
        answers[item_id] = Answer(
            points=points,
            failed=form.get(f"failed_{item_id}") == "on",
            comment=form.get(f"comment_{item_id}", "")[:2000],
        )
    return answers


@router.post("/calls/{recording_id}/review", summary="Score this call on a scorecard")
async def call_review(
    request: Request, user: QaAction, services: Services, recording_id: RecordingId
) -> RedirectResponse:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    page = f"/qa/calls/{recording_id}"
    template_id = form.get("template_id", "")
    entry = form.get("entry_id", "")
    try:
        with services.sessions.begin() as session:
            chosen = next(
                (t for t in desk.templates(session, active_only=True) if str(t.id) == template_id),
                None,
            )
            if chosen is None:
                raise QaError("no such active template")
            score_call(
                session,
                recording_id=recording_id,
                template_id=chosen.id,
                reviewer=user.name,
                answers=_answers(form, [item.id for item in chosen.items]),
                comment=form.get("comment", "")[:2000],
                now=services.clock.now(),
                entry_id=whole(entry),
                calibration=form.get("calibration") == "on",
            )
    except QaError:
        return _back(page, "refused")
    return _back(page, "scored")


@router.post("/calls/{recording_id}/hold", summary="Put the recording on QA hold")
def hold(
    user: QaAction, services: Services, recording_id: RecordingId, reason: Text
) -> RedirectResponse:
    page = f"/qa/calls/{recording_id}"
    try:
        with services.sessions.begin() as session:
            place_hold(session, recording_id, by=user.name, reason=reason,
                       now=services.clock.now())  # fmt: skip
    except QaError:
        return _back(page, "refused")
    return _back(page, "held")


@router.post("/calls/{recording_id}/unhold", summary="Release the recording's QA hold")
def unhold(user: QaAction, services: Services, recording_id: RecordingId) -> RedirectResponse:
    page = f"/qa/calls/{recording_id}"
    try:
        with services.sessions.begin() as session:
            release_hold(session, recording_id, by=user.name, now=services.clock.now())
    except QaError:
        return _back(page, "refused")
    return _back(page, "unheld")
