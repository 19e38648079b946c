"""Two PCs of a room each start the same meeting's minutes offline (the
convenor jots a line on the office PC while the secretary types the minutes
on her laptop and finalizes them). A meeting has one original minutes: the
server keeps the first it hears of and refuses the second, which stays on its
PC as the person left it, listed with the reason, until that person decides.
Neither PC may show the refused copy as the meeting's minutes afterwards, and
nothing is hidden: the county and both PCs agree once the person has decided."""

from __future__ import annotations

import requests
from sqlalchemy import select

from desktop.storage.models import MinutesRow
from desktop.storage.services import minutes, reads
from desktop.sync import engine, refused
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import converged, fresh_room, new_pc, server_db, sync_all


def _original(store, meeting_id):  # type: ignore[no-untyped-def]
    return reads.minutes_of(store, meeting_id)[0]


def test_a_second_draft_is_refused_kept_and_never_hides_the_first(srv, tmp_path):
    code, room_id = fresh_room(srv)
    office, laptop = new_pc(srv, tmp_path, "office", room_code=code), new_pc(srv, tmp_path, "laptop", room_code=code)
    meeting_id, _, item = held_meeting(laptop)
    sync_all([laptop, office], rounds=1)
    # offline: the convenor jots a line on the office PC ...
    minutes.save_minutes_text(office, meeting_id, summary="（召集人）先记一句")
    # ... while the secretary types the minutes on the laptop and finalizes them
    minutes.save_minutes_text(laptop, meeting_id, summary="会议围绕公厕改造")
    minutes.record_statement(laptop, agenda_item_id=item, speaker="刘建国", summary="尽快修")
    minutes.finalize_minutes(laptop, meeting_id)
    mine = _original(laptop, meeting_id)
    # the office PC syncs first, so its draft is the one the server keeps
    assert engine.sync(office).rejected == 0
    report = engine.sync(laptop)
    assert report.rejected >= 1
    engine.sync(office)
    with server_db(srv).read() as session:
        originals = session.scalars(select(MinutesRow.summary).where(MinutesRow.meeting_id == meeting_id, MinutesRow.corrects_id.is_(None))).all()
    assert originals == ["（召集人）先记一句"], "a meeting has one original minutes on the server"
    # the laptop keeps its finalized minutes as typed, listed with the reason; the office shows the server's
    listed = refused.list_refused(laptop)
    ours = [r for r in listed if r.entity == "minutes"]
    assert [r.row_id for r in ours] == [mine.id] and ours[0].new_record
    assert "已有会议记录" in ours[0].reasons[0]
    assert _original(laptop, meeting_id).summary == "会议围绕公厕改造"
    assert _original(office, meeting_id).summary == "（召集人）先记一句"
    # no public page claims finalized minutes the county does not hold
    assert requests.get(f"{srv.base}/m/{meeting_id}", timeout=30).status_code == 404
    # the secretary copies her text into the kept draft, discards her copy and finalizes again
    refused.discard(laptop, mine.id)
    engine.sync(laptop)
    assert _original(laptop, meeting_id).summary == "（召集人）先记一句"
    minutes.save_minutes_text(laptop, meeting_id, summary="会议围绕公厕改造")
    minutes.finalize_minutes(laptop, meeting_id)
    sha = _original(laptop, meeting_id).sha256
    sync_all([laptop, office], rounds=2)
    assert refused.list_refused(laptop) == () and refused.list_refused(office) == ()
    page = requests.get(f"{srv.base}/m/{meeting_id}", timeout=30)
    assert page.status_code == 200 and sha in page.text and "与存档的定稿一致" in page.text
    assert _original(office, meeting_id).sha256 == sha
    converged(srv, [laptop, office], room_id)
