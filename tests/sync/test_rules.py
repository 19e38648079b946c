"""Issue 5, tests 8 and 10 and the conflict rules, against the real server:
finalized minutes refuse edits and take corrections; one room's token can read
or change nothing of another room and a revoked token is refused; the same
field edited on two PCs gives exactly one conflict with both values, different
fields merge; delete against edit keeps the edit; exit codes of ``yishi sync``."""

from __future__ import annotations

import gzip
import json

import pytest
import requests
from sqlalchemy import select

from desktop.domain.ids import new_id
from desktop.storage import outbox
from desktop.storage.models import MinutesRow, OutboxRow, TopicRow
from desktop.storage.services import meetings, minutes, topics
from desktop.sync import conflicts, engine, refused
from desktop.sync.client import TokenRefused, TooOld, Unreachable
from desktop.sync.protocol import HEADER
from tests.cli.conftest import Yishi
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import converged, new_pc, sync_all


def _edit(store, entity_cls, row_id: str, **values) -> None:  # type: ignore[no-untyped-def]
    # a raw edit through the outbox, as an older or careless client might send
    with store.write() as s:
        outbox.update(s, s.get(entity_cls, row_id), **values)


def test_same_field_conflicts_once_and_other_fields_merge(srv, room_a, tmp_path):
    pc1, pc2 = new_pc(srv, tmp_path, "a1"), new_pc(srv, tmp_path, "a2")
    t = topics.record_topic(pc1, title="垃圾站异味", source="walk_in").value
    sync_all([pc1, pc2], rounds=1)
    engine.sync(pc1)
    _edit(pc1, TopicRow, t.id, location="东门", category="环境卫生")
    _edit(pc2, TopicRow, t.id, location="西门", description="夏天尤其严重")
    # pc1 edits location twice before its first push is answered: never a conflict with itself
    engine.push(pc1, engine.client_for(pc1))
    _edit(pc1, TopicRow, t.id, location="东门外")
    sync_all([pc1, pc2, pc1], rounds=1)
    sync_all([pc1, pc2], rounds=1)
    c1, c2 = conflicts.list_conflicts(pc1), conflicts.list_conflicts(pc2)
    assert c1 == ()
    assert [(c.field, c.local_value, c.server_value) for c in c2] == [("location", "西门", "东门外")]
    got = topics.get_topic(pc2, t.id)
    assert (got.location, got.category, got.description) == ("东门外", "环境卫生", "夏天尤其严重")
    # the convenor keeps the local value: it goes to the server on the next sync
    conflicts.resolve(pc2, c2[0].id, keep="local")
    sync_all([pc2, pc1], rounds=2)
    assert topics.get_topic(pc1, t.id).location == "西门"
    converged(srv, [pc1, pc2], room_a)


def test_delete_against_edit_keeps_the_edit(srv, room_a, tmp_path):
    pc1, pc2 = new_pc(srv, tmp_path, "d1"), new_pc(srv, tmp_path, "d2")
    t = topics.record_topic(pc1, title="楼道堆物", source="walk_in").value
    sync_all([pc1, pc2], rounds=1)
    _edit(pc1, TopicRow, t.id, description="三楼最严重")
    engine.sync(pc1)
    with pc2.write() as s:
        outbox.delete(s, s.get(TopicRow, t.id))
    sync_all([pc2, pc1], rounds=2)
    assert topics.get_topic(pc2, t.id).description == "三楼最严重"
    assert [c.field for c in conflicts.list_conflicts(pc2)] == ["deleted"]
    converged(srv, [pc1, pc2], room_a)


