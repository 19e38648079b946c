"""A tracking code two rooms made offline is kept by the county for both, and
each receipt finds its own topic: two rooms on the real server, each with a
PC that records a topic (the second forced to the first's code, as the random
draw sometimes does), syncs, and prints the resident's receipt."""

from __future__ import annotations

import re
from pathlib import Path

import requests

from desktop.printing import render_receipt
from desktop.storage.db import Store
from desktop.storage.services import rooms, topics
from desktop.storage.services.topics import new_topic_row
from desktop.sync import engine
from tests.printing import pdftools
from tests.sync.helpers import fresh_room, new_pc, server_db


def _record_with_code(store: Store, *, title: str, code: str) -> str:
    """A walk-in topic recorded through the topic service's row builder (the
    one record_topic and the importer use), with the code the draw gave."""
    room = rooms.require_room(store)
    with store.write() as session:
        row = new_topic_row(session, room_id=room.id, title=title, source="walk_in", submitter_name="张秀华", tracking_code=code)
        return row.id


def _receipt_qr(store: Store, topic_id: str, tmp_path: Path) -> list[str]:
    """The receipt as the window and ``yishi export receipt`` print it, its QR read by zbar."""
    room = rooms.require_room(store)
    topic = topics.get_topic(store, topic_id)
    pdf = render_receipt(room=room, topic=topic, server_url=room.server_url)
    return pdftools.qr_codes(pdftools.render(pdftools.save(pdf, tmp_path, f"receipt-{room.code}.pdf"), tmp_path)[0])


def test_two_rooms_holding_one_code_each_find_their_own_topic(srv, tmp_path):
    code_a, _ = fresh_room(srv)
    code_b, room_b = fresh_room(srv)
    pc_a = new_pc(srv, tmp_path, "pc-a", room_code=code_a)
    pc_b = new_pc(srv, tmp_path, "pc-b", room_code=code_b)
    try:
        # room A records and syncs first
        a = topics.record_topic(pc_a, title="北区垃圾站夏天太臭", source="walk_in").value
        assert engine.sync(pc_a).rejected == 0
        # room B's PC, offline all day, happened to draw the same code
        b_id = _record_with_code(pc_b, title="钵池村东头桥栏杆松了", code=a.tracking_code)
        report = engine.sync(pc_b)
        assert report.rejected == 0, report.rejected_reasons
        assert topics.get_topic(pc_b, b_id).tracking_code == a.tracking_code  # kept on the PC as printed
        assert srv.count("SELECT count(*) FROM topic WHERE tracking_code = :c AND room_id = :r", c=a.tracking_code, r=room_b) == 1

        # an old receipt's bare code: the resident is asked which room, and told nothing of either topic
        chooser = requests.get(f"{srv.base}/t/{a.tracking_code}")
        assert chooser.status_code == 200 and "请选择议事室" in chooser.text
        links = re.findall(r'<a class="button secondary" href="([^"]+)">([^<]+)</a>', chooser.text.split('id="rooms"')[1])
        assert sorted(links) == sorted([
            (f"/t/{code_a}/{a.tracking_code}", f"测试议事室{code_a}（水渡口街道）"),
            (f"/t/{code_b}/{a.tracking_code}", f"测试议事室{code_b}（水渡口街道）"),
        ])
        assert "北区垃圾站" not in chooser.text and "钵池村" not in chooser.text and "张*华" not in chooser.text
        # typed by hand into the lookup form: the same choice
        typed = requests.get(f"{srv.base}/t", params={"code": a.tracking_code.replace("-", "").lower()})
        assert typed.status_code == 200 and "请选择议事室" in typed.text

        # each room's page shows its own topic only
        page_a = requests.get(f"{srv.base}/t/{code_a}/{a.tracking_code}")
        assert page_a.status_code == 200 and "北区垃圾站夏天太臭" in page_a.text and "钵池村" not in page_a.text

        # B's receipt points at B's room, and that page shows B's topic
        (url,) = _receipt_qr(pc_b, b_id, tmp_path)
        assert url == f"{srv.base}/t/{code_b}/{a.tracking_code}"
        page_b = requests.get(url)
        assert page_b.status_code == 200
        assert "钵池村东头桥栏杆松了" in page_b.text and "张*华" not in page_b.text and "居民" in page_b.text and "北区垃圾站" not in page_b.text
        assert f"测试议事室{code_b}" in page_b.text

        # a code or room that is not there: the friendly not-found page, nothing more
        for path in (f"/t/{code_b}/AAAA-CCCC", f"/t/NO-SUCH-ROOM/{a.tracking_code}", f"/t/{code_b}/{'X' * 300}", "/t/%00/%00"):
            r = requests.get(f"{srv.base}{path}")
            assert r.status_code == 404 and "没有找到查询码" in r.text and "Traceback" not in r.text, path
    finally:
        pc_a.close()
        pc_b.close()


def test_a_code_one_room_holds_shows_its_topic_directly(srv, tmp_path):
    code_a, _ = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc", room_code=code_a)
    try:
        t = topics.record_topic(pc, title="菜市场门口积水", source="walk_in").value
        engine.sync(pc)
        for path in (f"/t/{t.tracking_code}", f"/t/{code_a}/{t.tracking_code}"):
            r = requests.get(f"{srv.base}{path}")
            assert r.status_code == 200 and "菜市场门口积水" in r.text and "已收到" in r.text, path
        (url,) = _receipt_qr(pc, t.id, tmp_path)
        assert url == f"{srv.base}/t/{code_a}/{t.tracking_code}"
    finally:
        pc.close()


def test_codes_born_on_the_server_avoid_every_code_a_room_holds(srv, tmp_path, monkeypatch):
    """The phone form draws again when its code is held by any room (here the
    draw is made to hit a held code twice, as a long county history makes likely)."""
    from server.services import submissions

    code_a, _ = fresh_room(srv)
    code_b, _ = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc", room_code=code_a)
    try:
        held = topics.record_topic(pc, title="老年活动室漏雨", source="walk_in").value.tracking_code
        engine.sync(pc)
        draws = iter([held, held, "WXYA-3467"])
        monkeypatch.setattr(submissions, "new_tracking_code", lambda: next(draws))
        receipt = submissions.submit_topic(
            server_db(srv), room_code=code_b, form=submissions.PublicForm(title="健身器材坏了"), ip_key="test-" + code_b
        )
        assert receipt.tracking_code == "WXYA-3467"
        r = requests.get(f"{srv.base}/t/WXYA-3467")
        assert r.status_code == 200 and "健身器材坏了" in r.text
        assert srv.count("SELECT count(*) FROM topic WHERE tracking_code = :c", c=held) == 1
    finally:
        pc.close()
