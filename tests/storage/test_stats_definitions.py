"""The PC's statistics follow the one definition of each (desktop/domain/
statistics.py): a month of a room's work done through the services, counted
by hand, then read with ``room_stats``; a status from a newer client counts
in no bucket and breaks nothing."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from desktop.storage.db import DB_FILENAME
from desktop.storage.stats import room_stats
from tests.support.stats_room import MAY_FROM, MAY_TO, delete_wrong_topic, work_may

TODAY = date(2026, 6, 10)


@pytest.fixture
def may(room_store):
    hand = work_may(room_store, today=TODAY)
    delete_wrong_topic(room_store, hand)
    return room_store, hand


def test_may_counted_by_hand(may):
    store, hand = may
    s = room_stats(store, date_from=MAY_FROM, date_to=MAY_TO, today=TODAY)
    assert s.topics_collected == hand.topics_collected
    assert s.meetings_held == hand.meetings_held
    assert s.matters_resolved == hand.matters_resolved
    assert s.resolution_rate == hand.resolution_rate
    assert s.satisfaction_rate == hand.satisfaction_rate
    assert s.overdue_action_items == hand.overdue_action_items
    assert s.by_source == hand.by_source
    assert s.by_status == hand.by_status
    assert s.merged_duplicates == hand.merged_duplicates
    assert s.by_month == {"2026-05": hand.topics_collected}
    assert sum(s.by_category.values()) == hand.topics_collected


def test_overdue_is_judged_on_the_day_asked_whatever_the_period(may):
    store, _hand = may
    # a period with no topics still has the overdue items of today
    assert room_stats(store, date_from=date(2020, 1, 1), date_to=date(2020, 1, 31), today=TODAY).overdue_action_items == 2
    # 30 days earlier only the items due 20 and 30 days before TODAY were late,
    # and of them only 更换座椅 is still open (清理积水 done, 拓宽村道 withdrawn)
    assert room_stats(store, today=date.fromordinal(TODAY.toordinal() - 15)).overdue_action_items == 1


def test_a_topic_resolved_later_counts_in_the_month_it_came_in(may):
    store, _hand = may
    april = room_stats(store, date_from=date(2026, 4, 1), date_to=date(2026, 4, 30), today=TODAY)
    # 井盖 came in at 23:30 on 30 April, China time, and was only accepted in May
    assert (april.topics_collected, april.matters_resolved, april.resolution_rate) == (1, 0, 0.0)
    assert april.meetings_held == 0 and april.satisfaction_rate is None


def test_a_status_from_a_newer_client_counts_in_no_bucket(may):
    store, hand = may
    # what a pull stores when a newer PC of the room sends a status this
    # version does not know (the column keeps the text as it came)
    con = sqlite3.connect(store.data_dir / DB_FILENAME)
    with con:
        con.execute("UPDATE topic SET status = 'escalated' WHERE id = ?", (hand.pending_topic,))
        con.execute("UPDATE follow_up SET satisfaction = 'delighted' WHERE satisfaction = 'dissatisfied'")
    con.close()
    s = room_stats(store, date_from=MAY_FROM, date_to=MAY_TO, today=TODAY)
    assert s.topics_collected == hand.topics_collected - 1
    assert "escalated" not in s.by_status and sum(s.by_source.values()) == s.topics_collected
    assert (s.matters_resolved, s.resolution_rate) == (2, 0.5)
    assert s.satisfaction_rate == 1.0  # 满意 and 基本满意 of the two visits it knows
