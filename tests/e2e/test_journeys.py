"""Issue 11's journeys, in the order people work, against the real county
server process: (1) the demo room enrolled for the first time, as the README's
walkthrough does it; (2) a meeting day offline on an enrolled PC, synced in the
evening; (3) the same day split over the room's two PCs; (4) a correction
(勘误) after the sync. Each ends as a county clerk and a resident would check
it: every record the day made is on the server and on every PC, nothing is
refused or waiting, the public /m/ page lists every action item under the
fingerprint printed at finalization, and the paper minutes read the same
before and after the sync."""

from __future__ import annotations

import json
import secrets

import requests
from sqlalchemy import func, select

from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, MinutesRow
from desktop.storage.services import minutes, reads, topics
from desktop.sync import engine
from tests.cli.conftest import Yishi
from tests.support.journey import (
    Day,
    everything_everywhere,
    follow_through,
    meeting,
    minutes_sha,
    morning,
    printed_minutes,
    public_page_shows,
)
from tests.sync.helpers import converged, enrollment_code, fresh_room, new_pc, server_db, sync_all


def _counts(store: Store) -> dict[str, int]:
    with store.read() as session:
        return {e: session.scalar(select(func.count()).select_from(cls).where(cls.deleted.is_(False))) or 0 for e, cls in ENTITIES.items()}


def test_the_demo_room_enrolled_for_the_first_time(srv, tmp_path):
    """The README's "Try sync on one machine": the demo room's 6 action items
    (4 decided before their minutes were finalized) all reach the county."""
    from server.services.rooms import add_room

    pc1, pc2 = Yishi(tmp_path / "pc1"), Yishi(tmp_path / "pc2")
    assert pc1("demo").returncode == 0
    room_id = pc1.json("settings")["room_id"]  # type: ignore[index]
    s1 = Store(pc1.data_dir)
    try:
        before = _counts(s1)
        finalized = _finalized(s1)
    finally:
        s1.close()
    assert before["action_item"] == 6 and finalized
    code = f"T{secrets.token_hex(4).upper()}"
    add_room(server_db(srv), code=code, name="运河社区协商议事室", township="水渡口街道", county="清江浦区", room_id=room_id)
    for pc in (pc1, pc2):
        out = pc("enroll", srv.base, enrollment_code(srv, code))
        assert out.returncode == 0, out.stderr
    # the room now goes by the county's code, so new receipts find their topics
    assert pc1.json("settings")["room_code"] == code  # type: ignore[index]
    status = json.loads(pc1("sync", "--status", "--json").stdout)
    assert status["rejected"] == [] and status["unsent"] == 0
    stores = [Store(pc1.data_dir), Store(pc2.data_dir)]
    try:
        assert _counts(stores[0]) == before, "the first sync changed what the demo room holds"
        assert _counts(stores[1]) == before
        converged(srv, stores, room_id)
        # a receipt printed now leads the resident to the topic
        from desktop.printing.public import receipt_url
        from desktop.storage.services import rooms

        topic = topics.list_topics(stores[0])[0]
        url = receipt_url(srv.base, topic, room=rooms.require_room(stores[0]))
        assert url.endswith(f"/t/{code}/{topic.tracking_code}")
        assert requests.get(url, timeout=30).status_code == 200
        for meeting_id, sha in finalized:
            titles = [a.title for a in reads.action_items(stores[0], meeting_id=meeting_id)]
            public_page_shows(srv, meeting_id, sha=sha, action_titles=titles)
            # both PCs print the same finalized minutes, with the fingerprint of finalization
            paper1 = printed_minutes(pc1.data_dir, meeting_id, tmp_path)
            assert paper1 == printed_minutes(pc2.data_dir, meeting_id, tmp_path)
            assert sha[:16] in paper1.replace(" ", "").replace("\n", "")
    finally:
        for s in stores:
            s.close()


def _finalized(store: Store) -> list[tuple[str, str]]:
    """(meeting id, sha256) of every finalized original minutes."""
    with store.read() as session:
        rows = session.execute(select(MinutesRow.meeting_id, MinutesRow.sha256).where(MinutesRow.corrects_id.is_(None), MinutesRow.status == "finalized"))
        return [(m, s) for m, s in rows]


