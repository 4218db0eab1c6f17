"""``Annotated`` aliases for the routes: services, the current user, role checks, CSRF.

Role checks chain: ``CurrentUser`` (any valid session) → ``AgentUser`` (role agent, with a
seat), ``SupervisorUser``, ``QaUser``, ``ReportsUser``, ``AdminUser``; the ``…Action`` forms also
check CSRF. Every route and websocket takes one of them; none reads the cookie itself.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, WebSocket

from agent_console.accounts import Principal, principal_of
from agent_console.errors import CsrfRejected, NotLoggedIn, RoleRequired
from agent_console.models import Role
from agent_console.services import ConsoleServices

__all__ = [
    "COOKIE",
    "CSRF_HEADER",
    "AdminUser",
    "AgentAction",
    "AgentUser",
    "CsrfChecked",
    "CurrentUser",
    "QaAction",
    "QaUser",
    "ReportsUser",
    "Services",
    "SupervisorAction",
    "SupervisorUser",
    "principal_for_socket",
]

COOKIE = "xubao_session"
CSRF_HEADER = "X-CSRF-Token"
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


def _services(request: Request) -> ConsoleServices:
    services: ConsoleServices = request.app.state.services
    return services


Services = Annotated[ConsoleServices, Depends(_services)]


def _current(request: Request, services: Services) -> Principal:
    token = request.cookies.get(COOKIE)
    if not token:
        raise NotLoggedIn()
    with services.sessions() as session:
        principal = principal_of(session, token, at=services.clock.now())
    if principal is None:
        raise NotLoggedIn()
    return principal


CurrentUser = Annotated[Principal, Depends(_current)]


async def _csrf(request: Request, user: CurrentUser) -> Principal:
    """Unsafe methods carry the session's CSRF token: a header (scripts) or a form field."""
    if request.method in _SAFE:
        return user
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        sent = str((await request.form()).get("csrf_token", ""))
    if not hmac.compare_digest(sent.encode(), user.csrf_token.encode()):
        raise CsrfRejected()
    return user


CsrfChecked = Annotated[Principal, Depends(_csrf)]


def _agent(user: CurrentUser) -> Principal:
    if user.role is not Role.AGENT or not user.agent_id:
        raise RoleRequired(user.role.value, Role.AGENT.value)
    return user


AgentUser = Annotated[Principal, Depends(_agent)]


def _agent_csrf(user: CsrfChecked) -> Principal:
    return _agent(user)


AgentAction = Annotated[Principal, Depends(_agent_csrf)]
"""An agent's unsafe request (role checked, CSRF checked)."""


def _one_of(*roles: Role) -> tuple[Callable[..., Principal], Callable[..., Principal]]:
    """A read dependency and an unsafe-request (CSRF-checked) dependency for these roles."""

    def read(user: CurrentUser) -> Principal:
        if user.role not in roles:
            raise RoleRequired(user.role.value, "/".join(r.value for r in roles))
        return user

    def act(user: CsrfChecked) -> Principal:
        return read(user)

    return read, act


# Admins may open every page but an agent's own (they have no seat).
_supervisor_read, _supervisor_act = _one_of(Role.SUPERVISOR, Role.ADMIN)
_qa_read, _qa_act = _one_of(Role.QA, Role.ADMIN)
_reports_read, _ = _one_of(Role.SUPERVISOR, Role.ADMIN)
_admin_read, _ = _one_of(Role.ADMIN)

SupervisorUser = Annotated[Principal, Depends(_supervisor_read)]
SupervisorAction = Annotated[Principal, Depends(_supervisor_act)]
QaUser = Annotated[Principal, Depends(_qa_read)]
QaAction = Annotated[Principal, Depends(_qa_act)]
ReportsUser = Annotated[Principal, Depends(_reports_read)]
AdminUser = Annotated[Principal, Depends(_admin_read)]


def principal_for_socket(websocket: WebSocket, services: ConsoleServices) -> Principal | None:
    """The websocket's user, if its session is valid and the page it came from is ours.

    Browsers send cookies with cross-site websocket handshakes too, so the Origin must be
    this host (cross-site websocket hijacking).
    """
    origin = websocket.headers.get("origin")
    host = websocket.headers.get("host", "")
    if origin is not None and origin.split("://", 1)[-1] != host:
        return None
    token = websocket.cookies.get(COOKIE)
    if not token:
        return None
    with services.sessions() as session:
        return principal_of(session, token, at=services.clock.now())
