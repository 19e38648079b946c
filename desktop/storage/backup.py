"""Backups of the room database and restoring one.

A backup is a consistent copy made with SQLite's online-backup API, so it can
be taken while the window keeps writing. ``auto_backup`` makes at most one a
day into ``<data_dir>/backups/yishi-YYYYMMDD.sqlite3`` and keeps the newest 14.

``restore_from`` checks a file thoroughly before it touches anything (SQLite
header, ``integrity_check``, a schema revision this program knows, a room),
then swaps it in atomically: copy to a temporary file in the data directory,
fsync, ``os.replace``. The database it replaces is kept in ``backups/``.
The caller must close the room's ``Store`` before restoring (and open a new
one afterwards): an open connection would keep writing to the replaced file.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

from alembic.script import ScriptDirectory

from desktop.domain import clock
from desktop.domain.errors import DomainError
from desktop.storage.db import DB_FILENAME, Store
from desktop.storage.migrate import alembic_config

BACKUP_DIR = "backups"
_DAILY = re.compile(r"^yishi-(\d{8})\.sqlite3$")


class BackupError(DomainError):
    """A backup could not be made, or a file cannot be restored."""


def _copy(src_path: Path, dest: Path) -> None:
    """Online-backup ``src_path`` into a new file ``dest`` and fsync it."""
    src = sqlite3.connect(f"file:{src_path}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst)
            # one self-contained file: no -wal beside it
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with dest.open("rb+") as fh:
        os.fsync(fh.fileno())


def backup_to(store: Store, dest: Path) -> Path:
    """Copy the room database to ``dest`` (a file, or a folder to put a dated
    file in) while the program may keep writing. Returns the file written."""
    dest = Path(dest).expanduser()
    if dest.is_dir():
        dest = dest / f"yishi-{clock.to_local(clock.now()):%Y%m%d-%H%M%S}.sqlite3"
    if dest.resolve() == store.path.resolve():
        raise BackupError("备份文件不能是正在使用的数据库本身，请换一个文件名。")
    if not dest.parent.is_dir():
        raise BackupError("文件夹“{path}”不存在，请先建好或换一个位置。", path=str(dest.parent))
    tmp = dest.with_name(dest.name + ".tmp")
    try:
        _copy(store.path, tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError("无法写入备份文件“{path}”：{reason}", path=str(dest), reason=exc.strerror or str(exc)) from None
    return dest


def list_backups(store: Store) -> tuple[Path, ...]:
    """The files in the room's backup folder, newest first."""
    folder = store.data_dir / BACKUP_DIR
    if not folder.is_dir():
        return ()
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix == ".sqlite3"]
    return tuple(sorted(files, key=lambda p: (p.stat().st_mtime, p.name), reverse=True))


def auto_backup(store: Store, *, keep: int = 14, today: date | None = None) -> Path | None:
    """Today's backup if there is none yet; then only the newest ``keep`` daily
    backups are kept. Returns the new file, or ``None`` when today's exists."""
    today = today or clock.to_local(clock.now()).date()
    folder = store.data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    target = folder / f"yishi-{today:%Y%m%d}.sqlite3"
    made = None
    if not target.exists():
        made = backup_to(store, target)
    daily = sorted((p for p in folder.iterdir() if _DAILY.match(p.name)), key=lambda p: p.name, reverse=True)
    for old in daily[max(keep, 1):]:
        old.unlink(missing_ok=True)
    return made


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def validate_backup(file: Path) -> None:
    """Raise ``BackupError`` unless ``file`` is a healthy room database this
    program can open. Reads only."""
    file = Path(file).expanduser()
    if not file.is_file():
        raise BackupError("找不到备份文件“{path}”。", path=str(file))
    with file.open("rb") as fh:
        header = fh.read(16)
    if header != b"SQLite format 3\x00":
        raise BackupError("“{path}”不是议事数据库的备份文件，没有恢复。", path=str(file))
    try:
        con = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            check = con.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError("备份文件“{path}”已损坏，没有恢复。请换一个备份文件。", path=str(file))
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revision = None
            if "alembic_version" in tables:
                row = con.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
            if revision is None or "room" not in tables:
                raise BackupError("“{path}”不是议事数据库的备份文件，没有恢复。", path=str(file))
            if revision not in _known_revisions():
                raise BackupError("备份文件“{path}”来自更新版本的议事程序，本程序无法使用，没有恢复。请升级议事程序。", path=str(file))
            if con.execute("SELECT count(*) FROM room").fetchone()[0] == 0:
                raise BackupError("备份文件“{path}”里没有议事室信息，没有恢复。", path=str(file))
        finally:
            con.close()
    except sqlite3.DatabaseError:
        raise BackupError("“{path}”不是议事数据库的备份文件，或已损坏，没有恢复。", path=str(file)) from None


def _keep_safety_copy(db: Path, folder: Path) -> Path:
    safety = folder / f"yishi-before-restore-{clock.to_local(clock.now()):%Y%m%d-%H%M%S}.sqlite3"
    try:
        # through the backup API, so committed pages still in the -wal come along
        _copy(db, safety)
    except sqlite3.Error:
        # a damaged database (often the reason to restore): keep its bytes as they are
        safety.unlink(missing_ok=True)
        shutil.copyfile(db, safety)
        wal = db.with_name(db.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, safety.with_name(safety.name + "-wal"))
    return safety


def restore_from(data_dir: Path, file: Path) -> Path:
    """Replace the room database in ``data_dir`` with the backup ``file``.

    Close the ``Store`` first. Nothing changes unless ``file`` passes
    ``validate_backup``. The replaced database is kept as
    ``backups/yishi-before-restore-YYYYMMDD-HHMMSS.sqlite3`` (returned path is
    the restored database). A schema older than this program's is upgraded
    when the next ``Store`` opens it."""
    data_dir = Path(data_dir).expanduser()
    file = Path(file).expanduser()
    validate_backup(file)
    db = data_dir / DB_FILENAME
    if db.exists() and file.resolve() == db.resolve():
        raise BackupError("不能用正在使用的数据库恢复它自己，请选择备份文件夹中的文件。")
    data_dir.mkdir(parents=True, exist_ok=True)
    folder = data_dir / BACKUP_DIR
    folder.mkdir(exist_ok=True)
    tmp = data_dir / (DB_FILENAME + ".restore-tmp")
    try:
        _copy(file, tmp)
        if db.exists():
            _keep_safety_copy(db, folder)
        # the old file's write-ahead log must never be replayed onto the new
        # file: its content is in the safety copy, so it goes before the swap
        for suffix in ("-wal", "-shm"):
            (data_dir / (DB_FILENAME + suffix)).unlink(missing_ok=True)
        os.replace(tmp, db)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError("恢复没有完成：{reason}", reason=str(exc)) from None
    dir_fd = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    except OSError:
        pass  # some file systems (Windows) cannot fsync a directory
    finally:
        os.close(dir_fd)
    return db
