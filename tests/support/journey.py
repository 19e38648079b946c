"""Steps the journey tests share: a meeting day done through the services the
window's buttons call, in the order a convenor and a secretary do it, and the
end-of-day checks a county clerk would make (every record on the server and
every PC, the public /m/ page, the printed minutes)."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import requests
from sqlalchemy import select

from desktop.domain.clock import CHINA_TZ
from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, MinutesRow
from desktop.storage.services import actions, followups, meetings, minutes, participants, reads, topics
from desktop.sync import refused
from tests.cli.conftest import Yishi
from tests.sync.helpers import server_db

MORNING = datetime(2026, 11, 27, 9, 0, tzinfo=CHINA_TZ)


@dataclass
class Day:
    """What one day of a room made, by id, per entity."""

    made: dict[str, set[str]] = field(default_factory=dict)
    meeting_id: str = ""
    topic_ids: list[str] = field(default_factory=list)
    action_ids: list[str] = field(default_factory=list)

    def add(self, entity: str, row_id: str) -> str:
        self.made.setdefault(entity, set()).add(row_id)
        return row_id

    def took(self, result) -> object:  # type: ignore[no-untyped-def]
        """Note every row a service's call inserted."""
        for ch in result.changes:
            if ch.op == "insert":
                self.add(ch.entity, ch.id)
        return result.value


def morning(store: Store, day: Day, *, who: str = "王召集") -> None:
    """The convenor records two residents' concerns and accepts them, schedules
    a meeting with both on its agenda and invites the people concerned."""
    for title, source in (("运河沿线公厕年久失修", "walk_in"), ("小区夜间施工噪声扰民", "grid_worker")):
        topic = day.took(topics.record_topic(store, title=title, source=source, description="群众反映多次", submitter_name="张桂英", submitter_phone="13912345678"))
        day.topic_ids.append(topic.id)  # type: ignore[attr-defined]
        day.took(topics.accept(store, topic.id, actor=who))  # type: ignore[attr-defined]
    meeting = day.took(meetings.schedule_meeting(
        store, title="公厕与噪声专题协商会", type="thematic", starts_at=MORNING, place="社区议事室",
        convenor=who, host=who, recorder="李秀兰", topic_ids=day.topic_ids, actor=who,
    ))
    day.meeting_id = meeting.id  # type: ignore[attr-defined]
    for name, role in (("李秀兰", "recorder"), ("刘建国", "resident_rep"), ("陈主任", "department")):
        day.took(participants.invite(store, day.meeting_id, name=name, role=role, unit="运河社区"))


def meeting(store: Store, day: Day) -> None:
    """The meeting: sign-in, the secretary's minutes autosaved from her first
    keystroke, statements, outcomes with votes, action items, finalize last."""
    for p in reads.participants_of(store, day.meeting_id):
        if p.name != "陈主任":
            day.took(participants.sign_in(store, p.id))
        else:
            day.took(participants.mark_absent(store, p.id, reason="区里开会"))
    day.took(meetings.start_meeting(store, day.meeting_id))
    typed = ""
    for word in ("会议", "会议围绕", "会议围绕公厕和噪声"):  # the 2-second autosave, from the first keystroke
        typed = word
        day.took(minutes.save_minutes_text(store, day.meeting_id, summary=typed))
    for i, item in enumerate(reads.agenda_of(store, day.meeting_id)):
        day.took(minutes.record_statement(store, agenda_item_id=item.id, speaker="刘建国", identity="居民代表", summary=f"第{i + 1}项：大家意见很大"))
        outcome = day.took(minutes.record_outcome(store, agenda_item_id=item.id, text=f"第{i + 1}项：由物业一个月内整改", votes_for=7, votes_against=0, votes_abstain=1))
        day.took(minutes.save_minutes_text(store, day.meeting_id, summary=typed + f"，议定第{i + 1}项"))
        for j in range(2):
            act = day.took(actions.create_action_item(
                store, title=f"第{i + 1}项落实{j + 1}", meeting_id=day.meeting_id, outcome_id=outcome.id,  # type: ignore[attr-defined]
                owner_unit="物业公司", responsible="周经理", deadline=date(2026, 12, 31),
            ))
            day.action_ids.append(act.id)  # type: ignore[attr-defined]
        typed += f"，议定第{i + 1}项"
    day.took(minutes.save_minutes_text(store, day.meeting_id, summary=typed + "。", closing="散会"))
    day.took(meetings.end_meeting(store, day.meeting_id))
    day.took(minutes.finalize_minutes(store, day.meeting_id, actor="李秀兰"))


def follow_through(store: Store, day: Day) -> None:
    """Afterwards: progress, the work done, the topic resolved, the resident visited."""
    first = day.action_ids[0]
    day.took(actions.record_progress(store, first, note="已联系施工队"))
    for act in day.action_ids[:2]:
        day.took(actions.complete_action_item(store, act, note="已完成"))
    day.took(actions.resolve_topic(store, day.topic_ids[0], how="公厕已修好"))
    day.took(followups.record_follow_up(store, day.topic_ids[0], satisfaction="satisfied", visitor="王召集", comment="很满意"))


def minutes_sha(store: Store, meeting_id: str) -> str:
    with store.read() as session:
        return session.scalars(
            select(MinutesRow.sha256).where(MinutesRow.meeting_id == meeting_id, MinutesRow.corrects_id.is_(None), MinutesRow.deleted.is_(False))
        ).one()


def printed_minutes(data_dir: Path, meeting_id: str, tmp: Path) -> str:
    """``yishi export minutes`` as the secretary runs it, read back with pdftotext
    (the words on the paper, without the print time)."""
    pdf = tmp / f"minutes-{data_dir.name}.pdf"
    out = Yishi(data_dir)("export", "minutes", meeting_id, "-o", str(pdf))
    assert out.returncode == 0, out.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"打印时间：\S+ [上下]午\d+时\d+分", "", text)


def everything_everywhere(srv, stores: list[Store], day: Day, room_id: str) -> None:  # type: ignore[no-untyped-def]
    """Every row the day made is live on the server and on every PC, nothing is
    waiting or refused anywhere."""
    with server_db(srv).read() as session:
        for entity, ids in day.made.items():
            cls = ENTITIES[entity]
            held = {r.id for r in session.scalars(select(cls).where(cls.id.in_(ids), cls.room_id == room_id))}
            assert held == ids, f"server lacks {len(ids - held)} {entity}"
    for store in stores:
        assert refused.list_refused(store) == (), f"refused on {store.data_dir.name}: {refused.list_refused(store)}"
        with store.read() as session:
            for entity, ids in day.made.items():
                cls = ENTITIES[entity]
                held = {r.id for r in session.scalars(select(cls).where(cls.id.in_(ids)))}
                assert held == ids, f"{store.data_dir.name} lacks {len(ids - held)} {entity}"


def public_page_shows(srv, meeting_id: str, *, sha: str, action_titles: list[str]) -> str:  # type: ignore[no-untyped-def]
    """The /m/ page a resident reaches from the QR on the paper minutes."""
    page = requests.get(f"{srv.base}/m/{meeting_id}", timeout=30)
    assert page.status_code == 200, page.text[:300]
    assert sha in page.text
    assert "与存档的定稿一致" in page.text and "指纹不一致" not in page.text
    for title in action_titles:
        assert title in page.text, f"action item {title} missing on /m/"
    return page.text