def test_finalized_minutes_refuse_edits_and_take_corrections(srv, room_a, tmp_path):
    pc1, pc2 = new_pc(srv, tmp_path, "f1"), new_pc(srv, tmp_path, "f2")
    meeting_id, _, item = held_meeting(pc1)
    minutes.record_statement(pc1, agenda_item_id=item, speaker="张", summary="同意")
    sync_all([pc1, pc2], rounds=1)
    # pc2 edits while pc1 finalizes
    minutes.save_minutes_text(pc2, meeting_id, summary="草稿 by pc2")
    minutes.finalize_minutes(pc1, meeting_id)
    engine.sync(pc1)
    with pc1.read() as s:
        sha = s.scalars(select(MinutesRow.sha256).where(MinutesRow.meeting_id == meeting_id, MinutesRow.corrects_id.is_(None))).one()
    # 20 random edits from both PCs of what the minutes cover, sent raw
    from desktop.storage.models import AgendaItemRow, MeetingRow, StatementRow

    with pc2.read() as s:
        st_id = s.scalars(select(StatementRow.id).where(StatementRow.meeting_id == meeting_id)).one()
    for i in range(10):
        for pc in (pc1, pc2):
            _edit(pc, MeetingRow, meeting_id, place=f"地点{i}")
            _edit(pc, AgendaItemRow, item, title=f"改{i}")
            _edit(pc, StatementRow, st_id, summary=f"改{i}")
    report1 = engine.sync(pc1)
    report2 = engine.sync(pc2)
    assert report1.rejected >= 3 and report2.rejected >= 3
    minutes.correct_minutes(pc1, meeting_id, note="发言人姓名写错")
    sync_all([pc1, pc2], rounds=2)
    db = srv.db()
    with db.read() as s:
        rows = [(r.id, r.corrects_id, r.sha256, r.summary) for r in s.scalars(select(MinutesRow).where(MinutesRow.meeting_id == meeting_id))]
        assert s.get(MeetingRow, meeting_id).place == "社区议事室"
    db.close()
    original = [r for r in rows if r[1] is None][0]
    assert original[2] == sha and original[3] != "草稿 by pc2"
    assert [r[1] for r in rows if r[1]] == [original[0]]
    st = engine.status(pc2)
    assert st.rejected and all("定稿" in reason for _, _, reason in st.rejected)
    # the refused edits are kept on the PCs that made them, listed, until a person decides
    with pc2.read() as s:
        assert s.get(MeetingRow, meeting_id).place == "地点9"
    listed = refused.list_refused(pc2)
    assert {r.entity for r in listed} >= {"meeting", "agenda_item", "statement"}
    # pc2's own draft of the minutes, typed before it heard of the finalization, is kept too
    assert [r.name for r in listed if r.new_record] == ["草稿 by pc2"]
    assert all(not r.new_record for r in listed if r.entity != "minutes")
    # the secretary discards them on purpose: the server's copy comes back
    for pc in (pc1, pc2):
        for r in refused.list_refused(pc):
            refused.discard(pc, r.row_id)
    sync_all([pc1, pc2], rounds=1)
    with pc2.read() as s:
        assert s.get(MeetingRow, meeting_id).place == "社区议事室"
    assert refused.list_refused(pc1) == refused.list_refused(pc2) == ()
    converged(srv, [pc1, pc2], room_a)


def test_room_isolation_and_revoked_tokens(srv, room_a, tmp_path):
    pa = new_pc(srv, tmp_path, "ra")
    pb = new_pc(srv, tmp_path, "rb", room_code=srv.room_b)
    tb = topics.record_topic(pb, title="乙室的议题", source="walk_in").value
    engine.sync(pb)
    ca = engine.client_for(pa)
    # pulls, rows and verify show nothing of room B
    pulled = ca.json("GET", "/pull", params={"since": 0, "limit": 2000})
    assert tb.id not in json.dumps(pulled)
    assert ca.json("POST", "/rows", body={"ids": {"topic": [tb.id]}, "buckets": {"topic": list(range(64))}})["changes"] == [] or all(
        c["id"] != tb.id for c in ca.json("POST", "/rows", body={"ids": {"topic": [tb.id]}, "buckets": {"topic": list(range(64))}})["changes"]
    )
    # pushes aimed at room B's row are refused and change nothing
    op = {"op_id": new_id(), "entity": "topic", "row_id": tb.id, "kind": "update", "base_version": 99, "fields": {"title": "改掉"}}
    res = ca.json("POST", "/push", body={"ops": [op, {**op, "op_id": new_id(), "kind": "delete"}, {**op, "op_id": new_id(), "kind": "insert", "fields": {"room_id": "x"}}]})
    assert [r["status"] for r in res["results"]] == ["rejected"] * 3
    engine.sync(pb)
    assert topics.get_topic(pb, tb.id).title == "乙室的议题"
    # a revoked token is refused on its next request
    with pa.read() as s:
        from desktop.storage.models import SettingRow

        device = s.get(SettingRow, engine.DEVICE_KEY).value
    assert srv.cli("revoke-device", device).returncode == 0 or srv.cli("revoke", device).returncode == 0
    with pytest.raises(TokenRefused):
        engine.sync(pa)
    out = Yishi(pa.data_dir)("sync")
    assert out.returncode == 3 and "撤销" in out.stderr


def test_old_protocol_and_unreachable_server(srv, room_a, tmp_path):
    pc = new_pc(srv, tmp_path, "old")
    topics.record_topic(pc, title="井盖松动", source="walk_in")
    token = engine.client_for(pc).session.headers["Authorization"]
    body = gzip.compress(json.dumps({"ops": [{"op_id": new_id(), "entity": "topic", "row_id": new_id(), "kind": "insert", "fields": {}}]}).encode())
    r = requests.post(f"{srv.base}/api/v1/sync/push", data=body, headers={"Authorization": token, HEADER: "0", "Content-Encoding": "gzip"})
    assert r.status_code == 426 and "更新" in r.json()["detail"]
    # an unreachable server: exit 2, the change still waits on this PC
    with pc.write() as s:
        from desktop.storage.models import RoomRow

        s.scalars(select(RoomRow)).one().server_url = "http://127.0.0.1:9"
    out = Yishi(pc.data_dir)("sync")
    assert out.returncode == 2 and "安全" in out.stderr
    with pc.read() as s:
        assert s.scalars(select(OutboxRow)).all()
