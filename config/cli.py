"""The ``xubao`` command line: one sub-command per job, each wired from settings here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from config.logs import configure_logging
from config.settings import Settings

__all__ = ["main"]

Handler = Callable[[argparse.Namespace, Settings], int]
_COMMANDS: list[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]] = []


def command(
    register: Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None],
) -> Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None]:
    """Decorator for a function that adds one sub-command (with ``set_defaults(handler=…)``)."""
    _COMMANDS.append(register)
    return register


def build_parser() -> argparse.ArgumentParser:
    # Importing the command modules registers them; kept here so `import config.cli` stays cheap.
    from config import commands  # noqa: F401

    parser = argparse.ArgumentParser(prog="xubao", description="续保 Xubao contact center")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in _COMMANDS:
        register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    settings = Settings.load()
    configure_logging(settings.log_level)
    handler: Handler = args.handler
    return handler(args, settings)


if __name__ == "__main__":
    # Run as ``python -m config.cli`` this file is ``__main__``, while the command modules register
    # with the importable ``config.cli``: dispatch through that one.
    from config.cli import main as registered_main

    sys.exit(registered_main())
