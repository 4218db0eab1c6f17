"""`xubao report …` end to end on a real database with the reports' fixed data set."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from config.cli import main
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from tests.integration.reports import dataset

SEAT_FIELDS = [
    "agent", "team", "logged_in_s", "ready_s", "paused_s", "talk_s", "wrap_s", "calls_answered",
    "contacts", "quotes", "wins", "renewal_rate", "premium_written_cents", "avg_premium_cents",
    "gifts",
]  # fmt: skip
AT = ["--at", "2026-12-03T00:00"]


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", db_url)
    monkeypatch.setenv("XUBAO_LANG", "zh_CN")
    engine = create_db_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine).begin() as s:
        dataset.build(s)
    engine.dispose()
    return db_url


def test_seats_json_has_exactly_the_issue_shape(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main(["report", "seats", "--from", "2026-12-01", "--to", "2026-12-01", "--json", *AT]) == 0
    )
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["from", "to", "rows", "totals"]
    assert (document["from"], document["to"]) == ("2026-12-01", "2026-12-01")
    assert all(list(row) == SEAT_FIELDS for row in [*document["rows"], document["totals"]])
    a1 = next(r for r in document["rows"] if r["agent"] == "A1")
    assert a1 == {
        "agent": "A1", "team": "east", "logged_in_s": 59_400, "ready_s": 52_620,
        "paused_s": 5_400, "talk_s": 1_200, "wrap_s": 180, "calls_answered": 1, "contacts": 1,
        "quotes": 2, "wins": 1, "renewal_rate": 1.0, "premium_written_cents": 350_000,
        "avg_premium_cents": 350_000, "gifts": 1,
    }  # fmt: skip
    assert document["totals"]["premium_written_cents"] == 550_001
    assert document["totals"]["avg_premium_cents"] == 275_001


def test_seats_json_detail_and_one_team(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["report", "seats", "--from", "2026-11-30", "--to", "2026-12-01", "--team", "east"]
    assert main([*argv, "--json", "--detail", *AT]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [(r["agent"], r["team"]) for r in document["rows"]] == [("A1", "east"), ("A2", "east")]
    a2 = document["rows"][1]
    assert (a2["calls_offered"], a2["aht_s"], a2["paused_by_reason_s"]) == (
        1,
        660,
        {"meeting": 3600},
    )


def test_seats_xlsx_and_csv_hold_the_figures(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, sheet_csv = tmp_path / "seats.xlsx", tmp_path / "seats.csv"
    argv = ["report", "seats", "--from", "2026-12-01", *AT]
    assert main([*argv, "--xlsx", str(book)]) == 0
    assert main([*argv, "--csv", str(sheet_csv)]) == 0
    assert "已写入 4 行" in capsys.readouterr().out
    rows = list(openpyxl.load_workbook(book, read_only=True).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("坐席", "班组", "登录时长(秒)")
    assert rows[2][:4] == ("A1", "east", 59_400, 52_620)
    assert rows[-1][0] == "合计" and rows[-1][14] == 550_001
    with sheet_csv.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[0][0] == "坐席" and table[2][:3] == ["A1", "east", "59400"]


def test_funnel_and_cohorts_json(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    january = ["--from", "2027-01-01", "--to", "2027-01-31"]
    assert main(["report", "funnel", *january, "--json"]) == 0
    funnel = json.loads(capsys.readouterr().out)
    assert [funnel[k] for k in ("listed", "contacted", "quoted", "won", "lost", "open")] == [
        8, 6, 3, 3, 2, 3,
    ]  # fmt: skip
    assert funnel["lost_by_reason"]["product"] == 1 and funnel["renewal_rate"] == 0.375
    assert main(["report", "cohorts", *january, "--json", "--at", "2027-01-01T10:00"]) == 0
    cohorts = json.loads(capsys.readouterr().out)
    assert [(c["tenure_min"], c["leads"], c["won"]) for c in cohorts["cohorts"]] == [
        (0, 3, 1), (2, 2, 1), (4, 3, 1),
    ]  # fmt: skip
    assert [r["days_left"] for r in cohorts["at_risk"]] == [4, 9]


def test_text_in_chinese_and_a_bad_period_is_refused(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "seats", "--from", "2026-12-01", *AT]) == 0
    text = capsys.readouterr().out
    assert "坐席报表 2026-12-01 至 2026-12-01" in text and "16:30:00" in text  # A1 logged in
    assert main(["report", "seats", "--from", "2026-12-02", "--to", "2026-12-01"]) == 2
    assert "报告期的结束日 (2026-12-01) 早于开始日 (2026-12-02)" in capsys.readouterr().out
    assert main(["report", "compliance", "--campaign", "nope"]) == 2
    assert "没有活动 nope" in capsys.readouterr().out


def test_teams_assign_moves_an_agent_from_a_day_on(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "teams", "assign", "A3", "south", "--from", "2026-12-01"]) == 0
    assert main(["report", "seats", "--from", "2026-12-01", "--json", *AT]) == 0
    rows = json.loads(capsys.readouterr().out.split("\n", 1)[1])["rows"]
    assert ("A3", "south") in [(r["agent"], r["team"]) for r in rows]
