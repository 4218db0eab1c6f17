"""The ``xubao`` command line: one sub-command per job, each wired from settings here.

This is also the CLI's one error boundary: whatever a command raises becomes one line on stderr
(Chinese, then English) naming what is wrong and what to do, and the exit code of its kind
(``config.exits``, tabled in the README). A traceback is shown only with ``--debug`` or
``XUBAO_DEBUG=1``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn, cast

from config.errors import UsageError
from config.logs import configure_logging
from config.messages import Messages
from config.settings import Settings
from renewals.i18n import environment_language

if TYPE_CHECKING:
    from config.cli_failures import Where

__all__ = ["main"]

Handler = Callable[[argparse.Namespace, Settings], int]
_VERBOSITY = {1: "INFO", 2: "DEBUG"}


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is raised (one line from the boundary), not usage + exit(2)."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.prog, message)


def build_parser() -> argparse.ArgumentParser:
    # The command modules are imported here, not at the top: `import config.cli` stays cheap.
    from config.commands import COMMANDS

    parser = _Parser(prog="xubao", description="续保 Xubao contact center")
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="log INFO lines (-vv: DEBUG) to stderr"
    )
    parser.add_argument(
        "--debug", action="store_true", help="on an error, show its traceback (XUBAO_DEBUG=1)"
    )
    parser.add_argument(
        "--lang",
        dest="ui_lang",
        choices=["zh_CN", "zh", "en"],
        help="language of messages (XUBAO_LANG); before the command",
    )
    # The commands' parsers are _Parser too (argparse makes sub-parsers of the parent's class).
    sub = cast(
        "argparse._SubParsersAction[argparse.ArgumentParser]",
        parser.add_subparsers(dest="command", required=True),
    )
    for register in COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_in = _globals_first(list(sys.argv[1:] if argv is None else argv))
    # Read before parsing: a mistake on the command line is reported in the language asked for.
    asked = _option_value(args_in, "--lang")
    messages = Messages(asked or environment_language())
    if not asked:
        return _run(args_in, messages)
    # For this command, the one language every part reads (environment_language), worker
    # processes included; restored after, so a caller in the same process is not changed.
    before = os.environ.get("XUBAO_LANG")
    os.environ["XUBAO_LANG"] = messages.language
    try:
        return _run(args_in, messages)
    finally:
        if before is None:
            os.environ.pop("XUBAO_LANG", None)
        else:
            os.environ["XUBAO_LANG"] = before


def _run(args_in: list[str], messages: Messages) -> int:
    debug = "--debug" in args_in or os.environ.get("XUBAO_DEBUG", "") not in ("", "0")
    settings: Settings | None = None
    try:
        args = build_parser().parse_args(args_in)
        args.ui_lang = messages.language
        settings = Settings.load()
        configure_logging(_VERBOSITY.get(min(args.verbose, 2), settings.log_level))
        handler: Handler = args.handler
        code = handler(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, inside the boundary, not at exit
        return code
    except (Exception, KeyboardInterrupt) as exc:
        return _fail(exc, messages, settings, debug=debug)


def _fail(exc: BaseException, messages: Messages, settings: Settings | None, *, debug: bool) -> int:
    # Imported on failure only: it names every part's errors.
    from config.cli_failures import describe

    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
    failure = describe(exc, _where(settings))
    if debug:
        traceback.print_exception(exc, file=sys.stderr)
        detail = getattr(exc, "detail", "")
        if detail:
            print(detail, file=sys.stderr)
    logging.getLogger(__name__).debug("command failed", exc_info=exc)
    print(messages.error_line(failure.msgid, **failure.params), file=sys.stderr)
    return int(failure.code)


def _where(settings: Settings | None) -> Where:
    from config.cli_failures import Where

    if settings is None:
        return Where(database_url=os.environ.get("XUBAO_DATABASE_URL", ""))
    return Where(
        database_url=settings.resolved_database_url,
        ami_host=settings.ami_host,
        ami_port=settings.ami_port,
        ami_user=settings.ami_user,
    )


def _silence_stdout() -> None:
    # The Python docs' recipe (library/signal, "Note on SIGPIPE"): point stdout at devnull so
    # the interpreter's final flush does not raise BrokenPipeError a second time.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests capture it)
        pass


_GLOBAL_FLAGS = {"-v", "-vv", "-vvv", "--verbose", "--debug"}


def _globals_first(argv: list[str]) -> list[str]:
    """``xubao quote X -v --debug`` as ``xubao -v --debug quote X``: these flags are accepted
    anywhere (before a ``--``), as people type them. ``--lang`` is not moved: a command may
    have its own (``prompts make --lang``)."""
    cut = argv.index("--") if "--" in argv else len(argv)
    head, tail = argv[:cut], argv[cut:]
    return (
        [a for a in head if a in _GLOBAL_FLAGS] + [a for a in head if a not in _GLOBAL_FLAGS] + tail
    )


def _option_value(argv: list[str], name: str) -> str | None:
    for i, item in enumerate(argv):
        if item == name and i + 1 < len(argv):
            return argv[i + 1]
        if item.startswith(name + "="):
            return item.split("=", 1)[1]
    return None


if __name__ == "__main__":
    sys.exit(main())
