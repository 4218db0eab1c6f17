"""Server-rendered pages: Jinja2 templates with the console catalog, zh_CN unless switched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import HTTPConnection

from agent_console.texts import translator
from renewals.i18n import normalise_language

__all__ = ["LANG_COOKIE", "Pages", "language_of"]

LANG_COOKIE = "xubao_lang"


def language_of(request: HTTPConnection) -> str:
    return normalise_language(request.cookies.get(LANG_COOKIE))


class Pages:
    def __init__(self, directory: Path) -> None:
        self._env = Environment(
            loader=FileSystemLoader(directory),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def translate(self, request: Request, message: str) -> str:
        return translator(language_of(request))(message)

    def render(
        self,
        request: Request,
        template: str,
        status_code: int = 200,
        language: str | None = None,
        **context: Any,
    ) -> HTMLResponse:
        language = language or language_of(request)
        html = self._env.get_template(template).render(
            _=translator(language),
            language=language,
            html_lang="en" if language == "en" else "zh-CN",
            path=request.url.path,
            **context,
        )
        return HTMLResponse(html, status_code=status_code)

    def error(self, request: Request, message: str, status_code: int) -> HTMLResponse:
        return self.render(
            request, "error.html", status_code=status_code, message=message, status=status_code
        )
