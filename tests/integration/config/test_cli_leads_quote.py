"""`xubao leads due`, `xubao leads rebuild` and `xubao quote` end to end on a real database."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.cli import main
from config.db import create_db_engine, make_session_factory
from config.exits import ExitCode
from config.migrate import upgrade
from renewals.models import Quote
from tests import factories as f


@pytest.fixture
def book(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", db_url)
    engine = create_db_engine(db_url)
    upgrade(engine)
    with make_session_factory(engine).begin() as s:
        car = f.vehicle(plate="沪C12345", owner=f.customer(tenure_years=1))
        f.add(s, f.policy(car=car, end_date=date(2026, 6, 10), ncd_level=0, claim_count=0))
        f.add(s, f.policy(end_date=date(2026, 6, 25)))
        f.add(s, f.policy(end_date=date(2026, 9, 1)))  # not yet on the list
    engine.dispose()
    return db_url


def test_rebuild_then_due_lists_leads_with_reasons_as_json(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "leads", "rebuild", "--at", "2026-05-01T01:00:00+08:00"]) == 0
    assert "2 leads created" in capsys.readouterr().out
    assert main(["leads", "due", "--at", "2026-05-01T10:00:00", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # The 25 June policy is on the list (T-55) but its first call is at T-50.
    assert [(x["plate"], x["days_left"], x["reason"]["code"]) for x in out["leads"]] == [
        ("沪C12345", 40, "quote")
    ]
    assert out["leads"][0]["reason"]["zh"] == "报价及促成"


def test_due_text_output_and_night_time(book: str, capsys: pytest.CaptureFixture[str]) -> None:
    main(["leads", "rebuild", "--at", "2026-05-20T01:00:00+08:00"])
    capsys.readouterr()
    assert main(["--lang", "en", "leads", "due", "--at", "2026-05-20T21:00:00"]) == 0
    assert capsys.readouterr().out.startswith("0 leads due at 2026-05-20T21:00:00+08:00")
    assert main(["--lang", "en", "leads", "due", "--at", "2026-05-20T20:59:59"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("2 leads due")
    assert "138****" in text  # phone numbers are masked
    assert "quote and close" in text and "报价" not in text
    assert main(["leads", "due", "--at", "2026-05-20T20:59:59"]) == 0
    assert "报价及促成" in capsys.readouterr().out


def test_quote_prints_the_panel_and_stores_it(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["leads", "rebuild", "--at", "2026-05-01T01:00:00+08:00"])
    capsys.readouterr()
    assert main(["quote", "沪C12345", "--json", "--at", "2026-05-02T10:00:00+08:00"]) == 0
    panel = json.loads(capsys.readouterr().out)
    assert panel["ncd"]["level"] == -1
    assert panel["ncd"]["reason"]["en"].startswith("1 consecutive claim-free year(s)")
    # 300000 × 0.8 = 240000 and 100000 × 0.8 = 80000 (last year's level 0)
    assert [x["new_premium_cents"] for x in panel["lines"]] == [240_000, 80_000]
    assert panel["compulsory"]["premium_cents"] == 85_500
    assert panel["total_cents"] == 240_000 + 80_000 + 85_500 + 48_000
    assert panel["quote_id"] is not None
    assert main(["quote", "沪C12345", "--at", "2026-05-02T10:00:00+08:00"]) == 0
    text = capsys.readouterr().out
    assert "NCD 0 → -1" in text and "¥3,200.00" in text
    assert "商业险合计" in text and "已保存报价 #" in text
    assert main(["--lang", "en", "quote", "沪C12345", "--at", "2026-05-02T10:00:00+08:00"]) == 0
    english = capsys.readouterr().out
    assert "Commercial total" in english and "quote #" in english
    assert "1 consecutive claim-free year(s)" in english
    # Only the data (name, model) stays Chinese: no label does.
    assert not any(word in english for word in ("险种", "合计", "客户", "上年", "座位", "交强"))
    engine = create_db_engine(book)
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Quote)) == 3
    engine.dispose()


def test_due_counts_every_due_lead_while_the_limit_cuts_the_list(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["leads", "rebuild", "--at", "2026-05-20T01:00:00+08:00"])
    capsys.readouterr()
    assert main(["--lang", "en", "leads", "due", "--at", "2026-05-20T10:00", "--limit", "1"]) == 0
    header, more, *rows = capsys.readouterr().out.splitlines()
    assert header == "2 leads due at 2026-05-20T10:00:00+08:00"
    assert more == "showing the first 1 (--limit 0 shows all)"
    assert len(rows) == 1
    assert main(["leads", "due", "--at", "2026-05-20T10:00", "--limit", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["total_due"], len(out["leads"])) == (2, 1)


def test_times_are_shown_in_the_configured_time_zone(
    book: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["leads", "due", "--at", "2026-05-20T02:00:00Z", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["at"] == "2026-05-20T10:00:00+08:00"
    monkeypatch.setenv("XUBAO_TIMEZONE", "Asia/Urumqi")
    assert main(["leads", "due", "--at", "2026-05-20T02:00:00Z", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["at"] == "2026-05-20T08:00:00+06:00"


@pytest.mark.parametrize("written", ["沪c12345", "沪Ｃ１２３４５", " 沪C·12345 ", "沪c-123 45"])
def test_quote_finds_a_plate_written_as_the_importer_reads_it(
    book: str, capsys: pytest.CaptureFixture[str], written: str
) -> None:
    assert main(["quote", written, "--json", "--at", "2026-05-02T10:00:00+08:00"]) == 0
    assert json.loads(capsys.readouterr().out)["vehicle"]["plate"] == "沪C12345"


def test_quote_unknown_plate_is_refused_on_stderr(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["quote", "沪Z00000"]) == ExitCode.REFUSED
    captured = capsys.readouterr()
    assert "no vehicle with plate 沪Z00000" in captured.err and captured.out == ""
