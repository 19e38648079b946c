"""Issue 5, test 6: two PCs of one room push at the same moment against a
server on PostgreSQL (READ COMMITTED, two transactions really interleaving),
50 rounds. Each round both PCs edit the same field of one topic (exactly one
wins, the other is told of a conflict with both values: never two "applied"),
different fields of another topic (both edits survive) and record a new topic
each. Afterwards no two changes of the room share a version, and a blank PC
pulling from zero holds exactly what the server holds (CONVERGED).

Needs YISHI_TEST_PG_URL (scripts/test sets it); without it the test fails."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Iterator

import pytest
from sqlalchemy import select

from desktop.storage import outbox
from desktop.storage.models import ENTITIES, OutboxRow, TopicRow
from desktop.storage.services import topics
from desktop.sync import engine
from server.models import AppliedOpRow, RoomSeqRow
from tests.server.conftest import Srv, _start
from tests.sync.helpers import converged, fresh_room, new_pc, server_db
from tests.support.pg import scratch_database

ROUNDS = 50


@pytest.fixture(scope="module")
def pg_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    with scratch_database("yishi_sync") as url:
        yield from _start(tmp_path_factory.mktemp("sync-pg"), url, "postgresql")


def _edit(store, row_id: str, **values: str) -> str:  # type: ignore[no-untyped-def]
    """Edit fields of a topic through the outbox; the op id of the edit."""
    with store.write() as session:
        outbox.update(session, session.get(TopicRow, row_id), **values)
        return session.scalars(select(OutboxRow.op_id).where(OutboxRow.row_id == row_id).order_by(OutboxRow.seq.desc())).first()


def test_two_pcs_pushing_at_once_on_postgresql(pg_srv, tmp_path):
    code, room_id = fresh_room(pg_srv)
    pc1, pc2 = new_pc(pg_srv, tmp_path, "pc1", room_code=code), new_pc(pg_srv, tmp_path, "pc2", room_code=code)
    shared = topics.record_topic(pc1, title="路灯不亮", source="walk_in").value.id
    pairs = [topics.record_topic(pc1, title=f"议题{r}", source="walk_in").value.id for r in range(ROUNDS)]
    engine.sync(pc1)
    engine.sync(pc2)
    clients = [engine.client_for(pc) for pc in (pc1, pc2)]
    same_field: list[tuple[str, str, str, str]] = []  # (op1, op2, value1, value2) per round
    made_new: list[str] = []
    gate = threading.Barrier(2)

    def push(i: int) -> engine.Report:
        gate.wait()
        return engine.push((pc1, pc2)[i], clients[i])

    with ThreadPoolExecutor(2) as pool:
        for r in range(ROUNDS):
            # the same-field edit first in each batch: nothing else of the batch has taken the room's lock yet
            v1, v2 = f"一号电脑 第{r}轮", f"二号电脑 第{r}轮"
            same_field.append((_edit(pc1, shared, location=v1), _edit(pc2, shared, location=v2), v1, v2))
            _edit(pc1, pairs[r], title=f"议题{r}（一号电脑改标题）")
            _edit(pc2, pairs[r], description=f"二号电脑补充说明{r}")
            for n, pc in enumerate((pc1, pc2)):
                made_new.append(topics.record_topic(pc, title=f"第{r}轮 电脑{n + 1} 新议题", source="walk_in").value.id)
            list(pool.map(push, (0, 1)))
            for n, pc in enumerate((pc1, pc2)):
                engine.pull(pc, clients[n])
    for c in clients:
        c.close()

    with server_db(pg_srv).read() as s:
        results = {op_id: res for op_id, res in s.execute(select(AppliedOpRow.op_id, AppliedOpRow.result).where(AppliedOpRow.room_id == room_id))}
        versions = [int(v) for cls in ENTITIES.values() for (v,) in s.execute(select(cls.version).where(cls.room_id == room_id))]
        last_seq = s.scalar(select(RoomSeqRow.last_seq).where(RoomSeqRow.room_id == room_id))
        server_topics = {i: (t, d) for i, t, d in s.execute(select(TopicRow.id, TopicRow.title, TopicRow.description).where(TopicRow.room_id == room_id))}

    # the same field edited on both PCs at once: exactly one wins, the other is a conflict carrying both values
    for r, (op1, op2, v1, v2) in enumerate(same_field):
        got = sorted((results[op1]["status"], results[op2]["status"]))
        assert got == ["applied", "conflict"], f"round {r}: {got} (a lost update when both are applied)"
        loser = results[op1] if results[op1]["status"] == "conflict" else results[op2]
        winner_value, loser_value = (v2, v1) if loser is results[op1] else (v1, v2)
        assert [(c["field"], c["server_value"], c["local_value"]) for c in loser["conflicts"]] == [("location", winner_value, loser_value)]
    # different fields edited at once: both survive
    for r, tid in enumerate(pairs):
        assert server_topics[tid] == (f"议题{r}（一号电脑改标题）", f"二号电脑补充说明{r}")
    assert set(made_new) <= set(server_topics) and len(made_new) == 2 * ROUNDS
    # the room's sequence: every applied change its own version, none above the counter
    applied = [int(res["version"]) for res in results.values() if res["status"] == "applied"]
    assert len(applied) == len(set(applied)), "two applied operations share a version"
    assert len(versions) == len(set(versions)), "two rows of the room share a version"
    assert max(versions) <= last_seq
    # a blank PC pulling from zero reproduces the server exactly
    pc3 = new_pc(pg_srv, tmp_path, "pc3", room_code=code)
    # verify compares the digests the PL/pgSQL triggers kept with the PCs' own:
    # nothing to repair means the triggers counted every write of the 50 rounds
    for pc in (pc3, pc1, pc2):
        assert engine.sync(pc).repaired == 0
    converged(pg_srv, [pc1, pc2, pc3], room_id)
