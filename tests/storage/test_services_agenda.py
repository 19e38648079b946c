"""Building a meeting's agenda: topics and free items, order, edits, removal."""

from __future__ import annotations

import pytest

from desktop.domain.enums import TopicStatus
from desktop.domain.errors import DomainError, TransitionError, ValidationError
from desktop.storage.services import agenda, meetings, minutes, reads, topics
from tests.storage.service_helpers import accepted_topic, nothing_written, planned_meeting


def test_items_are_numbered_in_the_order_added_and_topics_become_scheduled(room_store):
    meeting_id, _ = planned_meeting(room_store, topics_=0)
    topic_id = accepted_topic(room_store, "留守儿童暑期托管")
    first = agenda.add_agenda_item(room_store, meeting_id, title="通报上次议定事项落实情况", presenter="王召集", minutes_allotted=10).value
    second = agenda.add_agenda_item(room_store, meeting_id, topic_id=topic_id, presenter="李网格").value
    assert (first.position, second.position) == (1, 2)
    assert second.title == "留守儿童暑期托管" and second.topic_id == topic_id
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.SCHEDULED
    assert [i.title for i in reads.agenda_of(room_store, meeting_id)] == ["通报上次议定事项落实情况", "留守儿童暑期托管"]


def test_a_topic_on_one_agenda_cannot_go_on_another(room_store):
    meeting_id, (topic_id,) = planned_meeting(room_store)
    other, _ = planned_meeting(room_store, topics_=0, title="另一次会")
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        agenda.add_agenda_item(room_store, other, topic_id=topic_id)
    assert str(err.value) == "议题当前状态为“已排期”，不能排期协商。"


def test_reorder_numbers_items_as_given_and_refuses_an_incomplete_order(room_store):
    meeting_id, _ = planned_meeting(room_store, topics_=3)
    a, b, c = (i.id for i in reads.agenda_of(room_store, meeting_id))
    agenda.reorder_agenda(room_store, meeting_id, [c, a, b])
    assert [(i.id, i.position) for i in reads.agenda_of(room_store, meeting_id)] == [(c, 1), (a, 2), (b, 3)]
    with nothing_written(room_store), pytest.raises(ValidationError) as err:
        agenda.reorder_agenda(room_store, meeting_id, [a, b])
    assert str(err.value) == "议程顺序不完整：请把本次会议的每个议程事项各排一次。"
    with nothing_written(room_store), pytest.raises(ValidationError):
        agenda.reorder_agenda(room_store, meeting_id, [a, a, b])


def test_removing_an_item_returns_its_topic_and_closes_the_gap(room_store):
    meeting_id, (t1, t2, t3) = planned_meeting(room_store, topics_=3)
    items = reads.agenda_of(room_store, meeting_id)
    agenda.remove_agenda_item(room_store, items[1].id)
    assert [(i.title, i.position) for i in reads.agenda_of(room_store, meeting_id)] == [("议题1", 1), ("议题3", 2)]
    assert topics.get_topic(room_store, t2).status == TopicStatus.ACCEPTED
    assert topics.get_topic(room_store, t1).status == TopicStatus.SCHEDULED


def test_an_item_with_statements_is_not_removed(room_store):
    meeting_id, _ = planned_meeting(room_store)
    item = reads.agenda_of(room_store, meeting_id)[0]
    minutes.record_statement(room_store, agenda_item_id=item.id, speaker="张大爷", identity="村民代表", summary="厕所离广场太远")
    with nothing_written(room_store), pytest.raises(DomainError) as err:
        agenda.remove_agenda_item(room_store, item.id)
    assert str(err.value) == "议程事项“议题1”已有发言或协商结果，不能删除。"


def test_update_agenda_item_and_its_checks(room_store):
    meeting_id, _ = planned_meeting(room_store)
    item = reads.agenda_of(room_store, meeting_id)[0]
    updated = agenda.update_agenda_item(room_store, item.id, title="公厕改造选址", minutes_allotted=30).value
    assert (updated.title, updated.minutes_allotted, updated.position) == ("公厕改造选址", 30, 1)
    with nothing_written(room_store):
        with pytest.raises(ValidationError, match="整数"):
            agenda.update_agenda_item(room_store, item.id, minutes_allotted=-5)
        with pytest.raises(ValidationError, match="不能修改这些项：meeting_id"):
            agenda.update_agenda_item(room_store, item.id, meeting_id="x")
        with pytest.raises(ValidationError, match="请填写“议程名称”"):
            agenda.add_agenda_item(room_store, meeting_id, title="   ")


def test_no_topic_goes_onto_the_agenda_of_a_held_meeting(room_store):
    meeting_id, _ = planned_meeting(room_store)
    meetings.end_meeting(room_store, meeting_id)
    late = accepted_topic(room_store, "迟到的议题")
    with nothing_written(room_store), pytest.raises(DomainError) as err:
        agenda.add_agenda_item(room_store, meeting_id, topic_id=late)
    assert str(err.value) == "会议已经召开，不能再把议题排入它的议程。"
