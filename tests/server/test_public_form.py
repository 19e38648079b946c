"""The form behind a room's QR poster, driven over HTTP against the real server:
a topic goes in, a tracking code comes out, and every kind of bad input gets
its clear Chinese refusal with nothing stored."""

from __future__ import annotations

import hashlib
import io
import re

from PIL import Image

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _code(html: str) -> str:
    m = re.search(r'id="tracking-code">([^<]+)<', html)
    assert m, html[-1500:]
    return m.group(1)


def _topics(srv) -> int:
    return srv.count("SELECT count(*) FROM topic")


def _png(size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


def test_a_resident_submits_and_follows_the_topic(srv):
    s = srv.session()
    form = s.get(f"{srv.base}/r/{srv.room_a}")
    assert form.status_code == 200 and "水渡口社区协商议事室" in form.text and 'name="title"' in form.text
    r = s.post(
        f"{srv.base}/r/{srv.room_a}",
        data={"title": "3号楼门口路灯坏了", "description": "晚上很黑，老人出门不方便。", "location": "水渡口小区3号楼", "category": "公共设施", "name": "张三华", "phone": "13812345678"},
        files={"photo": ("lamp.png", _png(), "image/png")},
    )
    assert r.status_code == 200, r.text
    code = _code(r.text)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", code)
    assert f'href="/t/{srv.room_a}/{code}"' in r.text  # the room-qualified page; the bare code works too

    for t in (s.get(f"{srv.base}/t/{srv.room_a}/{code}"), s.get(f"{srv.base}/t/{code}")):
        assert t.status_code == 200
        assert "3号楼门口路灯坏了" in t.text and "已收到" in t.text
        # the submitter only as 居民, and no digit of the phone (issue 12)
        assert "提出人：居民" in t.text
        assert "张三华" not in t.text and "张*华" not in t.text and "****5678" not in t.text and "138****" not in t.text and "13812345678" not in t.text
    # lower case and no hyphen, as someone might type it, finds it too
    assert s.get(f"{srv.base}/t", params={"code": code.replace("-", "").lower()}).url.endswith(f"/t/{code}")

    # stored as a qr topic with its first event, at the room's next versions, and the photo by its SHA-256
    row = srv.count("SELECT count(*) FROM topic WHERE tracking_code = :c AND source = 'qr' AND status = 'submitted' AND version > 0", c=code)
    assert row == 1
    assert srv.count("SELECT count(*) FROM topic_event e JOIN topic t ON t.id = e.topic_id WHERE t.tracking_code = :c AND e.action = 'submit' AND e.version > t.version", c=code) == 1
    digest = hashlib.sha256(_png()).hexdigest()
    assert srv.count("SELECT count(*) FROM attachment a JOIN topic t ON t.id = a.owner_id WHERE t.tracking_code = :c AND a.sha256 = :h", c=code, h=digest) == 1
    assert (srv.data_dir / "blobs" / digest[:2] / digest).read_bytes() == _png()


def test_versions_of_a_room_are_unique_and_follow_its_counter(srv):
    s = srv.session()
    for i in range(3):
        assert s.post(f"{srv.base}/r/{srv.room_b}", data={"title": f"版本测试 {i}"}).status_code == 200
    rid = "(SELECT id FROM rooms WHERE code = 'HY-002')"
    total = srv.count(f"SELECT count(*) FROM (SELECT version FROM topic WHERE room_id = {rid} UNION ALL SELECT version FROM topic_event WHERE room_id = {rid}) v")
    distinct = srv.count(f"SELECT count(DISTINCT version) FROM (SELECT version FROM topic WHERE room_id = {rid} UNION ALL SELECT version FROM topic_event WHERE room_id = {rid}) v")
    assert total == distinct >= 6
    assert srv.count(f"SELECT last_seq FROM room_seq WHERE room_id = {rid}") == srv.count(f"SELECT max(version) FROM topic_event WHERE room_id = {rid}")


def test_user_text_is_escaped_on_every_page(srv):
    s = srv.session()
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": XSS[:60], "description": XSS, "location": XSS[:100], "name": "<b>x</b>"})
    assert r.status_code == 200
    assert "<script>" not in r.text and "<img src=x" not in r.text and "&lt;script&gt;" in r.text
    t = s.get(f"{srv.base}/t/{_code(r.text)}")
    assert "<script>" not in t.text and "&lt;script&gt;" in t.text
    # a refused form shows the typed text again, escaped too
    bad = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "", "description": XSS})
    assert bad.status_code == 400 and "请填写“什么事”" in bad.text
    assert "<script>" not in bad.text and "&lt;script&gt;alert" in bad.text
    assert "default-src 'none'" in t.headers["Content-Security-Policy"]


