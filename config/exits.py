"""The exit codes of ``xubao``: one per kind of failure, so scripts can tell them apart.

The README's table lists them; ``tests/unit/config/test_exits.py`` keeps the two in step.
"""

from __future__ import annotations

from enum import IntEnum

__all__ = ["ExitCode"]


class ExitCode(IntEnum):
    OK = 0
    CHECK_FAILED = 1  # a report found a breach (compliance FAIL)
    USAGE = 2  # a bad command line: unknown option, missing or invalid argument (argparse's 2)
    ROWS_REJECTED = 3  # import: some rows were rejected, the others imported
    REFUSED = 4  # cannot be done as asked: not found, wrong state, invalid campaign, empty file
    BAD_FILE = 5  # the import file cannot be read (missing, corrupt, columns, reader died)
    SETTINGS = 6  # an invalid setting (environment or TOML file)
    NO_SCHEMA = 7  # the database has no tables yet: run `xubao db upgrade`
    DATABASE = 8  # the database does not exist, cannot be reached, or refused the write
    TELEPHONY = 9  # Asterisk AMI refused, unreachable, silent, or not Asterisk
    TELEPHONY_LOGIN = 10  # Asterisk refused the AMI user name or secret
    SOFTWARE = 70  # an unexpected error (a bug): run again with --debug for the traceback
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
    PIPE_CLOSED = 141  # the reader of our output went away (128 + SIGPIPE, as shells report)
