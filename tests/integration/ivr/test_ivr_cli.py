"""`xubao ivr …` end to end on a real SQLite file (migrated) and real prompt files."""

from __future__ import annotations

import json
import wave
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from config.cli import main
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade
from renewals.models import DncReason, DoNotCall
from tests import factories as f


@pytest.fixture
def book(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'xubao.db'}"
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", url)
    monkeypatch.setenv("XUBAO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("XUBAO_LANG", "zh_CN")
    engine = create_db_engine(url)
    upgrade(engine)
    with make_session_factory(engine).begin() as s:
        owner = f.customer(phone="13900139000")
        f.add(s, f.lead(pol=f.policy(car=f.vehicle(owner=owner, plate="沪C12345"),
                                     end_date=date(2026, 5, 7))))  # fmt: skip
    engine.dispose()
    return url


def test_simulate_inbound_opt_out_prints_what_was_heard(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["ivr", "simulate", "inbound", "--caller", "139 0013 9000", "--keys", "9,1",
                 "--at", "2026-05-01T10:00:00"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    assert "沪C一二三四五" in out and "二零二六年五月七日" in out  # the plate and date, spoken
    assert "结果：opt_out" in out
    engine = create_db_engine(book)
    with make_session_factory(engine)() as s:
        (entry,) = s.scalars(select(DoNotCall)).all()
        assert (entry.phone, entry.reason, entry.expires_at) == (
            "13900139000",
            DncReason.OPT_OUT,
            None,
        )
    engine.dispose()


def test_check_reports_missing_prompts_then_synthesis_fills_them(
    book: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ivr", "check", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["flows"] == ["inbound_callback", "opt_out_confirm", "reminder"]
    assert "en/xubao/welcome.wav" in report["missing_prompts"]
    assert main(["ivr", "prompts", "--language", "en"]) == 0
    capsys.readouterr()
    main(["ivr", "check", "--json"])
    still = json.loads(capsys.readouterr().out)["missing_prompts"]
    assert still and all(m.startswith("zh_CN/") for m in still)
    with wave.open(str(tmp_path / "prompts" / "en" / "digits" / "7.wav")) as audio:
        assert (audio.getframerate(), audio.getnchannels(), audio.getsampwidth()) == (8000, 1, 2)
        assert audio.getnframes() > 800  # more than 0.1 s of speech


def test_remind_places_the_reminder_within_hours(
    book: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["leads", "rebuild", "--at", "2026-05-01T01:00:00+08:00"]) == 0
    assert main(["ivr", "remind", "--at", "2026-05-01T10:00:00"]) == 0
    assert "placed=1 failed=0" in capsys.readouterr().out
    assert main(["ivr", "remind", "--at", "2026-05-01T22:00:00"]) == 0
    assert "placed=0 failed=0" in capsys.readouterr().out
