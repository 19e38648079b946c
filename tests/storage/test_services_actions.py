"""Action items, progress, resolving a topic and follow-up visits: the second
half of a topic's life, from consulted to visited (and back when dissatisfied)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.enums import ActionStatus, Satisfaction, TopicStatus
from desktop.domain.errors import TransitionError, ValidationError
from desktop.storage.services import actions, followups, meetings, minutes, reads, topics
from tests.storage.service_helpers import accepted_topic, held_meeting, nothing_written, planned_meeting


def test_an_action_item_from_an_outcome_takes_its_meeting_and_topic_and_starts_the_work(room_store):
    meeting_id, topic_id, item_id = held_meeting(room_store)
    outcome = minutes.record_outcome(room_store, agenda_item_id=item_id, text="由社区牵头加装洗手池").value
    work = actions.create_action_item(room_store, title="加装洗手池", outcome_id=outcome.id, owner_unit="水渡口社区居委会",
                                      responsible="刘主任", deadline=date(2026, 6, 30), actor="王召集").value
    assert (work.meeting_id, work.topic_id, work.status) == (meeting_id, topic_id, ActionStatus.OPEN)
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.IMPLEMENTING
    assert [a.id for a in reads.action_items(room_store, topic_id=topic_id)] == [work.id]


def test_action_items_decided_during_the_meeting_start_the_work_when_it_ends(room_store):
    meeting_id, (topic_id,) = planned_meeting(room_store)
    meetings.start_meeting(room_store, meeting_id)
    item = reads.agenda_of(room_store, meeting_id)[0]
    outcome = minutes.record_outcome(room_store, agenda_item_id=item.id, text="同意").value
    actions.create_action_item(room_store, title="选址", outcome_id=outcome.id)
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.SCHEDULED
    meetings.end_meeting(room_store, meeting_id)
    assert [e.action for e in topics.history(room_store, topic_id)][-2:] == ["consult", "implement"]
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.IMPLEMENTING


def test_progress_completion_and_the_lifecycle_of_an_action_item(room_store):
    meeting_id, topic_id, _ = held_meeting(room_store)
    work = actions.create_action_item(room_store, title="修路", topic_id=topic_id, deadline=date(2026, 7, 1)).value
    actions.record_progress(room_store, work.id, note="已报镇村建办", actor="刘主任")
    actions.record_progress(room_store, work.id, note="施工队进场")
    assert reads.action_items(room_store, meeting_id=None, topic_id=topic_id)[0].status == ActionStatus.IN_PROGRESS
    done = actions.complete_action_item(room_store, work.id, note="路面已硬化").value
    assert done.status == ActionStatus.DONE and done.done_at is not None
    assert [p.note for p in reads.progress_of(room_store, work.id)] == ["已报镇村建办", "施工队进场", "路面已硬化"]
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        actions.record_progress(room_store, work.id, note="又一条")
    assert str(err.value) == "落实事项当前状态为“已完成”，不能登记进展。"
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        actions.withdraw_action_item(room_store, work.id, reason="不需要了")
    assert str(err.value) == "落实事项当前状态为“已完成”，不能撤销。"


def test_withdraw_keeps_the_reason_and_overdue_lists_only_open_late_items(room_store):
    _, topic_id, _ = held_meeting(room_store)
    late = actions.create_action_item(room_store, title="装路灯", topic_id=topic_id, deadline=date(2026, 5, 1)).value
    later = actions.create_action_item(room_store, title="装座椅", topic_id=topic_id, deadline=date(2026, 9, 1)).value
    dropped = actions.create_action_item(room_store, title="建凉亭", topic_id=topic_id, deadline=date(2026, 4, 1)).value
    actions.withdraw_action_item(room_store, dropped.id, reason="场地不够")
    assert reads.progress_of(room_store, dropped.id)[0].note == "场地不够"
    assert [a.title for a in reads.action_items(room_store, overdue_on=date(2026, 6, 1))] == ["装路灯"]
    assert [a.title for a in reads.action_items(room_store, open_only=True)] == ["装路灯", "装座椅"]
    assert late.is_overdue(date(2026, 6, 1)) and not later.is_overdue(date(2026, 6, 1))


def test_an_action_item_needs_a_consulted_topic(room_store):
    topic_id = accepted_topic(room_store)
    with nothing_written(room_store), pytest.raises(TransitionError) as err:
        actions.create_action_item(room_store, title="先干起来", topic_id=topic_id)
    assert str(err.value) == "议题当前状态为“已受理”，不能开始落实。"


def test_resolve_visit_and_reopen_when_dissatisfied(room_store):
    _, topic_id, _ = held_meeting(room_store)
    actions.create_action_item(room_store, title="修厕所", topic_id=topic_id)
    actions.resolve_topic(room_store, topic_id, how="公厕已改造完成并开放", actor="王召集")
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.RESOLVED
    visit = followups.record_follow_up(room_store, topic_id, satisfaction="dissatisfied", visitor="李网格",
                                       comment="晚上不开门", reopen=True).value
    assert visit.satisfaction == Satisfaction.DISSATISFIED
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.IMPLEMENTING
    assert [e.action for e in topics.history(room_store, topic_id)][-3:] == ["resolve", "visit", "reopen"]
    actions.resolve_topic(room_store, topic_id, how="延长开放到晚上十点")
    followups.record_follow_up(room_store, topic_id, satisfaction=Satisfaction.SATISFIED, visitor="李网格")
    assert topics.get_topic(room_store, topic_id).status == TopicStatus.VISITED
    assert [f.satisfaction for f in reads.follow_ups_of(room_store, topic_id)] == ["dissatisfied", "satisfied"]


def test_forbidden_topic_moves_and_bad_visits_change_nothing(room_store):
    topic_id = accepted_topic(room_store)
    with nothing_written(room_store):
        with pytest.raises(TransitionError) as err:
            actions.resolve_topic(room_store, topic_id, how="办好了")
        assert str(err.value) == "议题当前状态为“已受理”，不能办结。"
        with pytest.raises(TransitionError) as err:
            followups.record_follow_up(room_store, topic_id, satisfaction="satisfied")
        assert str(err.value) == "议题当前状态为“已受理”，不能回访。"
        with pytest.raises(ValidationError, match="未知的满意度"):
            followups.record_follow_up(room_store, topic_id, satisfaction="还行")
        with pytest.raises(ValidationError) as err:
            followups.record_follow_up(room_store, topic_id, satisfaction="satisfied", reopen=True)
        assert str(err.value) == "只有群众不满意时才需要重新办理。"
        with pytest.raises(ValidationError, match="请填写“办结情况”"):
            actions.resolve_topic(room_store, topic_id, how="")


def test_bad_action_items_are_refused(room_store):
    _, topic_id, _ = held_meeting(room_store)
    with nothing_written(room_store):
        with pytest.raises(ValidationError, match="“完成时限”应为日期"):
            actions.create_action_item(room_store, title="修", topic_id=topic_id, deadline="下个月")
        with pytest.raises(ValidationError, match="请填写“落实事项”"):
            actions.create_action_item(room_store, title="\u200b", topic_id=topic_id)
        with pytest.raises(ValidationError, match="“落实事项”太长了"):
            actions.create_action_item(room_store, title="修" * 301, topic_id=topic_id)
