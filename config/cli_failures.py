"""What the CLI says when a command fails: each everyday mistake → an exit code and one message.

``describe(exc, where)`` turns an exception raised anywhere below a command into a
:class:`Failure` (exit code, English msgid, parameters); ``config.cli`` prints it as one line.
Library and socket errors arrive here already translated by their adapters (``DialerError``,
``RenewalsError``) except the database's, which SQLAlchemy raises for every command alike and
which are told apart here, once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

from config.db import create_db_engine
from config.errors import (
    CampaignNotRunning,
    InvalidSetting,
    NothingToImport,
    SchemaMissing,
    UsageError,
)
from config.exits import ExitCode
from config.messages import Phrase
from config.prompts import PromptError
from dialer.errors import (
    AuthenticationFailed,
    BackendUnavailable,
    CampaignError,
    TelephonyError,
)
from renewals.errors import RenewalsError
from renewals.importer.errors import (
    BookImportError,
    BookReaderGone,
    ImportAborted,
    MissingColumns,
)
from renewals.quoting.errors import NoPolicyToRenew, VehicleNotFound

__all__ = ["Failure", "Where", "describe"]

_MISSING_DATABASE = re.compile(r'database "([^"]+)" does not exist')
_UNDEFINED_TABLE = "42P01"  # PostgreSQL's SQLSTATE for a table that does not exist
_UNDEFINED_COLUMN = "42703"  # … and for a column that does not exist


@dataclass(frozen=True, slots=True)
class Failure:
    code: ExitCode
    msgid: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Where:
    """What the failing command was talking to, for messages that name it."""

    database_url: str = ""
    ami_host: str = ""
    ami_port: int = 0
    ami_user: str = ""


def describe(exc: BaseException, where: Where) -> Failure:
    """The failure to report for ``exc`` (an unexpected error when none fits)."""
    for kind, explain in _TABLE:
        if isinstance(exc, kind):
            found = explain(exc, where)
            if found is not None:
                return found
    return Failure(
        ExitCode.SOFTWARE,
        "unexpected error ({error}): run again with --debug (or XUBAO_DEBUG=1) to see the "
        "traceback, and report it",
        {"error": f"{type(exc).__name__}: {exc}"},
    )


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _no_schema(exc: BaseException, where: Where) -> Failure:
    return Failure(
        ExitCode.NO_SCHEMA,
        "the database {database} has no tables yet: run `xubao db upgrade` first",
        {"database": _safe_url(where.database_url)},
    )


def _migrated_before(url: str) -> bool:
    """Whether the database was ever migrated (Alembic's table is there)."""
    try:
        engine = create_db_engine(url)
    except Exception:  # a probe on the error path never raises an error of its own
        return False
    try:
        return inspect(engine).has_table("alembic_version")
    except Exception:
        return False
    finally:
        engine.dispose()


def _database(exc: BaseException, where: Where) -> Failure | None:
    assert isinstance(exc, DBAPIError)
    reason = str(exc.orig)
    sqlstate = getattr(exc.orig, "sqlstate", None)
    missing_table = "no such table" in reason or sqlstate == _UNDEFINED_TABLE
    if missing_table and not _migrated_before(where.database_url):
        return _no_schema(exc, where)
    missing_column = "no such column" in reason or sqlstate == _UNDEFINED_COLUMN
    if missing_table or missing_column:
        # The code was updated (git pull) and the schema was not: a migration is missing.
        return Failure(
            ExitCode.NO_SCHEMA,
            "the database {database} has an older schema than this version of Xubao "
            "({reason}): run `xubao db upgrade`",
            {
                "database": _safe_url(where.database_url),
                "reason": (reason.strip().splitlines() or [""])[0],
            },
        )
    missing = _MISSING_DATABASE.search(reason)
    if missing is not None:
        return Failure(
            ExitCode.DATABASE,
            "the PostgreSQL database {name} does not exist: create it with `{createdb}`, "
            "then run `xubao db upgrade`",
            {"name": missing.group(1), "createdb": _createdb(where.database_url, missing.group(1))},
        )
    if exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError):
        return Failure(
            ExitCode.DATABASE,
            "cannot open the database {database} ({reason}): check XUBAO_DATABASE_URL and that "
            "the database server is running",
            {"database": _safe_url(where.database_url), "reason": reason},
        )
    return None


def _createdb(url: str, name: str) -> str:
    try:
        parsed = make_url(url)
    except ArgumentError:
        return f"createdb {name}"
    parts = ["createdb"]
    if parsed.host:
        parts += ["-h", parsed.host]
    if parsed.port:
        parts += ["-p", str(parsed.port)]
    if parsed.username:
        parts += ["-U", parsed.username]
    return " ".join([*parts, name])


def _bad_url(exc: BaseException, where: Where) -> Failure:
    return Failure(
        ExitCode.SETTINGS,
        "setting XUBAO_DATABASE_URL is not a database URL ({reason}): use "
        "sqlite:///path/to/file.db or postgresql://user@host:5432/name",
        {"reason": _first_line(exc)},
    )


def _setting(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, InvalidSetting)
    shown = f"={exc.value}" if exc.value else ""
    if exc.allowed:
        return Failure(
            ExitCode.SETTINGS,
            "setting {setting}{shown} is not allowed: use one of {allowed}",
            {"setting": exc.setting, "shown": shown, "allowed": exc.allowed},
        )
    return Failure(
        ExitCode.SETTINGS,
        "setting {setting}{shown} is invalid: {problem}",
        {"setting": exc.setting, "shown": shown, "problem": Phrase(exc.problem)},
    )


def _usage(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, UsageError)
    return Failure(
        ExitCode.USAGE,
        "bad command line: {message}; see `{prog} --help`",
        {"message": exc.message, "prog": exc.prog},
    )


