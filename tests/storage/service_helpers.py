"""Shared steps of the service tests: a topic ready for a meeting, a meeting at
a given stage, and a check that a refused call wrote nothing at all."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from typing import Iterator

from sqlalchemy import func, select

from desktop.domain.clock import CHINA_TZ
from desktop.storage.models import OutboxRow
from desktop.storage.replay import snapshot
from desktop.storage.services import meetings, reads, topics

MAY_DAY = datetime(2026, 5, 8, 9, 0, tzinfo=CHINA_TZ)


def state(store) -> tuple[dict, int]:
    with store.read() as session:
        return snapshot(session), session.scalar(select(func.count()).select_from(OutboxRow))


@contextmanager
def nothing_written(store) -> Iterator[None]:
    """The block must raise (the caller's pytest.raises) and change no row."""
    before = state(store)
    yield
    assert state(store) == before


def accepted_topic(store, title: str = "运河沿线公厕年久失修") -> str:
    topic = topics.record_topic(store, title=title, source="qr", description="公厕没有洗手池，老人孩子不方便。").value
    topics.accept(store, topic.id, actor="王召集")
    return topic.id


def planned_meeting(store, *, topics_: int = 1, title: str = "运河沿线公厕改造专题协商会") -> tuple[str, list[str]]:
    ids = [accepted_topic(store, f"议题{i + 1}") for i in range(topics_)]
    meeting = meetings.schedule_meeting(store, title=title, type="thematic", starts_at=MAY_DAY, place="社区议事室", topic_ids=ids).value
    return meeting.id, ids


def held_meeting(store) -> tuple[str, str, str]:
    """A held meeting with one topic on its agenda: (meeting id, topic id, agenda item id)."""
    meeting_id, (topic_id,) = planned_meeting(store)
    meetings.start_meeting(store, meeting_id)
    meetings.end_meeting(store, meeting_id)
    item = reads.agenda_of(store, meeting_id)[0].id
    return meeting_id, topic_id, item
