"""A real ``xubao serve`` on SQLite and one on PostgreSQL, and logged-in clients."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from dialer.models import CampaignMode
from tests.conftest import _fresh_postgres_database
from tests.console_floor import PASSWORD, Server, serving


# One server per backend for the whole package: starting one costs seconds.
@pytest.fixture(
    scope="package", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("console")
    if request.param == "sqlite":
        with serving(f"sqlite:///{directory / 'xubao.db'}", directory,
                     mode=CampaignMode.PROGRESSIVE) as running:  # fmt: skip
            yield running
        return
    for url in _fresh_postgres_database():
        with serving(url, directory, mode=CampaignMode.PROGRESSIVE) as running:
            yield running


def log_in(server: Server, name: str, password: str = PASSWORD) -> tuple[httpx.Client, str]:
    """A client holding ``name``'s session cookie, and the session's CSRF token."""
    client = httpx.Client(base_url=server.url, timeout=20)
    page = client.get("/auth/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/auth/login", data={"name": name, "password": password, "csrf_token": token.group(1)}
    )
    assert answer.status_code == 303, answer.text
    home = client.get("/auth/me")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', home.text)
    assert csrf is not None
    return client, csrf.group(1)
