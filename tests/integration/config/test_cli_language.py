"""``--lang`` reaches every command, also those that read the language from the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _xubao(tmp_path: Path, *args: str) -> str:
    env = {**os.environ, "XUBAO_DATA_DIR": str(tmp_path)}
    env.pop("XUBAO_LANG", None)
    env.pop("XUBAO_DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "config.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def test_lang_en_reaches_user_list_and_reports(tmp_path: Path) -> None:
    _xubao(tmp_path, "db", "upgrade")
    assert "用户名" in _xubao(tmp_path, "user", "list")
    assert _xubao(tmp_path, "--lang", "en", "user", "list").startswith("name")
    funnel = _xubao(tmp_path, "--lang", "en", "report", "funnel", "--from", "2026-12-01",
                    "--to", "2026-12-02")  # fmt: skip
    assert funnel.startswith("Renewal funnel")
