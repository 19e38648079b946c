"""Room statistics, on a room driven through the real services with a fixed
clock so every event has a known date, checked against hand-counted figures."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from desktop.domain import clock
from desktop.domain.errors import ValidationError
from desktop.storage.db import Store
from desktop.storage.services import actions, followups, meetings, rooms, topics
from desktop.storage.stats import room_stats

KEYS = {
    "topics_collected", "meetings_held", "matters_resolved", "resolution_rate", "satisfaction_rate",
    "overdue_action_items", "by_source", "by_status", "by_category", "by_month",
}


def at(y: int, mo: int, d: int, h: int = 2) -> datetime:
    """Set the clock to ``h`` o'clock UTC of the day (10:00 in China) and return it."""
    t = datetime(y, mo, d, h, tzinfo=UTC)
    clock.set_clock(lambda: t)
    return t


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """One room for all tests here (they only read it)."""
    s = Store(tmp_path_factory.mktemp("stats") / "data")
    rooms.init_room(s, code="QJP-001", name="清江浦区水渡口社区协商议事室")
    try:
        a = topics.record_topic(s, title="运河风光带缺少公厕", source="qr", category="公共设施", received_at=at(2025, 3, 10)).value
        # 15:30 UTC on 31 March is 23:30 the same day in China
        b = topics.record_topic(s, title="夜间施工噪音扰民", source="hotline", category="环境噪音",
                                received_at=datetime(2025, 3, 31, 15, 30, tzinfo=UTC)).value
        c = topics.record_topic(s, title="要求拆除邻居违建", source="grid_worker", received_at=at(2025, 4, 2)).value
        d = topics.record_topic(s, title="公厕（重复反映）", source="qr", category="公共设施", received_at=at(2025, 4, 3)).value
        e = topics.record_topic(s, title="小区座椅不够", source="walk_in", category="公共设施", received_at=at(2025, 4, 4)).value

        at(2025, 3, 12)
        topics.accept(s, a.id)
        at(2025, 3, 15)
        topics.handle_directly(s, a.id, how="已协调城管局建成临时公厕")
        at(2025, 3, 20)
        followups.record_follow_up(s, a.id, satisfaction="satisfied")

        at(2025, 4, 1)
        topics.accept(s, b.id)
        topics.accept(s, e.id)
        topics.decline(s, c.id, reason="属于执法事项，已转城管部门")
        topics.merge(s, d.id, into_id=a.id)
        held = meetings.schedule_meeting(s, title="施工噪音专题协商", type="thematic", starts_at=at(2025, 4, 5), topic_ids=[b.id]).value
        meetings.end_meeting(s, held.id)
        meetings.schedule_meeting(s, title="座椅协商", type="on_site", starts_at=datetime(2025, 6, 1, 2, tzinfo=UTC))
        gone = meetings.schedule_meeting(s, title="取消的会", type="online", starts_at=datetime(2025, 4, 6, 2, tzinfo=UTC)).value
        meetings.cancel_meeting(s, gone.id, reason="下雨")
        at(2025, 4, 10)
        actions.resolve_topic(s, b.id, how="夜间停工")
        at(2025, 4, 12)
        followups.record_follow_up(s, b.id, satisfaction="dissatisfied", reopen=True)
        at(2025, 5, 1)
        actions.resolve_topic(s, b.id, how="加装隔音屏")  # resolved again: still one matter

        late = actions.create_action_item(s, title="更换座椅", deadline=date(2025, 4, 20)).value
        done = actions.create_action_item(s, title="清理积水", deadline=date(2025, 4, 1)).value
        actions.complete_action_item(s, done.id)
        actions.create_action_item(s, title="明年的事", deadline=date(2026, 1, 1))
        assert late.status == "open"
    finally:
        clock.set_clock(None)
    yield s
    s.close()


def test_whole_history(room):
    stats = room_stats(room, today=date(2025, 5, 2))
    d = stats.as_dict()
    assert set(d) == KEYS
    assert d["topics_collected"] == 4  # the merged duplicate is not a topic of its own
    assert d["meetings_held"] == 1
    assert d["matters_resolved"] == 2
    assert d["resolution_rate"] == round(2 / 3, 4)  # accepted: 公厕, 噪音, 座椅; resolved: 公厕, 噪音
    assert d["satisfaction_rate"] == 0.5
    assert d["overdue_action_items"] == 1
    assert d["by_source"] == {"qr": 1, "hotline": 1, "grid_worker": 1, "walk_in": 1}
    assert d["by_status"] == {"visited": 1, "resolved": 1, "declined": 1, "accepted": 1}
    assert d["by_category"] == {"公共设施": 2, "环境噪音": 1, "": 1}
    assert d["by_month"] == {"2025-03": 2, "2025-04": 2}  # China time: the 15:30 UTC topic is March's


def test_april_only(room):
    d = room_stats(room, date_from=date(2025, 4, 1), date_to=date(2025, 4, 30), today=date(2025, 4, 2)).as_dict()
    assert d["topics_collected"] == 2
    assert d["meetings_held"] == 1
    # 办结 counts the period's topics: 噪音 was received on 31 March (China
    # time) and resolved on 10 April, so it is March's; of April's topics
    # (拆违 declined, 座椅 accepted) none is resolved
    assert d["matters_resolved"] == 0
    assert d["resolution_rate"] == 0.0  # of 座椅 (accepted), none resolved
    assert d["satisfaction_rate"] == 0.0
    assert d["overdue_action_items"] == 0  # as of 2 April nothing was late yet
    assert d["by_month"] == {"2025-04": 2}


def test_an_empty_range_has_no_rates(room):
    d = room_stats(room, date_from=date(2020, 1, 1), date_to=date(2020, 12, 31), today=date(2025, 5, 2)).as_dict()
    assert d["topics_collected"] == d["meetings_held"] == d["matters_resolved"] == 0
    assert d["resolution_rate"] is None and d["satisfaction_rate"] is None
    assert d["by_source"] == {}
    # every month of the period is there, empty ones as 0 (a chart shows zero bars)
    assert d["by_month"] == {f"2020-{m:02d}": 0 for m in range(1, 13)}


def test_reversed_range_is_refused(room_store):
    with pytest.raises(ValidationError, match="开始日期不能晚于结束日期"):
        room_stats(room_store, date_from=date(2025, 5, 1), date_to=date(2025, 4, 1))


def test_every_month_of_the_period_is_there_even_empty_ones(room):
    d = room_stats(room, date_from=date(2025, 1, 15), date_to=date(2025, 6, 2), today=date(2025, 6, 2)).as_dict()
    assert d["by_month"] == {"2025-01": 0, "2025-02": 0, "2025-03": 2, "2025-04": 2, "2025-05": 0, "2025-06": 0}
    assert sum(d["by_month"].values()) == d["topics_collected"]


def test_merged_duplicates_are_counted_apart_so_the_headline_tallies_with_the_list(room):
    from desktop.storage import search

    stats = room_stats(room, today=date(2025, 5, 2))
    listed = search.count_topics(room, "")  # what the topics list shows with no filter
    assert stats.merged_duplicates == 1
    assert stats.topics_collected + stats.merged_duplicates == listed == 5
    april = room_stats(room, date_from=date(2025, 4, 1), date_to=date(2025, 4, 30), today=date(2025, 4, 2))
    in_april = search.count_topics(room, "", date_from=date(2025, 4, 1), date_to=date(2025, 4, 30))
    assert april.topics_collected + april.merged_duplicates == in_april
