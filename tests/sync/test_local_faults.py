"""Issue 5, test 11: the PC's own database refuses the pulled data, because
another program holds its write lock or because the disk is full (a page
limit on the PC's connections: SQLite's own "database or disk is full"). Sync
says so in words, stores nothing of the page, leaves the cursor where it was,
and the next sync converges."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event, text

from desktop.storage.services import topics
from desktop.sync import engine
from desktop.sync.client import LocalStoreError
from tests.sync.helpers import converged, fresh_room, new_pc


def _work(pc, n: int) -> None:  # type: ignore[no-untyped-def]
    for i in range(n):
        topics.record_topic(pc, title=f"议题{i} 运河沿线公厕年久失修", source="walk_in", description="公厕没有洗手池，老人孩子不方便。" * 20)


def test_database_locked_during_apply(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "pc1", room_code=code), new_pc(srv, tmp_path, "pc2", room_code=code)
    _work(pc1, 5)
    engine.sync(pc1)
    cursor = engine.status(pc2).cursor
    engine.push(pc2, engine.client_for(pc2))  # nothing of its own to send
    # a backup tool (say) holds the write lock while PC2 applies the pulled page
    other = sqlite3.connect(pc2.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(LocalStoreError, match="另一个程序占用"):
            engine.pull(pc2, engine.client_for(pc2))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert engine.status(pc2).cursor == cursor
    assert topics.list_topics(pc2) == ()
    engine.sync(pc2)
    assert len(topics.list_topics(pc2)) == 5
    converged(srv, [pc1, pc2], room_id)


def test_disk_full_during_apply(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "pc1", room_code=code), new_pc(srv, tmp_path, "pc2", room_code=code)
    _work(pc1, 40)
    engine.sync(pc1)
    cursor = engine.status(pc2).cursor

    def full_disk(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count={pages}")

    pc2.engine.dispose()
    event.listen(pc2.engine, "connect", full_disk)
    try:
        with pytest.raises(LocalStoreError, match="磁盘已满"):
            engine.sync(pc2)
    finally:
        event.remove(pc2.engine, "connect", full_disk)
        pc2.engine.dispose()
    assert engine.status(pc2).cursor == cursor
    assert topics.list_topics(pc2) == ()
    assert "磁盘已满" in engine.status(pc2).last_error
    with pc2.read() as s:
        assert s.execute(text("PRAGMA integrity_check")).scalar_one() == "ok"
    engine.sync(pc2)
    assert len(topics.list_topics(pc2)) == 40
    converged(srv, [pc1, pc2], room_id)
