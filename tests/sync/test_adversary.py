"""Issue 11's adversary, through the real push endpoint of a real server
process (SQLite and PostgreSQL): a PC of room A sends, in batches it built by
hand, inserts and updates whose every reference field points into room B
(which holds a finalized meeting with agenda, participants, statements,
outcomes, action items, a topic with its history, minutes and a photo),
moves of its own rows into and out of finalized minutes, a finalization whose
fingerprint is not that of the server's rows, unknown values in every enum
column and fields of the wrong JSON type. Every such op is refused with a
reason, no row of B changes, B's public pages stay byte for byte the same,
A's own legitimate ops in the same batches apply, and nothing answers 500.
A finalization made on a PC that had not received another PC's statement is
refused and says what to do; made after it, in one batch, it applies."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Iterator

import pytest
import requests
from sqlalchemy import select

from desktop.domain.ids import new_id
from desktop.storage.models import ENTITIES, REFERENCES, MinutesRow, OutboxRow, content_fields
from desktop.storage.services import actions, contacts, followups, minutes, participants, photos, reads, topics
from desktop.storage.types import EnumText, to_wire
from desktop.sync import engine
from desktop.sync.protocol import HEADER, PROTOCOL_VERSION
from tests.server.conftest import Srv, _start
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import client, fresh_room, new_pc, rowset, server_db
from tests.support.pg import scratch_database

FUTURE = "from_version_99"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + secrets.token_bytes(64)


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    with scratch_database("yishi_adv") as url:
        yield from _start(tmp_path_factory.mktemp("adv-pg"), url, "postgresql")


@pytest.fixture(params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Srv:
    return request.getfixturevalue("srv" if request.param == "sqlite" else "pg_server")


def _full_room(pc, tmp: Path, *, finalize: bool) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A room's day through the services: one row of every entity; the ids."""
    person = contacts.add_person(pc, name="王建国", unit="水务站", role="department").value
    meeting_id, topic_id, item = held_meeting(pc)
    part = participants.invite(pc, meeting_id, person_id=person.id, name=person.name, role="department").value
    participants.sign_in(pc, part.id)
    st = minutes.record_statement(pc, agenda_item_id=item, speaker="李大爷", summary="排水沟要清").value
    out = minutes.record_outcome(pc, agenda_item_id=item, text="月底前清理排水沟", votes_for=9, votes_against=0, votes_abstain=1).value
    act = actions.create_action_item(pc, title="清理排水沟", meeting_id=meeting_id, outcome_id=out.id, owner_unit="水务站", responsible="王建国").value
    actions.record_progress(pc, act.id, note="已清一半")
    minutes.save_minutes_text(pc, meeting_id, summary="议定清理排水沟")
    if finalize:
        minutes.finalize_minutes(pc, meeting_id)
    actions.complete_action_item(pc, act.id, note="已清完")
    actions.resolve_topic(pc, topic_id, how="排水沟已清理")
    followups.record_follow_up(pc, topic_id, satisfaction="satisfied", visitor="网格员")
    photo = tmp / f"{secrets.token_hex(4)}.png"
    photo.write_bytes(PNG)
    att = photos.attach_photo(pc, topic_id=topic_id, path=photo).value
    with pc.read() as s:
        ids = {e: s.scalars(select(cls.id).where(cls.deleted.is_(False))).first() for e, cls in ENTITIES.items()}
        mins = s.scalars(select(MinutesRow.id).where(MinutesRow.meeting_id == meeting_id)).one()
    ids.update(meeting=meeting_id, topic=topic_id, agenda_item=item, person=person.id, participant=part.id, statement=st.id, outcome=out.id,
               action_item=act.id, minutes=mins, attachment=att.id)
    assert engine.sync(pc).rejected == 0
    return ids


def _fields(pc, entity: str, row_id: str) -> tuple[dict[str, Any], int]:  # type: ignore[no-untyped-def]
    cls = ENTITIES[entity]
    with pc.read() as s:
        row = s.get(cls, row_id)
        return {n: to_wire(getattr(row, n)) for n in content_fields(cls)}, int(row.version)


