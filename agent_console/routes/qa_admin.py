"""Scorecard templates, edited by admins (``/qa/templates``).

A template is never changed in place once made: reviews keep the template they were scored
with, so an admin makes a new one and withdraws the old (``active`` off).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from agent_console.accounts import Principal
from agent_console.deps import AdminUser, CsrfChecked, Services
from agent_console.errors import RoleRequired
from agent_console.models import Role
from agent_console.pages import Pages
from agent_console.routes.qa import whole
from recordings.errors import QaError
from recordings.qa import desk
from recordings.qa.scorecards import create_template, set_template_active

router = APIRouter(prefix="/qa/templates", tags=["qa"])

NOTES = {
    "created": "Template saved.",
    "refused": "Not saved: check the form and try again.",
    "changed": "Template updated.",
}


def _admin_action(user: CsrfChecked) -> Principal:
    if user.role is not Role.ADMIN:
        raise RoleRequired(user.role.value, Role.ADMIN.value)
    return user


AdminAction = Annotated[Principal, Depends(_admin_action)]


def parse_items(text: str) -> list[tuple[str, int, bool]]:
    """One item a line: ``label | points`` or ``label | points | fail`` (instant fail)."""
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        points = whole(parts[1], 6) if len(parts) in (2, 3) else None
        if points is None or not parts[0]:
            raise QaError(f"bad item line {line!r}")
        fail = len(parts) == 3 and parts[2].lower() in {"fail", "x", "1", "yes", "否决"}
        items.append((parts[0][:200], points, fail))
    return items


@router.get("/", response_class=HTMLResponse, summary="Scorecard templates (admin)")
def templates_page(
    request: Request,
    user: AdminUser,
    services: Services,
    note: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    with services.sessions() as session:
        return pages.render(
            request,
            "qa_templates.html",
            user=user,
            templates=desk.templates(session, active_only=False),
            note=NOTES.get(note or ""),
        )


@router.post("/", summary="Make a scorecard template")
def create(
    user: AdminAction,
    services: Services,
    name: Annotated[str, Form(min_length=1, max_length=80)],
    passing_score: Annotated[int, Form(ge=0, le=100_000)],
    items: Annotated[str, Form(max_length=10_000)],
) -> RedirectResponse:
    try:
        with services.sessions.begin() as session:
            if not name.strip():
                raise QaError("a template needs a name")
            if any(t.name == name.strip() for t in desk.templates(session, active_only=False)):
                raise QaError(f"template {name!r} exists")
            create_template(
                session, name=name.strip(), passing_score=passing_score,
                items=parse_items(items), by=user.name, now=services.clock.now(),
            )  # fmt: skip
    except QaError:
        return RedirectResponse("/qa/templates/?note=refused", status_code=303)
    return RedirectResponse("/qa/templates/?note=created", status_code=303)


@router.post("/{template_id}/active", summary="Offer or withdraw a template")
def set_active(
    _user: AdminAction,
    services: Services,
    template_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    active: Annotated[bool, Form()],
) -> RedirectResponse:
    with services.sessions.begin() as session:
        set_template_active(session, template_id, active)
    return RedirectResponse("/qa/templates/?note=changed", status_code=303)
