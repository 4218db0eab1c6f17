"""Log in and out, and the language switch (``/auth``)."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from agent_console.accounts import authenticate, end_session, open_session, set_language
from agent_console.deps import COOKIE, CsrfChecked, CurrentUser, Services
from agent_console.errors import CsrfRejected, LoginFailed, TooManyAttempts
from agent_console.models import Role
from agent_console.pages import LANG_COOKIE, Pages, language_of
from renewals.i18n import LANGUAGES

router = APIRouter(prefix="/auth", tags=["auth"])

LOGIN_CSRF_COOKIE = "xubao_login_csrf"
HOME = {
    Role.AGENT: "/agent/",
    Role.SUPERVISOR: "/supervisor/",
    Role.QA: "/qa/",
    Role.ADMIN: "/supervisor/",
}


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _login_page(
    request: Request, message: str = "", status_code: int = 200, language: str | None = None
) -> HTMLResponse:
    # Log-in CSRF: the form carries a value also set as a cookie (double submit).
    token = secrets.token_urlsafe(24)
    response = _pages(request).render(
        request,
        "login.html",
        status_code=status_code,
        language=language,
        csrf_token=token,
        message=message,
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/auth")
    if language:
        response.set_cookie(LANG_COOKIE, language, samesite="strict", max_age=365 * 86400)
    return response


@router.get("/login", response_class=HTMLResponse, summary="The log-in page")
def login_page(request: Request, lang: str | None = None) -> HTMLResponse:
    """``?lang=en`` or ``?lang=zh_CN`` switches the language before logging in."""
    return _login_page(request, language=lang if lang in LANGUAGES else None)


@router.post("/login", summary="Log in; sets the session cookie and goes to the user's page")
def login(
    request: Request,
    services: Services,
    name: Annotated[str, Form(max_length=60)],
    password: Annotated[str, Form(max_length=200)],
    csrf_token: Annotated[str, Form(max_length=100)],
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected.encode(), csrf_token.encode()):
        raise CsrfRejected()
    client = request.client.host if request.client else "-"
    keys = (f"name:{name.lower()}", f"addr:{client}")
    try:
        services.limiter.check(*keys)
    except TooManyAttempts as exc:
        return _login_page(request, _pages(request).translate(request, exc.message), 429)
    try:
        with services.sessions.begin() as session:
            user = authenticate(session, name, password)
            token = open_session(
                session,
                user,
                at=services.clock.now(),
                ttl_s=services.options.session_ttl_s,
                language=language_of(request),
            )
            role = user.role
    except LoginFailed as exc:
        services.limiter.failed(*keys)
        return _login_page(request, _pages(request).translate(request, exc.message), 401)
    services.limiter.succeeded(keys[0])
    response = RedirectResponse(HOME.get(role, "/auth/me"), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=services.options.session_ttl_s,
        httponly=True,
        samesite="strict",
        secure=services.options.secure_cookies,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/auth")
    return response


@router.get("/me", response_class=HTMLResponse, summary="Who is logged in, and their pages")
def me(request: Request, user: CurrentUser) -> HTMLResponse:
    return _pages(request).render(request, "me.html", user=user)


@router.post("/logout", summary="End this session")
def logout(request: Request, services: Services, _user: CsrfChecked) -> Response:
    token = request.cookies.get(COOKIE, "")
    with services.sessions.begin() as session:
        end_session(session, token)
    response = RedirectResponse("/auth/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.post("/language", summary="Switch the language (zh_CN or en)")
def language(
    request: Request,
    services: Services,
    _user: CsrfChecked,
    lang: Annotated[str, Form(max_length=8)],
    back: Annotated[str, Form(max_length=200)] = "/",
) -> Response:
    chosen = lang if lang in LANGUAGES else LANGUAGES[0]
    with services.sessions.begin() as session:
        set_language(session, request.cookies.get(COOKIE, ""), chosen)
    # Only a path of ours: never an open redirect.
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(LANG_COOKIE, chosen, samesite="strict", max_age=365 * 86400)
    return response
