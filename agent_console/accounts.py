"""User accounts and log-in sessions: argon2 password hashes, opaque session tokens.

A session cookie holds a random token; the database keeps only its SHA-256, the user, a CSRF
token and the expiry. Disabling a user ends every session of theirs at once.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from agent_console.errors import AccountError, LoginFailed
from agent_console.models import ConsoleSession, Role, User

__all__ = [
    "MIN_PASSWORD",
    "Principal",
    "add_user",
    "authenticate",
    "disable_user",
    "end_session",
    "extension_of",
    "list_users",
    "open_session",
    "principal_of",
    "set_language",
    "set_team",
    "teams_by_extension",
]

MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,60}$")
_EXTENSION = re.compile(r"^[A-Za-z0-9_\-]{1,40}$")
_TEAM = re.compile(r"^[\w\-]{0,40}$")  # letters of any script (一组), digits, '_' or '-'; "" = none
_hasher = PasswordHasher()  # stateless; its defaults are RFC 9106's second recommendation
# Verified against when the name is unknown, so a wrong name costs the same time as a wrong
# password (no user enumeration by timing).
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request comes from; ``agent_id`` is an agent's extension (its seat), else ""."""

    user_id: int
    name: str
    role: Role
    agent_id: str
    csrf_token: str
    language: str


def add_user(
    session: Session,
    *,
    name: str,
    role: str,
    password: str,
    extension: str | None,
    at: datetime,
    team: str = "",
) -> User:
    """Create an account; raises :class:`AccountError` naming the field at fault."""
    _check_team(team)
    if not _NAME.match(name):
        raise AccountError("name: 1-60 letters, digits, '.', '_' or '-'", field="name")
    try:
        parsed_role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise AccountError(f"role: one of {roles}", field="role") from None
    if extension is not None and not _EXTENSION.match(extension):
        raise AccountError("extension: 1-40 letters, digits, '_' or '-'", field="extension")
    if parsed_role is Role.AGENT and not extension:
        raise AccountError("extension: an agent needs one (the seat's phone)", field="extension")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"password: at least {MIN_PASSWORD} characters", field="password")
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise AccountError(f"name: {name} exists already", field="name")
    if extension and session.scalar(select(User.id).where(User.extension == extension)):
        raise AccountError(f"extension: {extension} belongs to another user", field="extension")
    user = User(
        name=name,
        role=parsed_role,
        extension=extension or None,
        team=team,
        password_hash=_hasher.hash(password),
        disabled=False,
        created_at=at,
    )
    session.add(user)
    session.flush()
    return user


def _check_team(team: str) -> None:
    if not _TEAM.match(team):
        raise AccountError("team: up to 40 letters, digits, '_' or '-'", field="team")


def set_team(session: Session, name: str, team: str) -> User:
    """Put the user in ``team`` ("" for none); raises :class:`AccountError` if unknown."""
    _check_team(team)
    user = session.scalars(select(User).where(User.name == name)).one_or_none()
    if user is None:
        raise AccountError(f"name: no user {name}", field="name")
    user.team = team
    return user


def extension_of(session: Session, name: str) -> str:
    """The user's phone extension, or "" (a supervisor's phone, rung to listen in)."""
    return session.scalar(select(User.extension).where(User.name == name)) or ""


def teams_by_extension(session: Session) -> dict[str, str]:
    """Agents' teams by extension (their seat), for the supervisors' grid; no team left out."""
    rows = session.execute(
        select(User.extension, User.team).where(User.extension.is_not(None), User.team != "")
    ).tuples()
    return {extension: team for extension, team in rows if extension}


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def disable_user(session: Session, name: str) -> User:
    """Disable the account and end its sessions; raises :class:`AccountError` if unknown."""
    user = session.scalars(select(User).where(User.name == name)).one_or_none()
    if user is None:
        raise AccountError(f"name: no user {name}", field="name")
    user.disabled = True
    session.execute(delete(ConsoleSession).where(ConsoleSession.user_id == user.id))
    return user


def authenticate(session: Session, name: str, password: str) -> User:
    """The enabled user with this name and password, or :class:`LoginFailed`."""
    user = session.scalars(select(User).where(User.name == name)).one_or_none()
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        raise LoginFailed() from None
    if user is None or user.disabled:
        raise LoginFailed()
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, *, at: datetime, ttl_s: int, language: str) -> str:
    """A new session for ``user``; returns the cookie's token (kept nowhere else)."""
    token = secrets.token_urlsafe(32)
    session.add(
        ConsoleSession(
            token_sha256=_digest(token),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(24),
            created_at=at,
            expires_at=at + timedelta(seconds=ttl_s),
            language=language,
        )
    )
    # Expired sessions of this user go now: the table never grows with old log-ins.
    session.execute(
        delete(ConsoleSession).where(
            ConsoleSession.user_id == user.id, ConsoleSession.expires_at <= at
        )
    )
    return token


def principal_of(session: Session, token: str, *, at: datetime) -> Principal | None:
    """Who holds ``token`` now (None: unknown, expired or disabled)."""
    row = session.execute(
        select(ConsoleSession, User)
        .join(User, User.id == ConsoleSession.user_id)
        .where(ConsoleSession.token_sha256 == _digest(token))
    ).one_or_none()
    if row is None:
        return None
    console_session, user = row
    if console_session.expires_at <= at or user.disabled:
        return None
    return Principal(
        user_id=user.id,
        name=user.name,
        role=user.role,
        agent_id=(user.extension or "") if user.role is Role.AGENT else "",
        csrf_token=console_session.csrf_token,
        language=console_session.language,
    )


def set_language(session: Session, token: str, language: str) -> None:
    row = session.get(ConsoleSession, _digest(token))
    if row is not None:
        row.language = language


def end_session(session: Session, token: str) -> None:
    session.execute(delete(ConsoleSession).where(ConsoleSession.token_sha256 == _digest(token)))
