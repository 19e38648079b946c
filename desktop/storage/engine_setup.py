"""The SQLite engine set-up both programs share: the pragmas that keep a file
safe through a power cut (WAL with ``synchronous=FULL``: a commit is on disk
before it returns, so a push the PC has taken out of its outbox can never be
rolled back on the server), a busy timeout, and write transactions that take
the lock at BEGIN. No Qt, no FastAPI: the PC's ``Store`` and the county's
``ServerDB`` both call ``sqlite_engine``."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable

from sqlalchemy import Engine, create_engine, event

# the execution option a write session sets on its connection (see ``_begin``)
IMMEDIATE = "yishi_immediate"


def _connect_hook(*, foreign_keys: bool, busy_ms: int) -> Callable[[sqlite3.Connection, object], None]:
    def on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Python's sqlite3 opens transactions lazily; we issue BEGIN ourselves
        # (see ``_begin``), so its own handling is off
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        if foreign_keys:
            cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
        cur.close()

    return on_connect


def _begin(conn: Any) -> None:
    # writers take the lock at BEGIN so they queue instead of failing half-way
    # with "database is locked" at their first write
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(IMMEDIATE) else "BEGIN")


def sqlite_engine(url: str, *, foreign_keys: bool, busy_ms: int, **kw: Any) -> Engine:
    """An engine on a SQLite URL with the shared pragmas and BEGIN handling.
    ``foreign_keys`` stays a choice: the room's file enforces them, the county's
    tables were made without relying on them."""
    engine = create_engine(url, **kw)
    event.listen(engine, "connect", _connect_hook(foreign_keys=foreign_keys, busy_ms=busy_ms))
    event.listen(engine, "begin", _begin)
    return engine
