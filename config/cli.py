"""The ``xubao`` command line: one sub-command per job, each wired from settings here."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from config.logs import configure_logging
from config.settings import Settings

__all__ = ["main"]

Handler = Callable[[argparse.Namespace, Settings], int]


def build_parser() -> argparse.ArgumentParser:
    # The command modules are imported here, not at the top: `import config.cli` stays cheap.
    from config.commands import COMMANDS

    parser = argparse.ArgumentParser(prog="xubao", description="续保 Xubao contact center")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in COMMANDS:
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
    sys.exit(main())
