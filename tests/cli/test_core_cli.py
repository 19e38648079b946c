"""``yishi init``, ``topics``, ``meetings`` and bad usage, through the real command."""

from __future__ import annotations

import sqlite3

from desktop.storage.db import DB_FILENAME


def test_init_sets_up_the_room_and_refuses_a_second_room(yishi):
    out = yishi("init", "--room-code", "QJP-001", "--room-name", "水渡口社区协商议事室", "--township", "水渡口街道", "--county", "清江浦区")
    assert out.returncode == 0, out.stderr
    assert "水渡口社区协商议事室" in out.stdout and "QJP-001" in out.stdout
    again = yishi("init", "--room-code", "OTHER-1", "--room-name", "另一个议事室")
    assert again.returncode == 2
    assert "已经属于议事室“水渡口社区协商议事室”" in again.stderr
    con = sqlite3.connect(yishi.data_dir / DB_FILENAME)
    assert con.execute("select code from room").fetchall() == [("QJP-001",)]


def test_init_with_a_bad_room_code_writes_nothing(yishi):
    out = yishi("init", "--room-code", "含 空格", "--room-name", "议事室")
    assert out.returncode == 2
    assert "议事室编码" in out.stderr and "Traceback" not in out.stderr
    con = sqlite3.connect(yishi.data_dir / DB_FILENAME)
    assert con.execute("select count(*) from room").fetchone() == (0,)


def test_english_messages_under_english_locale(yishi):
    out = yishi("init", "--room-code", "含 空格", "--room-name", "议事室", lang="en")
    assert out.returncode == 2
    assert "Room code" in out.stderr and "not valid" in out.stderr


def test_topics_json_lists_recorded_topics_with_the_promised_keys(yishi_room):
    from desktop.storage.db import Store
    from desktop.storage.services import topics

    store = Store(yishi_room.data_dir)
    t = topics.record_topic(store, title="运河边缺少公厕", source="qr", description="老人散步找不到厕所").value
    topics.accept(store, t.id)
    store.close()
    rows = yishi_room.json("topics")
    assert [r["title"] for r in rows] == ["运河边缺少公厕"]
    assert set(rows[0]) == {"id", "title", "status", "source", "category", "ticket_no", "tracking_code", "created_at"}
    assert rows[0]["status"] == "accepted" and rows[0]["tracking_code"] == t.tracking_code
    assert yishi_room.json("topics", "--status", "submitted") == []


def test_bad_usage_exits_2_with_a_message_and_no_traceback(yishi_room):
    out = yishi_room("topics", "--status", "nonsense")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr and "用法有误" in out.stderr
    out = yishi_room("stats", "--from", "2026-13-45")
    assert out.returncode == 2 and "2026-11-27" in out.stderr


def test_corrupt_database_is_refused_and_left_untouched(yishi):
    yishi.data_dir.mkdir(parents=True)
    db = yishi.data_dir / DB_FILENAME
    junk = b"this is not a database" * 100
    db.write_bytes(junk)
    out = yishi("topics")
    assert out.returncode == 2
    assert "已损坏" in out.stderr and "Traceback" not in out.stderr
    assert db.read_bytes() == junk


def test_end_of_day_sync_keeps_a_daily_backup_even_when_it_cannot_sync(yishi_room):
    out = yishi_room("sync")
    assert out.returncode == 3 and "还没有注册" in out.stderr
    backups = sorted((yishi_room.data_dir / "backups").glob("yishi-*.sqlite3"))
    assert len(backups) == 1
    con = sqlite3.connect(backups[0])
    assert con.execute("select code from room").fetchall() == [("QJP-001",)]
    assert con.execute("pragma integrity_check").fetchall() == [("ok",)]
    yishi_room("sync")  # a second run the same day adds no second copy
    assert len(list((yishi_room.data_dir / "backups").glob("yishi-*.sqlite3"))) == 1
