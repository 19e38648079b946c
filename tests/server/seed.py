"""Known data for the county pages and the public minutes page, written the
way sync will write it: rows of the room's tables at the room's next versions."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import ActionStatus, MeetingStatus, MinutesStatus, Satisfaction, TopicSource, TopicStatus
from desktop.domain.ids import new_id, new_tracking_code
from desktop.domain.minutes import MinutesBundle, fingerprint
from desktop.storage.mapping import to_domain
from desktop.storage.models import ActionItemRow, AgendaItemRow, FollowUpRow, MeetingRow, MinutesRow, OutcomeRow, TopicEventRow, TopicRow
from server.models import CountyRoomRow
from server.versions import stamp_new


def at(y: int, m: int, d: int, hh: int = 12) -> datetime:
    return datetime(y, m, d, hh, tzinfo=CHINA_TZ)


def _topic(session, room_id: str, title: str, *, source: TopicSource, status: TopicStatus, category: str, when: datetime) -> TopicRow:
    row = TopicRow(
        id=new_id(), room_id=room_id, title=title, description="", source=source, status=status, category=category,
        location="", submitter_name="李四", submitter_phone="13900001111", tracking_code=new_tracking_code(), ticket_no=None,
        decline_reason="", merged_into_id=None, received_at=when, created_at=when, updated_at=when,
    )
    stamp_new(session, row)
    stamp_new(session, TopicEventRow(id=new_id(), room_id=room_id, topic_id=row.id, action="submit", from_status=None, to_status=TopicStatus.SUBMITTED, actor="", reason="", at=when))
    return row


def seed(db) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Five topics in 2024 over two rooms, two held meetings, two follow-ups,
    one finalized and one draft set of minutes. Returns the ids tests need."""
    out: dict[str, str] = {}
    with db.write() as s:
        a = s.scalars(select(CountyRoomRow).where(CountyRoomRow.code == "QJP-001")).one().id
        b = s.scalars(select(CountyRoomRow).where(CountyRoomRow.code == "HY-002")).one().id
        t1 = _topic(s, a, "小区停车难", source=TopicSource.QR, status=TopicStatus.RESOLVED, category="道路交通", when=at(2024, 3, 5))
        t2 = _topic(s, a, "垃圾分类点太远", source=TopicSource.QR, status=TopicStatus.VISITED, category="环境卫生", when=at(2024, 3, 8))
        _topic(s, a, "河道有异味", source=TopicSource.HOTLINE, status=TopicStatus.SUBMITTED, category="环境卫生", when=at(2024, 3, 9))
        _topic(s, b, "村道破损", source=TopicSource.GRID_WORKER, status=TopicStatus.DECLINED, category="道路交通", when=at(2024, 4, 2))
        _topic(s, b, "路灯不亮", source=TopicSource.GRID_WORKER, status=TopicStatus.ACCEPTED, category="公共设施", when=at(2024, 4, 3))
        for room, status, when in ((a, MeetingStatus.HELD, at(2024, 3, 20)), (a, MeetingStatus.PLANNED, at(2024, 3, 25)), (b, MeetingStatus.HELD, at(2024, 4, 10))):
            m = MeetingRow(id=new_id(), room_id=room, title="停车问题专题协商会" if room == a and status == MeetingStatus.HELD else "协商会",
                           type="thematic", status=status, serial_no=1, starts_at=when, ends_at=None, place="社区议事厅",
                           convenor="王主任", host="王主任", recorder="赵记录", created_at=when)
            stamp_new(s, m)
            if room == a and status == MeetingStatus.HELD:
                held = m
            if room == b:
                draft_meeting = m
        for sat in (Satisfaction.SATISFIED, Satisfaction.DISSATISFIED):
            stamp_new(s, FollowUpRow(id=new_id(), room_id=a, topic_id=t2.id, satisfaction=sat, visitor="网格员", comment="", at=at(2024, 5, 6)))
        agenda = AgendaItemRow(id=new_id(), room_id=a, meeting_id=held.id, topic_id=t1.id, position=1, title="小区停车难", background="", presenter="", minutes_allotted=None)
        outcome = OutcomeRow(id=new_id(), room_id=a, meeting_id=held.id, agenda_item_id=agenda.id, position=1, text="同意在东侧空地新划30个停车位<b>", votes_for=12, votes_against=0, votes_abstain=1)
        action = ActionItemRow(id=new_id(), room_id=a, title="划设停车位", meeting_id=held.id, outcome_id=outcome.id, topic_id=t1.id,
                               owner_unit="社区物业", responsible="孙经理", deadline=date(2024, 6, 1), status=ActionStatus.OPEN, done_at=None, created_at=at(2024, 3, 20))
        minutes = MinutesRow(id=new_id(), room_id=a, meeting_id=held.id, status=MinutesStatus.FINALIZED, summary="会议认为应尽快解决停车难。",
                             closing="", attachments_note="", sha256=None, finalized_at=at(2024, 3, 21), corrects_id=None, correction_note="")
        for row in (agenda, outcome, action):
            stamp_new(s, row)
        bundle = MinutesBundle(meeting=to_domain(held), minutes=to_domain(minutes), agenda=(to_domain(agenda),), participants=(),
                               statements=(), outcomes=(to_domain(outcome),), action_items=(to_domain(action),))
        minutes.sha256 = fingerprint(bundle)
        stamp_new(s, minutes)
        stamp_new(s, MinutesRow(id=new_id(), room_id=b, meeting_id=draft_meeting.id, status=MinutesStatus.DRAFT, summary="草稿", closing="",
                                attachments_note="", sha256=None, finalized_at=None, corrects_id=None, correction_note=""))
        out.update(meeting=held.id, draft_meeting=draft_meeting.id, fingerprint=minutes.sha256, topic_code=t1.tracking_code, outcome=outcome.id)
    return out
