"""Public readers read only the published rows of the room they show: room B
holds a meeting with finalized minutes and a topic on its agenda; rows of room
A that claim B's meeting, agenda item and topic are written straight into the
county database (as if a bad operation had slipped past the sync checks), and
B's ``/m/`` and ``/t/`` pages stay exactly as they were, with the fingerprint
still matching. A finalized-looking minutes row of room A does not make B's
draft meeting public either."""

from __future__ import annotations

from datetime import UTC, date, datetime

import requests

from desktop.domain.enums import MinutesStatus, TopicStatus
from desktop.domain.ids import new_id
from desktop.storage.models import ActionItemRow, AgendaItemRow, MeetingRow, MinutesRow, OutcomeRow, ParticipantRow, StatementRow, TopicEventRow
from desktop.storage.services import actions, meetings, minutes, topics
from desktop.sync import engine
from server.versions import stamp_new
from tests.storage.service_helpers import MAY_DAY, held_meeting
from tests.sync.helpers import fresh_room, new_pc, server_db

FOREIGN = "外室"  # every text the adversary writes carries it
AT = datetime(2026, 5, 8, 3, tzinfo=UTC)


def _pages(srv, meeting_id: str, room_code: str, code: str) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    urls = (f"/m/{meeting_id}", f"/t/{room_code}/{code}", f"/t/{code}")
    return {u: ((r := requests.get(srv.base + u)).status_code, r.text) for u in urls}


def _slip_in(srv, *, room_a: str, meeting_b: str, item_b: str, topic_b: str, draft_meeting_b: str) -> None:  # type: ignore[no-untyped-def]
    """Room A's rows pointing into room B, written past the sync checks."""
    with server_db(srv).write() as s:
        own_meeting = stamp_new(s, MeetingRow(id=new_id(), room_id=room_a, title=FOREIGN + "会议", starts_at=AT, created_at=AT))
        rows = [
            AgendaItemRow(id=new_id(), room_id=room_a, meeting_id=meeting_b, topic_id=topic_b, position=0, title=FOREIGN + "议程"),
            StatementRow(id=new_id(), room_id=room_a, meeting_id=meeting_b, agenda_item_id=item_b, position=0, speaker=FOREIGN + "发言人", summary=FOREIGN + "发言"),
            OutcomeRow(id=new_id(), room_id=room_a, meeting_id=meeting_b, agenda_item_id=item_b, position=0, text=FOREIGN + "协商结果"),
            ActionItemRow(id=new_id(), room_id=room_a, meeting_id=meeting_b, topic_id=topic_b, title=FOREIGN + "落实事项", owner_unit=FOREIGN + "单位",
                          deadline=date(2026, 6, 1), created_at=AT),
            ParticipantRow(id=new_id(), room_id=room_a, meeting_id=meeting_b, name=FOREIGN + "参会人"),
            # "finalized minutes" of room A for B's finalized meeting and for B's draft one
            MinutesRow(id=new_id(), room_id=room_a, meeting_id=meeting_b, status=MinutesStatus.FINALIZED, summary=FOREIGN + "纪要", sha256="f" * 64, finalized_at=AT),
            MinutesRow(id=new_id(), room_id=room_a, meeting_id=draft_meeting_b, status=MinutesStatus.FINALIZED, summary=FOREIGN + "纪要", sha256="e" * 64, finalized_at=AT),
            TopicEventRow(id=new_id(), room_id=room_a, topic_id=topic_b, action="decline", from_status=TopicStatus.ACCEPTED, to_status=TopicStatus.DECLINED,
                          reason=FOREIGN + "理由", at=AT),
        ]
        # and an outcome for B's topic from room A's own "finalized" meeting
        own_item = AgendaItemRow(id=new_id(), room_id=room_a, meeting_id=own_meeting.id, topic_id=topic_b, position=0, title=FOREIGN + "议程")
        rows += [
            own_item,
            OutcomeRow(id=new_id(), room_id=room_a, meeting_id=own_meeting.id, agenda_item_id=own_item.id, position=0, text=FOREIGN + "协商结果"),
            MinutesRow(id=new_id(), room_id=room_a, meeting_id=own_meeting.id, status=MinutesStatus.FINALIZED, sha256="d" * 64, finalized_at=AT),
        ]
        for row in rows:
            stamp_new(s, row)


def test_rows_of_another_room_never_show_on_a_rooms_public_pages(srv, tmp_path):
    _, room_a = fresh_room(srv)
    code_b, _ = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc-b", room_code=code_b)
    try:
        meeting_id, topic_id, item = held_meeting(pc)
        minutes.record_statement(pc, agenda_item_id=item, speaker="李大爷", summary="公厕要加洗手池")
        outcome = minutes.record_outcome(pc, agenda_item_id=item, text="由物业三个月内加装洗手池").value
        actions.create_action_item(pc, title="加装洗手池", meeting_id=meeting_id, outcome_id=outcome.id, owner_unit="物业公司")
        minutes.save_minutes_text(pc, meeting_id, summary="会议议定加装洗手池")
        minutes.finalize_minutes(pc, meeting_id)
        draft = meetings.schedule_meeting(pc, title="下月例会", type="thematic", starts_at=MAY_DAY, place="社区议事室", topic_ids=[]).value
        minutes.save_minutes_text(pc, draft.id, summary="还在记")
        assert engine.sync(pc).rejected == 0
        code = topics.get_topic(pc, topic_id).tracking_code
    finally:
        pc.close()

    before = _pages(srv, meeting_id, code_b, code)
    assert all(status == 200 for status, _ in before.values()), before
    m = before[f"/m/{meeting_id}"][1]
    assert "与存档的定稿一致" in m and "由物业三个月内加装洗手池" in m and "加装洗手池" in m
    assert "由物业三个月内加装洗手池" in before[f"/t/{code_b}/{code}"][1]  # the agreed outcome reaches the resident
    assert requests.get(f"{srv.base}/m/{draft.id}").status_code == 404  # a draft is not public

    _slip_in(srv, room_a=room_a, meeting_b=meeting_id, item_b=item, topic_b=topic_id, draft_meeting_b=draft.id)

    after = _pages(srv, meeting_id, code_b, code)
    assert after == before
    assert all(FOREIGN not in text for _, text in after.values())
    assert "与存档的定稿一致" in after[f"/m/{meeting_id}"][1]
    gone = requests.get(f"{srv.base}/m/{draft.id}")
    assert gone.status_code == 404 and FOREIGN not in gone.text
