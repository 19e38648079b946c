"""Two PCs of one room draw the same tracking code offline, between two syncs
(about one chance in 10^11 per pair of codes, but then the second topic used
to fail every pull page on the first PC, every evening): both topics are kept
on the server and on both PCs, and both PCs go on syncing."""

from __future__ import annotations

from sqlalchemy import select

from desktop.storage.models import TopicRow
from desktop.storage.services import topics
from desktop.sync import engine
from tests.sync.helpers import converged, fresh_room, new_pc, sync_all


def test_one_code_drawn_on_two_pcs_of_a_room(srv, tmp_path, monkeypatch):
    code, room_id = fresh_room(srv)
    office, laptop = new_pc(srv, tmp_path, "office", room_code=code), new_pc(srv, tmp_path, "laptop", room_code=code)
    monkeypatch.setattr(topics, "new_tracking_code", lambda: "K7QW-M3XD")
    a = topics.record_topic(office, title="一号楼漏水", source="walk_in").value
    b = topics.record_topic(laptop, title="二号楼停车难", source="grid_worker").value
    assert a.tracking_code == b.tracking_code == "K7QW-M3XD"
    monkeypatch.undo()
    sync_all([office, laptop], rounds=2)
    for store in (office, laptop):
        with store.read() as s:
            held = set(s.scalars(select(TopicRow.id).where(TopicRow.tracking_code == "K7QW-M3XD")))
        assert held == {a.id, b.id}
        assert engine.status(store).last_error == ""
    converged(srv, [office, laptop], room_id)
