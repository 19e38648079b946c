"""County staff accounts and their browser sessions.

Passwords are hashed with scrypt at OWASP's current guidance (N=2**17, r=8,
p=1: 128 MiB and about 0.7 s per hash on the 2-core test machine). scrypt
rather than argon2id because it is in the standard library (a county installs
with no compiler and no extra wheel) and OWASP lists both. The parameters are
stored with each hash: the ``salt`` column holds a 4-byte header (format,
log2 N, r, p) before the 16 random bytes, so no schema change was needed; a
bare 16-byte salt is an older hash made with N=2**14, r=8, p=1. Old hashes
still verify, and a successful login with parameters below the current ones
stores a new hash made with the current ones.

Staff log in through a form; the session cookie holds a random token (we keep
its hash) and each session has its own CSRF token that every form posts back.
A cookie session, unlike HTTP Basic, can be logged out, expires, and does not
make the browser resend a password with every request; scripts may still use
Basic on ``/api/v1/stats``. Setting a new password ends every session of that
account, and so does "log out everywhere".
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
from server.services import throttle

SESSION_HOURS = 12
_USER = re.compile(r"^[A-Za-z0-9_.-]{2,64}$")


@dataclass(frozen=True, slots=True)
class ScryptParams:
    log2_n: int
    r: int
    p: int

    @property
    def maxmem(self) -> int:
        # scrypt needs 128*r*N bytes for V plus 128*r*p for B; OpenSSL's default cap is 32 MiB
        return 128 * self.r * (2**self.log2_n + self.p) + 2**20

    def weaker_than(self, other: ScryptParams) -> bool:
        return (self.log2_n, self.r, self.p) < (other.log2_n, other.r, other.p)


CURRENT = ScryptParams(17, 8, 1)
LEGACY = ScryptParams(14, 8, 1)  # every hash stored before the parameters were kept with it
_FORMAT = 1
_SALT_BYTES = 16
# the most a stored header may ask for: a tampered row must not make a login allocate gigabytes
_MAX = ScryptParams(20, 16, 4)


def _kdf(password: str, salt: bytes, params: ScryptParams) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**params.log2_n, r=params.r, p=params.p, maxmem=params.maxmem, dklen=64)


def _pack(params: ScryptParams, salt: bytes) -> bytes:
    return bytes((_FORMAT, params.log2_n, params.r, params.p)) + salt


def _unpack(stored: bytes) -> tuple[ScryptParams, bytes] | None:
    """The parameters and the random salt of a stored row, or None if unreadable."""
    stored = bytes(stored or b"")
    if len(stored) == _SALT_BYTES:
        return LEGACY, stored
    if len(stored) == 4 + _SALT_BYTES and stored[0] == _FORMAT:
        params = ScryptParams(stored[1], stored[2], stored[3])
        if 1 <= params.log2_n <= _MAX.log2_n and 1 <= params.r <= _MAX.r and 1 <= params.p <= _MAX.p:
            return params, stored[4:]
    return None


def _new_hash(password: str) -> tuple[bytes, bytes]:
    """(salt column, password_hash column) for a password, at the current parameters."""
    salt = os.urandom(_SALT_BYTES)
    return _pack(CURRENT, salt), _kdf(password, salt, CURRENT)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True, kw_only=True)
class AdminSession:
    username: str
    csrf: str


def add_admin(db: ServerDB, username: str, password: str) -> int:
    """Create a staff account, or set a new password for an existing one and
    end its sessions (a reset is what one does after a password leaked).
    Returns how many sessions were ended."""
    if not _USER.match(username or ""):
        raise ValidationError("用户名“{name}”不合规：请用 2 到 64 位字母、数字、点、下划线或短横线。", name=(username or "")[:64])
    if len(password or "") < 8:
        raise ValidationError("密码太短：至少 8 位。")
    salt, digest = _new_hash(password)
    with db.write() as session:
        row = session.get(AdminRow, username)
        if row is None:
            session.add(AdminRow(username=username, salt=salt, password_hash=digest, created_at=clock.now()))
            return 0
        row.salt, row.password_hash = salt, digest
        return session.execute(delete(AdminSessionRow).where(AdminSessionRow.username == username)).rowcount or 0


def check_password(db: ServerDB, username: str, password: str) -> bool:
    """Whether the password is right; a right one stored with weaker
    parameters than the current ones is hashed again with the current ones."""
    with db.read() as session:
        row = session.get(AdminRow, username)
        stored = (bytes(row.salt), bytes(row.password_hash)) if row is not None else None
    unpacked = _unpack(stored[0]) if stored is not None else None
    if stored is None or unpacked is None:
        _kdf(password, b"0" * _SALT_BYTES, CURRENT)  # same work either way: no user enumeration by timing
        return False
    params, salt = unpacked
    if not hmac.compare_digest(_kdf(password, salt, params), stored[1]):
        return False
    if params.weaker_than(CURRENT):
        new_salt, digest = _new_hash(password)
        with db.write() as session:
            row = session.get(AdminRow, username)
            # only if nobody set a new password meanwhile
            if row is not None and bytes(row.salt) == stored[0]:
                row.salt, row.password_hash = new_salt, digest
    return True


def verify(db: ServerDB, username: str, password: str, *, client: throttle.Client | None = None) -> bool:
    """``check_password`` behind the login throttle (form and HTTP Basic):
    RateLimitedError (429, with the wait) while locked, even for the right
    password; a failure counts, a success clears this address's count."""
    throttle.before_login(db, username, client)
    ok = check_password(db, username, password)
    throttle.after_login(db, username, client, ok=ok)
    return ok


def login(db: ServerDB, username: str, password: str, *, client: throttle.Client | None = None) -> tuple[str, AdminSession]:
    """A new session token (for the cookie) and the session, or AuthError
    (RateLimitedError while the login throttle holds)."""
    if not verify(db, username, password, client=client):
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


def end_sessions(db: ServerDB, username: str) -> int:
    """Log the account out everywhere; how many sessions were ended. An
    unknown account is an error, so a typo is not mistaken for success."""
    with db.write() as session:
        if session.get(AdminRow, (username or "")[:64]) is None:
            raise ValidationError("没有名为“{name}”的管理员。", name=(username or "")[:64])
        return session.execute(delete(AdminSessionRow).where(AdminSessionRow.username == username)).rowcount or 0
