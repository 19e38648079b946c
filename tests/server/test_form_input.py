"""What a program (not a phone's browser) can send the phone form, against the
real server on SQLite and PostgreSQL: a photo whose name hides its real
ending behind U+202E is stored under a clean name; a field far over any limit
(Starlette's own 1 MB cap per field) gets a Chinese answer in the site's
layout, never Starlette's English, and nothing is stored."""

from __future__ import annotations

import io
import re

from PIL import Image

CHINESE = re.compile(r"[\u4e00-\u9fff]{4}")
MiB = 1024 * 1024


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 200)).save(buf, "PNG")
    return buf.getvalue()


def _code(html: str) -> str:
    m = re.search(r'id="tracking-code">([^<]+)<', html)
    assert m, html[-1500:]
    return m.group(1)


def test_a_photo_name_with_a_bidi_override_is_stored_clean(srv):
    s = srv.session()
    r = s.post(f"{srv.base}/r/{srv.room_a}", data={"title": "井盖松动了"}, files={"photo": ("\u202egpj.exe", _png(), "image/png")})
    assert r.status_code == 200, r.text
    code = _code(r.text)
    names = srv.count(
        "SELECT count(*) FROM attachment a JOIN topic t ON t.id = a.owner_id WHERE t.tracking_code = :c AND a.filename = 'gpj.exe'", c=code
    )
    assert names == 1  # exactly: the override that made it read "exe.jpg" is gone


def test_a_field_over_a_megabyte_is_refused_in_chinese_and_stores_nothing(srv):
    s = srv.session()
    before = srv.count("SELECT count(*) FROM topic")
    title = "长" * (MiB // 3 + 10)  # over 1 MiB once UTF-8 encoded
    answers = [
        s.post(f"{srv.base}/r/{srv.room_a}", data={"title": title}),  # application/x-www-form-urlencoded
        s.post(f"{srv.base}/r/{srv.room_a}", files={"title": (None, title), "name": (None, "王")}),  # multipart
    ]
    for r in answers:
        assert r.status_code == 400, r.text[:300]
        assert "exceeded" not in r.text and "maximum size" not in r.text
        assert "填写的文字太长了" in r.text and "最多 60 个字" in r.text
        # the site's layout: the room's form again, to fill in once more
        assert "水渡口社区协商议事室" in r.text and 'name="title"' in r.text and '<html lang="zh-CN">' in r.text
    assert srv.count("SELECT count(*) FROM topic") == before


def test_a_form_with_too_many_fields_is_refused_in_chinese(srv):
    r = srv.session().post(f"{srv.base}/r/{srv.room_a}", data={f"f{i}": "x" for i in range(30)} | {"title": "多字段"})
    assert r.status_code == 400, r.text[:300]
    assert "Too many" not in r.text and CHINESE.search(r.text)
    assert "提交的内容格式不对" in r.text
