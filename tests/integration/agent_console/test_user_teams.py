"""Agents' teams: set with `xubao user add --team` or `xubao user team`, read by the
supervisors' grid (``teams_by_extension``)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from agent_console.accounts import teams_by_extension
from config.cli import main
from config.db import create_db_engine, make_session_factory
from config.migrate import upgrade


@pytest.fixture
def database(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    monkeypatch.setenv("XUBAO_DATABASE_URL", db_url)
    monkeypatch.setenv("XUBAO_LANG", "en")
    engine = create_db_engine(db_url)
    upgrade(engine)
    engine.dispose()
    return db_url


def _add(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO("pass-word-1\n"))
    return main(["user", "add", *args, "--password-stdin"])


def test_teams_set_at_creation_and_changed_later(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(monkeypatch, "li", "--role", "agent", "--extension", "1001", "--team", "一组") == 0
    assert _add(monkeypatch, "wang", "--role", "agent", "--extension", "1002") == 0
    assert _add(monkeypatch, "zhao", "--role", "supervisor", "--team", "一组") == 0
    assert main(["user", "team", "wang", "二组"]) == 0
    assert "User wang is in team 二组." in capsys.readouterr().out
    engine = create_db_engine(database)
    with make_session_factory(engine)() as session:
        assert teams_by_extension(session) == {"1001": "一组", "1002": "二组"}  # agents only
    assert main(["user", "team", "li"]) == 0  # no team given: out of any team
    with make_session_factory(engine)() as session:
        assert teams_by_extension(session) == {"1002": "二组"}
    engine.dispose()


def test_a_bad_team_name_or_user_is_refused(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _add(monkeypatch, "li", "--role", "agent", "--extension", "1001", "--team", "a b") == 2
    assert "team: up to 40 letters" in capsys.readouterr().err
    assert main(["user", "team", "nobody", "一组"]) == 2
    assert "no user nobody" in capsys.readouterr().err
