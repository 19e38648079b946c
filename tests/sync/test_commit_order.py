"""Issue 5, test 7: a transaction holds a version open while another commits
and a pull runs; the puller still gets both rows. Run on PostgreSQL (the
county's database, where writers really overlap). The same scenario with a
plain database sequence loses the late row: that half shows the test can fail.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from desktop.domain.enums import TopicSource
from desktop.domain.ids import new_id, new_tracking_code
from desktop.storage.models import TopicRow
from server.db import ServerDB, Settings
from server.migrate import upgrade
from server.services.rooms import add_room
from server.sync.pull import pull
from server.versions import next_version
from tests.server.conftest import pg_url  # noqa: F401  (the fixture)


def _topic(room_id: str, version: int, title: str) -> TopicRow:
    now = datetime.now(UTC)
    return TopicRow(
        id=new_id(), room_id=room_id, version=version, field_versions={}, deleted=False, title=title, source=TopicSource.WALK_IN,
        tracking_code=new_tracking_code(), received_at=now, created_at=now, updated_at=now,
    )


def room_lock_version(session, room_id: str) -> int:  # type: ignore[no-untyped-def]
    return next_version(session, room_id)


def plain_sequence_version(session, room_id: str) -> int:  # type: ignore[no-untyped-def]
    return int(session.execute(text("SELECT nextval('plain_seq')")).scalar_one())


def our_pull(session, room_id: str, since: int) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    out = pull(session, room_id=room_id, since=since, limit=100)
    return {c.fields["title"] for c in out.changes}, out.cursor


def naive_pull(session, room_id: str, since: int) -> tuple[set[str], int]:  # type: ignore[no-untyped-def]
    rows = session.scalars(select(TopicRow).where(TopicRow.room_id == room_id, TopicRow.version > since).order_by(TopicRow.version)).all()
    return {r.title for r in rows}, max([since, *(r.version for r in rows)])


def scenario(db: ServerDB, room_id: str, allocate, do_pull) -> set[str]:  # type: ignore[no-untyped-def]
    """T1 takes a version and waits; T2 takes the next and commits; a pull runs;
    T1 commits; a second pull from the first cursor. Returns what the puller got."""
    holding, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def writer(title: str, hold: bool) -> None:
        try:
            with db.write() as s:
                v = allocate(s, room_id)
                s.add(_topic(room_id, v, title))
                s.flush()
                if hold:
                    holding.set()
                    release.wait(20)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t1 = threading.Thread(target=writer, args=("early", True))
    t1.start()
    assert holding.wait(20)
    t2 = threading.Thread(target=writer, args=("late", False))
    t2.start()
    t2.join(1.0)  # with the room lock T2 is still waiting; with a sequence it has committed
    with db.read() as s:
        got, cursor = do_pull(s, room_id, 0)
    release.set()
    t1.join(20)
    t2.join(20)
    assert not errors, errors
    with db.read() as s:
        more, _ = do_pull(s, room_id, cursor)
    return got | more


@pytest.fixture
def pg_db(pg_url, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    upgrade(pg_url)
    db = ServerDB(Settings(data_dir=tmp_path, database_url=pg_url))
    with db.write() as s:
        s.execute(text("CREATE SEQUENCE IF NOT EXISTS plain_seq"))
    yield db
    db.close()


def test_a_late_commit_is_never_skipped(pg_db):
    room = add_room(pg_db, code=f"R{new_id()[-8:]}", name="测试议事室").id
    assert scenario(pg_db, room, room_lock_version, our_pull) == {"early", "late"}


def test_a_plain_sequence_would_skip_it(pg_db):
    # the same scenario with a plain sequence and cursor: the early row is lost
    room = add_room(pg_db, code=f"S{new_id()[-8:]}", name="对照议事室").id
    assert scenario(pg_db, room, plain_sequence_version, naive_pull) == {"late"}
