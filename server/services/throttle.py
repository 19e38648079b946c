"""One throttle for every limit of the county server: the phone form, ``/t/``
lookups and admin logins. The counts live in the database (table
``throttle``), never in a worker's memory, because the server runs several
uvicorn workers (and maybe several app servers) that must agree.

A row is a fixed-window counter keyed by what is limited (an address prefix,
a room, an account at an address), plus a lock-out for login failures that
doubles each time it trips. A counting call locks its row for the rest of the
caller's transaction (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's write
transaction is exclusive anyway), so two workers never both take the last
place. A refusal raises and the caller's transaction rolls back, so a refused
attempt is not counted: a resident who is told to wait does not make the wait
longer by trying again.

Addresses are kept only as salted hashes of their prefix: an IPv4 address
(/32) and its /24, an IPv6 /64 (a phone may change the low 64 bits at will,
so the /64 is what one device is). The client address is what uvicorn hands
the app: the peer, or the ``X-Forwarded-For`` of a proxy listed in
``--forwarded-allow-ips`` (docs/deploy-county-server.md, "Limits")."""

from __future__ import annotations

import hashlib
import ipaddress
import math
import os
import sys
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Mapping

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from desktop.domain import clock
from server.db import ServerDB
from server.errors import RateLimitedError
from server.models import ThrottleRow

if TYPE_CHECKING:
    from starlette.requests import HTTPConnection

def N_(text: str) -> str:
    """Marks a message for the catalogue (tools/i18n_sources.py); it is translated when shown."""
    return text


# strikes (how often a login lock tripped) are forgotten a day after the last lock ended
STRIKE_MEMORY = timedelta(days=1)
# rows idle this long are deleted by the occasional clean-up
IDLE = timedelta(days=2)


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """Every limit, with its default; ``from_env`` reads the settings named in
    ``ENV``. The reasons for each number are in docs/deploy-county-server.md."""

    # phone form: accepted submissions per window
    per_ip: int = 30  # one address: an IPv4 /32 (a village Wi-Fi, a carrier NAT) or an IPv6 /64
    per_network: int = 60  # one IPv4 /24
    per_room: int = 120  # above this a room is "busy" …
    room_share: int = 10  # … and then only a network that sent it more than this must wait
    window: timedelta = timedelta(minutes=10)
    dedupe: timedelta = timedelta(minutes=10)  # the same submitter sending the same thing again
    # /t/: lookups per window, hits and misses alike
    track_per_ip: int = 60
    track_per_network: int = 240
    track_window: timedelta = timedelta(minutes=10)
    # admin login (form and HTTP Basic): failures per window before a lock-out
    login_failures: int = 5  # one account from one address
    login_failures_ip: int = 20  # one address, any accounts
    login_failures_account: int = 100  # one account, any addresses
    login_window: timedelta = timedelta(minutes=15)
    login_lock: timedelta = timedelta(minutes=5)  # the first lock; each next one doubles
    login_lock_max: timedelta = timedelta(hours=24)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Limits":
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for name, (var, unit) in ENV.items():
            raw = env.get(var, "").strip()
            if not raw:
                continue
            # ASCII digits only: a typo keeps the default and says so, it does not stop the server
            if not (raw.isascii() and raw.isdigit()) or int(raw) == 0 or len(raw) > 9:
                print(f"yishi-server: ignoring {var}={raw[:20]!r} (a whole number above 0 is expected)", file=sys.stderr)
                continue
            values[name] = int(raw) if unit == "" else timedelta(**{unit: int(raw)})
        return cls(**values)  # type: ignore[arg-type]


