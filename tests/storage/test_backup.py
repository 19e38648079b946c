"""Backups and restore: consistent copies taken while another connection
writes, one automatic backup a day with the newest 14 kept, and a restore that
refuses anything but a healthy room database without changing a byte."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.storage.backup import BackupError, auto_backup, backup_to, list_backups, restore_from
from desktop.storage.db import DB_FILENAME, Store
from desktop.storage.search import count_topics, search_topics
from desktop.storage.services import rooms, topics

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "room-0001.sqlite3"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _count(path: Path, table: str = "topic") -> int:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def test_backup_while_another_connection_writes_is_consistent(room_store, tmp_path):
    for i in range(20):
        topics.record_topic(room_store, title=f"议题{i}", source="qr")
    writer = Store(room_store.data_dir)
    stop = threading.Event()

    def keep_writing():
        n = 0
        while not stop.is_set():
            topics.record_topic(writer, title=f"备份期间的议题{n}", source="hotline")
            n += 1

    t = threading.Thread(target=keep_writing)
    t.start()
    try:
        copies = [backup_to(room_store, tmp_path / f"copy{i}.sqlite3") for i in range(5)]
    finally:
        stop.set()
        t.join()
        writer.close()
    for copy in copies:
        con = sqlite3.connect(copy)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            # each topic has exactly its first event: no half-written call
            assert con.execute("SELECT count(*) FROM topic").fetchone()[0] == con.execute("SELECT count(*) FROM topic_event").fetchone()[0]
            assert con.execute("SELECT count(*) FROM topic").fetchone()[0] >= 20
        finally:
            con.close()
        assert not Path(str(copy) + "-wal").exists()


def test_backup_into_a_folder_and_refusals(room_store, tmp_path):
    made = backup_to(room_store, tmp_path)
    assert made.parent == tmp_path and made.name.startswith("yishi-") and _count(made, "room") == 1
    with pytest.raises(BackupError, match="不存在"):
        backup_to(room_store, tmp_path / "没有这个文件夹" / "x.sqlite3")
    with pytest.raises(BackupError, match="正在使用的数据库"):
        backup_to(room_store, room_store.path)


def test_auto_backup_once_a_day_keeping_the_newest_14(room_store):
    first = auto_backup(room_store, today=date(2026, 11, 1))
    assert first is not None and first.name == "yishi-20261101.sqlite3"
    assert auto_backup(room_store, today=date(2026, 11, 1)) is None  # already done today
    for i in range(1, 20):
        auto_backup(room_store, today=date(2026, 11, 1) + timedelta(days=i))
    names = sorted(p.name for p in list_backups(room_store))
    assert len(names) == 14
    assert names[0] == "yishi-20261107.sqlite3" and names[-1] == "yishi-20261120.sqlite3"


def test_restore_brings_back_the_backup_and_keeps_the_replaced_database(room_store, tmp_path):
    topics.record_topic(room_store, title="运河风光带缺少公厕", source="qr")
    saved = backup_to(room_store, tmp_path / "saved.sqlite3")
    topics.record_topic(room_store, title="备份之后才录入的议题", source="qr")
    data_dir = room_store.data_dir
    room_store.close()

    restored = restore_from(data_dir, saved)
    assert restored == data_dir / DB_FILENAME
    assert not (data_dir / (DB_FILENAME + "-wal")).exists()
    store = Store(data_dir)
    try:
        assert [t.title for t in search_topics(store, "公厕")] == ["运河风光带缺少公厕"]
        assert count_topics(store, "") == 1
        safety = [p for p in list_backups(store) if p.name.startswith("yishi-before-restore-")]
        assert len(safety) == 1 and _count(safety[0]) == 2  # the replaced database, with both topics
    finally:
        store.close()


def test_restore_of_an_old_schema_backup_upgrades_on_open(data_dir):
    rooms_dir = data_dir
    restore_from(rooms_dir, FIXTURE)
    store = Store(rooms_dir)
    try:
        assert rooms.require_room(store).code == "QJP-001"
        assert [t.title for t in search_topics(store, "厕")] == ["运河风光带缺少公厕"]
    finally:
        store.close()


def _not_sqlite(tmp: Path) -> Path:
    p = tmp / "notes.sqlite3"
    p.write_text("这不是数据库", encoding="utf-8")
    return p


def _corrupt(tmp: Path) -> Path:
    p = tmp / "corrupt.sqlite3"
    shutil.copyfile(FIXTURE, p)
    data = bytearray(p.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # wreck a page after the header
    p.write_bytes(bytes(data))
    return p


def _foreign(tmp: Path) -> Path:
    p = tmp / "other-app.sqlite3"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    return p


def _newer(tmp: Path) -> Path:
    p = tmp / "newer.sqlite3"
    shutil.copyfile(FIXTURE, p)
    con = sqlite3.connect(p)
    con.execute("UPDATE alembic_version SET version_num = '9999'")
    con.commit()
    con.close()
    return p


def _no_room(tmp: Path) -> Path:
    p = tmp / "empty-room.sqlite3"
    shutil.copyfile(FIXTURE, p)
    con = sqlite3.connect(p)
    con.execute("DELETE FROM room")
    con.commit()
    con.close()
    return p


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_sqlite, "不是议事数据库的备份文件"),
        (_corrupt, "损坏"),
        (_foreign, "不是议事数据库的备份文件"),
        (_newer, "更新版本"),
        (_no_room, "没有议事室信息"),
        (lambda tmp: tmp / "missing.sqlite3", "找不到备份文件"),
    ],
)
def test_restore_refuses_bad_files_and_changes_nothing(room_store, tmp_path, make, message):
    topics.record_topic(room_store, title="不能丢的议题", source="qr")
    data_dir = room_store.data_dir
    room_store.close()
    before = {p.name: _digest(p) for p in data_dir.rglob("*") if p.is_file()}
    bad = make(tmp_path)
    with pytest.raises(BackupError, match=message):
        restore_from(data_dir, bad)
    assert {p.name: _digest(p) for p in data_dir.rglob("*") if p.is_file()} == before
