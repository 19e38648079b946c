"""Scheduling, numbering, updating, starting, ending and cancelling meetings,
with the topics on the agenda moving along."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import MeetingStatus, TopicStatus
from desktop.domain.errors import DomainError, TransitionError, ValidationError
from desktop.storage.services import meetings, reads, topics
from tests.storage.service_helpers import MAY_DAY, accepted_topic, nothing_written, planned_meeting


def test_scheduling_puts_each_topic_on_the_agenda_and_marks_it_scheduled(room_store):
    toilet = accepted_topic(room_store, "运河沿线公厕年久失修")
    benches = accepted_topic(room_store, "广场缺少老人休息座椅")
    result = meetings.schedule_meeting(
        room_store, title="民生实事专题协商会", type="thematic", starts_at=MAY_DAY, place="水渡口社区议事室",
        convenor="王召集", host="李主持", recorder="赵记录", topic_ids=[toilet, benches], actor="王召集",
    )
    meeting = result.value
    assert meeting.status == MeetingStatus.PLANNED and meeting.serial_no == 1
    assert meeting.place == "水渡口社区议事室" and meeting.recorder == "赵记录"
    items = reads.agenda_of(room_store, meeting.id)
    assert [(i.position, i.title, i.topic_id) for i in items] == [(1, "运河沿线公厕年久失修", toilet), (2, "广场缺少老人休息座椅", benches)]
    assert items[0].background == "公厕没有洗手池，老人孩子不方便。"
    assert topics.get_topic(room_store, toilet).status == TopicStatus.SCHEDULED
    assert topics.history(room_store, toilet)[-1].action == "schedule"
    assert {(c.entity, c.op) for c in result.changes} >= {("meeting", "insert"), ("agenda_item", "insert"), ("topic", "update")}


def test_serial_numbers_count_within_each_year_in_china_time(room_store):
    def schedule(at):
        return meetings.schedule_meeting(room_store, title="例会", type="on_site", starts_at=at).value.serial_no

    assert schedule(datetime(2026, 3, 1, 9, tzinfo=CHINA_TZ)) == 1
    assert schedule(datetime(2026, 4, 1, 9, tzinfo=CHINA_TZ)) == 2
    # 1 January 2027 07:00 in China is still 2026 in UTC: it opens 2027's numbering
    assert schedule(datetime(2027, 1, 1, 7, tzinfo=CHINA_TZ)) == 1
    assert schedule(datetime(2026, 12, 31, 20, tzinfo=CHINA_TZ)) == 3


def test_moving_a_meeting_to_another_year_gives_it_that_years_number(room_store):
    meetings.schedule_meeting(room_store, title="甲", type="thematic", starts_at=MAY_DAY)
    second = meetings.schedule_meeting(room_store, title="乙", type="thematic", starts_at=MAY_DAY).value
    moved = meetings.update_meeting(room_store, second.id, starts_at=MAY_DAY.replace(year=2027), place="村部").value
    assert (moved.serial_no, moved.place) == (1, "村部")


def test_a_topic_not_yet_accepted_cannot_be_scheduled_and_nothing_is_written(room_store):
    waiting = topics.record_topic(room_store, title="雨后村道积水", source="grid_worker").value
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        meetings.schedule_meeting(room_store, title="协商会", type="thematic", starts_at=MAY_DAY, topic_ids=[waiting.id])
    assert str(err.value) == "议题当前状态为“待受理”，不能排期协商。"
    assert reads.list_meetings(room_store) == ()


def test_ending_a_meeting_marks_its_topics_consulted(room_store):
    meeting_id, (topic_id,) = planned_meeting(room_store)
    meetings.start_meeting(room_store, meeting_id)
    ended = meetings.end_meeting(room_store, meeting_id).value
    assert ended.status == MeetingStatus.HELD and ended.ends_at is not None
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.CONSULTED


def test_a_meeting_recorded_after_the_fact_can_end_without_starting(room_store):
    meeting_id, _ = planned_meeting(room_store)
    assert meetings.end_meeting(room_store, meeting_id).value.status == MeetingStatus.HELD


def test_cancelling_sends_topics_back_to_accepted_for_another_meeting(room_store):
    meeting_id, (topic_id,) = planned_meeting(room_store)
    assert meetings.cancel_meeting(room_store, meeting_id, reason="暴雨改期").value.status == MeetingStatus.CANCELLED
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.ACCEPTED
    assert topics.history(room_store, topic_id)[-1].reason == "暴雨改期"
    again = meetings.schedule_meeting(room_store, title="改期后的协商会", type="thematic", starts_at=MAY_DAY + timedelta(days=7), topic_ids=[topic_id]).value
    assert again.serial_no == 2  # the cancelled meeting keeps its number


@pytest.mark.parametrize(
    ("steps", "call", "message"),
    [
        (["end"], meetings.start_meeting, "会议当前状态为“已召开”，不能开始会议。"),
        (["cancel"], meetings.end_meeting, "会议当前状态为“已取消”，不能结束会议。"),
        (["start"], meetings.cancel_meeting, "会议当前状态为“进行中”，不能取消会议。"),
        (["start", "end"], meetings.end_meeting, "会议当前状态为“已召开”，不能结束会议。"),
    ],
)
def test_forbidden_meeting_moves_are_refused_in_words_a_convenor_reads(room_store, steps, call, message):
    meeting_id, _ = planned_meeting(room_store)
    for step in steps:
        {"start": meetings.start_meeting, "end": meetings.end_meeting, "cancel": meetings.cancel_meeting}[step](room_store, meeting_id)
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        call(room_store, meeting_id)
    assert str(err.value) == message


def test_a_cancelled_meeting_cannot_be_edited(room_store):
    meeting_id, _ = planned_meeting(room_store)
    meetings.cancel_meeting(room_store, meeting_id)
    with nothing_written(room_store), pytest.raises(DomainError) as err:
        meetings.update_meeting(room_store, meeting_id, place="村部")
    assert str(err.value) == "会议“运河沿线公厕改造专题协商会”已取消，不能再修改。"


def test_bad_meeting_details_are_refused(room_store):
    with nothing_written(room_store):
        with pytest.raises(ValidationError, match="请填写“会议名称”"):
            meetings.schedule_meeting(room_store, title=" \x07 ", type="thematic", starts_at=MAY_DAY)
        with pytest.raises(ValidationError, match="带时区"):
            meetings.schedule_meeting(room_store, title="会", type="thematic", starts_at=datetime(2026, 5, 8, 9))
        with pytest.raises(ValidationError, match="未知的协商形式"):
            meetings.schedule_meeting(room_store, title="会", type="夜谈", starts_at=MAY_DAY)
        with pytest.raises(ValidationError, match="不能修改这些项：status"):
            meetings.update_meeting(room_store, "x", status="held")
    meeting_id, _ = planned_meeting(room_store)
    with nothing_written(room_store), pytest.raises(ValidationError) as err:
        meetings.update_meeting(room_store, meeting_id, ends_at=MAY_DAY - timedelta(hours=1))
    assert str(err.value) == "结束时间不能早于开始时间。"


def test_list_meetings_latest_first_and_by_status(room_store):
    first, _ = planned_meeting(room_store, title="第一次")
    second = meetings.schedule_meeting(room_store, title="第二次", type="online", starts_at=MAY_DAY + timedelta(days=30)).value
    meetings.end_meeting(room_store, first)
    assert [m.title for m in reads.list_meetings(room_store)] == ["第二次", "第一次"]
    assert [m.id for m in reads.list_meetings(room_store, status=MeetingStatus.HELD)] == [first]
    assert reads.get_meeting(room_store, second.id).type == "online"
