"""The county database: where it lives, engines for SQLite (WAL, immediate
write transactions) and PostgreSQL, and the ``ServerDB`` whose ``read`` and
``write`` give the one session a service call owns."""

from __future__ import annotations

import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DB_FILENAME = "yishi-server.sqlite3"


def default_data_dir() -> Path:
    env = os.environ.get("YISHI_SERVER_DATA_DIR")
    return Path(env).expanduser() if env else Path(user_data_dir("yishi-server", appauthor=False))


@dataclass(frozen=True, slots=True)
class Settings:
    """Where the server keeps its data; shared by the CLI and every worker."""

    data_dir: Path
    database_url: str

    @classmethod
    def make(cls, *, data_dir: Path | str | None = None, database_url: str | None = None) -> "Settings":
        d = Path(data_dir).expanduser() if data_dir else default_data_dir()
        url = database_url or os.environ.get("YISHI_SERVER_DATABASE_URL") or f"sqlite:///{d / DB_FILENAME}"
        return cls(data_dir=d, database_url=url)

    @property
    def blob_dir(self) -> Path:
        return self.data_dir / "blobs"


def _sqlite_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see _sqlite_begin)
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


def _sqlite_begin(conn) -> None:  # type: ignore[no-untyped-def]
    # writers take the lock at BEGIN so they queue instead of failing mid-way
    immediate = conn.get_execution_options().get("yishi_write")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


class ServerDB:
    """One county database. Services open exactly one session per call."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(settings.database_url)
        self.dialect = self.engine.dialect.name
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: everything in it commits together or not at all."""
        with self._sessions() as session:
            session.connection(execution_options={"yishi_write": True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
