"""The consoles' tables: user accounts and their log-in sessions.

Declared on the renewals ``Base`` (one MetaData for Alembic). A session row is keyed by the
SHA-256 of its cookie token, so a copy of the table gives no one a usable cookie.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from renewals.models import Base
from renewals.sqltypes import UtcDateTime, value_enum

__all__ = ["ConsoleSession", "Role", "User"]


class Role(enum.StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    QA = "qa"
    ADMIN = "admin"


class User(Base):
    """A person who logs in; an agent's ``extension`` is its seat (``agent_id``) and phone."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    role: Mapped[Role] = mapped_column(value_enum(Role, "user_role"))
    extension: Mapped[str | None] = mapped_column(String(40), nullable=True, unique=True)
    team: Mapped[str] = mapped_column(String(40), default="", server_default="")  # "" = none
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ConsoleSession(Base):
    """One logged-in browser: the token's hash, its CSRF token and when it expires."""

    __tablename__ = "console_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    language: Mapped[str] = mapped_column(String(8), default="zh_CN")