# field -> (environment variable, unit of a timedelta or "" for a count)
ENV: dict[str, tuple[str, str]] = {
    "per_ip": ("YISHI_SERVER_LIMIT_IP", ""),
    "per_network": ("YISHI_SERVER_LIMIT_NETWORK", ""),
    "per_room": ("YISHI_SERVER_LIMIT_ROOM", ""),
    "room_share": ("YISHI_SERVER_LIMIT_ROOM_SHARE", ""),
    "window": ("YISHI_SERVER_LIMIT_WINDOW_MINUTES", "minutes"),
    "dedupe": ("YISHI_SERVER_DEDUPE_MINUTES", "minutes"),
    "track_per_ip": ("YISHI_SERVER_TRACK_LIMIT_IP", ""),
    "track_per_network": ("YISHI_SERVER_TRACK_LIMIT_NETWORK", ""),
    "track_window": ("YISHI_SERVER_TRACK_WINDOW_MINUTES", "minutes"),
    "login_failures": ("YISHI_SERVER_LOGIN_FAILURES", ""),
    "login_failures_ip": ("YISHI_SERVER_LOGIN_FAILURES_IP", ""),
    "login_failures_account": ("YISHI_SERVER_LOGIN_FAILURES_ACCOUNT", ""),
    "login_window": ("YISHI_SERVER_LOGIN_WINDOW_MINUTES", "minutes"),
    "login_lock": ("YISHI_SERVER_LOGIN_LOCK_SECONDS", "seconds"),
    "login_lock_max": ("YISHI_SERVER_LOGIN_LOCK_MAX_SECONDS", "seconds"),
}
assert set(ENV) == {f.name for f in fields(Limits)}


_cached: Limits | None = None


def current_limits() -> Limits:
    """The limits from the environment, read once per process (a worker's
    settings do not change while it runs)."""
    global _cached
    if _cached is None:
        _cached = Limits.from_env()
    return _cached


# ---------------------------------------------------------------- addresses


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Client:
    """Who is asking, as the limits see it: salted hashes of the address (an
    IPv4 /32 or IPv6 /64) and of its network (the IPv4 /24; for IPv6 the /64
    again, the prefix a single line or phone is given)."""

    address: str
    network: str


def client(ip: str, *, salt: str) -> Client:
    try:
        addr = ipaddress.ip_address((ip or "").strip())
    except ValueError:
        raw = (ip or "")[:100]  # not an address (a test client, a unix socket): itself
        return Client(_digest(salt, raw), _digest(salt, "net", raw))
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    if isinstance(addr, ipaddress.IPv4Address):
        net = ipaddress.ip_network(f"{addr}/24", strict=False)
        # the /32 hashes as the bare address did before prefixes, so earlier submissions still dedupe
        return Client(_digest(salt, str(addr)), _digest(salt, "net", str(net)))
    net6 = str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return Client(_digest(salt, net6), _digest(salt, "net", net6))


def client_of(request: "HTTPConnection") -> Client:
    """The request's client: its address as uvicorn saw it (behind the proxy
    named in ``--forwarded-allow-ips``, the ``X-Forwarded-For`` it set)."""
    ip = request.client.host if request.client else ""
    return client(ip, salt=request.app.state.ip_salt)


# ---------------------------------------------------------------- counters


