"""``make demo`` ends by saying how to point the CLI at the demo's database."""

from __future__ import annotations

import shlex
from datetime import datetime
from pathlib import Path

import pytest

from config.demo import DEMO_DIR, cli_hint
from config.messages import Messages
from config.settings import Settings


def test_the_hint_names_the_demo_database_and_commands_that_use_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    hint = cli_hint(Messages("en"), plate="沪A12345", at=datetime(2026, 12, 2, 9, 30))
    lines = hint.splitlines()
    assert lines[0] == "To look around with the xubao command, point it at the demo's data:"
    export = lines[1].split()
    assert export[0] == "export"
    # The exported variables make the CLI's settings open the demo's own database file.
    monkeypatch.setenv("XUBAO_CONFIG_FILE", str(tmp_path / "none.toml"))
    for assignment in export[1:]:
        name, value = assignment.split("=", 1)
        monkeypatch.setenv(name, value)
    url = Settings.load().resolved_database_url
    assert url == f"sqlite:///{(DEMO_DIR.resolve() / 'xubao.db').as_posix()}"
    commands = [shlex.split(line) for line in lines[2:-1]]
    assert commands[0][3:5] == ["--at", "2026-12-02T09:30"]
    assert commands[1][:3] == [".venv/bin/xubao", "quote", "沪A12345"]
    assert "2026-12-02 09:30" in lines[-1]


def test_the_hint_is_chinese_by_default() -> None:
    hint = cli_hint(Messages(None), plate="沪A12345", at=datetime(2026, 12, 2, 9, 30))
    assert hint.startswith("要用 xubao 命令查看演示数据")
