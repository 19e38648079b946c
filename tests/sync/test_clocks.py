"""Issue 5, test 12: the same day's work on two PCs whose clocks are wrong (one
two days behind, one three days ahead) ends exactly as it does with right
clocks: which value a field keeps, which conflicts appear, what is deleted
and every status. Sync decides by versions, never by wall clocks."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Iterator

from sqlalchemy import select

from desktop.domain import clock
from desktop.storage import outbox
from desktop.storage.models import TopicRow
from desktop.storage.services import topics
from desktop.sync import conflicts, engine
from tests.sync.helpers import converged, fresh_room, new_pc


@contextmanager
def wall(offset: timedelta) -> Iterator[None]:
    """This PC's clock, ``offset`` away from the real time."""
    clock.set_clock(lambda: datetime.now(UTC) + offset)
    try:
        yield
    finally:
        clock.set_clock(None)


def _edit(pc, topic_id: str, **values) -> None:  # type: ignore[no-untyped-def]
    with pc.write() as s:
        outbox.update(s, s.get(TopicRow, topic_id), **values)


def _day(srv, tmp: Path, skew: tuple[timedelta, timedelta]):  # type: ignore[no-untyped-def]
    code, room_id = fresh_room(srv)
    pcs = [new_pc(srv, tmp, f"pc{i}", room_code=code) for i in range(2)]

    def on(i: int):  # type: ignore[no-untyped-def]
        return wall(skew[i])

    def sync(i: int) -> None:
        with on(i):
            engine.sync(pcs[i])

    with on(0):
        lamp = topics.record_topic(pcs[0], title="路灯不亮", source="walk_in").value.id
        pile = topics.record_topic(pcs[0], title="楼道堆物", source="walk_in").value.id
    sync(0), sync(1)
    # the PC that is three days ahead edits "later" by its clock, but its push comes second
    with on(0):
        _edit(pcs[0], lamp, location="东门", category="市政")
        _edit(pcs[0], pile, description="三楼楼道")
    with on(1):
        _edit(pcs[1], lamp, location="西门", description="晚上很黑")
        with pcs[1].write() as s:
            outbox.delete(s, s.get(TopicRow, pile))
    sync(0), sync(1), sync(0)
    r = srv.session().post(f"{srv.base}/r/{code}", data={"title": "垃圾站异味", "description": "夏天尤其严重"})
    assert r.status_code == 200
    sync(1)
    with on(1):
        web = next(t.id for t in topics.list_topics(pcs[1]) if t.title == "垃圾站异味")
        topics.accept(pcs[1], web, actor="王召集")
    with on(0):
        topics.accept(pcs[0], lamp, actor="李书记")
    sync(1), sync(0), sync(1)
    converged(srv, pcs, room_id)
    with pcs[0].read() as s:
        rows = sorted(
            (t.title, t.location, t.category, t.description, t.status.value, t.deleted)
            for t in s.scalars(select(TopicRow))
        )
    titles = {t: n for t, n in ((lamp, "路灯不亮"), (pile, "楼道堆物"))}
    found = sorted(
        (i, titles.get(c.row_id, c.row_id), c.field, str(c.local_value), str(c.server_value))
        for i, pc in enumerate(pcs)
        for c in conflicts.list_conflicts(pc)
    )
    for pc in pcs:
        pc.close()
    return rows, found


def test_wrong_clocks_give_the_same_outcome(srv, tmp_path):
    right = _day(srv, tmp_path / "right", (timedelta(0), timedelta(0)))
    wrong = _day(srv, tmp_path / "wrong", (timedelta(days=-2), timedelta(days=3)))
    assert wrong == right
    rows, found = right
    # and that outcome is the one the rules give: first push keeps the field,
    # the other PC's value waits in its conflict inbox; delete met an edit: kept
    assert ("路灯不亮", "东门", "市政", "晚上很黑", "accepted", False) in rows
    assert ("楼道堆物", "", "", "三楼楼道", "submitted", False) in rows
    assert ("垃圾站异味", "", "", "夏天尤其严重", "accepted", False) in rows
    assert (1, "路灯不亮", "location", "西门", "东门") in found
    assert any(c[:3] == (1, "楼道堆物", "deleted") for c in found)
