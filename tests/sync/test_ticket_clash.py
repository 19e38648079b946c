"""Bug: one 12345 file imported on two PCs of a room gives two topics with the
same ticket number and different ids. The server keeps the first and refuses
the second naming the first (``duplicate_of``); the second PC drops its copy,
its history and its waiting operations and takes the server's row. A pull
that meets such a local copy folds it instead of failing the whole page."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop.storage.models import OutboxRow, TopicEventRow, TopicRow
from desktop.storage.services import topics
from desktop.storage.services.imports import import_hotline
from desktop.sync import engine
from tests.importers.sample_files import ROWS, write_csv
from tests.sync.helpers import converged, fresh_room, new_pc


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
    # the convenor on PC2 already accepts one of its copies before the sync
    topics.accept(pc2, _tickets(pc2)[ROWS[0][0]], actor="王召集")
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
