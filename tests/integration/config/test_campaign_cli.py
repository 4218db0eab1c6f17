"""`xubao campaign …` and `xubao compliance` end to end on a real database."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.cli import main
from config.db import create_db_engine, make_session_factory
from config.exits import ExitCode
from config.migrate import upgrade
from renewals.models import ContactAttempt
from tests import factories as f


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", db_url)
    engine = create_db_engine(db_url)
    upgrade(engine)
    engine.dispose()
    return db_url


def test_a_bad_setting_is_refused_with_its_field(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", "renewals",
                 "--ring-timeout-s", "10"]) == ExitCode.REFUSED  # fmt: skip
    assert "ring_timeout_s: must be at least 15 s" in capsys.readouterr().err
    assert main(["campaign", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("queue", ["Sales", "q", "_sales", "sales-2", "sales 2", "销售"])
def test_a_queue_the_dialplan_cannot_route_is_refused(
    database: str, capsys: pytest.CaptureFixture[str], queue: str
) -> None:
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", queue]) == 4
    err = capsys.readouterr().err
    assert f"queue: {queue!r} cannot be routed by the dialplan (_[a-z0-9].)" in err
    assert main(["campaign", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("hours", ["08:00-20:00", "10:00-21:30", "20:00-10:00"])
def test_hours_outside_the_rules_window_are_refused_saying_the_window(
    database: str, capsys: pytest.CaptureFixture[str], hours: str
) -> None:
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", "renewals",
                 "--hours", hours]) == ExitCode.REFUSED  # fmt: skip
    err = capsys.readouterr().err
    assert f"hours: {hours}" in err
    assert "09:00-21:00" in err or "ends before it starts" in err
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", "renewals",
                 "--hours", "09:00-21:00"]) == 0  # fmt: skip


def test_life_cycle_and_a_stopped_campaign_stays_stopped(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", "renewals",
                 "--mode", "progressive", "--caller-id", "02150001001"]) == 0  # fmt: skip
    for verb in ("start", "pause", "start", "stop"):
        assert main(["campaign", verb, "q4"]) == 0
    assert main(["campaign", "start", "q4"]) == ExitCode.REFUSED
    assert "cannot go from stopped to running" in capsys.readouterr().err
    assert main(["campaign", "list", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["id"], row["mode"], row["status"]) == ("q4", "progressive", "stopped")


def test_compliance_json_names_a_call_outside_hours_and_fails(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", "renewals"]) == 0
    engine = create_db_engine(database)
    with make_session_factory(engine).begin() as s:
        lead = f.lead()
        f.add(s, lead)
        # 22:00 in Shanghai: after the calling window.
        late = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
        s.add(ContactAttempt(lead_id=lead.id, call_id="late-1", campaign_id="q4",
                             started_at=late, ended_at=late, outcome="completed"))  # fmt: skip
        early = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 11:00 in Shanghai
        s.add(ContactAttempt(lead_id=lead.id, call_id="gone-1", campaign_id="q4", started_at=early,
                             ended_at=early, outcome="customer_hung_up"))  # fmt: skip
    engine.dispose()
    capsys.readouterr()
    assert main(["compliance", "--campaign", "q4", "--at", "2026-11-27T00:00:00", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["calls_outside_hours"] == ["late-1"]
    assert report["rolling_30d"] == {
        "live_answers": 1,
        "abandoned": 0,
        "abandon_rate_pct": 0.0,
        "customer_hung_up": 1,  # issue 9 item 7: shown apart, counted in neither
    }
    assert main(["compliance", "--campaign", "nope"]) == ExitCode.REFUSED


def test_info_log_lines_only_with_v_and_always_on_stderr(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["campaign", "create", "q4", "--name", "续保", "--queue", "renewals",
                 "--caller-id", "02150001001"]) == 0  # fmt: skip
    capsys.readouterr()
    assert main(["campaign", "start", "q4"]) == 0
    quiet = capsys.readouterr()
    assert quiet.err == "" and "q4" in quiet.out
    assert main(["-v", "campaign", "pause", "q4"]) == 0
    verbose = capsys.readouterr()
    assert "INFO dialer.campaigns.service" in verbose.err and "campaign q4 → paused" in verbose.err
    assert "INFO" not in verbose.out
