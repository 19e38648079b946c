"""The child of the crash-safety test: does the room's everyday work in a loop
(topics, meetings, minutes, action items, hotline imports) and writes
``COMMITTED <entity> <id>...`` after each call has returned, until the parent
kills it with SIGKILL. Run as a script it writes to stdout:
``python -m tests.storage.crash_worker DATA_DIR SEED``.
"""

from __future__ import annotations

import os
import random
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

from desktop.domain.clock import CHINA_TZ
from desktop.domain.enums import MeetingStatus, TopicStatus
from desktop.domain.errors import DomainError
from desktop.storage.db import Store
from desktop.storage.services import actions, agenda, contacts, followups, meetings, minutes, participants, reads, topics

try:  # written by the importer's engineer; used when present
    from desktop.storage.services.imports import import_hotline
except ImportError:  # pragma: no cover
    import_hotline = None  # type: ignore[assignment]


def _hotline_csv(path: Path, prefix: str, n: int) -> None:
    lines = ["工单编号,受理时间,诉求标题,诉求内容,诉求人,联系电话,地址,诉求类别"]
    for i in range(n):
        lines.append(f"{prefix}{i:04d},2026/11/3 9:05,夜间施工噪音,\"工地夜里施工，吵得睡不着，\n请尽快处理\",居民{i},13800001111,运河路{i}号,环境噪声")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _ops(store: Store, rng: random.Random, data_dir: Path, seed: int, emit):
    """Everyday operations, each continuing what earlier (killed) workers left,
    so every kind of call gets its share of kills from a worker's first second."""
    start = datetime(2026, 3, 1, 9, tzinfo=CHINA_TZ)

    def new_topic(n: int) -> None:
        topic = topics.record_topic(store, title=f"雨后村道积水{n}", source="grid_worker",
                                    description="积水没过脚踝😟" * rng.randint(1, 200), submitter_name="李网格",
                                    submitter_phone="13800002222").value
        emit("topic", topic.id)
        topics.accept(store, topic.id, actor="王召集")
        emit("topic_event", topic.id)

    def hotline(n: int) -> None:
        if import_hotline is None:  # pragma: no cover
            return new_topic(n)
        csv = data_dir.parent / f"hotline-{seed}-{n}.csv"
        _hotline_csv(csv, f"{seed:04d}{n:04d}", rng.randint(20, 150))
        emit("topic", *import_hotline(store, csv).topic_ids)

    def schedule(n: int) -> None:
        waiting = [t.id for t in topics.list_topics(store, status=TopicStatus.ACCEPTED, limit=2)]
        meeting = meetings.schedule_meeting(store, title=f"村道积水协商会{n}", type="on_site",
                                            starts_at=start + timedelta(days=n % 300), topic_ids=waiting).value
        emit("meeting", meeting.id)

    def open_meeting() -> str | None:
        live = reads.list_meetings(store, status=MeetingStatus.PLANNED) + reads.list_meetings(store, status=MeetingStatus.IN_PROGRESS)
        return rng.choice(live).id if live else None

    def meeting_work(n: int) -> None:
        meeting_id = open_meeting()
        if meeting_id is None:
            return schedule(n)
        item = agenda.add_agenda_item(store, meeting_id, title="通报情况", minutes_allotted=10).value
        emit("agenda_item", item.id)
        person = contacts.add_person(store, name=f"代表{n}", role="resident_rep").value
        emit("person", person.id)
        p = participants.invite(store, meeting_id, person_id=person.id, name=person.name, role="resident_rep").value
        emit("participant", p.id)
        participants.sign_in(store, p.id)
        if reads.get_meeting(store, meeting_id).status == MeetingStatus.PLANNED:
            meetings.start_meeting(store, meeting_id)
        s = minutes.record_statement(store, agenda_item_id=item.id, speaker=f"发言人{n}", summary="建议修排水沟" * rng.randint(1, 50)).value
        emit("statement", s.id)
        minutes.save_minutes_text(store, meeting_id, summary="会议认为" + "应尽快修排水沟。" * rng.randint(1, 30))
        outcome = minutes.record_outcome(store, agenda_item_id=item.id, text="同意修建排水沟", votes_for=9).value
        emit("outcome", outcome.id)

    def end_and_finalize(n: int) -> None:
        meeting_id = open_meeting()
        if meeting_id is None:
            return schedule(n)
        meetings.end_meeting(store, meeting_id)
        for item in reads.agenda_of(store, meeting_id):
            if item.topic_id is not None:
                work = actions.create_action_item(store, title="修排水沟", topic_id=item.topic_id, meeting_id=meeting_id,
                                                  deadline=date(2026, 12, 31)).value
                emit("action_item", work.id)
        emit("minutes", minutes.finalize_minutes(store, meeting_id).value.id)
        item = next(iter(reads.agenda_of(store, meeting_id)), None)
        if item is not None:
            try:
                minutes.record_statement(store, agenda_item_id=item.id, speaker="迟到的人")
            except DomainError:
                pass  # refused, as it must be: the minutes are final
            else:  # pragma: no cover
                raise AssertionError("a finalized meeting took a statement")

    def follow_through(n: int) -> None:
        for work in reads.action_items(store, open_only=True)[:2]:
            emit("progress_entry", actions.record_progress(store, work.id, note="已开工").value.id)
            actions.complete_action_item(store, work.id)
        for topic in topics.list_topics(store, status=TopicStatus.IMPLEMENTING, limit=1):
            actions.resolve_topic(store, topic.id, how="排水沟已修好")
        for topic in topics.list_topics(store, status=TopicStatus.RESOLVED, limit=1):
            emit("follow_up", followups.record_follow_up(store, topic.id, satisfaction="satisfied", visitor="李网格").value.id)

    return [(new_topic, 3), (hotline, 1), (schedule, 2), (meeting_work, 4), (end_and_finalize, 2), (follow_through, 2)]


def run(data_dir: Path, seed: int, emit) -> None:
    """Work on the room in ``data_dir`` until killed (or 10,000 operations)."""
    rng = random.Random(seed)
    store = Store(data_dir)
    ops = _ops(store, rng, data_dir, seed, emit)
    choices = [op for op, weight in ops for _ in range(weight)]
    for n in range(10_000):
        rng.choice(choices)(n)


def _main() -> None:
    def emit(entity: str, *ids: str) -> None:
        sys.stdout.write(f"COMMITTED {entity} {' '.join(ids)}\n")
        sys.stdout.flush()

    run(Path(sys.argv[1]), int(sys.argv[2]), emit)


if __name__ == "__main__":
    _main()