def _op(entity: str, kind: str, row_id: str, fields: dict[str, Any], base: int = 0) -> dict[str, Any]:
    return {"op_id": new_id(), "entity": entity, "row_id": row_id, "kind": kind, "base_version": base, "fields": fields}


def _push(server: Srv, pc, ops: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """POST /push as the PC does (its token, the protocol header): op id -> result."""
    c = client(pc)
    try:
        r = requests.post(f"{server.base}/api/v1/sync/push", json={"ops": ops}, headers={HEADER: str(PROTOCOL_VERSION), "Authorization": c.session.headers["Authorization"]}, timeout=60)
    finally:
        c.close()
    assert r.status_code == 200, (r.status_code, r.text[:500])
    results = r.json()["results"]
    assert [x["op_id"] for x in results] == [o["op_id"] for o in ops]
    return {x["op_id"]: x for x in results}


def _public(server: Srv, b: dict[str, str], code_b: str, ticket: str) -> dict[str, tuple[int, bytes]]:
    urls = (f"/m/{b['meeting']}", f"/t/{code_b}/{ticket}", f"/t/{ticket}")
    return {u: ((r := requests.get(server.base + u, timeout=30)).status_code, r.content) for u in urls}


def _refused(results: dict[str, dict[str, Any]], ops: list[dict[str, Any]], *words: str) -> None:
    for op in ops:
        res = results[op["op_id"]]
        assert res["status"] == "rejected", (op["entity"], op["kind"], op["fields"], res)
        assert res["reason"] and "Error" not in res["reason"], res
        for w in words:
            assert w in res["reason"], (op["entity"], op["fields"], res["reason"])


def test_room_a_cannot_reach_into_room_b(server, tmp_path):
    code_a, room_a = fresh_room(server)
    code_b, room_b = fresh_room(server)
    pc_b = new_pc(server, tmp_path, "pc-b", room_code=code_b)
    pc_a = new_pc(server, tmp_path, "pc-a", room_code=code_a)
    try:
        b = _full_room(pc_b, tmp_path, finalize=True)
        a = _full_room(pc_a, tmp_path, finalize=False)  # its meeting stays a draft: A may still edit it
        a_final, _, a_final_item = held_meeting(pc_a)
        minutes.finalize_minutes(pc_a, a_final)
        assert engine.sync(pc_a).rejected == 0
        ticket = topics.get_topic(pc_b, b["topic"]).tracking_code
        with server_db(server).read() as s:
            b_before, a_before = rowset(s, room_b), rowset(s, room_a)
        pages = _public(server, b, code_b, ticket)
        assert all(status == 200 for status, _ in pages.values()), pages
        assert "与存档的定稿一致".encode() in pages[f"/m/{b['meeting']}"][1]

        # 1. every reference field, on inserts (copies of A's own rows) and on updates of A's rows
        refs_in, refs_up = [], []
        for entity, refs in REFERENCES.items():
            own, version = _fields(pc_a, entity, a[entity])
            for name, target in refs.items():
                target = "topic" if target.startswith("@") else target  # attachment: owner_type "topic"
                fields = dict(own, **{name: b[target]})
                if entity == "topic":
                    fields.update(tracking_code=secrets.token_hex(4).upper(), ticket_no=None)
                refs_in.append(_op(entity, "insert", new_id(), fields))
                refs_up.append(_op(entity, "update", a[entity], {name: b[target]}, version))
        # the same rows updated legitimately in the same batch
        fine = [_op("topic", "update", a["topic"], {"location": "东门外"}, _fields(pc_a, "topic", a["topic"])[1]),
                _op("person", "insert", new_id(), dict(_fields(pc_a, "person", a["person"])[0], name="赵新"))]
        batch = refs_in[:10] + fine[:1] + refs_in[10:] + refs_up + fine[1:]
        res = _push(server, pc_a, batch)
        _refused(res, refs_in + refs_up, "本议事室")
        assert [res[o["op_id"]]["status"] for o in fine] == ["applied", "applied"]

        # 2. moves into a finalized meeting (B's, and A's own) and out of A's finalized meeting
        st, st_v = _fields(pc_a, "statement", a["statement"])
        item_final = reads.agenda_of(pc_a, a_final)[0].id
        with pc_a.read() as s:
            out_final = _fields(pc_a, "agenda_item", a_final_item)
        moves = [
            _op("statement", "update", a["statement"], {"meeting_id": a_final, "agenda_item_id": item_final}, st_v),
            _op("outcome", "update", a["outcome"], {"meeting_id": a_final, "agenda_item_id": item_final}, _fields(pc_a, "outcome", a["outcome"])[1]),
            _op("agenda_item", "update", a["agenda_item"], {"meeting_id": a_final}, _fields(pc_a, "agenda_item", a["agenda_item"])[1]),
            _op("participant", "update", a["participant"], {"meeting_id": a_final}, _fields(pc_a, "participant", a["participant"])[1]),
            _op("action_item", "update", a["action_item"], {"meeting_id": a_final, "outcome_id": None}, _fields(pc_a, "action_item", a["action_item"])[1]),
            _op("agenda_item", "update", a_final_item, {"meeting_id": a["meeting"]}, out_final[1]),  # out of finalized minutes
            _op("statement", "insert", new_id(), dict(st, meeting_id=a_final, agenda_item_id=item_final)),
        ]
        mismatch = [_op("statement", "update", a["statement"], {"agenda_item_id": a_final_item}, st_v)]  # item of another meeting
        res = _push(server, pc_a, moves + mismatch)
        _refused(res, moves, "已定稿")
        _refused(res, mismatch, "不属于")

        # 3. a finalization whose fingerprint is not that of the server's rows
        mins_a = a["minutes"]
        fake = [_op("minutes", "update", mins_a, {"status": "finalized", "sha256": "0" * 64, "finalized_at": "2026-05-08T03:00:00.000000Z"},
                    _fields(pc_a, "minutes", mins_a)[1])]
        res = _push(server, pc_a, fake)
        _refused(res, fake, "请同步后放弃这次定稿")

        # 4. unknown enum values in every enum column, on updates and on inserts
        unknown_up, unknown_in = [], []
        for entity, cls in ENTITIES.items():
            own, version = _fields(pc_a, entity, a[entity])
            for col in cls.__table__.columns:
                if isinstance(col.type, EnumText):
                    unknown_up.append(_op(entity, "update", a[entity], {col.key: FUTURE}, version))
                    fields = dict(own, **{col.key: FUTURE})
                    if entity == "topic":
                        fields.update(tracking_code=secrets.token_hex(4).upper(), ticket_no=None)
                    unknown_in.append(_op(entity, "insert", new_id(), fields))
        assert len(unknown_up) == 13  # person role, topic source/status, event from/to, meeting type/status, participant role/kind/attendance, action status, satisfaction, minutes status
        # 5. wrong JSON types
        item_v = _fields(pc_a, "agenda_item", a["agenda_item"])[1]
        meet_v = _fields(pc_a, "meeting", a["meeting"])[1]
        act_v = _fields(pc_a, "action_item", a["action_item"])[1]
        bad = [
            _op("agenda_item", "update", a["agenda_item"], {"position": "abc"}, item_v),
            _op("agenda_item", "update", a["agenda_item"], {"position": 10**30}, item_v),
            _op("agenda_item", "update", a["agenda_item"], {"position": True}, item_v),
            _op("agenda_item", "update", a["agenda_item"], {"title": ["清理"]}, item_v),
            _op("agenda_item", "update", a["agenda_item"], {"title": None}, item_v),
            _op("meeting", "update", a["meeting"], {"starts_at": "9999-12-31T23:00:00Z"}, meet_v),
            _op("meeting", "update", a["meeting"], {"starts_at": "2026-05-08T09:00:00"}, meet_v),
            _op("meeting", "update", a["meeting"], {"starts_at": 1778200000}, meet_v),
            _op("meeting", "update", a["meeting"], {"place": "x" * 301}, meet_v),
            _op("action_item", "update", a["action_item"], {"deadline": "2026-13-45"}, act_v),
            _op("action_item", "update", a["action_item"], {"deadline": "2026-05-08T00:00:00Z"}, act_v),
            _op("topic", "update", a["topic"], {"title": "a\x00b"}, _fields(pc_a, "topic", a["topic"])[1]),
        ]
        legit = [_op("person", "update", a["person"], {"phone": "13800000000"}, _fields(pc_a, "person", a["person"])[1])]
        res = _push(server, pc_a, unknown_up[:6] + legit + unknown_up[6:] + unknown_in + bad)
        _refused(res, unknown_up + unknown_in, FUTURE)
        _refused(res, bad)
        assert res[legit[0]["op_id"]]["status"] == "applied"
        assert "position" in res[bad[0]["op_id"]]["reason"] and "starts_at" in res[bad[5]["op_id"]]["reason"]

        # B is untouched, A changed only by its legitimate ops, nothing of it moved
        with server_db(server).read() as s:
            assert rowset(s, room_b) == b_before
            a_after = rowset(s, room_a)
            mins = s.get(MinutesRow, mins_a)
            assert (str(mins.status), mins.sha256) == ("draft", None)
        changed = {(e, i) for e, i, _, _ in a_after - a_before}
        assert {(e, i) for e, i, _, _ in a_before - a_after} <= changed
        assert {e for e, _ in changed} == {"topic", "person"} and len(changed) == 3
        assert _public(server, b, code_b, ticket) == pages
        # A's PC takes the server's answers and pulls: its own records are intact
        assert engine.sync(pc_a).rejected == 0
        assert topics.get_topic(pc_a, a["topic"]).location == "东门外"
    finally:
        pc_a.close()
        pc_b.close()


def test_a_finalization_that_missed_another_pcs_statement_is_refused(server, tmp_path):
    code, room = fresh_room(server)
    pc1, pc2 = new_pc(server, tmp_path, "pc1", room_code=code), new_pc(server, tmp_path, "pc2", room_code=code)
    try:
        meeting_id, _, item = held_meeting(pc1)
        minutes.save_minutes_text(pc1, meeting_id, summary="议定清理排水沟")
        engine.sync(pc1)
        engine.sync(pc2)
        minutes.record_statement(pc2, agenda_item_id=item, speaker="张大妈", summary="排水沟北段也要清")
        assert engine.sync(pc2).rejected == 0
        # pc1 finalizes without the statement pc2 recorded, and pushes before it pulls
        minutes.record_statement(pc1, agenda_item_id=item, speaker="李大爷", summary="同意")
        minutes.finalize_minutes(pc1, meeting_id)
        engine.push(pc1, client(pc1))
        with pc1.read() as s:
            refused = s.scalars(select(OutboxRow).where(OutboxRow.entity == "minutes", OutboxRow.state == "rejected")).all()
            reasons = [r.reject_reason for r in refused]
        assert len(reasons) == 1 and "请同步后放弃这次定稿，核对内容后重新定稿" in reasons[0], reasons
        with server_db(server).read() as s:
            mins = s.scalars(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id)).one()
            assert (str(mins.status), mins.sha256) == ("draft", None)
        assert requests.get(f"{server.base}/m/{meeting_id}", timeout=30).status_code == 404
        # the statement pc1 typed before finalizing went through in the same batch
        assert server.count("SELECT count(*) FROM statement WHERE meeting_id = :m", m=meeting_id) == 2

        # on pc2, which has everything, the same day ends in a finalization the server takes
        engine.sync(pc2)
        minutes.record_outcome(pc2, agenda_item_id=item, text="月底前清理整条排水沟")
        minutes.finalize_minutes(pc2, meeting_id)
        assert engine.sync(pc2).rejected == 0
        page = requests.get(f"{server.base}/m/{meeting_id}", timeout=30)
        assert page.status_code == 200 and "与存档的定稿一致" in page.text and "月底前清理整条排水沟" in page.text
    finally:
        pc1.close()
        pc2.close()