def test_a_meeting_day_offline_then_the_evening_sync(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc1, pc2 = new_pc(srv, tmp_path, "office", room_code=code), new_pc(srv, tmp_path, "laptop", room_code=code)
    day = Day()
    # the link is down all day: everything below is offline on the office PC
    morning(pc1, day)
    meeting(pc1, day)
    sha = minutes_sha(pc1, day.meeting_id)
    paper_before = printed_minutes(pc1.data_dir, day.meeting_id, tmp_path)
    follow_through(pc1, day)
    # the evening
    report = engine.sync(pc1)
    assert report.rejected == 0, report.rejected_reasons
    engine.sync(pc2)
    everything_everywhere(srv, [pc1, pc2], day, room_id)
    converged(srv, [pc1, pc2], room_id)
    titles = [a.title for a in reads.action_items(pc1, meeting_id=day.meeting_id)]
    assert len(titles) == 4
    public_page_shows(srv, day.meeting_id, sha=sha, action_titles=titles)
    assert minutes_sha(pc2, day.meeting_id) == sha
    assert printed_minutes(pc1.data_dir, day.meeting_id, tmp_path) == paper_before
    assert printed_minutes(pc2.data_dir, day.meeting_id, tmp_path) == paper_before
    # the resident's receipt code finds the resolved topic
    tracking = topics.get_topic(pc2, day.topic_ids[0]).tracking_code
    page = requests.get(f"{srv.base}/t/{code}/{tracking}", timeout=30)
    assert page.status_code == 200 and "已回访" in page.text


def test_the_same_day_split_over_two_pcs(srv, tmp_path):
    code, room_id = fresh_room(srv)
    office, laptop = new_pc(srv, tmp_path, "office", room_code=code), new_pc(srv, tmp_path, "laptop", room_code=code)
    day = Day()
    # the convenor prepares on the office PC and syncs at noon
    morning(office, day)
    engine.sync(office)
    # the secretary's laptop takes the meeting to the village hall, offline
    engine.sync(laptop)
    meeting(laptop, day)
    sha = minutes_sha(laptop, day.meeting_id)
    paper_before = printed_minutes(laptop.data_dir, day.meeting_id, tmp_path)
    # meanwhile the office records a walk-in and accepts it
    walk_in = day.took(topics.record_topic(office, title="楼道灯坏了", source="walk_in"))
    day.took(topics.accept(office, walk_in.id, actor="王召集"))  # type: ignore[attr-defined]
    # evening: the laptop syncs first, then the office; the next morning the office follows up
    assert engine.sync(laptop).rejected == 0
    assert engine.sync(office).rejected == 0
    follow_through(office, day)
    sync_all([office, laptop], rounds=2)
    everything_everywhere(srv, [office, laptop], day, room_id)
    converged(srv, [office, laptop], room_id)
    titles = [a.title for a in reads.action_items(office, meeting_id=day.meeting_id)]
    public_page_shows(srv, day.meeting_id, sha=sha, action_titles=titles)
    assert printed_minutes(office.data_dir, day.meeting_id, tmp_path) == paper_before
    assert printed_minutes(laptop.data_dir, day.meeting_id, tmp_path) == paper_before


def test_a_correction_after_the_sync(srv, tmp_path):
    code, room_id = fresh_room(srv)
    office, laptop = new_pc(srv, tmp_path, "office", room_code=code), new_pc(srv, tmp_path, "laptop", room_code=code)
    day = Day()
    morning(office, day)
    meeting(office, day)
    sha = minutes_sha(office, day.meeting_id)
    sync_all([office, laptop], rounds=1)
    paper_before = printed_minutes(laptop.data_dir, day.meeting_id, tmp_path)
    # the next day a speaker's name turns out wrong: the laptop records a 勘误
    fix = day.took(minutes.correct_minutes(laptop, day.meeting_id, note="第1项发言人应为刘建军", actor="李秀兰"))
    sync_all([laptop, office], rounds=2)
    everything_everywhere(srv, [office, laptop], day, room_id)
    converged(srv, [office, laptop], room_id)
    with server_db(srv).read() as session:
        rows = [(r.id, r.corrects_id, r.sha256, r.correction_note) for r in session.scalars(select(MinutesRow).where(MinutesRow.meeting_id == day.meeting_id))]
    original = [r for r in rows if r[1] is None]
    corrections = [r for r in rows if r[1] is not None]
    assert [r[2] for r in original] == [sha], "the original minutes never change"
    assert [(r[0], r[1], r[3]) for r in corrections] == [(fix.id, original[0][0], "第1项发言人应为刘建军")]  # type: ignore[attr-defined]
    titles = [a.title for a in reads.action_items(office, meeting_id=day.meeting_id)]
    public_page_shows(srv, day.meeting_id, sha=sha, action_titles=titles)
    assert printed_minutes(office.data_dir, day.meeting_id, tmp_path) == paper_before
