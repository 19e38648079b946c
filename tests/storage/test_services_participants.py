"""Invitations, sign-in and absence of a meeting's participants."""

from __future__ import annotations

import pytest

from desktop.domain.enums import Attendance, ParticipantKind, Role
from desktop.domain.errors import NotFound, ValidationError
from desktop.storage.services import contacts, participants, reads
from tests.storage.service_helpers import nothing_written, planned_meeting


def test_invite_sign_in_and_absence(room_store):
    meeting_id, _ = planned_meeting(room_store)
    person = contacts.add_person(room_store, name="陈委员", unit="区政协", role=Role.CPPCC_MEMBER, phone="13800001111").value
    member = participants.invite(room_store, meeting_id, person_id=person.id, name="陈委员", unit="区政协", role="cppcc_member").value
    rep = participants.invite(room_store, meeting_id, name="张大爷", role=Role.RESIDENT_REP).value
    observer = participants.invite(room_store, meeting_id, name="物业刘经理", role=Role.PROPERTY, kind=ParticipantKind.OBSERVER).value
    assert member.attendance == Attendance.INVITED and member.person_id == person.id

    signed = participants.sign_in(room_store, member.id).value
    assert signed.attendance == Attendance.PRESENT and signed.signed_in_at is not None
    again = participants.sign_in(room_store, member.id)
    assert again.value.signed_in_at == signed.signed_in_at and again.changes == ()

    absent = participants.mark_absent(room_store, rep.id, reason="住院").value
    assert (absent.attendance, absent.absence_reason) == (Attendance.ABSENT, "住院")
    participants.remove_participant(room_store, observer.id)
    names = [(p.name, p.attendance) for p in reads.participants_of(room_store, meeting_id)]
    assert names == [("陈委员", Attendance.PRESENT), ("张大爷", Attendance.ABSENT)]


def test_observers_are_listed_after_attendees(room_store):
    meeting_id, _ = planned_meeting(room_store)
    participants.invite(room_store, meeting_id, name="列席人", role="department", kind="observer")
    participants.invite(room_store, meeting_id, name="出席人", role="resident_rep")
    assert [p.name for p in reads.participants_of(room_store, meeting_id)] == ["出席人", "列席人"]


def test_bad_participants_are_refused_and_nothing_is_written(room_store):
    meeting_id, _ = planned_meeting(room_store)
    with nothing_written(room_store):
        with pytest.raises(ValidationError, match="未知的身份"):
            participants.invite(room_store, meeting_id, name="某人", role="王者")
        with pytest.raises(ValidationError, match="联系电话"):
            participants.invite(room_store, meeting_id, name="某人", role="other", phone="打我电话")
        with pytest.raises(NotFound) as err:
            participants.invite(room_store, meeting_id, person_id="no-such-person", name="某人", role="other")
        assert "找不到这条联系人" in str(err.value)
    p = participants.invite(room_store, meeting_id, name="某人", role="other").value
    with nothing_written(room_store), pytest.raises(ValidationError) as err:
        participants.mark_absent(room_store, p.id, reason="\x00\x01")
    assert str(err.value) == "请填写“缺席原因”。"
