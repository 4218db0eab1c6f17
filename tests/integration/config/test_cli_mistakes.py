"""A newcomer's everyday mistakes, each run as a real ``xubao`` process (issue 10).

Every row: the command exits with the documented code of its kind, prints exactly one line on
stderr naming the problem (Chinese, then English), and never a traceback. The AMI rows talk to
loopback TCP servers run here: a port nobody listens on, a server that speaks HTTP, and one that
rejects the login with the bytes of fixture 05 (connection c1, wrong secret).
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from config.db import create_db_engine, make_session_factory
from config.exits import ExitCode
from config.migrate import upgrade
from dialer.campaigns import CampaignSpec, create_campaign, set_campaign_status
from dialer.models import CampaignMode, CampaignStatus
from tests.ami_transcripts import load
from tests.book_files import numbered, write_csv
from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Box:
    """A sandbox for one command: its folder, its environment, and the servers it talks to."""

    tmp: Path
    env: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str, module: str = "config.cli", stdout: int | None = None) -> Run:
        done = subprocess.run(
            [sys.executable, "-m", module, *args],
            cwd=self.tmp,
            env=self.env,
            stdout=subprocess.PIPE if stdout is None else stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
        return Run(done.returncode, done.stdout or "", done.stderr)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.tmp / 'var' / 'xubao.db'}"

    def migrated(self) -> Box:
        engine = create_db_engine(self.url)
        upgrade(engine)
        engine.dispose()
        return self

    def campaign(self, status: str | None) -> Box:
        """Campaign q4 in ``status``, made here rather than by more processes (the suite's time)."""
        self.migrated()
        engine = create_db_engine(self.url)
        now = datetime.now(UTC)
        with make_session_factory(engine).begin() as session:
            spec = CampaignSpec(
                id="q4",
                name="续保",
                mode=CampaignMode.PREDICTIVE,
                queue="renewals",
                caller_ids=("02150001001",),  # a campaign cannot start without one
            )
            create_campaign(session, spec, now=now)
            for step in {"running": ["running"], "paused": ["running", "paused"]}.get(
                status or "", [status] if status else []
            ):
                set_campaign_status(session, "q4", CampaignStatus(step), now=now)
        engine.dispose()
        return self


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def box(tmp_path: Path) -> Box:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XUBAO_")}
    env.update(
        PYTHONPATH=str(ROOT),
        XUBAO_CONFIG_FILE=str(tmp_path / "none.toml"),
        XUBAO_DATA_DIR=str(tmp_path / "var"),
        XUBAO_LANG="zh_CN",
    )
    return Box(tmp_path, env)


def _free_port() -> int:
    # Bound then closed: nothing listens there (the kernel does not hand it out again at once).
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class _LoopbackServer:
    """A TCP server on 127.0.0.1 answering each connection with ``serve(conn)`` in a thread."""

    def __init__(self, serve: Callable[[socket.socket], None]) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        self._serve = serve
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError):  # the client hung up first
                self._serve(conn)

    def close(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would not, on Linux.
        self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()
        self._thread.join(5)
        assert not self._thread.is_alive()


def _http(conn: socket.socket) -> None:
    # An HTTP server (Asterisk's own on 8088, say) waits for a request and greets nobody.
    conn.settimeout(10)
    if conn.recv(65536):
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def _rejects_login_as_in_fixture_05(conn: socket.socket) -> None:
    transcript = load("05")
    greeting, reply = transcript.segments("c1")[:2]
    (captured_id,) = [i for i in transcript.sent_action_ids("c1")[:1]]
    conn.settimeout(10)
    for chunk in greeting:
        conn.sendall(chunk)  # "Asterisk Call Manager/11.0.0\r\n", as captured
    login = b""
    while b"\r\n\r\n" not in login:
        data = conn.recv(65536)
        if not data:
            return
        login += data
    # The captured reply, byte for byte, but for the ActionID: ours instead of the capture's,
    # so the client can route it. Then Asterisk closes the socket (05 c1: eof).
    theirs = next(
        line.split(b":", 1)[1].strip()
        for line in login.split(b"\r\n")
        if line.lower().startswith(b"actionid:")
    )
    for chunk in reply:
        conn.sendall(chunk.replace(captured_id.encode(), theirs))


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, int]]:
    http = _LoopbackServer(_http)
    login = _LoopbackServer(_rejects_login_as_in_fixture_05)
    yield {"refused": _free_port(), "http": http.port, "login": login.port}
    http.close()
    login.close()


