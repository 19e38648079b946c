"""Bug: one 12345 file imported on two PCs of a room gives two topics with the
same ticket number and different ids. The server keeps the first and refuses
the second naming the first (``duplicate_of``); the second PC drops a copy
nobody worked on (its history and its waiting operations) and takes the
server's row; a copy a person worked on is kept and listed as refused. A pull
that meets such a local copy folds it instead of failing the whole page."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop.storage.models import OutboxRow, TopicEventRow, TopicRow
from desktop.storage.services import agenda, meetings, reads, topics
from desktop.storage.services.imports import import_hotline
from desktop.sync import engine, refused
from tests.importers.sample_files import ROWS, write_csv
from tests.storage.service_helpers import MAY_DAY
from tests.sync.helpers import converged, fresh_room, new_pc, sync_all


def _tickets(store) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return dict(s.execute(select(TopicRow.ticket_no, TopicRow.id).where(TopicRow.ticket_no.is_not(None))).all())


def _count(store, cls) -> int:  # type: ignore[no-untyped-def]
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(cls)))


def test_same_file_on_two_pcs_pushes_once(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "pc1", room_code=code), new_pc(srv, tmp_path, "pc2", room_code=code)
    f = write_csv(tmp_path / "12345.csv", ROWS)
    assert import_hotline(pc1, f).imported == 3
    assert import_hotline(pc2, f).imported == 3
    engine.sync(pc1)
    report = engine.sync(pc2)
    assert report.duplicates == 3
    assert _tickets(pc2) == _tickets(pc1), "PC2 took the server's topics"
    with pc2.read() as s:
        assert s.scalars(select(OutboxRow.op_id)).all() == [], "the copies' operations went with them"
    # one submit event per topic: the copies' history went with them
    assert _count(pc2, TopicEventRow) == 3
    engine.sync(pc1)
    rows = converged(srv, [pc1, pc2], room_id)
    assert sum(1 for e, *_ in rows if e == "topic") == 3


def test_a_copy_someone_worked_on_is_kept_not_folded(srv, tmp_path):
    """The convenor on PC2 accepted one of its copies and put it on a meeting's
    agenda before the sync: that work is not thrown away. The copy stays, listed
    as refused with what to do; the untouched copies fold into the server's."""
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "pc1", room_code=code), new_pc(srv, tmp_path, "pc2", room_code=code)
    f = write_csv(tmp_path / "12345.csv", ROWS)
    import_hotline(pc1, f)
    import_hotline(pc2, f)
    worked = _tickets(pc2)[ROWS[0][0]]
    topics.accept(pc2, worked, actor="王召集", note="已电话核实")
    meeting = meetings.schedule_meeting(pc2, title="噪声协商会", type="thematic", starts_at=MAY_DAY, topic_ids=[worked]).value
    engine.sync(pc1)
    report = engine.sync(pc2)
    assert report.duplicates == 2
    kept = topics.get_topic(pc2, worked)
    assert kept.status.value == "scheduled" and kept.ticket_no is None  # the number went to the server's copy
    assert [a.topic_id for a in reads.agenda_of(pc2, meeting.id)] == [worked]
    mine = {r.row_id: r for r in refused.list_refused(pc2)}
    assert "另一台电脑登记" in mine[worked].reasons[0] and mine[worked].new_record
    assert _tickets(pc2) == _tickets(pc1)
    # the convenor redoes the work on the server's copy, then discards the kept one and what hangs off it
    theirs = _tickets(pc2)[ROWS[0][0]]
    topics.accept(pc2, theirs, actor="王召集", note="已电话核实")
    for r in refused.list_refused(pc2):
        if r.entity == "agenda_item":
            refused.discard(pc2, r.row_id)
    agenda.add_agenda_item(pc2, meeting.id, topic_id=theirs)
    for r in refused.list_refused(pc2):
        refused.discard(pc2, r.row_id)
    sync_all([pc2, pc1], rounds=2)
    assert refused.list_refused(pc2) == ()
    assert [a.topic_id for a in reads.agenda_of(pc1, meeting.id)] == [theirs]
    converged(srv, [pc1, pc2], room_id)


def test_a_pull_folds_a_local_copy_instead_of_failing(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "pc1", room_code=code), new_pc(srv, tmp_path, "pc2", room_code=code)
    f = write_csv(tmp_path / "12345.csv", ROWS)
    import_hotline(pc1, f)
    engine.sync(pc1)
    # PC2 imported the same file, and a pull runs before its push (a cut push, say)
    import_hotline(pc2, f)
    mine = set(_tickets(pc2).values())
    engine.pull(pc2, engine.client_for(pc2))
    assert _tickets(pc2) == _tickets(pc1)
    assert not mine & set(_tickets(pc2).values())
    with pc2.read() as s:
        assert s.scalars(select(OutboxRow.op_id)).all() == []
        cursor = engine.status(pc2).cursor
    assert cursor > 0
    engine.sync(pc2)
    converged(srv, [pc1, pc2], room_id)
