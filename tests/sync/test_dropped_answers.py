"""Issue 5, test 3: a third of the server's answers are dropped by the fault
proxy after the request reached the server. The client retries; each
operation still has exactly one effect on the server, and all copies converge."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop.storage.models import OutboxRow
from desktop.storage.services import topics
from desktop.sync import engine
from server.models import AppliedOpRow, RoomSeqRow
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import converged, new_pc
from tools.faultproxy import FaultProxy, Faults


def _ops(store) -> set[str]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return set(session.scalars(select(OutboxRow.op_id)))


def test_dropped_answers_have_exactly_one_effect(srv, room_a, tmp_path):
    host, port = srv.base.removeprefix("http://").split(":")
    proxy = FaultProxy(host, int(port), Faults(drop_response=0.3, seed=7)).start()
    try:
        pc1, pc2 = new_pc(srv, tmp_path, "pc1"), new_pc(srv, tmp_path, "pc2")
        db = srv.db()
        with db.read() as s:
            seq_before = s.scalar(select(RoomSeqRow.last_seq).where(RoomSeqRow.room_id == room_a))
        made: set[str] = set()
        for round_ in range(3):
            for n, pc in enumerate((pc1, pc2)):
                for i in range(6):
                    t = topics.record_topic(pc, title=f"第{round_}轮 电脑{n} 议题{i}", source="walk_in").value
                    if i % 2 == 0:
                        topics.accept(pc, t.id, actor="王")
                if round_ == 0 and n == 0:
                    held_meeting(pc)
                made |= _ops(pc)
                c = engine.client_for(pc, retries=12, backoff=0.01)
                c.base = proxy.url
                c.session.headers["Connection"] = "close"  # one exchange per connection: each may be cut
                engine.sync(pc, c, batch=5, page=7)
        proxy.enabled = False
        for pc in (pc1, pc2, pc1):
            engine.sync(pc)
        assert proxy.stats["dropped"] >= 5, proxy.stats
        with db.read() as s:
            stored = dict(s.execute(select(AppliedOpRow.op_id, AppliedOpRow.result).where(AppliedOpRow.op_id.in_(made))).all())
            seq_after = s.scalar(select(RoomSeqRow.last_seq).where(RoomSeqRow.room_id == room_a))
        db.close()
        # every operation reached the server once, and each applied op took exactly one version
        assert set(stored) == made
        assert all(r["status"] == "applied" for r in stored.values())
        assert seq_after - seq_before == len(made)
        converged(srv, [pc1, pc2], room_a)
    finally:
        proxy.stop()
