"""The county database: where it lives, engines for SQLite (the set-up shared
with the PC in ``desktop.storage.engine_setup``: WAL, ``synchronous=FULL``,
immediate write transactions) and PostgreSQL, and the ``ServerDB`` whose
``read`` and ``write`` give the one session a service call owns."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from desktop.storage.engine_setup import IMMEDIATE, sqlite_engine

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


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # the same pragmas as the room's PC (synchronous=FULL) from the one shared set-up
        return sqlite_engine(url, foreign_keys=False, busy_ms=15000, connect_args={"check_same_thread": False, "timeout": 15})
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
            session.connection(execution_options={IMMEDIATE: True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
