"""The workbench's reads stay small on a big room file: action items with a
limit and the count that goes with it ("还有 N 项")."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.errors import ValidationError
from desktop.storage.services import actions, reads
from tests.storage.service_helpers import held_meeting


def test_a_limit_gives_the_most_overdue_first_and_the_count_gives_them_all(room_store):
    _, topic_id, _ = held_meeting(room_store)
    made = {}
    for day in range(1, 8):  # deadlines 1..7 March, shuffled in creation
        deadline = date(2026, 3, (day * 3) % 7 + 1)
        made[deadline] = actions.create_action_item(room_store, title=f"第{day}项", topic_id=topic_id, deadline=deadline).value
    # one under way (落实中 in progress): the first few come from both open statuses, in deadline order
    actions.record_progress(room_store, made[date(2026, 3, 2)].id, note="已开工")
    actions.create_action_item(room_store, title="还没到期", topic_id=topic_id, deadline=date(2026, 12, 1))
    done = actions.create_action_item(room_store, title="已经办完", topic_id=topic_id, deadline=date(2026, 2, 1)).value
    actions.complete_action_item(room_store, done.id)

    first = reads.action_items(room_store, overdue_on=date(2026, 6, 1), limit=3)
    assert [a.deadline for a in first] == [date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)]
    assert reads.count_action_items(room_store, overdue_on=date(2026, 6, 1)) == 7
    assert len(reads.action_items(room_store, overdue_on=date(2026, 6, 1))) == 7
    assert reads.count_action_items(room_store, open_only=True) == 8
    assert reads.count_action_items(room_store, topic_id=topic_id) == 9


def test_a_negative_limit_is_refused(room_store):
    with pytest.raises(ValidationError, match="条数不能是负数"):
        reads.action_items(room_store, limit=-1)
