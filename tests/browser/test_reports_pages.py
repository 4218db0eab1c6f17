"""The report page in Chromium against a real ``xubao serve``: a supervisor sees the charts drawn
from the API's figures and downloads the XLSX; an agent is refused page and API."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import log_in, shot
from tests.console_floor import Server
from tests.report_floor import ReportDay, write_report_day


@pytest.fixture(scope="module")
def report_day(server: Server) -> ReportDay:
    return write_report_day(server.floor.database_url)


def _query(day: ReportDay) -> str:
    return f"from={day.day}&to={day.day}&campaign=c1"


def test_a_supervisor_sees_the_charts_and_downloads_the_xlsx(
    browser: Browser, server: Server, report_day: ReportDay, tmp_path: Path
) -> None:
    page = log_in(browser, server, "super1")
    page.goto(f"{server.url}reports/?{_query(report_day)}")
    expect(page.locator("#reports")).to_have_attribute("data-loaded", "1")
    expect(page.locator("#seats h2")).to_contain_text("坐席排名")  # Chinese by default

    def api(name: str) -> dict[str, object]:
        answer = page.request.get(f"{server.url}reports/api/{name}?{_query(report_day)}")
        assert answer.status == 200
        document: dict[str, object] = answer.json()
        return document

    seats, funnel, cohorts, compliance = (api(n) for n in ("seats", "funnel", "cohorts",
                                                          "compliance"))  # fmt: skip
    rows = [r for r in seats["rows"] if r["agent"] is not None]  # type: ignore[attr-defined]
    bars = page.locator("#chart-seats g.bar")
    expect(bars).to_have_count(len(rows))
    drawn = {bars.nth(i).get_attribute("data-key"): bars.nth(i).get_attribute("data-value")
             for i in range(len(rows))}  # fmt: skip
    assert drawn == {r["agent"]: str(r["wins"]) for r in rows} == {"1001": "1", "1002": "0"}
    assert bars.first.get_attribute("data-key") == "1001"  # ranked by renewals won
    expect(bars.first.locator("text.label")).to_have_text("1001 · east")

    stages = page.locator("#chart-funnel g.stage")
    expect(stages).to_have_count(5)
    for i, key in enumerate(("listed", "contacted", "quoted", "won", "lost")):
        assert stages.nth(i).get_attribute("data-key") == key
        assert stages.nth(i).get_attribute("data-value") == str(funnel[key])

    bands = cohorts["cohorts"]
    assert isinstance(bands, list)
    expect(page.locator("#chart-cohort-rate g.cohort-rate")).to_have_count(len(bands))
    targets = page.locator("#chart-cohort-contacts g.cohort-contacts")
    expect(targets).to_have_count(len(bands))
    assert [targets.nth(i).get_attribute("data-target-min") for i in range(len(bands))] == [
        str(b["target_min_contacts"]) for b in bands
    ]

    points = page.locator("#chart-abandon circle.point")
    expect(points).to_have_count(30)
    trend = compliance["trend_30d"]
    assert isinstance(trend, list)
    last = points.nth(29)
    assert last.get_attribute("data-day") == report_day.day.isoformat() == trend[-1]["day"]
    assert float(last.get_attribute("data-rate") or "nan") == trend[-1]["abandon_rate_pct"]
    assert trend[-1]["abandon_rate_pct"] == 33.333  # 1 abandoned of 3 live answers
    expect(page.locator("#chart-abandon circle.point.over")).to_have_count(1)  # over the 3 % cap
    expect(page.locator("#chart-abandon line.cap")).to_have_attribute("data-cap", "3")
    expect(page.locator("#table-seats tbody tr")).to_have_count(len(rows) + 1)  # and the total
    shot(page, "20-reports-supervisor")

    with page.expect_download() as info:
        page.click("#dl-seats-xlsx")
    saved = tmp_path / "seats.xlsx"
    info.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    won = values[0].index("续保成功")
    premium = values[0].index("保费(分)")
    by_agent = {r[0]: r for r in values[1:] if r[0] in ("1001", "1002")}
    for row in rows:
        assert by_agent[row["agent"]][won] == row["wins"]
        assert by_agent[row["agent"]][premium] == row["premium_written_cents"]

    page.click("#lang-switch")
    expect(page.locator("#seats h2")).to_contain_text("Seat ranking")
    expect(page.locator("#reports")).to_have_attribute("data-loaded", "1")
    shot(page, "21-reports-supervisor-english")
    page.context.close()


def test_an_agent_is_refused_the_page_and_the_api(
    browser: Browser, server: Server, report_day: ReportDay
) -> None:
    page = log_in(browser, server, "agent1")
    answer = page.goto(f"{server.url}reports/?{_query(report_day)}")
    assert answer is not None and answer.status == 403
    shot(page, "22-reports-agent-refused")
    for name in ("seats", "funnel", "cohorts", "compliance"):
        refused = page.request.get(f"{server.url}reports/api/{name}?{_query(report_day)}")
        assert refused.status == 403 and refused.json()["error"] == "RoleRequired"
    download = page.request.get(f"{server.url}reports/api/export/seats?{_query(report_day)}")
    assert download.status == 403
    page.context.close()
