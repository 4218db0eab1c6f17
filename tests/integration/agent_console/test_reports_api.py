"""The report API and downloads against a real ``xubao serve``: the same figures as
``xubao report … --json``, worked by hand on one day of work; roles; bad periods."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from dialer.models import CampaignMode
from tests.console_floor import Server, serving
from tests.integration.agent_console.conftest import log_in
from tests.report_floor import ReportDay, write_report_day

API = ("seats", "funnel", "cohorts", "compliance")


@pytest.fixture(scope="module")
def floor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, ReportDay, Path]]:
    directory = tmp_path_factory.mktemp("reports")
    url = f"sqlite:///{directory / 'xubao.db'}"
    with serving(url, directory, mode=CampaignMode.PREVIEW) as running:
        yield running, write_report_day(url), directory


def _query(day: ReportDay) -> str:
    return f"from={day.day}&to={day.day}&campaign=c1"


def _cli(directory: Path, server: Server, *args: str) -> dict[str, object]:
    env = {**os.environ, "XUBAO_DATABASE_URL": server.floor.database_url,
           "XUBAO_DATA_DIR": str(directory),
           "XUBAO_CONFIG_FILE": str(directory / "none.toml")}  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "config.cli", "report", *args, "--json"],
                          env=env, capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    document: dict[str, object] = json.loads(done.stdout)
    return document


def test_the_api_serves_the_figures_worked_by_hand(
    floor: tuple[Server, ReportDay, Path],
) -> None:
    server, day, _ = floor
    client, _ = log_in(server, "super1")
    seats = client.get(f"/reports/api/seats?{_query(day)}").json()
    rows = {r["agent"]: r for r in seats["rows"]}
    assert set(rows) == {"1001", "1002"}
    one, two = rows["1001"], rows["1002"]
    assert (one["team"], one["logged_in_s"], one["talk_s"], one["wrap_s"]) == (
        "east",
        3600,
        600,
        60,
    )
    assert (one["calls_answered"], one["wins"], one["premium_written_cents"], one["gifts"]) == (
        1, 1, 450_000, 1)  # fmt: skip
    assert (two["team"], two["talk_s"], two["wins"], two["renewal_rate"]) == ("west", 300, 0, 0.0)
    assert seats["totals"]["calls_answered"] == 2
    east = client.get(f"/reports/api/seats?{_query(day)}&team=east").json()
    assert [r["agent"] for r in east["rows"]] == ["1001"]
    compliance = client.get(f"/reports/api/compliance?{_query(day)}").json()
    assert compliance["days"] == [{"day": day.day.isoformat(), "live_answers": 3, "abandoned": 1,
                                   "abandon_rate_pct": 33.333}]  # fmt: skip
    trend = compliance["trend_30d"]
    assert len(trend) == 30 and trend[-1]["day"] == day.day.isoformat()
    assert trend[-1]["abandoned"] == 1 and sum(d["live_answers"] for d in trend) == 3


def test_the_api_and_the_command_line_agree(floor: tuple[Server, ReportDay, Path]) -> None:
    server, day, directory = floor
    client, _ = log_in(server, "admin1")
    period = ("--from", day.day.isoformat(), "--to", day.day.isoformat())
    for name, extra in (("seats", ("--detail",)), ("funnel", ()), ("cohorts", ())):
        api = client.get(f"/reports/api/{name}?{_query(day)}").json()
        api.pop("team", None)
        cli = _cli(directory, server, name, *period, *extra)
        cli.pop("team", None)
        assert api == cli, name
    api = client.get(f"/reports/api/compliance?{_query(day)}").json()
    for key in ("from", "to", "trend_30d"):
        api.pop(key)
    assert api == _cli(directory, server, "compliance", "--campaign", "c1", *period)


def test_downloads_are_the_tables_in_the_users_language(
    floor: tuple[Server, ReportDay, Path],
) -> None:
    server, day, _ = floor
    client, _ = log_in(server, "super1")
    answer = client.get(f"/reports/api/export/seats?{_query(day)}&format=xlsx")
    assert answer.status_code == 200
    assert "attachment" in answer.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "坐席"  # Chinese unless English is chosen
    won = values[0].index("续保成功")
    assert {r[0]: r[won] for r in values[1:3]} == {"1001": 1, "1002": 0}
    client.cookies.set("xubao_lang", "en")
    answer = client.get(f"/reports/api/export/funnel?{_query(day)}&format=csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert rows[0] == ["Stage", "Leads"]


def test_agents_and_qa_are_refused_every_report_route(
    floor: tuple[Server, ReportDay, Path],
) -> None:
    server, day, _ = floor
    for name in ("agent1", "qa1"):
        client, _ = log_in(server, name)
        assert client.get("/reports/").status_code == 403
        for path in API:
            answer = client.get(f"/reports/api/{path}?{_query(day)}")
            assert answer.status_code == 403 and answer.json()["error"] == "RoleRequired"
        assert client.get(f"/reports/api/export/seats?{_query(day)}").status_code == 403


def test_bad_periods_are_refused(floor: tuple[Server, ReportDay, Path]) -> None:
    server, _, _ = floor
    client, _ = log_in(server, "super1")
    assert client.get("/reports/api/seats?from=2026-11-02&to=2026-11-01").status_code == 422
    assert client.get("/reports/api/seats?from=2025-01-01&to=2026-11-01").status_code == 422
    assert client.get("/reports/api/funnel?to=0001-01-02").status_code == 422
    assert client.get("/reports/api/compliance?campaign=nope").status_code == 404
