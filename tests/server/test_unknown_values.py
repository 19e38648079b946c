"""Nothing stored can make a read fail: a room's rows on the county server are
given enum values this version has no name for (written by raw SQL, as a newer
server version or a hand edit would leave them), and the statistics API, the
county's pages, the room's pull, the resident's ``/t/`` page and the public
``/m/`` page still answer without a 500; the PC pulls them and reads them."""

from __future__ import annotations

import requests
from sqlalchemy import text

from desktop.storage.services import actions, contacts, followups, minutes, participants, topics
from desktop.storage.stats import room_stats
from desktop.sync import engine
from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER
from tests.support.admin_login import admin_login
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import client, fresh_room, new_pc, server_db

NEW = {
    ("topic", "source"): "drone_patrol",
    ("topic", "status"): "escalated",
    ("topic_event", "to_status"): "escalated",
    ("meeting", "type"): "hybrid",
    ("participant", "role"): "lawyer",
    ("participant", "attendance"): "late",
    ("action_item", "status"): "paused",
    ("follow_up", "satisfaction"): "delighted",
    ("person", "role"): "lawyer",
}


def test_unknown_stored_values_never_make_a_read_fail(srv, tmp_path):
    code, room_id = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc", room_code=code)
    try:
        meeting_id, topic_id, item = held_meeting(pc)
        part = participants.invite(pc, meeting_id, name="王律师", role="expert").value
        participants.sign_in(pc, part.id)
        out = minutes.record_outcome(pc, agenda_item_id=item, text="月底前清理排水沟").value
        act = actions.create_action_item(pc, title="清理排水沟", meeting_id=meeting_id, outcome_id=out.id, owner_unit="水务站").value
        minutes.finalize_minutes(pc, meeting_id)
        actions.complete_action_item(pc, act.id)
        actions.resolve_topic(pc, topic_id, how="已清理")
        followups.record_follow_up(pc, topic_id, satisfaction="satisfied")
        contacts.add_person(pc, name="赵律师", role="expert")
        assert engine.sync(pc).rejected == 0
        ticket = topics.get_topic(pc, topic_id).tracking_code

        with server_db(srv).write() as s:
            for (table, column), value in NEW.items():
                s.execute(text(f"UPDATE {table} SET {column} = :v WHERE room_id = :r"), {"v": value, "r": room_id})
            # a later change of the room, so the PC's next pull brings the rows
            s.execute(text("UPDATE topic SET version = version + 1000 WHERE room_id = :r"), {"r": room_id})
            s.execute(text("UPDATE room_seq SET last_seq = last_seq + 1000 WHERE room_id = :r"), {"r": room_id})

        year = {"start": "2016-01-01", "end": "2035-12-31"}
        api = requests.get(f"{srv.base}/api/v1/stats", params=year, auth=(ADMIN_USER, ADMIN_PASSWORD), timeout=30)
        assert api.status_code == 200, api.text[:300]
        admin = requests.Session()
        assert admin_login(admin, srv.base, ADMIN_USER, ADMIN_PASSWORD).status_code == 200
        for path in ("/admin", "/admin/stats", "/admin/stats.csv", "/admin/stats.xlsx"):
            r = admin.get(srv.base + path, params=year, timeout=30)
            assert r.status_code == 200, (path, r.status_code, r.text[:300])
        for dim in ("source", "room", "month"):
            r = admin.get(f"{srv.base}/admin/stats", params={**year, "dim": dim}, timeout=30)
            assert r.status_code == 200, (dim, r.text[:300])
        for path in (f"/t/{code}/{ticket}", f"/t/{ticket}"):
            r = requests.get(srv.base + path, timeout=30)
            assert r.status_code == 200 and "escalated" in r.text, (path, r.status_code, r.text[:300])
        m = requests.get(f"{srv.base}/m/{meeting_id}", timeout=30)
        assert m.status_code == 200 and "月底前清理排水沟" in m.text
        c = client(pc)
        try:
            pulled = c.json("GET", "/pull", params={"since": 0, "limit": 2000})
        finally:
            c.close()
        seen = {(ch["entity"], name): ch["fields"][name] for ch in pulled["changes"] for (e, name) in NEW if ch["entity"] == e}
        assert seen == NEW

        # the PC takes them as they came and reads them back without an error
        engine.sync(pc)
        got = topics.get_topic(pc, topic_id)
        assert (got.status, got.source) == ("escalated", "drone_patrol") and got.status.label == "escalated"
        room_stats(pc)
    finally:
        pc.close()
