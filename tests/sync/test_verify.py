"""The check after each sync, against the real server: the digests kept by
triggers equal a recomputation from the rows on both sides; a PC whose rows
diverged from the server (a row lost, a stale version with old content) finds it and repairs it by re-pulling the rows that differ."""

from __future__ import annotations

from sqlalchemy import select, text

from desktop.storage.models import ENTITIES, RoomRow, TopicEventRow, TopicRow
from desktop.storage.services import topics
from desktop.sync import digest, engine
from tests.sync.helpers import converged, fresh_room, new_pc, server_db, sync_all


def _recomputed(session, room_id: str, upto: int) -> dict:  # type: ignore[no-untyped-def]
    return {
        e: digest.render(digest.from_pairs((i, int(v)) for i, v in session.execute(select(cls.id, cls.version).where(cls.room_id == room_id, cls.version > 0, cls.version <= upto))))
        for e, cls in ENTITIES.items()
    }


def _room(pc) -> str:  # type: ignore[no-untyped-def]
    with pc.read() as s:
        return s.scalars(select(RoomRow.id)).one()


def _work(pc1, pc2) -> list[str]:  # type: ignore[no-untyped-def]
    ids = [topics.record_topic(pc1, title=f"路灯不亮{i}", source="walk_in").value.id for i in range(6)]
    sync_all([pc1, pc2], rounds=1)
    topics.accept(pc2, ids[0], actor="王召集")
    topics.decline(pc2, ids[1], reason="不属于本议事室受理范围", actor="王召集")
    topics.accept(pc1, ids[2], actor="李召集")
    sync_all([pc1, pc2], rounds=2)
    return ids


def test_kept_digests_equal_a_recomputation_on_both_sides(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "d1", room_code=code), new_pc(srv, tmp_path, "d2", room_code=code)
    _work(pc1, pc2)
    for pc in (pc1, pc2):
        report = engine.sync(pc)
        assert report.repaired == 0  # nothing differed, nothing re-pulled
        with pc.write() as s:
            upto = engine._state(s).cursor
            digest.settle(s, room_id)
            assert digest.summary(s, room_id=room_id, upto=upto) == _recomputed(s, room_id, upto)
    with server_db(srv).read() as s:
        high = int(s.execute(text("SELECT last_seq FROM room_seq WHERE room_id = :r"), {"r": room_id}).scalar_one())
        assert digest.summary(s, room_id=room_id, upto=high) == _recomputed(s, room_id, high)
        assert digest.summary(s, room_id=room_id, upto=high - 3) == _recomputed(s, room_id, high - 3)
    converged(srv, [pc1, pc2], room_id)


def test_a_diverged_pc_is_found_and_repaired_by_re_pulling(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "r1", room_code=code), new_pc(srv, tmp_path, "r2", room_code=code)
    ids = _work(pc1, pc2)
    with server_db(srv).read() as s:
        want = {t.id: (t.version, t.status, t.title) for t in s.scalars(select(TopicRow).where(TopicRow.room_id == room_id))}
    # behind the sync engine's back: a lost row (with its history), a stale version with old content
    with pc2.write() as s:
        s.execute(text("DELETE FROM topic_event WHERE topic_id = :t"), {"t": ids[3]})
        s.execute(text("DELETE FROM topic WHERE id = :t"), {"t": ids[3]})
        s.execute(text("UPDATE topic SET version = 1, status = 'submitted', title = '旧标题' WHERE id = :t"), {"t": ids[0]})
    report = engine.sync(pc2)
    assert report.repaired > 0
    with pc2.read() as s:
        got = {t.id: (t.version, t.status, t.title) for t in s.scalars(select(TopicRow))}
        events = s.scalars(select(TopicEventRow.id).where(TopicEventRow.topic_id == ids[3])).all()
    assert got == want
    assert events  # the lost topic's history came back with it
    assert engine.sync(pc2).repaired == 0  # repaired: the next check finds nothing
    converged(srv, [pc1, pc2], room_id)