def _row(session: Session, key: str, now: datetime) -> ThrottleRow:
    """The key's row, created if new, locked until the transaction ends."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(ThrottleRow).values(key=key, count=0, window_end=now, strikes=0, locked_until=None, touched_at=now).on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalars(select(ThrottleRow).where(ThrottleRow.key == key).with_for_update().execution_options(populate_existing=True)).one()
    row.touched_at = now
    return row


def count(session: Session, key: str, *, window: timedelta, now: datetime) -> ThrottleRow:
    """One more event for the key in its current window (a new window starts
    when the last one is over); the row tells the count and when it resets."""
    row = _row(session, key, now)
    if row.window_end <= now:
        row.count, row.window_end = 0, now + window
    row.count += 1
    return row


def wait_minutes(until: datetime, now: datetime) -> int:
    """Whole minutes until ``until``, at least one: what a person is told to wait."""
    return max(1, math.ceil((until - now).total_seconds() / 60))


def hit(db: ServerDB, counters: list[tuple[str, int, timedelta, str]]) -> None:
    """Count one request against each (key, limit, window, message) in its own
    transaction, or raise RateLimitedError with the first exceeded message
    (``{minutes}`` filled) and count nothing."""
    now = clock.now()
    with db.write() as session:
        for key, limit, window, message in counters:
            row = count(session, key, window=window, now=now)
            if row.count > limit:
                raise RateLimitedError(message, minutes=wait_minutes(row.window_end, now))
        _maybe_clean(session, now)


def _maybe_clean(session: Session, now: datetime) -> None:
    # about one request in 128 deletes rows nobody touched for two days: no job to schedule.
    # SKIP LOCKED (PostgreSQL): the clean-up never waits on a row another request holds, so
    # it can add no lock wait, and so no deadlock, to the counting it rides along with
    if os.urandom(1)[0] < 2:
        idle = select(ThrottleRow.key).where(ThrottleRow.touched_at < now - IDLE).limit(500).with_for_update(skip_locked=True)
        session.execute(delete(ThrottleRow).where(ThrottleRow.key.in_(idle.scalar_subquery())))


# ---------------------------------------------------------------- log-ins
#
# An attempt is counted when it starts, not when its password check fails:
# scrypt takes most of a second, and guesses sent in parallel would all pass
# a check made before any of them had failed. A full count refuses at the
# start like a lock does; a success gives its place back.


def _login_keys(username: str, who: Client | None, limits: Limits) -> list[tuple[str, int]]:
    """(key, failures allowed) for the account at the address, the address and the account."""
    account = "login:u:" + _digest((username or "")[:64])
    keys = [(account, limits.login_failures_account)]
    if who is not None:
        keys = [("login:ua:" + _digest(account, who.address), limits.login_failures), ("login:a:" + who.address, limits.login_failures_ip), *keys]
    return keys


def _lock_for(row: ThrottleRow, limits: Limits) -> timedelta:
    """The next lock of this key: the first one, doubled by each earlier strike."""
    return min(limits.login_lock * 2 ** min(row.strikes, 30), limits.login_lock_max)


LOCKED = N_("登录失败的次数太多，为防止有人猜密码，暂时不能登录（密码对了也要等）。请过 {minutes} 分钟再试。")


def before_login(db: ServerDB, username: str, who: Client | None, limits: Limits | None = None) -> None:
    """Refuse (429, with the wait) while the account, the address or the
    account at this address is locked or has no attempt left; else count the
    attempt. Called before the password is checked, so a lock holds against
    the right password too."""
    limits = limits or current_limits()
    now = clock.now()
    with db.write() as session:
        rows = []
        for key, allowed in _login_keys(username, who, limits):
            row = _row(session, key, now)
            if row.locked_until is not None and row.locked_until + STRIKE_MEMORY < now:
                row.strikes = 0
            if row.locked_until is not None and row.locked_until > now:
                raise RateLimitedError(LOCKED, minutes=wait_minutes(row.locked_until, now))
            if row.window_end <= now:
                row.count, row.window_end = 0, now + limits.login_window
            if row.count >= allowed:  # the last attempts are still being checked
                raise RateLimitedError(LOCKED, minutes=wait_minutes(now + _lock_for(row, limits), now))
            rows.append(row)
        for row in rows:
            row.count += 1
        _maybe_clean(session, now)


def after_login(db: ServerDB, username: str, who: Client | None, *, ok: bool, limits: Limits | None = None) -> None:
    """The outcome of an attempt ``before_login`` counted. A failure that
    fills a count locks that key, for ``login_lock`` doubled by each earlier
    lock, up to ``login_lock_max``. A success clears the account's count and
    strikes at this address and gives its place back to the others."""
    limits = limits or current_limits()
    now = clock.now()
    keys = _login_keys(username, who, limits)
    with db.write() as session:
        for key, allowed in keys:
            if ok and key.startswith("login:ua:"):
                session.execute(delete(ThrottleRow).where(ThrottleRow.key == key))
                continue
            row = _row(session, key, now)
            if ok:
                row.count = max(0, row.count - 1)
            elif row.count >= allowed:
                row.locked_until, row.count = now + _lock_for(row, limits), 0
                row.strikes += 1
