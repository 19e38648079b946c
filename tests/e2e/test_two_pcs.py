"""Two PCs of one room and the county server, as a convenor would use them:
``yishi enroll`` and ``yishi sync`` as real processes against the real server;
topics, meetings, minutes and action items move both ways; the resident's QR
form reaches the room; the room's work shows on the public pages."""

from __future__ import annotations

import re

import requests

from desktop.storage.db import Store
from desktop.storage.services import actions, minutes, reads, topics
from tests.cli.conftest import Yishi
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import converged, enrollment_code


def _pc(tmp_path, name: str, srv) -> Yishi:  # type: ignore[no-untyped-def]
    pc = Yishi(tmp_path / name)
    out = pc("enroll", srv.base, enrollment_code(srv, srv.room_a), "--device-name", name)
    assert out.returncode == 0, out.stderr
    return pc


def _sync(pc: Yishi) -> None:
    out = pc("sync")
    assert out.returncode == 0, out.stderr


def test_two_pcs_and_the_public_pages(srv, room_a, tmp_path):
    # a resident scans the poster before the PCs are even enrolled
    r = requests.post(f"{srv.base}/r/{srv.room_a}", data={"title": "小区门口路灯不亮", "description": "晚上很黑"}, headers={"X-Forwarded-For": "10.9.9.9"})
    assert r.status_code == 200
    tracking = re.search(r"[0-9A-Z]{4}-?[0-9A-Z]{4}", r.text.split("查询码")[-1] if "查询码" in r.text else r.text).group(0)

    pc1, pc2 = _pc(tmp_path, "pc1", srv), _pc(tmp_path, "pc2", srv)
    s1 = Store(pc1.data_dir)
    web = [t for t in topics.list_topics(s1) if t.title == "小区门口路灯不亮"]
    assert len(web) == 1, "the web topic reached the room at enrolment"

    # PC1: accept the web topic, hold a meeting, finalize the minutes, an action item
    topics.accept(s1, web[0].id, actor="王召集")
    meeting_id, topic_id, item = held_meeting(s1)
    minutes.record_statement(s1, agenda_item_id=item, speaker="李大爷", summary="公厕要加洗手池")
    outcome = minutes.record_outcome(s1, agenda_item_id=item, text="由物业三个月内加装洗手池").value
    action = actions.create_action_item(s1, title="加装洗手池", meeting_id=meeting_id, outcome_id=outcome.id, owner_unit="物业公司").value
    minutes.save_minutes_text(s1, meeting_id, summary="会议议定加装洗手池")
    minutes.finalize_minutes(s1, meeting_id)
    s1.close()
    _sync(pc1)

    # PC2 sees everything; it records progress and completes the action item
    _sync(pc2)
    s2 = Store(pc2.data_dir)
    assert {t.title for t in topics.list_topics(s2)} >= {"小区门口路灯不亮", "议题1"}
    actions.record_progress(s2, action.id, note="材料已采购")
    actions.complete_action_item(s2, action.id, note="已装好")
    s2.close()
    _sync(pc2)
    _sync(pc1)

    # the public pages show the room's work
    page = requests.get(f"{srv.base}/t/{tracking}").text
    assert "已受理" in page
    m = requests.get(f"{srv.base}/m/{meeting_id}")
    assert m.status_code == 200 and "由物业三个月内加装洗手池" in m.text

    status = pc1("sync", "--status", "--json")
    assert '"unsent": 0' in status.stdout and '"conflicts": 0' in status.stdout
    stores = [Store(pc1.data_dir), Store(pc2.data_dir)]
    try:
        done = reads.action_items(stores[0]) if hasattr(reads, "action_items") else None
        rows = converged(srv, stores, room_a)
        assert any(e == "action_item" for e, *_ in rows)
    finally:
        for s in stores:
            s.close()
