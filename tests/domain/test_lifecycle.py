from __future__ import annotations

import pytest

from desktop.domain import lifecycle
from desktop.domain.enums import ActionStatus, MeetingStatus, TopicStatus
from desktop.domain.errors import TransitionError
from desktop.domain.lifecycle import Action
from desktop.i18n import set_language


def test_topic_happy_path_follows_the_design_diagram():
    s = TopicStatus.SUBMITTED
    for action, expected in [
        (Action.ACCEPT, TopicStatus.ACCEPTED),
        (Action.SCHEDULE, TopicStatus.SCHEDULED),
        (Action.CONSULT, TopicStatus.CONSULTED),
        (Action.IMPLEMENT, TopicStatus.IMPLEMENTING),
        (Action.RESOLVE, TopicStatus.RESOLVED),
        (Action.VISIT, TopicStatus.VISITED),
    ]:
        s = lifecycle.apply(lifecycle.TOPIC, s, action)
        assert s == expected


def test_handle_directly_resolves_an_accepted_topic():
    assert lifecycle.apply(lifecycle.TOPIC, TopicStatus.ACCEPTED, Action.HANDLE_DIRECTLY) == TopicStatus.RESOLVED


def test_forbidden_transition_says_what_and_why_in_chinese_and_english():
    with pytest.raises(TransitionError) as err:
        lifecycle.apply(lifecycle.TOPIC, TopicStatus.DECLINED, Action.SCHEDULE)
    assert str(err.value) == "议题当前状态为“不予受理”，不能排期协商。"
    set_language("en")
    text = str(err.value)
    assert "Declined" in text and "schedule" in text.lower()


def test_allowed_actions_and_check_move():
    assert set(lifecycle.allowed_actions(lifecycle.TOPIC, TopicStatus.SUBMITTED)) == {Action.ACCEPT, Action.DECLINE, Action.MERGE}
    assert lifecycle.check_move(lifecycle.MEETING, MeetingStatus.PLANNED, MeetingStatus.HELD) == Action.END
    with pytest.raises(TransitionError):
        lifecycle.check_move(lifecycle.ACTION_ITEM, ActionStatus.CANCELLED, ActionStatus.DONE)
