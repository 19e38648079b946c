"""The phone form's "公开时显示我的称呼" choice (issue 12, personal data on public
pages), against the real server on SQLite and PostgreSQL: unticked (the
default) /t/ says 居民; ticked it shows the name masked (张*华), never in full;
a topic born on a room's PC has no such choice and says 居民 whatever name
the room typed. The choice lives on the server only (``submissions.show_name``)."""

from __future__ import annotations

import re
from pathlib import Path

from desktop.storage.services import topics
from desktop.sync import engine
from tests.sync.helpers import new_pc


def _code(html: str) -> str:
    m = re.search(r'id="tracking-code">([^<]+)<', html)
    assert m, html[-1500:]
    return m.group(1)


def _submitter(html: str) -> str:
    m = re.search(r"提出人：([^<]*)<", html)
    assert m, html[-1500:]
    return m.group(1)


def test_the_form_offers_the_choice_unticked(srv):
    form = srv.session().get(f"{srv.base}/r/{srv.room_a}").text
    box = re.search(r'<input type="checkbox" id="show_name" name="show_name"[^>]*>', form)
    assert box and "checked" not in box.group(0)
    assert "公开时显示我的称呼（不勾选时，公开页面只写“居民”）" in form


def test_ticked_shows_the_masked_name_unticked_says_resident(srv):
    s = srv.session()
    ticked = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "菜场门口积水", "name": "张三华", "phone": "13812345678", "show_name": "1"})
    plain = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "楼道灯不亮", "name": "李四明", "phone": "13912345678"})
    assert ticked.status_code == plain.status_code == 200
    for path in (f"/t/{_code(ticked.text)}", f"/t/{srv.room_a}/{_code(ticked.text)}"):
        page = s.get(srv.base + path).text
        assert _submitter(page) == "张*华"
        assert "张三华" not in page and "5678" not in page
    page = s.get(f"{srv.base}/t/{_code(plain.text)}").text
    assert _submitter(page) == "居民" and "李" not in page
    # the choice is the server's alone: one row each, ticked only where ticked
    assert srv.count("SELECT count(*) FROM submissions s JOIN topic t ON t.id = s.topic_id WHERE t.tracking_code = :c AND s.show_name", c=_code(ticked.text)) == 1
    assert srv.count("SELECT count(*) FROM submissions s JOIN topic t ON t.id = s.topic_id WHERE t.tracking_code = :c AND NOT s.show_name", c=_code(plain.text)) == 1


def test_ticked_without_a_name_says_resident(srv):
    s = srv.session()
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "垃圾桶不够用", "show_name": "1"})
    assert _submitter(s.get(f"{srv.base}/t/{_code(r.text)}").text) == "居民"


def test_a_refused_form_keeps_the_tick(srv):
    r = srv.session().post(f"{srv.base}/r/{srv.room_a}", data={"title": "", "name": "王五", "show_name": "1"})
    assert r.status_code == 400
    assert re.search(r'<input type="checkbox" id="show_name" name="show_name" value="1" checked', r.text)


def test_a_topic_born_on_a_pc_says_resident(srv, tmp_path: Path):
    store = new_pc(srv, tmp_path, "pc-show-name")
    try:
        t = topics.record_topic(store, title="小区门口违停", source="walk_in", submitter_name="赵六强", submitter_phone="13712345678").value
        engine.sync(store)
        page = srv.session().get(f"{srv.base}/t/{srv.room_a}/{t.tracking_code}")
        assert page.status_code == 200, page.text
        assert _submitter(page.text) == "居民"
        assert "赵六强" not in page.text and "赵*强" not in page.text
    finally:
        store.close()