def test_unknown_room_is_a_friendly_404(srv):
    s = srv.session()
    before = _topics(srv)
    for method in (s.get, s.post):
        r = method(f"{srv.base}/r/NO-SUCH-ROOM", **({"data": {"title": "x"}} if method == s.post else {}))
        assert r.status_code == 404 and "没有找到编码为“NO-SUCH-ROOM”的议事室" in r.text
    assert s.get(f"{srv.base}/t/AAAA-BBBB").status_code == 404
    assert _topics(srv) == before


def test_bad_photos_are_refused_and_nothing_is_stored(srv):
    s = srv.session()
    before = _topics(srv)
    # a photo just over the 5 MB limit: the form comes back with what was typed
    big = b"\xff\xd8\xff\xe0" + b"\0" * (5 * 1024 * 1024 + 300 * 1024)
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "大照片"}, files={"photo": ("big.jpg", big, "image/jpeg")})
    assert r.status_code == 413 and "照片太大了" in r.text and 'value="大照片"' in r.text
    # far over it, the body is refused before it is read (server/limits.py), still in plain words
    huge = b"\xff\xd8\xff\xe0" + b"\0" * (10 * 1024 * 1024)
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "大照片"}, files={"photo": ("big.jpg", huge, "image/jpeg")})
    assert r.status_code == 413 and "照片最多 5 MB" in r.text
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "假照片"}, files={"photo": ("evil.jpg", b"<?php system($_GET[1]); ?>", "image/jpeg")})
    assert r.status_code == 415 and "只能上传照片" in r.text
    assert _topics(srv) == before
    assert srv.count("SELECT count(*) FROM attachment WHERE filename IN ('big.jpg', 'evil.jpg')") == 0


def test_wrong_content_type_honeypot_and_long_fields(srv):
    s = srv.session()
    before = _topics(srv)
    r = s.post(f"{srv.base}/r/{srv.room_a}", json={"title": "json"})
    assert r.status_code == 415 and "请用页面上的表单提交" in r.text
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "机器人", "website": "http://spam.example"})
    assert r.status_code == 400 and "提交没有成功" in r.text
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "长" * 61})
    assert r.status_code == 400 and "太长了" in r.text
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "电话不对", "phone": "call me maybe"})
    assert r.status_code == 400 and "联系电话" in r.text
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "类别不对", "category": "<x>"})
    assert r.status_code == 400 and "类别" in r.text
    assert _topics(srv) == before


def test_the_same_submission_twice_is_kept_once(srv):
    s = srv.session()
    data = {"title": "垃圾桶满了没人清", "location": "东门"}
    first = s.post(f"{srv.base}/r/{srv.room_a}", data=data)
    again = s.post(f"{srv.base}/r/{srv.room_a}", data=data)
    assert _code(first.text) == _code(again.text)
    assert "只记了一次" in again.text
    assert srv.count("SELECT count(*) FROM topic WHERE title = '垃圾桶满了没人清'") == 1


def test_one_phone_cannot_flood_the_form(srv):
    s = srv.session()
    # 30 per address: a village Wi-Fi is one address (tests/server/test_throttles.py)
    codes = [s.post(f"{srv.base}/r/{srv.room_a}", data={"title": f"第{i}件事（限流）"}) for i in range(31)]
    assert [r.status_code for r in codes] == [200] * 30 + [429]
    assert "请过 10 分钟再试" in codes[-1].text
    assert srv.count("SELECT count(*) FROM topic WHERE title LIKE '%（限流）'") == 30
    # another phone is not affected
    assert srv.session().post(f"{srv.base}/r/{srv.room_a}", data={"title": "别人的事（限流）"}).status_code == 200
