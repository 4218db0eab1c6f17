"""``build_app(services)``: the FastAPI app of the consoles, its routers and error mapping.

HTTP status codes live here only: each console, seat, dialer or renewals error maps to one.
Pages get an HTML answer (or the log-in page), ``/api/`` paths a JSON ``{"detail", "error"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from agent_console import errors as e
from agent_console.accounts import principal_of
from agent_console.call_controls import CallControlService
from agent_console.deps import COOKIE
from agent_console.events import PopService, consume
from agent_console.heartbeats import Heartbeats
from agent_console.pages import Pages
from agent_console.routes import (
    agent,
    agent_work,
    auth,
    calls,
    qa,
    qa_admin,
    qa_audio,
    qa_mine,
    supervisor,
    supervisor_ws,
    ws,
)
from agent_console.routes import reports as report_pages
from agent_console.routes.auth import HOME
from agent_console.seat import SeatService
from agent_console.services import ConsoleServices
from agent_console.supervisor_feed import SupervisorConsole
from agent_console.work import WorkService
from agent_console.worktools import WorkTools
from dialer.errors import BackendUnavailable, DialerError, SeatTransitionNotAllowed
from recordings.errors import AccessDenied, QaError, RecordingNotFound, UnsafePath
from renewals.errors import InvalidDisposition, RenewalsError
from reports.documents import ReportDocuments
from reports.errors import InvalidPeriod, PeriodTooLong, ReportsError, UnknownCampaign

__all__ = ["build_app"]

_STATUS: tuple[tuple[type[Exception], int], ...] = (
    (e.NotLoggedIn, 401),
    (e.LoginFailed, 401),
    (e.TooManyAttempts, 429),
    (e.CsrfRejected, 403),
    (e.RoleRequired, 403),
    (e.NotYours, 403),
    (e.NotFound, 404),
    (e.SeatProblem, 409),
    (e.AccountError, 422),
    (SeatTransitionNotAllowed, 409),
    (BackendUnavailable, 503),
    (DialerError, 409),
    (InvalidDisposition, 422),
    (RenewalsError, 409),
    (AccessDenied, 403),
    (UnsafePath, 403),
    (RecordingNotFound, 404),
    (QaError, 409),
    (InvalidPeriod, 422),
    (PeriodTooLong, 422),
    (UnknownCampaign, 404),
    (ReportsError, 409),
)


def _status(exc: Exception) -> int:
    return next(code for kind, code in _STATUS if isinstance(exc, kind))


def build_app(services: ConsoleServices) -> FastAPI:
    seats = SeatService(
        sessions=services.sessions, floor=services.floor, options=services.options,
        clock=services.clock,
    )  # fmt: skip
    work_tools = WorkTools(services, seats)
    pops = PopService(
        sessions=services.sessions, clock=services.clock, hub=services.hub, seats=seats,
        quoting=services.quoting, timezone=services.timezone, gifts=work_tools.gifts_on_offer,
    )  # fmt: skip
    supervising = SupervisorConsole(services)

    controls = CallControlService(
        sessions=services.sessions, seats=seats, options=services.options, clock=services.clock
    )

    heartbeats = Heartbeats(
        sessions=services.sessions, clock=services.clock, seats=seats, hub=services.hub,
    )  # fmt: skip

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tasks = [
            asyncio.create_task(consume(services.bus, pops), name="console-bus"),
            asyncio.create_task(heartbeats.run(), name="console-heartbeats"),
            asyncio.create_task(supervising.run(), name="console-floor"),
            asyncio.create_task(controls.follow(services.bus), name="console-calls"),
        ]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await controls.close()

    app = FastAPI(title="Xubao consoles", version="0.1.0", lifespan=lifespan)
    app.state.services = services
    app.state.seats = seats
    app.state.pops = pops
    app.state.calls = controls
    app.state.heartbeats = heartbeats
    app.state.work = WorkService(services, seats)
    app.state.supervisor = supervising
    app.state.work_tools = work_tools
    app.state.pages = Pages(Path(__file__).parent / "templates")
    app.state.report_documents = ReportDocuments(
        sessions=services.sessions, rules=services.cadence, timezone=services.timezone
    )
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    app.include_router(auth.router)
    app.include_router(agent.router)
    app.include_router(calls.router)
    app.include_router(agent_work.router)
    app.include_router(ws.router)
    app.include_router(qa.router)
    app.include_router(qa_admin.router)
    app.include_router(qa_mine.router)
    app.include_router(qa_audio.router)
    app.include_router(supervisor.router)
    app.include_router(supervisor_ws.router)
    app.include_router(report_pages.router)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> Response:
        """Each user's own page: agents the agent page, the other roles their account page."""
        token = request.cookies.get(COOKIE)
        with services.sessions() as session:
            user = principal_of(session, token, at=services.clock.now()) if token else None
        if user is None:
            return RedirectResponse("/auth/login", status_code=303)
        return RedirectResponse(HOME.get(user.role, "/auth/me"), status_code=303)

    async def on_error(request: Request, exc: Exception) -> Response:
        status = _status(exc)
        pages: Pages = request.app.state.pages
        message = getattr(exc, "message", str(exc))
        if "/api/" in request.url.path or request.method != "GET":
            detail = pages.translate(request, message)
            body: dict[str, object] = {"detail": detail, "error": type(exc).__name__}
            field = getattr(exc, "field", None) or getattr(exc, "details", {}).get("field")
            if field:
                body["field"] = field
            headers = {}
            if isinstance(exc, e.TooManyAttempts):
                headers["Retry-After"] = str(int(exc.retry_after_s) + 1)
            return JSONResponse(body, status_code=status, headers=headers)
        if status == 401:
            return RedirectResponse("/auth/login", status_code=303)
        return pages.error(request, message, status)

    for kind, _code in _STATUS:
        app.add_exception_handler(kind, on_error)
    return app
