"""``xubao db upgrade``: bring the database schema to the latest migration."""

from __future__ import annotations

import argparse

from config.messages import Messages
from config.settings import Settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    up = db_sub.add_parser("upgrade", help="apply every migration not yet applied")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(handler=run_upgrade)


def run_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    # Alembic is imported only when a migration runs: every other command starts faster.
    from config.db import create_db_engine
    from config.migrate import upgrade

    engine = create_db_engine(settings.resolved_database_url)
    try:
        upgrade(engine, args.revision)
    finally:
        engine.dispose()
    database = engine.url.render_as_string(hide_password=True)
    messages = Messages(args.lang)
    if args.revision == "head":
        print(messages.text("database {database} is up to date", database=database))
    else:
        print(
            messages.text(
                "database {database} is at revision {revision}",
                database=database,
                revision=args.revision,
            )
        )
    return 0
