"""A month of a room's work for the statistics tests, done through the room's
services in the order a convenor does it, with the figures a person counts
by hand from it (the definitions are desktop/domain/statistics.py's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from desktop.domain import clock
from desktop.domain.clock import CHINA_TZ
from desktop.storage import outbox
from desktop.storage.db import Store
from desktop.storage.models import TopicRow
from desktop.storage.services import actions, followups, meetings, topics

MAY_FROM, MAY_TO = date(2026, 5, 1), date(2026, 5, 31)


def at(month: int, day: int, hour: int = 10) -> datetime:
    """Set the clock to ``hour`` o'clock China time of a 2026 day and return it."""
    t = datetime(2026, month, day, hour, tzinfo=CHINA_TZ)
    clock.set_clock(lambda: t)
    return t


@dataclass(frozen=True)
class Counted:
    """What a person counts by hand for May 2026, and the ids tests poke at."""

    topics_collected: int
    meetings_held: int
    matters_resolved: int
    resolution_rate: float
    satisfaction_rate: float
    overdue_action_items: int
    by_source: dict[str, int]
    by_status: dict[str, int]
    merged_duplicates: int
    wrong_topic: str
    pending_topic: str


def work_may(store: Store, *, today: date) -> Counted:
    """The room's May; action item deadlines are set around ``today`` (the day
    the statistics are read, real or given), so 逾期 is known whatever it is.
    The figures counted are those after ``delete_wrong_topic``."""
    try:
        # a topic phoned in at 23:30 on 30 April (China) is April's
        april = topics.record_topic(store, title="四月底反映的井盖松动", source="hotline",
                                    received_at=datetime(2026, 4, 30, 15, 30, tzinfo=UTC)).value
        # one received at 00:30 on 1 May (still 30 April in UTC) is May's
        seats = topics.record_topic(store, title="小区座椅不够", source="walk_in",
                                    received_at=datetime(2026, 4, 30, 16, 30, tzinfo=UTC)).value
        lamp = topics.record_topic(store, title="小区门口路灯不亮", source="qr", category="公共设施", received_at=at(5, 3)).value
        noise = topics.record_topic(store, title="夜间施工噪音扰民", source="hotline", category="环境噪音", received_at=at(5, 4)).value
        water = topics.record_topic(store, title="雨后村道积水严重", source="grid_worker", category="道路交通", received_at=at(5, 5)).value
        shed = topics.record_topic(store, title="要求拆除邻居违建", source="petition", received_at=at(5, 6)).value
        dup = topics.record_topic(store, title="路灯不亮（重复反映）", source="qr", category="公共设施", received_at=at(5, 7)).value
        parking = topics.record_topic(store, title="老旧小区停车难", source="member", category="道路交通", received_at=at(5, 8)).value
        wrong = topics.record_topic(store, title="误录的议题", source="referral", received_at=at(5, 9)).value

        at(5, 10)
        for t in (april, lamp, noise, water, parking, wrong):
            topics.accept(store, t.id, actor="王召集")
        topics.decline(store, shed.id, reason="属于执法事项，已转城管部门", actor="王召集")
        topics.merge(store, dup.id, into_id=lamp.id, actor="王召集")
        topics.handle_directly(store, lamp.id, how="已联系供电所更换灯泡", actor="王召集")
        topics.handle_directly(store, wrong.id, how="误录", actor="王召集")

        held = meetings.schedule_meeting(store, title="噪音与积水专题协商会", type="thematic", starts_at=at(5, 15, 9),
                                         place="社区议事室", topic_ids=[noise.id, water.id]).value
        rained = meetings.schedule_meeting(store, title="停车现场协商", type="on_site", starts_at=datetime(2026, 5, 20, 9, tzinfo=CHINA_TZ)).value
        meetings.schedule_meeting(store, title="六月的协商会", type="online", starts_at=datetime(2026, 6, 2, 9, tzinfo=CHINA_TZ))
        meetings.schedule_meeting(store, title="五月底的协商会（还没开）", type="online", starts_at=datetime(2026, 5, 29, 9, tzinfo=CHINA_TZ))
        at(5, 15, 9)
        meetings.start_meeting(store, held.id)
        at(5, 15, 11)
        meetings.end_meeting(store, held.id)
        at(5, 19)
        meetings.cancel_meeting(store, rained.id, reason="下雨")

        at(5, 22)
        actions.resolve_topic(store, noise.id, how="夜间停工")
        actions.resolve_topic(store, water.id, how="疏通了排水沟")
        at(5, 26)
        followups.record_follow_up(store, lamp.id, satisfaction="satisfied", visitor="网格员")
        followups.record_follow_up(store, noise.id, satisfaction="basically_satisfied", visitor="网格员")
        followups.record_follow_up(store, water.id, satisfaction="dissatisfied", visitor="网格员", reopen=True, comment="又积水了")
        followups.record_follow_up(store, wrong.id, satisfaction="satisfied", visitor="网格员")

        at(5, 28)
        late = actions.create_action_item(store, title="更换座椅", owner_unit="社区居委会", deadline=today - timedelta(days=20)).value
        going = actions.create_action_item(store, title="加装隔音屏", owner_unit="住建局", deadline=today - timedelta(days=1)).value
        actions.record_progress(store, going.id, note="已订货")
        done = actions.create_action_item(store, title="清理积水", owner_unit="城管局", deadline=today - timedelta(days=30)).value
        actions.complete_action_item(store, done.id)
        dropped = actions.create_action_item(store, title="拓宽村道", owner_unit="交通局", deadline=today - timedelta(days=30)).value
        actions.withdraw_action_item(store, dropped.id, reason="并入县道改造")
        actions.create_action_item(store, title="今天到期的事", deadline=today)
        actions.create_action_item(store, title="明年的事", deadline=today + timedelta(days=365))
        actions.create_action_item(store, title="没有时限的事")
        assert late.status == "open"
    finally:
        clock.set_clock(None)
    return Counted(
        # May: seats, lamp, noise, water, shed, parking (dup merged, wrong deleted, april is April's)
        topics_collected=6,
        meetings_held=1,  # the cancelled and the two planned ones were not held
        matters_resolved=2,  # lamp (visited), noise (visited); water was reopened
        resolution_rate=0.5,  # of lamp, noise, water, parking accepted (seats waits, shed declined)
        satisfaction_rate=round(2 / 3, 4),  # lamp 满意, noise 基本满意, water 不满意; wrong's visit is gone with it
        overdue_action_items=2,  # 更换座椅 (open), 加装隔音屏 (in progress)
        by_source={"walk_in": 1, "qr": 1, "hotline": 1, "grid_worker": 1, "petition": 1, "member": 1},
        by_status={"submitted": 1, "visited": 2, "implementing": 1, "declined": 1, "accepted": 1},
        merged_duplicates=1,
        wrong_topic=wrong.id,
        pending_topic=seats.id,
    )


def delete_wrong_topic(store: Store, hand: Counted) -> None:
    """The convenor deletes the topic entered by mistake (a tombstone, which
    the server and the room's other PCs hear of; no screen offers it yet, so
    this is the outbox's own delete)."""
    with store.write() as session:
        outbox.delete(session, session.get(TopicRow, hand.wrong_topic))
