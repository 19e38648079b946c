"""County staff accounts and their browser sessions.

Passwords are hashed with scrypt (n=2**14, r=8, p=1, 16-byte salt). Staff log
in through a form; the session cookie holds a random token (we keep its hash)
and each session has its own CSRF token that every form posts back. A cookie
session, unlike HTTP Basic, can be logged out, expires, and does not make the
browser resend a password with every request; scripts may still use Basic on
``/api/v1/stats``.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select

from desktop.domain import clock
from desktop.domain.errors import ValidationError
from server.db import ServerDB
from server.errors import AuthError
from server.models import AdminRow, AdminSessionRow

SESSION_HOURS = 12
_USER = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")


def _kdf(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**14, r=8, p=1, dklen=64)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class AdminSession:
    username: str
    csrf: str


def add_admin(db: ServerDB, username: str, password: str) -> None:
    """Create a staff account, or set a new password for an existing one."""
    if not _USER.match(username or ""):
        raise ValidationError("用户名“{name}”不合规：请用 2 到 64 位字母、数字、点、下划线或短横线。", name=(username or "")[:64])
    if len(password or "") < 8:
        raise ValidationError("密码太短：至少 8 位。")
    salt = os.urandom(16)
    digest = _kdf(password, salt)
    with db.write() as session:
        row = session.get(AdminRow, username)
        if row is None:
            session.add(AdminRow(username=username, salt=salt, password_hash=digest, created_at=clock.now()))
        else:
            row.salt, row.password_hash = salt, digest


def check_password(db: ServerDB, username: str, password: str) -> bool:
    with db.read() as session:
        row = session.get(AdminRow, username)
        if row is None:
            _kdf(password, b"0" * 16)  # same work either way: no user enumeration by timing
            return False
        return hmac.compare_digest(_kdf(password, row.salt), row.password_hash)


def login(db: ServerDB, username: str, password: str) -> tuple[str, AdminSession]:
    """A new session token (for the cookie) and the session, or AuthError."""
    if not check_password(db, username, password):
        raise AuthError("用户名或密码不对，请重新输入。")
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(24)
    now = clock.now()
    with db.write() as session:
        session.execute(delete(AdminSessionRow).where(AdminSessionRow.expires_at < now))
        session.add(AdminSessionRow(token_hash=_hash(token), username=username, csrf=csrf, created_at=now, expires_at=now + timedelta(hours=SESSION_HOURS)))
    return token, AdminSession(username=username, csrf=csrf)


def session_of(db: ServerDB, token: str | None) -> AdminSession | None:
    if not token:
        return None
    with db.read() as session:
        row = session.scalars(select(AdminSessionRow).where(AdminSessionRow.token_hash == _hash(token))).first()
        if row is None or row.expires_at < clock.now():
            return None
        return AdminSession(username=row.username, csrf=row.csrf)


def logout(db: ServerDB, token: str) -> None:
    with db.write() as session:
        session.execute(delete(AdminSessionRow).where(AdminSessionRow.token_hash == _hash(token)))
