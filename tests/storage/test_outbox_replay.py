"""The outbox is complete: random service calls (valid ones and ones that must
be refused) on one room file, then its outbox replayed in order onto an empty
file with ``replay.apply_operation``, give the same content. A refused call
must leave rows and outbox exactly as they were.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

import hypothesis.strategies as st
import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule
from sqlalchemy import select, text as sql_text

from desktop.domain.clock import CHINA_TZ
from desktop.domain.errors import DomainError
from desktop.storage.db import Store
from desktop.storage.models import ENTITIES, OutboxRow
from desktop.storage.replay import apply_operation, snapshot
from desktop.storage.services import (
    actions,
    agenda,
    contacts,
    followups,
    meetings,
    minutes,
    participants,
    rooms,
    topics,
)

TABLES = [*ENTITIES, "outbox"]
_STORES: list[Store] = []


def _stores() -> tuple[Store, Store]:
    """Two room files (the one worked on, the one replayed onto), made once and
    emptied for each example: fresh files would spend most of the test running
    migrations and compiling the same SQL again."""
    if not _STORES:
        for name in ("source", "target"):
            d = Path(tempfile.mkdtemp(prefix=f"yishi-replay-{name}-"))
            store = Store(d)
            rooms.init_room(store, code="HA-001", name="码上议示范议事室", room_id="0190f000-0000-7000-8000-000000000001")
            _STORES.append(store)
            atexit.register(shutil.rmtree, d, True)
            atexit.register(store.close)
    for store in _STORES:
        with store.write() as s:
            for table in TABLES:
                s.execute(sql_text(f"DELETE FROM {table}"))
    return _STORES[0], _STORES[1]


GOOD = ["运河公厕", "施工噪音扰民😡", "老人座椅\x00", "雨后积水\u202e", "留守儿童\n暑期托管"]
BAD = ["", "   ", "\x00\x1b", "a" * 201]
# mostly usable text, so most steps change something; the rest must be refused
text = st.one_of(st.sampled_from(GOOD), st.sampled_from(GOOD), st.sampled_from(BAD), st.text(min_size=1, max_size=12))
votes = st.one_of(st.none(), st.integers(min_value=-2, max_value=30))
when = st.builds(lambda d, h: datetime(2026, 1, 1, tzinfo=CHINA_TZ) + timedelta(days=d, hours=h),
                 st.integers(0, 800), st.integers(0, 23))


class ServiceCalls(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.store, self.target = _stores()
        self.ids: dict[str, list[str]] = {k: [] for k in (
            "topic", "meeting", "agenda_item", "participant", "statement", "outcome", "action_item", "person")}

    # --- helpers ---------------------------------------------------------

    def _state(self) -> list:
        """Every row of every table, raw (stricter than ``snapshot`` and much
        cheaper, which matters at one check per step)."""
        with self.store.read() as s:
            conn = s.connection()
            return [conn.exec_driver_sql(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES]

    def call(self, collect: str | None, fn, *args, **kwargs):
        before = self._state()
        try:
            res = fn(self.store, *args, **kwargs)
        except DomainError as err:
            assert str(err)  # a message for the user, never empty
            assert self._state() == before, f"{fn.__name__} was refused but changed data"
            return None
        if collect is not None and res.value is not None and res.value.id not in self.ids[collect]:
            self.ids[collect].append(res.value.id)
        return res

    def pick(self, data, kind: str) -> str:
        # now and then an id that does not exist (a row deleted on another PC)
        return data.draw(st.sampled_from(self.ids[kind] * 6 + ["00000000-0000-7000-8000-00000000dead"]))

    @initialize()
    def a_room_at_work(self):
        """Start every run from a meeting with a topic and a participant, so the
        random steps reach the later use cases within a few moves."""
        first = self.call("topic", topics.record_topic, title="运河沿线公厕", source="qr").value.id
        self.call("topic", topics.record_topic, title="广场座椅", source="walk_in")
        topics.accept(self.store, first)
        meeting = self.call("meeting", meetings.schedule_meeting, title="专题协商会", type="thematic",
                            starts_at=datetime(2026, 5, 8, 9, tzinfo=CHINA_TZ), topic_ids=[first]).value
        from desktop.storage.services import reads

        self.ids["agenda_item"].extend(i.id for i in reads.agenda_of(self.store, meeting.id))
        self.call("person", contacts.add_person, name="陈委员", role="cppcc_member")
        self.call("participant", participants.invite, meeting.id, name="张大爷", role="resident_rep")

    # --- topics ----------------------------------------------------------

    @rule(title=text, source=st.sampled_from(["qr", "hotline", "walk_in", "电话"]), desc=text)
    def record_topic(self, title, source, desc):
        self.call("topic", topics.record_topic, title=title, source=source, description=desc)

    @rule(data=st.data())
    def accept(self, data):
        self.call(None, topics.accept, self.pick(data, "topic"), actor="王召集")

    @rule(data=st.data(), reason=text)
    def decline(self, data, reason):
        self.call(None, topics.decline, self.pick(data, "topic"), reason=reason)

    @rule(data=st.data())
    def merge(self, data):
        self.call(None, topics.merge, self.pick(data, "topic"), into_id=self.pick(data, "topic"))

    @rule(data=st.data(), how=text)
    def handle_directly(self, data, how):
        self.call(None, topics.handle_directly, self.pick(data, "topic"), how=how)

    # --- meetings and agenda ---------------------------------------------

    @rule(data=st.data(), title=text, at=when, kind=st.sampled_from(["thematic", "on_site", "online", "x"]))
    def schedule_meeting(self, data, title, at, kind):
        chosen = data.draw(st.lists(st.sampled_from(self.ids["topic"]), max_size=3)) if self.ids["topic"] else []
        self.call("meeting", meetings.schedule_meeting, title=title, type=kind, starts_at=at, place="村部", topic_ids=chosen)

    @rule(data=st.data(), place=text, at=st.one_of(st.none(), when))
    def update_meeting(self, data, place, at):
        fields = {"place": place} if at is None else {"starts_at": at}
        self.call(None, meetings.update_meeting, self.pick(data, "meeting"), **fields)

    @rule(data=st.data(), move=st.sampled_from(["start", "end", "cancel"]))
    def meeting_move(self, data, move):
        fn = {"start": meetings.start_meeting, "end": meetings.end_meeting, "cancel": meetings.cancel_meeting}[move]
        self.call(None, fn, self.pick(data, "meeting"))

    @rule(data=st.data(), title=text, with_topic=st.booleans(), minutes_=st.one_of(st.none(), st.integers(-1, 90)))
    def add_agenda_item(self, data, title, with_topic, minutes_):
        topic = self.pick(data, "topic") if with_topic else None
        self.call("agenda_item", agenda.add_agenda_item, self.pick(data, "meeting"), topic_id=topic, title=title,
                  minutes_allotted=minutes_)

    @rule(data=st.data())
    def reorder(self, data):
        meeting = self.pick(data, "meeting")
        from desktop.storage.services import reads

        current = [i.id for i in reads.agenda_of(self.store, meeting)] if meeting in self.ids["meeting"] else []
        order = data.draw(st.one_of(st.permutations(current), st.lists(st.sampled_from(current or ["x"]), max_size=3)))
        self.call(None, agenda.reorder_agenda, meeting, list(order))

    @rule(data=st.data(), title=text)
    def update_agenda_item(self, data, title):
        self.call(None, agenda.update_agenda_item, self.pick(data, "agenda_item"), title=title)

    @rule(data=st.data())
    def remove_agenda_item(self, data):
        self.call(None, agenda.remove_agenda_item, self.pick(data, "agenda_item"))

    # --- participants and contacts ----------------------------------------

    @rule(data=st.data(), name=text, role=st.sampled_from(["resident_rep", "department", "resident_rep", "bogus"]),
          phone=st.sampled_from(["", "13800001111", "", "电话"]), use_person=st.booleans())
    def invite(self, data, name, role, phone, use_person):
        person = self.pick(data, "person") if use_person else None
        self.call("participant", participants.invite, self.pick(data, "meeting"), person_id=person, name=name,
                  role=role, phone=phone, kind=data.draw(st.sampled_from(["attendee", "observer"])))

    @rule(data=st.data(), reason=text, move=st.sampled_from(["sign_in", "absent", "remove"]))
    def attendance(self, data, reason, move):
        pid = self.pick(data, "participant")
        if move == "sign_in":
            self.call(None, participants.sign_in, pid)
        elif move == "absent":
            self.call(None, participants.mark_absent, pid, reason=reason)
        else:
            self.call(None, participants.remove_participant, pid)

    @rule(data=st.data(), name=text, unit=text, move=st.sampled_from(["add", "update", "delete"]))
    def people(self, data, name, unit, move):
        if move == "add":
            self.call("person", contacts.add_person, name=name, unit=unit, role="expert")
        elif move == "update":
            self.call(None, contacts.update_person, self.pick(data, "person"), name=name, unit=unit)
        else:
            self.call(None, contacts.delete_person, self.pick(data, "person"))

    # --- minutes ---------------------------------------------------------

    @rule(data=st.data(), speaker=text, summary=text)
    def statement(self, data, speaker, summary):
        if data.draw(st.booleans()) and self.ids["statement"]:
            self.call(None, minutes.update_statement, self.pick(data, "statement"), summary=summary)
        else:
            self.call("statement", minutes.record_statement, agenda_item_id=self.pick(data, "agenda_item"),
                      speaker=speaker, summary=summary)

    @rule(data=st.data(), body=text, vf=votes, va=votes)
    def outcome(self, data, body, vf, va):
        if data.draw(st.booleans()) and self.ids["outcome"]:
            self.call(None, minutes.update_outcome, self.pick(data, "outcome"), text=body, votes_for=vf)
        else:
            self.call("outcome", minutes.record_outcome, agenda_item_id=self.pick(data, "agenda_item"), text=body,
                      votes_for=vf, votes_against=va)

    @rule(data=st.data(), summary=text, closing=st.one_of(st.none(), text))
    def save_minutes(self, data, summary, closing):
        self.call(None, minutes.save_minutes_text, self.pick(data, "meeting"), summary=summary, closing=closing)

    @rule(data=st.data())
    def finalize(self, data):
        self.call(None, minutes.finalize_minutes, self.pick(data, "meeting"))

    @rule(data=st.data(), note=text, summary=st.one_of(st.none(), text))
    def correct(self, data, note, summary):
        self.call(None, minutes.correct_minutes, self.pick(data, "meeting"), note=note, summary=summary)

    # --- action items, resolution, follow-up -----------------------------

    @rule(data=st.data(), title=text, deadline=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2027, 12, 31))))
    def create_action_item(self, data, title, deadline):
        how = data.draw(st.sampled_from(["outcome", "topic", "meeting"]))
        kwargs = {f"{how}_id": self.pick(data, how)}
        self.call("action_item", actions.create_action_item, title=title, deadline=deadline, owner_unit="城管局", **kwargs)

    @rule(data=st.data(), note=text, move=st.sampled_from(["progress", "complete", "withdraw", "update"]))
    def action_move(self, data, note, move):
        aid = self.pick(data, "action_item")
        if move == "progress":
            self.call(None, actions.record_progress, aid, note=note)
        elif move == "complete":
            self.call(None, actions.complete_action_item, aid, note=note)
        elif move == "withdraw":
            self.call(None, actions.withdraw_action_item, aid, reason=note)
        else:
            self.call(None, actions.update_action_item, aid, responsible=note)

    @rule(data=st.data(), how=text)
    def resolve(self, data, how):
        self.call(None, actions.resolve_topic, self.pick(data, "topic"), how=how)

    @rule(data=st.data(), satisfaction=st.sampled_from(["satisfied", "basically_satisfied", "dissatisfied", "?"]),
          reopen=st.booleans(), comment=text)
    def follow_up(self, data, satisfaction, reopen, comment):
        self.call(None, followups.record_follow_up, self.pick(data, "topic"), satisfaction=satisfaction,
                  reopen=reopen, comment=comment)

    # --- the property ----------------------------------------------------

    def teardown(self) -> None:
        with self.store.read() as s:
            source = snapshot(s)
            ops = [(o.entity, o.row_id, o.kind, o.fields) for o in s.scalars(select(OutboxRow).order_by(OutboxRow.seq))]
        with self.target.read() as s:
            assert snapshot(s) == {entity: {} for entity in ENTITIES}  # it starts empty
        with self.target.write() as s:
            for entity, row_id, kind, fields in ops:
                apply_operation(s, entity=entity, row_id=row_id, kind=kind, fields=fields)
        with self.target.read() as s:
            assert snapshot(s) == source


ServiceCalls.TestCase.settings = settings(
    max_examples=int(__import__("os").environ.get("YISHI_REPLAY_EXAMPLES", "100")),
    stateful_step_count=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_replaying_the_outbox_reproduces_the_room = ServiceCalls.TestCase


# --- apply_operation on its own (the sync pull relies on these) ------------


def test_apply_operation_inserts_updates_tombstones_and_is_idempotent(room_store):
    from desktop.storage.models import TopicRow

    fields = {"title": "渔民上岸后就业", "description": "", "source": "member", "status": "accepted", "category": "",
              "location": "", "submitter_name": "", "submitter_phone": "", "tracking_code": "K7QW-M3XD",
              "ticket_no": None, "decline_reason": "", "merged_into_id": None,
              "received_at": "2026-11-03T01:05:00.000000Z", "created_at": "2026-11-03T01:05:00.000000Z",
              "updated_at": "2026-11-03T01:05:00.000000Z", "from_a_newer_version": 1}
    row_id = "0190f000-0000-7000-8000-0000000000aa"
    with room_store.write() as s:
        apply_operation(s, entity="topic", row_id=row_id, kind="insert", fields=fields)
        apply_operation(s, entity="topic", row_id=row_id, kind="insert", fields=fields)  # a page pulled twice
        apply_operation(s, entity="topic", row_id=row_id, kind="update", fields={"status": "scheduled"})
    topic = topics.get_topic(room_store, row_id)
    assert (topic.title, topic.status, topic.received_at.hour) == ("渔民上岸后就业", "scheduled", 1)
    with room_store.write() as s:
        apply_operation(s, entity="topic", row_id=row_id, kind="delete", fields={})
        assert apply_operation(s, entity="topic", row_id="never-seen", kind="delete", fields={}) is None
    with room_store.read() as s:
        assert s.get(TopicRow, row_id).deleted

        with pytest.raises(LookupError):
            apply_operation(s, entity="topic", row_id="never-seen", kind="update", fields={"title": "x"})
        with pytest.raises(KeyError):
            apply_operation(s, entity="no_such_table", row_id=row_id, kind="insert", fields={})
