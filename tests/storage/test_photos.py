"""The photo store on the PC: a photo added to a topic is kept once under its
SHA-256, its attachment row goes to the outbox, and every kind of bad input is
refused with a Chinese message that names the problem, changing nothing (no
row, no outbox operation, no file)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from desktop.domain.errors import DomainError, NotFound, ValidationError
from desktop.storage.models import AttachmentRow, OutboxRow
from desktop.storage.services import photos, topics

JPEG = b"\xff\xd8\xff\xe0"


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def _photo(seed: int = 1, size: int = 20_000) -> bytes:
    return JPEG + random.Random(seed).randbytes(size)


def _snapshot(store) -> tuple[int, int, list[str]]:  # type: ignore[no-untyped-def]
    with store.read() as s:
        rows = s.scalar(select(func.count()).select_from(AttachmentRow))
        ops = s.scalar(select(func.count()).select_from(OutboxRow))
    files = sorted(str(p.relative_to(store.data_dir)) for p in (store.data_dir / "blobs").rglob("*") if p.is_file()) if (store.data_dir / "blobs").exists() else []
    return rows, ops, files


def test_attach_keeps_the_photo_once_and_queues_its_row(room_store, tmp_path):
    t = topics.record_topic(room_store, title="路面塌陷", source="walk_in").value
    data = _photo()
    sha = hashlib.sha256(data).hexdigest()
    res = photos.attach_photo(room_store, topic_id=t.id, path=_file(tmp_path, "现场.jpg", data))
    att = res.value
    assert (att.sha256, att.size, att.mime, att.filename, att.owner_id) == (sha, len(data), "image/jpeg", "现场.jpg", t.id)
    assert [(c.entity, c.op) for c in res.changes] == [("attachment", "insert")]
    path = photos.photo_path(room_store, sha)
    assert path == room_store.data_dir / "blobs" / sha[:2] / sha and path.read_bytes() == data
    with room_store.read() as s:
        op = s.scalars(select(OutboxRow).where(OutboxRow.entity == "attachment")).one()
        assert op.kind == "insert" and op.fields["sha256"] == sha and op.fields["owner_id"] == t.id
    assert photos.list_photos(room_store, t.id) == (att,)
    # the same picture on another topic: a second row, the bytes still once
    t2 = topics.record_topic(room_store, title="井盖缺失", source="walk_in").value
    photos.attach_photo(room_store, topic_id=t2.id, path=_file(tmp_path, "copy.jpg", data))
    assert _snapshot(room_store)[2] == [f"blobs/{sha[:2]}/{sha}"]


@pytest.mark.parametrize(
    "head, mime",
    [
        (b"\x89PNG\r\n\x1a\n", "image/png"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic", "image/heic"),
        (b"GIF89a", "image/gif"),
    ],
)
def test_image_types_by_their_first_bytes(room_store, tmp_path, head, mime):
    t = topics.record_topic(room_store, title="违章搭建", source="walk_in").value
    # the name says .txt: what counts is what the file is
    att = photos.attach_photo(room_store, topic_id=t.id, path=_file(tmp_path, "photo.txt", head + b"\x01" * 500)).value
    assert att.mime == mime


def _bad_inputs(tmp_path: Path, topic_id: str):  # type: ignore[no-untyped-def]
    big = tmp_path / "big.jpg"
    with big.open("wb") as fh:
        fh.write(JPEG)
        fh.truncate(photos.MAX_PHOTO + 1)  # sparse: costs no disk
    (tmp_path / "a folder").mkdir()
    return [
        (dict(topic_id=topic_id, path=tmp_path / "没有这个文件.jpg"), ValidationError, "找不到文件"),
        (dict(topic_id=topic_id, path=tmp_path / "a folder"), ValidationError, "不是一个文件"),
        (dict(topic_id=topic_id, path=_file(tmp_path, "empty.jpg", b"")), ValidationError, "是空的"),
        (dict(topic_id=topic_id, path=_file(tmp_path, "notes.jpg", "会议纪要".encode() * 100)), ValidationError, "不是照片"),
        (dict(topic_id=topic_id, path=big), ValidationError, "最多 50 MB"),
        (dict(topic_id="0190f0f0-0000-7000-8000-000000000000", path=_file(tmp_path, "ok.jpg", _photo(7))), NotFound, "找不到这条议题"),
    ]


def test_bad_input_is_refused_and_changes_nothing(room_store, tmp_path):
    t = topics.record_topic(room_store, title="广场噪音", source="walk_in").value
    before = _snapshot(room_store)
    for kwargs, error, words in _bad_inputs(tmp_path, t.id):
        with pytest.raises(error) as exc:
            photos.attach_photo(room_store, **kwargs)
        assert words in str(exc.value), str(exc.value)
        assert _snapshot(room_store) == before, kwargs
    assert photos.list_photos(room_store, t.id) == ()


def test_the_same_photo_twice_on_one_topic_is_refused(room_store, tmp_path):
    t = topics.record_topic(room_store, title="电动车充电", source="walk_in").value
    f = _file(tmp_path, "a.jpg", _photo(3))
    photos.attach_photo(room_store, topic_id=t.id, path=f)
    before = _snapshot(room_store)
    with pytest.raises(ValidationError, match="已经添加"):
        photos.attach_photo(room_store, topic_id=t.id, path=f)
    assert _snapshot(room_store) == before
    assert len(photos.list_photos(room_store, t.id)) == 1


def test_english_message(room_store, tmp_path):
    from desktop.i18n import set_language

    t = topics.record_topic(room_store, title="停车难", source="walk_in").value
    set_language("en")
    with pytest.raises(ValidationError) as exc:
        photos.attach_photo(room_store, topic_id=t.id, path=_file(tmp_path, "x.doc", b"PK\x03\x04 not a photo"))
    assert "not a photo" in str(exc.value)


def test_photo_path_is_none_until_the_bytes_are_here(room_store):
    sha = hashlib.sha256(b"elsewhere").hexdigest()
    assert photos.photo_path(room_store, sha) is None
    assert photos.photo_path(room_store, "../../etc/passwd") is None
    # a half-arrived download lives under partial/, never at the photo's address
    part = room_store.data_dir / "blobs" / "partial" / f"{sha}.part"
    part.parent.mkdir(parents=True)
    part.write_bytes(b"else")
    assert photos.photo_path(room_store, sha) is None


def test_find_topic_by_id_ticket_or_tracking_code(room_store):
    t = topics.record_topic(room_store, title="路灯不亮", source="hotline", ticket_no="12345-2026-0001").value
    assert photos.find_topic(room_store, t.id).id == t.id
    assert photos.find_topic(room_store, "12345-2026-0001").id == t.id
    assert photos.find_topic(room_store, t.tracking_code.lower().replace("-", "")).id == t.id
    with pytest.raises(DomainError, match="找不到议题"):
        photos.find_topic(room_store, "nothing")
