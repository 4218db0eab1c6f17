"""``xubao user add|list|disable``: the consoles' accounts (passwords only ever from stdin)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from config.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

_ROLES = ("agent", "supervisor", "qa", "admin")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="console accounts")
    verbs = user.add_subparsers(dest="user_command", required=True)
    add = verbs.add_parser("add", help="create an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=_ROLES)
    add.add_argument("--extension", help="an agent's phone extension (its seat)")
    add.add_argument("--team", default="", help="the agent's team (supervisors filter by it)")
    add.add_argument(
        "--password-stdin", action="store_true", required=True, help="read the password on stdin"
    )
    add.set_defaults(handler=_add)
    verbs.add_parser("list", help="every account").set_defaults(handler=_list)
    team = verbs.add_parser("team", help="put a user in a team (no team: leave it out)")
    team.add_argument("name")
    team.add_argument("team", nargs="?", default="")
    team.set_defaults(handler=_team)
    disable = verbs.add_parser("disable", help="disable an account and end its sessions")
    disable.add_argument("name")
    disable.set_defaults(handler=_disable)


def _sessions(settings: Settings) -> tuple[Engine, sessionmaker[Session]]:
    from config.db import create_db_engine, make_session_factory

    engine = create_db_engine(settings.resolved_database_url)
    return engine, make_session_factory(engine)


def _add(args: argparse.Namespace, settings: Settings) -> int:
    from agent_console.accounts import add_user
    from agent_console.errors import AccountError
    from agent_console.texts import translator
    from renewals.clock import SystemClock
    from renewals.i18n import environment_language

    _ = translator(environment_language())
    # One line: a trailing newline is not part of the password.
    password = sys.stdin.readline().rstrip("\r\n")
    engine, sessions = _sessions(settings)
    try:
        with sessions.begin() as session:
            user = add_user(
                session,
                name=args.name,
                role=args.role,
                password=password,
                extension=args.extension,
                at=SystemClock().now(),
                team=args.team,
            )
            print(_("User {name} added ({role}).").format(name=user.name, role=user.role.value))
    except AccountError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def _list(args: argparse.Namespace, settings: Settings) -> int:
    from agent_console.accounts import list_users
    from agent_console.texts import translator
    from renewals.i18n import environment_language

    _ = translator(environment_language())
    engine, sessions = _sessions(settings)
    try:
        with sessions() as session:
            users = list_users(session)
            print(f"{_('name'):<20} {_('role'):<11} {_('extension'):<10} {_('status')}")
            for user in users:
                status = _("disabled") if user.disabled else _("active")
                print(f"{user.name:<20} {user.role.value:<11} {user.extension or '-':<10} {status}")
    finally:
        engine.dispose()
    return 0


def _disable(args: argparse.Namespace, settings: Settings) -> int:
    from agent_console.accounts import disable_user
    from agent_console.errors import AccountError
    from agent_console.texts import translator
    from renewals.i18n import environment_language

    _ = translator(environment_language())
    engine, sessions = _sessions(settings)
    try:
        with sessions.begin() as session:
            disable_user(session, args.name)
        print(_("User {name} disabled; their sessions are ended.").format(name=args.name))
    except AccountError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def _team(args: argparse.Namespace, settings: Settings) -> int:
    from agent_console.accounts import set_team
    from agent_console.errors import AccountError
    from agent_console.texts import translator
    from renewals.i18n import environment_language

    _ = translator(environment_language())
    engine, sessions = _sessions(settings)
    try:
        with sessions.begin() as session:
            user = set_team(session, args.name, args.team)
            print(_("User {name} is in team {team}.").format(name=user.name, team=user.team or "-"))
    except AccountError as exc:
        print(_("Error: {message}").format(message=exc.message), file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0
