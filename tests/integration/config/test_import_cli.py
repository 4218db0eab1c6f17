"""``xubao import`` and ``xubao demo-data`` end to end: a real process, files and databases."""

from __future__ import annotations

import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from config.commands.import_book import (
    EXIT_NO_SCHEMA,
    EXIT_REJECTED,
    EXIT_UNREADABLE,
    ProgressBar,
)
from config.db import create_db_engine
from config.messages import Messages
from config.migrate import upgrade
from renewals.importer import Progress
from tests.book_files import count, numbered, row, table_dump, write_csv, write_xlsx

ROOT = Path(__file__).resolve().parents[3]
MAIN = "import sys; from config.cli import main; sys.exit(main(sys.argv[1:]))"


def _env(db_url: str, tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUBAO_")}
    env.update(
        XUBAO_DATABASE_URL=db_url,
        XUBAO_DATA_DIR=str(tmp_path / "var"),
        XUBAO_LOG_LEVEL="WARNING",
        XUBAO_CONFIG_FILE=str(tmp_path / "none.toml"),
        PYTHONPATH=str(ROOT),
    )
    return env


def _xubao(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", MAIN, *args],
        env=_env(db_url, tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """For the command's own behaviour (output, exit codes): one database is enough."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = create_db_engine(url)
    upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def migrated(db_url: str) -> Iterator[Engine]:
    engine = create_db_engine(db_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def test_json_output_has_exactly_inserted_updated_rejected(
    db_url: str, migrated: Engine, tmp_path: Path
) -> None:
    book = write_xlsx(tmp_path / "book.xlsx", [*numbered(3), row(plate="京A10001", phone="110")])
    done = _xubao(db_url, tmp_path, "import", str(book), "--json")
    assert done.returncode == EXIT_REJECTED, done.stderr
    assert json.loads(done.stdout) == {
        "inserted": 3,
        "updated": 0,
        "rejected": [
            {
                "row": 5,
                "field": "phone",
                "reason": "not an 11-digit mobile number starting 13-19: *10",
            }
        ],
    }
    again = _xubao(db_url, tmp_path, "import", str(book), "--json")
    assert json.loads(again.stdout)["updated"] == 3
    assert count(migrated, "policies") == 3


def test_default_summary_is_chinese_and_names_the_bad_row(sqlite_url: str, tmp_path: Path) -> None:
    book = write_csv(tmp_path / "book.csv", [row(), row(plate="京B1")], encoding="gbk")
    done = _xubao(sqlite_url, tmp_path, "import", str(book))
    # Scripts can tell: 3 when rows were rejected (the others are in), with one line saying so.
    assert done.returncode == EXIT_REJECTED, done.stderr
    assert "新增保单 1 条，更新 0 条，拒绝 1 行" in done.stdout
    assert "第 3 行 车牌号：车牌号格式不正确" in done.stdout
    assert "导入中" not in done.stderr  # no progress bar when stderr is not a terminal
    (line,) = done.stderr.splitlines()
    assert f"1 of 2 rows of {book} were rejected (listed above)" in line


def test_a_header_only_file_says_it_found_no_rows(sqlite_url: str, tmp_path: Path) -> None:
    book = write_csv(tmp_path / "book.csv", [])
    done = _xubao(sqlite_url, tmp_path, "import", str(book), "--json")
    assert done.returncode == EXIT_UNREADABLE
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert f"{book} has no rows under its header: nothing was imported" in line


def test_dry_run_writes_nothing(db_url: str, migrated: Engine, tmp_path: Path) -> None:
    before = table_dump(migrated)
    book = write_csv(tmp_path / "book.csv", numbered(4))
    done = _xubao(db_url, tmp_path, "import", str(book), "--dry-run", "--json")
    assert json.loads(done.stdout) == {"inserted": 4, "updated": 0, "rejected": []}
    assert table_dump(migrated) == before


def test_unreadable_file_exits_non_zero(sqlite_url: str, tmp_path: Path) -> None:
    missing = _xubao(sqlite_url, tmp_path, "import", str(tmp_path / "nope.csv"), "--json")
    assert missing.returncode == EXIT_UNREADABLE
    assert missing.stdout == ""
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    corrupt = _xubao(sqlite_url, tmp_path, "import", str(tmp_path / "bad.xlsx"))
    assert corrupt.returncode == EXIT_UNREADABLE
    assert "无法导入" in corrupt.stderr


def test_unmigrated_database_is_refused_with_a_hint(db_url: str, tmp_path: Path) -> None:
    book = write_csv(tmp_path / "book.csv", [row()])
    done = _xubao(db_url, tmp_path, "import", str(book))
    assert done.returncode == EXIT_NO_SCHEMA
    assert "xubao db upgrade" in done.stderr


def test_demo_data_book_imports_cleanly(db_url: str, migrated: Engine, tmp_path: Path) -> None:
    made = _xubao(db_url, tmp_path, "demo-data", "--leads", "120", "--seed", "5")
    assert made.returncode == 0, made.stderr
    book = tmp_path / "var" / "demo-book.csv"
    done = _xubao(db_url, tmp_path, "import", str(book), "--json")
    assert json.loads(done.stdout) == {"inserted": 120, "updated": 0, "rejected": []}
    assert count(migrated, "leads") == 120


def test_progress_bar_is_drawn_on_a_terminal(sqlite_url: str, tmp_path: Path) -> None:
    book = write_csv(tmp_path / "book.csv", numbered(3))
    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", MAIN, "import", str(book), "--json"],
            env=_env(sqlite_url, tmp_path),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=60,
            check=False,
        )
        os.close(follower)
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # Linux reports the closed other side as EIO
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        os.close(leader)
    assert done.returncode == 0
    assert "导入中 [" in drawn.decode() and "100%" in drawn.decode()
    assert json.loads(done.stdout)["inserted"] == 3


def test_progress_bar_renders_fraction_and_rows() -> None:
    out = io.StringIO()
    bar = ProgressBar(stream=out, messages=Messages("zh_CN"), width=10)
    bar(Progress(rows=5000, fraction=0.5))
    bar(Progress(rows=7000, fraction=None))
    bar.finish()
    assert out.getvalue() == (
        "\r导入中 [#####.....]  50% 5,000 行\r导入中 [??????????]   ?% 7,000 行\n"
    )
    english = io.StringIO()
    bar = ProgressBar(stream=english, messages=Messages("en"), width=4)
    bar(Progress(rows=12, fraction=1.0))
    assert english.getvalue() == "\rImporting [####] 100% 12 rows"


def test_demo_data_writes_xlsx_by_extension(sqlite_url: str, tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    made = _xubao(sqlite_url, tmp_path, "demo-data", "--leads", "30", "--out", str(out))
    assert made.returncode == 0, made.stderr
    assert "30 条" in made.stdout
    done = _xubao(sqlite_url, tmp_path, "import", str(out), "--json")
    assert json.loads(done.stdout) == {"inserted": 30, "updated": 0, "rejected": []}
