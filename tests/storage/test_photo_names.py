"""A photo's file name as the convenor sees it: a name built to deceive (the
right-to-left override that turns ``gpj.exe`` into what reads as ``exe.jpg``,
bidi isolates, zero-width characters, control codes, a folder) loses every
invisible character, whether the photo was added on this PC or its row came
from elsewhere (the phone form, another PC) by sync."""

from __future__ import annotations

import random

from desktop.domain.ids import new_id
from desktop.storage.models import AttachmentRow
from desktop.storage.services import photos, topics

RLO = "\u202e"


def test_names_lose_bidi_and_control_characters(room_store, tmp_path):
    topic = topics.record_topic(room_store, title="路灯不亮", source="walk_in").value
    name = f"照片{RLO}gpj.exe"
    path = tmp_path / name
    path.write_bytes(b"\xff\xd8\xff\xe0" + random.Random(3).randbytes(2000))
    att = photos.attach_photo(room_store, topic_id=topic.id, path=path).value
    assert att.filename == "照片gpj.exe"

    # a row that reached this PC with a hostile name, as a pull stores it
    with room_store.write() as s:
        s.add(AttachmentRow(id=new_id(), room_id=topic.room_id, owner_type="topic", owner_id=topic.id, sha256="a" * 64, size=5,
                            mime="image/jpeg", filename="\u2067ab\u2069\u200b\u200e\u061c\ufeffc\x00\x1b[31m\r\nd.jpg\u2028"))
    names = [a.filename for a in photos.list_photos(room_store, topic.id)]
    assert names == ["照片gpj.exe", "abc[31md.jpg"]
    for n in names:
        assert not any(ch in n for ch in (RLO, "\u2067", "\u2069", "\u200b", "\u200e", "\u061c", "\ufeff", "\x00", "\x1b", "\r", "\n", "\u2028"))


def test_clean_filename_keeps_ordinary_names():
    assert photos.clean_filename("IMG_2024 03 05（路灯）.jpg") == "IMG_2024 03 05（路灯）.jpg"
    assert photos.clean_filename("C:\\Users\\村委\\桌面\\a.png") == "a.png"
    assert photos.clean_filename("x" * 400 + ".jpg") == "x" * 300
    assert photos.clean_filename(RLO) == ""
