"""Sending refused changes again (yishi refused resend, the window's 重新发送)
as a convenor does it: a topic the server refused (here: its insert carried a
source value of a newer version, as a newer PC would send) was accepted and
put on a meeting's agenda before the refusal was noticed; once resent, the
topic goes in its old place in the queue, before the records that point at it,
and those go with it, so one resend leaves nothing refused behind."""

from __future__ import annotations

from sqlalchemy import select

from desktop.storage.models import OutboxRow
from desktop.storage.services import meetings, topics
from desktop.sync import engine, refused
from tests.storage.service_helpers import MAY_DAY
from tests.sync.helpers import converged, fresh_room, new_pc


def _newer_source(store, topic_id: str) -> None:  # type: ignore[no-untyped-def]
    with store.write() as s:
        op = s.scalars(select(OutboxRow).where(OutboxRow.row_id == topic_id, OutboxRow.kind == "insert")).one()
        op.fields = {**op.fields, "source": "wechat_miniprogram"}


def test_resend_puts_the_topic_back_before_what_points_at_it(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "office", room_code=code)
    topic = topics.record_topic(pc, title="楼道堆放杂物", source="walk_in").value
    _newer_source(pc, topic.id)
    report = engine.sync(pc)
    assert report.rejected >= 1
    assert topics.get_topic(pc, topic.id).title == "楼道堆放杂物"  # kept
    # not noticed yet: the convenor accepts it and schedules a meeting about it
    topics.accept(pc, topic.id, actor="王召集")
    meeting = meetings.schedule_meeting(pc, title="杂物清理协商会", type="thematic", starts_at=MAY_DAY, topic_ids=[topic.id]).value
    engine.sync(pc)
    listed = {r.row_id for r in refused.list_refused(pc)}
    assert topic.id in listed and len(listed) > 1  # its history and agenda item wait behind it
    refused.resend(pc, topic.id)
    report = engine.sync(pc)
    assert report.rejected == 0, report.rejected_reasons
    assert refused.list_refused(pc) == ()
    assert topics.get_topic(pc, topic.id).status.value == "scheduled"
    rows = converged(srv, [pc], room_id)
    assert ("topic", topic.id) in {(e, i) for e, i, _, _ in rows}
    assert ("meeting", meeting.id) in {(e, i) for e, i, _, _ in rows}


def test_resend_of_a_record_deleted_since_sends_nothing(srv, tmp_path):
    from desktop.storage.services import contacts

    code, room_id = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "office", room_code=code)
    person = contacts.add_person(pc, name="周经理", role="property").value
    with pc.write() as s:
        op = s.scalars(select(OutboxRow).where(OutboxRow.row_id == person.id)).one()
        op.fields = {**op.fields, "role": "robot"}
    engine.sync(pc)
    contacts.delete_person(pc, person.id)
    refused.resend(pc, person.id)
    with pc.read() as s:
        assert s.scalars(select(OutboxRow).where(OutboxRow.row_id == person.id)).all() == []
    assert engine.sync(pc).rejected == 0
    converged(srv, [pc], room_id)
