"""Alembic migrations of the room database, run at every start.

A file made by an older Yishi is upgraded in place (after a backup copy next
to it); a file whose schema is newer than this program knows is refused and
left untouched.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from typing import TYPE_CHECKING

from desktop.storage.db import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# The newest revision in migrations/versions. A file already at it opens without
# importing Alembic at all (a second of start-up); tests/storage/test_migrate_head.py
# keeps this equal to Alembic's own head.
HEAD = "0005"


def alembic_config(url: str) -> "Config":
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def current_revision(path: Path) -> str | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        has = con.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'").fetchone()
        if not has:
            return None
        row = con.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        con.close()


def upgrade(path: Path) -> None:
    if current_revision(path) == HEAD:
        return
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = alembic_config(f"sqlite:///{path}")
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    current = current_revision(path)
    if current == head:
        return
    if current is not None:
        known = {rev.revision for rev in script.walk_revisions()}
        if current not in known:
            raise StorageError(
                "数据文件“{path}”是由更新版本的议事程序创建的，本程序无法打开，也没有改动它。请升级议事程序。",
                path=str(path),
            )
        # keep the pre-upgrade file until the upgrade has committed
        backup = path.with_name(path.name + f".before-{head}")
        src = sqlite3.connect(str(path))
        dst = sqlite3.connect(str(backup))
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    elif path.exists() and path.stat().st_size > 0:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
        finally:
            con.close()
        if tables:
            raise StorageError(
                "数据文件“{path}”不是议事数据库，程序没有改动它。",
                path=str(path),
            )
    command.upgrade(cfg, "head")
