"""A record added and removed again before the evening sync (the convenor
invites someone by mistake and takes them off the list) stays removed: the
delete is based on this PC's own insert, so the server does not take the
insert for an edit made elsewhere and keep the row."""

from __future__ import annotations

from sqlalchemy import select

from desktop.storage.models import ParticipantRow, PersonRow
from desktop.storage.services import contacts, participants, reads
from desktop.sync import engine
from tests.storage.service_helpers import planned_meeting
from tests.sync.helpers import converged, fresh_room, new_pc, server_db, sync_all


def test_invited_by_mistake_and_removed_before_the_sync(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "office", room_code=code), new_pc(srv, tmp_path, "laptop", room_code=code)
    meeting_id, _ = planned_meeting(pc1)
    kept = participants.invite(pc1, meeting_id, name="刘建国", role="resident_rep").value
    wrong = participants.invite(pc1, meeting_id, name="刘建军", role="resident_rep").value
    participants.remove_participant(pc1, wrong.id)
    # a contact added, corrected, then deleted, all before the sync
    person = contacts.add_person(pc1, name="周经理", unit="物业公司", role="property").value
    contacts.update_person(pc1, person.id, unit="运河物业公司")
    contacts.delete_person(pc1, person.id)
    report = engine.sync(pc1)
    assert report.conflicts == 0 and report.rejected == 0
    sync_all([pc2, pc1], rounds=1)
    for store in (pc1, pc2):
        assert [p.name for p in reads.participants_of(store, meeting_id)] == ["刘建国"]
    with server_db(srv).read() as session:
        gone = session.get(ParticipantRow, wrong.id)
        assert gone is not None and gone.deleted
        assert not session.get(ParticipantRow, kept.id).deleted
        assert session.scalars(select(ParticipantRow.id).where(ParticipantRow.meeting_id == meeting_id, ParticipantRow.deleted.is_(False))).all() == [kept.id]
        assert session.get(PersonRow, person.id).deleted
    assert [p.name for p in contacts.list_people(pc2)] == []
    converged(srv, [pc1, pc2], room_id)
