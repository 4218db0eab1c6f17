"""Accounts and sessions on SQLite and PostgreSQL: argon2 hashes, disable ends sessions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from agent_console.accounts import (
    add_user,
    authenticate,
    disable_user,
    end_session,
    list_users,
    open_session,
    principal_of,
)
from agent_console.errors import AccountError, LoginFailed
from agent_console.models import Role, User

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def _add(sessions: sessionmaker[Session], name: str = "li", **kw: object) -> None:
    args: dict[str, object] = {"role": "agent", "password": "s3cret-pass", "extension": "1001"}
    args.update(kw)
    with sessions.begin() as s:
        add_user(s, name=name, at=AT, **args)  # type: ignore[arg-type]


def test_password_is_stored_as_argon2_and_authenticates(
    session_factory: sessionmaker[Session],
) -> None:
    _add(session_factory)
    with session_factory.begin() as s:
        user = s.query(User).one()
        assert user.password_hash.startswith("$argon2id$")
        assert "s3cret-pass" not in user.password_hash
        assert authenticate(s, "li", "s3cret-pass").id == user.id
        with pytest.raises(LoginFailed):
            authenticate(s, "li", "wrong-pass")
        with pytest.raises(LoginFailed):
            authenticate(s, "nobody", "s3cret-pass")


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"name": "bad name"}, "name"),
        ({"role": "boss"}, "role"),
        ({"extension": None}, "extension"),
        ({"password": "short"}, "password"),
    ],
)
def test_bad_accounts_are_refused_naming_the_field(
    session_factory: sessionmaker[Session], kw: dict[str, object], field: str
) -> None:
    with pytest.raises(AccountError) as err:
        _add(session_factory, **kw)  # type: ignore[arg-type]
    assert err.value.details["field"] == field
    with session_factory() as s:
        assert list_users(s) == []


def test_duplicate_name_and_extension_are_refused(session_factory: sessionmaker[Session]) -> None:
    _add(session_factory)
    with pytest.raises(AccountError, match="exists"):
        _add(session_factory, extension="1002")
    with pytest.raises(AccountError, match="another user"):
        _add(session_factory, name="wang")
    _add(session_factory, name="zhao", role="supervisor", extension=None)
    with session_factory() as s:
        assert [(u.name, u.role) for u in list_users(s)] == [
            ("li", Role.AGENT),
            ("zhao", Role.SUPERVISOR),
        ]


def test_session_gives_the_principal_until_expiry_logout_or_disable(
    session_factory: sessionmaker[Session],
) -> None:
    _add(session_factory)
    with session_factory.begin() as s:
        user = authenticate(s, "li", "s3cret-pass")
        token = open_session(s, user, at=AT, ttl_s=3600, language="en")
        other = open_session(s, user, at=AT, ttl_s=3600, language="zh_CN")
    with session_factory() as s:
        who = principal_of(s, token, at=AT + timedelta(minutes=5))
        assert who is not None
        assert (who.name, who.role, who.agent_id, who.language) == ("li", Role.AGENT, "1001", "en")
        assert principal_of(s, token, at=AT + timedelta(hours=2)) is None
        assert principal_of(s, "forged", at=AT) is None
    with session_factory.begin() as s:
        end_session(s, token)
    with session_factory() as s:
        assert principal_of(s, token, at=AT) is None
        assert principal_of(s, other, at=AT) is not None
    with session_factory.begin() as s:
        disable_user(s, "li")
    with session_factory.begin() as s:
        assert principal_of(s, other, at=AT) is None
        with pytest.raises(LoginFailed):
            authenticate(s, "li", "s3cret-pass")