def _header_only(box: Box) -> str:
    return str(write_csv(box.tmp / "empty.csv", []))


def _missing_columns(box: Box) -> str:
    return str(write_csv(box.tmp / "cols.csv", [["京A12345"]], header=["车牌号"]))


def _big_book(box: Box) -> str:
    # At least 2 MB: read by the second process (renewals.importer.service.WORKER_MIN_BYTES).
    book = write_csv(box.tmp / "big.csv", numbered(18_000))
    assert book.stat().st_size >= 2 << 20
    return str(book)


@dataclass(frozen=True)
class Mistake:
    """One row: set up, run ``args``, expect ``code`` and these words on the one stderr line."""

    name: str
    args: tuple[str, ...]
    code: ExitCode
    says: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    setup: Callable[[Box], object] = lambda box: None
    module: str = "config.cli"


def _ami(port_name: str) -> dict[str, str]:
    return {"XUBAO_TELEPHONY": "asterisk", "XUBAO_AMI_PORT": "{" + port_name + "}"}


_NO_PG = f"{POSTGRES_URL.rsplit('/', 1)[0]}/xubao_missing_{uuid.uuid4().hex[:8]}"

MISTAKES = [
    # The database.
    Mistake("no schema: leads due", ("leads", "due"), ExitCode.NO_SCHEMA,
            ("run `xubao db upgrade`", "请先运行 `xubao db upgrade`")),
    Mistake("no schema: import", ("import", "book.csv"), ExitCode.NO_SCHEMA,
            ("has no tables yet",),
            setup=lambda b: write_csv(b.tmp / "book.csv", numbered(1))),
    Mistake("no schema: campaign list", ("campaign", "list"), ExitCode.NO_SCHEMA,
            ("xubao db upgrade",)),
    Mistake("schema older than the code", ("compliance", "--campaign", "q4"), ExitCode.NO_SCHEMA,
            ("has an older schema than this version of Xubao", "no such ",
             "run `xubao db upgrade`"),
            setup=lambda b: (b.run("db", "upgrade", "0002"),
                             b.run("campaign", "create", "q4", "--name", "x", "--queue", "sales"))),
    Mistake("PostgreSQL database missing", ("leads", "due"), ExitCode.DATABASE,
            (f"database {_NO_PG.rsplit('/', 1)[1]} does not exist", "createdb -h 127.0.0.1",
             "数据库"),
            env={"XUBAO_DATABASE_URL": _NO_PG}),
    Mistake("PostgreSQL unreachable", ("campaign", "list"), ExitCode.DATABASE,
            ("cannot open the database", "Connection refused", "XUBAO_DATABASE_URL"),
            env={"XUBAO_DATABASE_URL": "postgresql://postgres@127.0.0.1:{refused}/xubao"}),
    Mistake("SQLite path is a folder", ("leads", "due"), ExitCode.DATABASE,
            ("cannot open the database", "unable to open database file"),
            env={"XUBAO_DATABASE_URL": "sqlite:///{tmp}"}),
    Mistake("not a database URL", ("leads", "due"), ExitCode.SETTINGS,
            ("XUBAO_DATABASE_URL is not a database URL", "postgresql://"),
            env={"XUBAO_DATABASE_URL": "localhost/xubao"}),
    # Settings.
    Mistake("telephony in capitals", ("leads", "due"), ExitCode.SETTINGS,
            ("setting XUBAO_TELEPHONY=Asterisk is not allowed: use one of simulated, asterisk",
             "可选值为 simulated, asterisk"),
            env={"XUBAO_TELEPHONY": "Asterisk"}),
    Mistake("placeholder secret in production", ("campaign", "list"), ExitCode.SETTINGS,
            ("XUBAO_AMI_SECRET", "placeholder, refused in production", "占位值"),
            env={"XUBAO_ENVIRONMENT": "production", "XUBAO_TELEPHONY": "asterisk"}),
    Mistake("placeholder ARI password in production", ("leads", "due"), ExitCode.SETTINGS,
            ("XUBAO_IVR__ARI_PASSWORD", "placeholder, refused in production"),
            env={"XUBAO_ENVIRONMENT": "production", "XUBAO_TELEPHONY": "asterisk",
                 "XUBAO_AMI_SECRET": "s3cret-from-manager-conf"}),
    Mistake("misspelt time zone", ("leads", "due"), ExitCode.SETTINGS,
            ("XUBAO_TIMEZONE=Asia/Shangai", "not a time zone name"),
            env={"XUBAO_TIMEZONE": "Asia/Shangai"}),
    Mistake("port that is not a number", ("leads", "due"), ExitCode.SETTINGS,
            ("XUBAO_AMI_PORT=5038x", "must be a whole number", "必须是整数"),
            env={"XUBAO_AMI_PORT": "5038x"}),
    Mistake("broken TOML file", ("leads", "due"), ExitCode.SETTINGS,
            ("XUBAO_CONFIG_FILE", "is not valid TOML"),
            env={"XUBAO_CONFIG_FILE": "{tmp}/bad.toml"},
            setup=lambda b: (b.tmp / "bad.toml").write_text("[cadence\n")),
    # Arguments.
    Mistake("bad --at", ("leads", "due", "--at", "2026-13-01"), ExitCode.USAGE,
            ("argument --at: '2026-13-01' is not an ISO time", "xubao leads due --help",
             "命令行有误")),
    Mistake("bad --at of compliance", ("compliance", "--campaign", "q4", "--at", "tomorrow"),
            ExitCode.USAGE, ("argument --at: 'tomorrow' is not an ISO time",)),
    Mistake("negative --limit", ("leads", "due", "--limit", "-5"), ExitCode.USAGE,
            ("argument --limit: '-5' is not a whole number of 0 or more",)),
    Mistake("negative --leads", ("demo-data", "--leads", "-3"), ExitCode.USAGE,
            ("argument --leads",)),
    Mistake("not a plate", ("quote", "ABC"), ExitCode.USAGE, ("argument plate: not a plate",)),
    Mistake("bad --hours", ("campaign", "create", "q4", "--name", "x", "--queue", "sales",
                            "--hours", "9to5"), ExitCode.USAGE,
            ("argument --hours: '9to5' is not HH:MM-HH:MM",)),
    Mistake("unknown command", ("dial",), ExitCode.USAGE, ("invalid choice: 'dial'",)),
    Mistake("missing --name", ("campaign", "create", "q4", "--queue", "sales"), ExitCode.USAGE,
            ("the following arguments are required: --name",)),
    Mistake("negative --bots", ("dialer", "run", "--campaign", "q4", "--bots", "-2"),
            ExitCode.USAGE, ("argument --bots: '-2' is not a whole number of 0 or more",)),
    # Refused, not silently done.
    Mistake("dialer run on a draft campaign", ("dialer", "run", "--campaign", "q4"),
            ExitCode.REFUSED,
            ("campaign q4 is draft, not running", "xubao campaign start q4", "未在运行"),
            setup=lambda b: b.campaign(None)),
    Mistake("dialer run on a paused campaign", ("dialer", "run", "--campaign", "q4"),
            ExitCode.REFUSED, ("campaign q4 is paused, not running",),
            setup=lambda b: b.campaign("paused")),
    Mistake("dialer run on a stopped campaign", ("dialer", "run", "--campaign", "q4"),
            ExitCode.REFUSED, ("campaign q4 is stopped and cannot run again",),
            setup=lambda b: b.campaign("stopped")),
    Mistake("dialer run on no campaign", ("dialer", "run", "--campaign", "nope"),
            ExitCode.REFUSED, ("campaign nope: no such campaign",),
            setup=lambda b: b.migrated()),
    Mistake("queue the dialplan cannot route", ("campaign", "create", "q4", "--name", "x",
                                                "--queue", "Renewals"), ExitCode.REFUSED,
            ("queue: 'Renewals' cannot be routed by the dialplan (_[a-z0-9].)",),
            setup=lambda b: b.migrated()),
    Mistake("hours outside the rules", ("campaign", "create", "q4", "--name", "x", "--queue",
                                        "sales", "--hours", "08:00-22:00"), ExitCode.REFUSED,
            ("hours: 08:00-22:00 is outside the calling window of the rules, 09:00-21:00",),
            setup=lambda b: b.migrated()),
    Mistake("a campaign started without a caller ID", ("campaign", "start", "q9"),
            ExitCode.REFUSED, ("give the campaign at least one caller ID",),
            setup=lambda b: (b.migrated(), b.run("campaign", "create", "q9", "--name", "x",
                                                 "--queue", "sales"))),
    Mistake("a stopped campaign restarted", ("campaign", "start", "q4"), ExitCode.REFUSED,
            ("cannot go from stopped to running",), setup=lambda b: b.campaign("stopped")),
    Mistake("unknown plate", ("quote", "京a99999"), ExitCode.REFUSED,
            ("no vehicle with plate 京A99999", "没有车牌为 京A99999 的车辆"),
            setup=lambda b: b.migrated()),
    Mistake("compliance of no campaign", ("compliance", "--campaign", "nope"), ExitCode.REFUSED,
            ("not found: no campaign 'nope'",), setup=lambda b: b.migrated()),
    Mistake("prompts with a callback that is no number",
            ("prompts", "make", "--company", "续保", "--callback", "call us"), ExitCode.REFUSED,
            ("--callback: 'call us' is not a phone number",)),
    # Files.
    Mistake("import of a missing file", ("import", "nope.csv"), ExitCode.BAD_FILE,
            ("cannot import nope.csv",), setup=lambda b: b.migrated()),
    Mistake("import of a header-only file", ("import", "{tmp}/empty.csv"), ExitCode.BAD_FILE,
            ("empty.csv has no rows under its header: nothing was imported", "没有数据行"),
            setup=lambda b: (b.migrated(), _header_only(b))),
    Mistake("import without the required columns", ("import", "{tmp}/cols.csv"),
            ExitCode.BAD_FILE, ("lacks required columns",),
            setup=lambda b: (b.migrated(), _missing_columns(b))),
    Mistake("import whose reading process dies", ("import", "{tmp}/big.csv"), ExitCode.BAD_FILE,
            ("the process reading", "big.csv stopped (the reading process exited (-9))",
             "nothing was imported"),
            setup=lambda b: (b.migrated(), _big_book(b)),
            module="tests.integration.config.dying_reader"),
    Mistake("demo book into a missing folder", ("demo-data", "--leads", "5", "--out",
                                                "/proc/xubao/nope/book.csv"), ExitCode.BAD_FILE,
            ("cannot use the file /proc/xubao",)),
    # Asterisk AMI (dialer run on a running campaign).
    Mistake("AMI port refused", ("dialer", "run", "--campaign", "q4"), ExitCode.TELEPHONY,
            ("Asterisk AMI at 127.0.0.1:", "refused the connection", "拒绝连接"),
            env=_ami("refused"), setup=lambda b: b.campaign("running")),
    Mistake("AMI host unknown", ("dialer", "run", "--campaign", "q4"), ExitCode.TELEPHONY,
            ("cannot reach Asterisk AMI at xubao-no-such-host.invalid:5038",),
            env={"XUBAO_TELEPHONY": "asterisk", "XUBAO_AMI_HOST": "xubao-no-such-host.invalid"},
            setup=lambda b: b.campaign("running")),
    Mistake("AMI port speaks HTTP", ("dialer", "run", "--campaign", "q4"), ExitCode.TELEPHONY,
            ("is not Asterisk AMI", "not Asterisk's HTTP port"),
            env=_ami("http"), setup=lambda b: b.campaign("running")),
    Mistake("AMI login rejected (fixture 05)", ("dialer", "run", "--campaign", "q4"),
            ExitCode.TELEPHONY_LOGIN,
            ("refused the AMI login of user xubao", "XUBAO_AMI_SECRET", "拒绝了用户 xubao"),
            env=_ami("login"), setup=lambda b: b.campaign("running")),
]  # fmt: skip


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda m: m.name)
def test_an_everyday_mistake_is_one_line_with_its_exit_code(
    mistake: Mistake, box: Box, servers: dict[str, int]
) -> None:
    mistake.setup(box)
    fill = {"tmp": str(box.tmp), **servers}
    box.env.update({k: v.format(**fill) for k, v in mistake.env.items()})
    args = [a.format(**fill) for a in mistake.args]
    done = box.run(*args, module=mistake.module)
    assert "Traceback" not in done.err
    lines = done.err.splitlines()
    assert len(lines) == 1, done.err
    (line,) = lines
    assert line.startswith("xubao: ") and " | " in line  # Chinese | English
    for words in mistake.says:
        assert words in line
    assert done.code == mistake.code, line