def _telephony(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, TelephonyError)
    at = {"host": where.ami_host, "port": where.ami_port}
    if isinstance(exc, AuthenticationFailed):
        return Failure(
            ExitCode.TELEPHONY_LOGIN,
            "Asterisk at {host}:{port} refused the AMI login of user {user}: check "
            "XUBAO_AMI_USER and XUBAO_AMI_SECRET against manager.conf",
            {**at, "user": where.ami_user},
        )
    if isinstance(exc, BackendUnavailable) and _caused_by(exc, ConnectionRefusedError):
        return Failure(
            ExitCode.TELEPHONY,
            "Asterisk AMI at {host}:{port} refused the connection: start Asterisk with AMI "
            "enabled in manager.conf, or fix XUBAO_AMI_HOST and XUBAO_AMI_PORT",
            at,
        )
    text = exc.message.lower()
    if "greeting" in text or "not asterisk" in text:
        return Failure(
            ExitCode.TELEPHONY,
            "the server at {host}:{port} is not Asterisk AMI ({reason}): XUBAO_AMI_PORT must "
            "be AMI's port (5038 by default), not Asterisk's HTTP port",
            {**at, "reason": exc.message},
        )
    return Failure(
        ExitCode.TELEPHONY,
        "cannot reach Asterisk AMI at {host}:{port} ({reason}): check XUBAO_AMI_HOST, "
        "XUBAO_AMI_PORT and the network",
        {**at, "reason": exc.message},
    )


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _book(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, BookImportError)
    file = str(exc.path)
    if isinstance(exc, ImportAborted):
        return Failure(
            ExitCode.DATABASE,
            "the database refused the import of {file}; nothing of it was kept: {reason}",
            {"file": file, "reason": exc.message},
        )
    if isinstance(exc, MissingColumns):
        return Failure(
            ExitCode.BAD_FILE,
            "{file} lacks required columns: {missing}; its header must name the plate, "
            "insured, phone and expiry columns",
            {"file": file, "missing": ", ".join(exc.missing)},
        )
    if isinstance(exc, BookReaderGone):
        return Failure(
            ExitCode.BAD_FILE,
            "the process reading {file} stopped ({reason}); nothing was imported: run the "
            "import again, with --debug to see why",
            {"file": file, "reason": exc.message},
        )
    return Failure(
        ExitCode.BAD_FILE, "cannot import {file}: {reason}", {"file": file, "reason": exc.message}
    )


def _empty_book(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, NothingToImport)
    return Failure(
        ExitCode.BAD_FILE,
        "{file} has no rows under its header: nothing was imported (is it the right file "
        "or sheet?)",
        {"file": exc.path},
    )


def _campaign(exc: BaseException, where: Where) -> Failure:
    if isinstance(exc, CampaignNotRunning):
        if exc.status == "stopped":
            return Failure(
                ExitCode.REFUSED,
                "campaign {campaign} is stopped and cannot run again: create a new campaign",
                {"campaign": exc.campaign_id},
            )
        return Failure(
            ExitCode.REFUSED,
            "campaign {campaign} is {status}, not running: start it with "
            "`xubao campaign start {campaign}`",
            {"campaign": exc.campaign_id, "status": exc.status},
        )
    assert isinstance(exc, CampaignError)
    return Failure(ExitCode.REFUSED, "refused: {reason}", {"reason": str(exc)})


def _quote(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, VehicleNotFound | NoPolicyToRenew)
    if isinstance(exc, VehicleNotFound):
        return Failure(
            ExitCode.REFUSED,
            "no vehicle with plate {plate}: check the plate, or import the book that holds it",
            {"plate": exc.plate},
        )
    return Failure(ExitCode.REFUSED, "vehicle {plate} has no policy to renew", {"plate": exc.plate})


def _refused(exc: BaseException, where: Where) -> Failure:
    return Failure(ExitCode.REFUSED, "refused: {reason}", {"reason": _first_line(exc)})


def _lookup(exc: BaseException, where: Where) -> Failure:
    # KeyError's str() is the key's repr; the message is its argument.
    reason = exc.args[0] if exc.args else type(exc).__name__
    return Failure(ExitCode.REFUSED, "not found: {reason}", {"reason": reason})


def _pipe(exc: BaseException, where: Where) -> Failure:
    return Failure(
        ExitCode.PIPE_CLOSED,
        "the output pipe was closed early (e.g. by `| head`); the rest was not written",
    )


def _file(exc: BaseException, where: Where) -> Failure:
    assert isinstance(exc, OSError)
    return Failure(
        ExitCode.BAD_FILE,
        "cannot use the file {file}: {reason}",
        {"file": exc.filename or "?", "reason": exc.strerror or _first_line(exc)},
    )


def _interrupted(exc: BaseException, where: Where) -> Failure:
    return Failure(ExitCode.INTERRUPTED, "interrupted (Ctrl-C)")


Explain = Callable[[BaseException, Where], Failure | None]

# Order matters: a subclass before its base (BrokenPipeError before OSError, the dialer's own
# CampaignError before the rest of the domain errors).
_TABLE: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], Explain], ...] = (
    (UsageError, _usage),
    (InvalidSetting, _setting),
    (ArgumentError, _bad_url),
    (SchemaMissing, _no_schema),
    (NothingToImport, _empty_book),
    (DBAPIError, _database),
    (TelephonyError, _telephony),
    (BookImportError, _book),
    ((CampaignNotRunning, CampaignError), _campaign),
    ((VehicleNotFound, NoPolicyToRenew), _quote),
    ((RenewalsError, PromptError), _refused),
    (LookupError, _lookup),
    (BrokenPipeError, _pipe),
    (OSError, _file),
    (KeyboardInterrupt, _interrupted),
)
