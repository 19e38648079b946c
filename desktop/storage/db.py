"""Opening a room's SQLite file: where it lives, the pragmas that keep it safe
(WAL, foreign keys, ``synchronous=FULL``), refusing corrupt or newer files
without touching them, and running the Alembic migrations at start.

SQLAlchemy is imported when a ``Store`` is made, not with this module: the
window reads its language and font size with ``peek_setting`` (plain sqlite3)
and paints its first frame while the worker opens the store.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from desktop.domain.errors import DomainError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

DB_FILENAME = "yishi.sqlite3"


class StorageError(DomainError):
    """The database file cannot be used; it has not been modified."""


def default_data_dir() -> Path:
    env = os.environ.get("YISHI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("yishi", appauthor=False))


# Files up to this size get a full ``quick_check`` at every open (well under a
# second); bigger ones only after an unclean shutdown (see ``check_file``).
FULL_CHECK_MAX_BYTES = 64 * 1024 * 1024


def _unclean_or_small(path: Path) -> bool:
    """A WAL file left with content means the last program using the file did
    not close it (a crash, a power cut) or is still running: check it all."""
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size <= FULL_CHECK_MAX_BYTES or (wal.exists() and wal.stat().st_size > 0)


def check_file(path: Path) -> None:
    """Refuse a file that is not a healthy SQLite database, without writing to it.

    The header and schema are always read; the whole file is verified with
    ``PRAGMA quick_check`` when it is small or was not closed cleanly (a 700 MB
    room file takes seconds to check, which a clean start need not pay)."""
    if not path.exists():
        return
    if path.is_dir():
        raise StorageError("“{path}”是一个文件夹，不是数据库文件。", path=str(path))
    with path.open("rb") as fh:
        header = fh.read(16)
    if path.stat().st_size == 0:
        return
    if header != b"SQLite format 3\x00":
        raise StorageError(
            "数据文件“{path}”已损坏或不是议事数据库，程序没有改动它。请从备份恢复（yishi restore 备份文件）。",
            path=str(path),
        )
    # the cheap path reads the whole schema (every table's definition) and nothing more
    check = "PRAGMA quick_check" if _unclean_or_small(path) else "SELECT 'ok' WHERE (SELECT count(sql) FROM sqlite_master) >= 0"
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("PRAGMA schema_version").fetchone()
            rows = con.execute(check).fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError:
        rows = [("error",)]
    if rows != [("ok",)]:
        raise StorageError(
            "数据文件“{path}”已损坏或不是议事数据库，程序没有改动它。请从备份恢复（yishi restore 备份文件）。",
            path=str(path),
        )


def peek_setting(data_dir: Path, key: str, default: Any = None) -> Any:
    """One local setting read straight from the file, read-only, without
    opening a ``Store`` (the window's language and font at start). Anything
    unusable (no file yet, an old or damaged one) gives ``default``: opening
    the store properly reports what is wrong."""
    path = Path(data_dir).expanduser() / DB_FILENAME
    if not path.is_file() or path.stat().st_size == 0:
        return default
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        finally:
            con.close()
        return default if row is None or row[0] is None else json.loads(row[0])
    except (sqlite3.Error, ValueError):
        return default


def _json_dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def make_engine(path: Path) -> Engine:
    from desktop.storage.engine_setup import sqlite_engine

    # Chinese text stored as itself in JSON columns (the outbox): a third of the bytes of \uXXXX escapes
    return sqlite_engine(f"sqlite:///{path}", foreign_keys=True, busy_ms=10000, json_serializer=_json_dumps)


class Store:
    """One room's database. Each service method opens one session, owns its
    transaction and closes it; nothing outside ``desktop.storage`` sees a session."""

    def __init__(self, data_dir: Path | str | None = None, *, migrate: bool = True) -> None:
        self.data_dir = Path(data_dir).expanduser() if data_dir else default_data_dir()
        self.path = self.data_dir / DB_FILENAME
        check_file(self.path)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if migrate:
            from desktop.storage.migrate import upgrade

            upgrade(self.path)
        # importing search registers the hook that indexes queued topics at each
        # commit, so every process that writes keeps the search index current
        import desktop.storage.search  # noqa: F401
        from sqlalchemy.orm import sessionmaker

        self.engine = make_engine(self.path)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session
            session.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: the rows and their outbox entries commit together."""
        with self._sessions() as session:
            # take the write lock now, not at the first write, so two writers
            # queue up instead of failing half-way with "database is locked"
            from desktop.storage.engine_setup import IMMEDIATE

            session.connection(execution_options={IMMEDIATE: True})
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def close(self) -> None:
        self.engine.dispose()
