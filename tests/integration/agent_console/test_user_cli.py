"""`xubao user add|list|disable` end to end on a real (migrated) database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from config.cli import main
from config.db import create_db_engine
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


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_add_list_disable(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "pass-word-1\n")
    assert main(["user", "add", "li", "--role", "agent", "--extension", "1001",
                 "--password-stdin"]) == 0  # fmt: skip
    _stdin(monkeypatch, "pass-word-2\n")
    assert main(["user", "add", "zhao", "--role", "supervisor", "--password-stdin"]) == 0
    assert "User zhao added (supervisor)." in capsys.readouterr().out
    assert main(["user", "disable", "zhao"]) == 0
    capsys.readouterr()
    assert main(["user", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["li", "agent", "1001", "active"]
    assert lines[2].split() == ["zhao", "supervisor", "-", "disabled"]
    assert "pass-word" not in "".join(lines)


def test_refusals_name_the_field(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _stdin(monkeypatch, "short\n")
    assert main(["user", "add", "li", "--role", "qa", "--password-stdin"]) == 2
    assert "password: at least 8 characters" in capsys.readouterr().err
    _stdin(monkeypatch, "long-enough\n")
    assert main(["user", "add", "li", "--role", "agent", "--password-stdin"]) == 2
    assert "extension: an agent needs one" in capsys.readouterr().err
    assert main(["user", "disable", "nobody"]) == 2
    assert "no user nobody" in capsys.readouterr().err


def test_chinese_by_default(
    database: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XUBAO_LANG", "zh_CN")
    _stdin(monkeypatch, "pass-word-1\n")
    assert main(["user", "add", "qa1", "--role", "qa", "--password-stdin"]) == 0
    assert "已添加用户 qa1（qa）。" in capsys.readouterr().out
