"""schemathesis over the consoles' OpenAPI, logged in as each role: no server error (5xx).

Every operation gets generated requests (valid and not) with the role's session cookie and CSRF
token; 4xx answers are the point for bad input and wrong roles, 5xx never is.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.openapi import from_url

from dialer.models import CampaignMode
from tests.console_floor import Server, serving
from tests.integration.agent_console.conftest import log_in

ROLES = ("agent1", "super1", "qa1", "admin1")


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    directory = tmp_path_factory.mktemp("schemathesis")
    url = f"sqlite:///{directory / 'xubao.db'}"
    with serving(url, directory, mode=CampaignMode.PREVIEW) as running:
        yield running


@pytest.fixture(scope="module")
def api_schema(live: Server) -> schemathesis.BaseSchema:
    return from_url(live.url + "openapi.json")


@pytest.fixture(scope="module")
def sessions(live: Server) -> dict[str, tuple[dict[str, str], dict[str, str]]]:
    found = {}
    for name in ROLES:
        client, csrf = log_in(live, name)
        found[name] = (dict(client.cookies), {"X-CSRF-Token": csrf})
    return found


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_for_any_role(
    case: Case, live: Server, sessions: dict[str, tuple[dict[str, str], dict[str, str]]]
) -> None:
    if case.path in ("/auth/logout",):
        return  # would end the shared session every other example uses
    for name in ROLES:
        cookies, headers = sessions[name]
        response = case.call(base_url=live.url.rstrip("/"), cookies=cookies, headers=headers,
                             allow_redirects=False)  # fmt: skip
        assert response.status_code < 500, (name, case.method, case.path, response.text[:300])