def test_debug_shows_the_traceback_before_the_line(box: Box) -> None:
    plain = box.run("leads", "due")
    box.env["XUBAO_DEBUG"] = "1"
    debug = box.run("leads", "due")
    flag = box.run("--debug", "leads", "due")
    assert plain.code == debug.code == flag.code == ExitCode.NO_SCHEMA
    for run in (debug, flag):
        assert run.err.startswith("Traceback") and "no such table" in run.err
        assert run.err.splitlines()[-1] == plain.err.strip()


def test_english_alone_with_lang_en(box: Box) -> None:
    box.env.pop("XUBAO_LANG")
    flag = box.run("--lang", "en", "leads", "due")
    anywhere = box.run("--lang=en", "leads", "due", "--debug")
    box.env["XUBAO_LANG"] = "en"
    env = box.run("leads", "due")
    assert anywhere.err.startswith("Traceback")  # --debug after the command works too
    assert anywhere.err.splitlines()[-1] == flag.err.strip()
    for run in (flag, env):
        assert run.err.startswith("xubao: the database ") and " | " not in run.err


def test_a_closed_pipe_ends_quietly_with_one_line(box: Box) -> None:
    box.migrated()
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader (`| head`) is already gone when we write
    try:
        done = box.run("leads", "due", "--limit", "0", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.code == ExitCode.PIPE_CLOSED
    assert "Traceback" not in done.err and "Exception ignored" not in done.err
    (line,) = done.err.splitlines()
    assert "the output pipe was closed early" in line


def test_a_shell_pipeline_into_head_keeps_the_lines_it_wanted(box: Box) -> None:
    box.migrated()
    engine = create_db_engine(box.url)
    with make_session_factory(engine).begin() as session:
        for n in range(3):
            spec = CampaignSpec(id=f"c{n}", name="x", mode=CampaignMode.PREDICTIVE, queue="sales")
            create_campaign(session, spec, now=datetime.now(UTC))
    engine.dispose()
    done = subprocess.run(
        ["bash", "-c", f"{sys.executable} -m config.cli campaign list | head -2"],
        cwd=box.tmp, env=box.env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert [line.split()[0] for line in done.stdout.splitlines()] == ["c0", "c1"]
    assert "Traceback" not in done.stderr


@pytest.mark.postgres
def test_a_postgresql_database_without_tables_says_run_db_upgrade(
    box: Box, postgres_url: str
) -> None:
    box.env["XUBAO_DATABASE_URL"] = postgres_url
    for args in (("leads", "due"), ("campaign", "list"), ("quote", "京A12345")):
        done = box.run(*args)
        assert done.code == ExitCode.NO_SCHEMA, done.err
        (line,) = done.err.splitlines()
        assert "has no tables yet: run `xubao db upgrade` first" in line
        assert "Traceback" not in done.err
