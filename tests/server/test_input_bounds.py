"""Issue 12, "500s from input" and "Memory", against the real server process:
a protocol header that is not a small ASCII number, out-of-range integers in a
query or a sync body, a body above its endpoint's cap (announced, streamed or a
gzip bomb). Each is answered 400/413/422/426 with a Chinese message, and
nothing the server holds changes."""

from __future__ import annotations

import gzip
import json
import re
import secrets

import pytest
import requests

from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER, new_ip
from tests.support import rawhttp

HEADER = "X-Yishi-Protocol"
SYNC = "/api/v1/sync"
CHINESE = re.compile(r"[\u4e00-\u9fff]{4}")
MiB = 1024 * 1024


def _room_with_pc(srv) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    """A fresh room and one enrolled PC of it: (room code, device id, token)."""
    code = f"B{secrets.token_hex(4).upper()}"
    e = requests.post(f"{srv.base}/api/v1/enroll", json={"code": _one_time_code(srv, code, new=True), "device_name": "办公室电脑"})
    assert e.status_code == 200, e.text
    return code, e.json()["device_id"], e.json()["token"]


def _one_time_code(srv, code: str, *, new: bool = False) -> str:  # type: ignore[no-untyped-def]
    """What ``yishi-server add-room`` and ``enrollment-code`` do, through the
    same services on the server's database (a CLI start costs seconds)."""
    from server.services.devices import new_enrollment_code
    from server.services.rooms import add_room

    db = srv.db()
    try:
        if new:
            add_room(db, code=code, name=f"测试议事室{code}", township="水渡口街道", county="清江浦区")
        return new_enrollment_code(db, code)
    finally:
        db.close()


def _device(srv, device_id: str) -> tuple[int, object]:  # type: ignore[no-untyped-def]
    """(unsent reported, last sync) as the server holds them."""
    unsent = srv.count("SELECT unsent_reported FROM devices WHERE id = :id", id=device_id)
    synced = srv.count("SELECT COUNT(*) FROM devices WHERE id = :id AND last_sync_at IS NOT NULL", id=device_id)
    return unsent, synced


def _chinese(resp: requests.Response | rawhttp.RawAnswer) -> str:
    detail = resp.detail() if isinstance(resp, rawhttp.RawAnswer) else (resp.json()["detail"] if resp.headers.get("content-type", "").startswith("application/json") else resp.text)
    assert CHINESE.search(detail), detail[:300]
    assert "Traceback" not in detail
    return detail


@pytest.mark.parametrize("value", ["²", "9" * 5000, "", "-1", "1", "2 3", "０２"])
def test_a_protocol_header_that_is_not_a_small_ascii_number_is_refused_in_chinese(srv, value):
    _, device_id, token = _room_with_pc(srv)
    for auth in ({}, {"Authorization": f"Bearer {token}"}):
        for method, path, body in (("POST", "/push", {"ops": [], "unsent": 7}), ("GET", "/pull", None), ("POST", "/verify", {"entities": {}})):
            headers = {HEADER: value.encode("utf-8"), **auth}
            r = requests.request(method, f"{srv.base}{SYNC}{path}", json=body, headers=headers)
            assert r.status_code in (400, 426), (value[:20], path, r.status_code, r.text[:200])
            assert r.status_code == (426 if value in ("", "1") else 400)
            assert "版本" in _chinese(r)
    assert _device(srv, device_id) == (0, 0)
    # the same push with a good header is applied: the check above can fail
    ok = requests.post(f"{srv.base}{SYNC}/push", json={"ops": [], "unsent": 7}, headers={HEADER: "2", "Authorization": f"Bearer {token}"})
    assert ok.status_code == 200, ok.text
    assert _device(srv, device_id) == (7, 1)


@pytest.mark.parametrize(
    "params", [{"since": 2**63}, {"since": 2**31}, {"since": -1}, {"since": "１"}, {"limit": 10**30}, {"limit": 0}, {"since": "9" * 5000}]
)
def test_pull_with_an_out_of_range_number_is_refused_in_chinese(srv, params):
    _, _, token = _room_with_pc(srv)
    r = requests.get(f"{srv.base}{SYNC}/pull", params=params, headers={HEADER: "2", "Authorization": f"Bearer {token}"})
    assert r.status_code == 422, (params, r.status_code, r.text[:200])
    _chinese(r)
    top = requests.get(f"{srv.base}{SYNC}/pull", params={"since": 2**31 - 1}, headers={HEADER: "2", "Authorization": f"Bearer {token}"})
    assert top.status_code == 200 and top.json()["changes"] == [], top.text[:200]


BIG = 2**63
BAD_BODIES = [
    ("/push", {"ops": [], "unsent": BIG}),
    ("/push", {"ops": [], "unsent": 2**63 - 1}),
    ("/push", {"ops": [], "unsent": 10**9 + 1}),
    ("/push", {"ops": [], "unsent": -1}),
    ("/push", {"ops": [{"op_id": "a", "entity": "topic", "row_id": "r", "kind": "update", "base_version": BIG}], "unsent": 3}),
    ("/push", {"ops": [{"op_id": "a", "entity": "topic", "row_id": "r", "kind": "update", "bases": {"title": BIG}}], "unsent": 3}),
    ("/push", {"ops": [{"op_id": "a", "entity": "topic", "row_id": "r", "kind": "update", "fields": {"x" * 5000: 1}}], "unsent": 3}),
    ("/push", {"ops": [{"op_id": "a", "entity": "t" * 5000, "row_id": "r", "kind": "insert"}], "unsent": 3}),
    # a NUL in an id reached PostgreSQL (which refuses it in text) as a 500
    ("/push", {"ops": [{"op_id": "a\x00b", "entity": "topic", "row_id": "r", "kind": "insert"}], "unsent": 3}),
    ("/push", {"ops": [{"op_id": "a", "entity": "topic", "row_id": "r\x00", "kind": "insert"}], "unsent": 3}),
    ("/verify", {"entities": {"topic": [BIG, "0:0"]}}),
    ("/verify", {"entities": {"topic": [1, "0" * 5000]}}),
    ("/verify", {"entities": {}, "upto": BIG}),
    ("/verify", {"entities": {}, "upto": 2**31}),
    ("/rows", {"buckets": {"topic": [BIG]}}),
    ("/rows", {"buckets": {"topic": [-1]}}),
    ("/rows", {"ids": {"topic": ["x" * 5000]}}),
]


@pytest.mark.parametrize(("path", "body"), BAD_BODIES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(BAD_BODIES)])
def test_a_sync_body_with_an_out_of_range_value_is_refused_and_changes_nothing(srv, path, body):
    _, device_id, token = _room_with_pc(srv)
    headers = {HEADER: "2", "Authorization": f"Bearer {token}"}
    for data, extra in ((json.dumps(body).encode(), {}), (gzip.compress(json.dumps(body).encode()), {"Content-Encoding": "gzip"})):
        r = requests.post(f"{srv.base}{SYNC}{path}", data=data, headers={**headers, **extra, "Content-Type": "application/json"})
        assert r.status_code in (400, 422), (path, r.status_code, r.text[:200])
        _chinese(r)
    assert _device(srv, device_id) == (0, 0)


def _admin(srv) -> requests.Session:  # type: ignore[no-untyped-def]
    s = srv.session()
    form = s.get(f"{srv.base}/admin/login")
    csrf = re.search(r'name="csrf" value="([^"]*)"', form.text)
    r = s.post(f"{srv.base}/admin/login", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD, **({"csrf": csrf.group(1)} if csrf else {})})
    assert r.status_code == 200 and "各议事室情况" in r.text, r.text[:300]
    return s


def test_the_rooms_page_sums_unsent_reports_without_overflow(srv):
    code, first, token = _room_with_pc(srv)
    second = requests.post(f"{srv.base}/api/v1/enroll", json={"code": _one_time_code(srv, code), "device_name": "第二台电脑"}).json()["token"]
    headers = {HEADER: "2"}
    for t in (token, second):  # the most the wire allows, from both PCs
        r = requests.post(f"{srv.base}{SYNC}/push", json={"ops": [], "unsent": 10**9}, headers={**headers, "Authorization": f"Bearer {t}"})
        assert r.status_code == 200, r.text
    admin = _admin(srv)
    page = admin.get(f"{srv.base}/admin")
    assert page.status_code == 200
    row = page.text[page.text.index(code):]
    assert "2000000000" in row[: row.index("</tr>")]
    # reports stored before the wire was bounded (two PCs at 2**63-1 overflowed
    # SQLite's SUM): the page still opens, each PC counted at the bound
    if srv.backend == "sqlite":
        import sqlite3

        con = sqlite3.connect(srv.db_url.removeprefix("sqlite:///"))
        with con:
            con.execute("UPDATE devices SET unsent_reported = ? WHERE room_id = (SELECT id FROM rooms WHERE code = ?)", (2**63 - 1, code))
        con.close()
        page = admin.get(f"{srv.base}/admin")
        assert page.status_code == 200, page.text[:300]
        row = page.text[page.text.index(code):]
        assert "2000000000" in row[: row.index("</tr>")]


BOUNDARY = "----yishi-test-boundary"
PHOTO_PART = (
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n路灯坏了\r\n'
    f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
).encode("utf-8")


def _body_endpoints(srv, token: str) -> list[tuple[str, str, dict[str, str], bytes]]:  # type: ignore[no-untyped-def]
    """Every endpoint that takes a body: (method, path, headers, how the body starts)."""
    sync = {HEADER: "2", "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    ip = {"X-Forwarded-For": new_ip()}
    return [
        ("POST", f"{SYNC}/push", sync, b'{"ops":[],"unsent":"'),
        ("POST", f"{SYNC}/verify", sync, b'{"entities":{"'),
        ("POST", f"{SYNC}/rows", sync, b'{"ids":{"'),
        ("PUT", f"{SYNC}/blobs/{'ab' * 32}?offset=0&size={50 * MiB}", {**sync, "Content-Type": "application/octet-stream"}, b""),
        ("POST", "/api/v1/enroll", {"Content-Type": "application/json", **ip}, b'{"code":"'),
        # the phone form is multipart (it carries a photo)
        ("POST", f"/r/{srv.room_a}", {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **ip}, PHOTO_PART),
        ("POST", "/admin/login", {"Content-Type": "application/x-www-form-urlencoded", **ip}, b"username=county&password="),
    ]


def _stream(prefix: bytes, total: int):  # type: ignore[no-untyped-def]
    yield prefix
    yield from rawhttp.zeros(total)


def test_a_body_announced_above_its_cap_is_refused_at_once(srv):
    code, device_id, token = _room_with_pc(srv)
    topics = srv.count("SELECT COUNT(*) FROM topic")
    for method, path, headers, _ in _body_endpoints(srv, token):
        # 150 MiB announced, none of it sent: the answer comes without waiting for it
        r = rawhttp.send(srv.base, method, path, headers={**headers, "Content-Length": str(150 * MiB)}, timeout=10)
        assert r.status_code == 413, (path, r.status_code, r.body[:200])
        assert r.seconds < 5
        _chinese(r)
    assert _device(srv, device_id) == (0, 0)
    assert srv.count("SELECT COUNT(*) FROM topic") == topics


def test_a_streamed_body_is_refused_once_it_passes_its_cap(srv):
    _, device_id, token = _room_with_pc(srv)
    topics = srv.count("SELECT COUNT(*) FROM topic")
    for method, path, headers, prefix in _body_endpoints(srv, token):
        # no Content-Length (chunked): the server counts, and stops at its cap
        r = rawhttp.send(srv.base, method, path, headers=headers, body=_stream(prefix, 150 * MiB), chunked=True)
        assert r.status_code == 413, (path, r.status_code, r.body[:200])
        assert r.sent < 40 * MiB, (path, r.sent)  # the cap plus what the sockets hold
        _chinese(r)
    assert _device(srv, device_id) == (0, 0)
    assert srv.count("SELECT COUNT(*) FROM topic") == topics


def test_a_gzip_bomb_is_refused_after_the_cap(srv):
    _, device_id, token = _room_with_pc(srv)
    bomb = rawhttp.gzip_bomb()
    assert len(bomb) < 600 * 1024
    for path in ("/push", "/verify", "/rows"):
        r = requests.post(
            f"{srv.base}{SYNC}{path}", data=bomb,
            headers={HEADER: "2", "Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"},
        )
        assert r.status_code == 413, (path, r.status_code, r.text[:200])
        assert "太多" in _chinese(r)
    # a broken gzip stream, and bytes after the gzip member: 400, not 500
    for data in (bomb[:1000], gzip.compress(b'{"ops":[]}') + b"junk", b"not gzip at all"):
        r = requests.post(
            f"{srv.base}{SYNC}/push", data=data,
            headers={HEADER: "2", "Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"},
        )
        assert r.status_code == 400, r.text[:200]
        _chinese(r)
    assert _device(srv, device_id) == (0, 0)


def test_a_body_under_its_cap_still_goes_through(srv):
    """The caps leave room for what a PC really sends: 500 operations of long text."""
    code, device_id, token = _room_with_pc(srv)
    long_text = "村民反映：" + "路灯不亮，" * 2000  # about 30 KB in UTF-8
    ops = [{"op_id": f"op-{i}", "entity": "nosuch", "row_id": f"row-{i}", "kind": "insert", "fields": {"title": long_text}} for i in range(500)]
    body = json.dumps({"ops": ops, "unsent": 0}, ensure_ascii=False).encode("utf-8")
    assert 14 * MiB < len(body) < 16 * MiB
    r = requests.post(
        f"{srv.base}{SYNC}/push", data=gzip.compress(body),
        headers={HEADER: "2", "Authorization": f"Bearer {token}", "Content-Encoding": "gzip", "Content-Type": "application/json"},
    )
    assert r.status_code == 200, r.text[:300]
    assert [x["status"] for x in r.json()["results"]] == ["rejected"] * 500  # an entity it does not know: refused one by one
    assert _device(srv, device_id) == (0, 1)


BLOB_LIMIT = 50 * MiB  # the PC's own photo limit (desktop.storage.services.photos.MAX_PHOTO)
BAD_BLOB_QUERIES = [
    ({"offset": -1, "size": 100}, 422),
    ({"offset": 2**63, "size": 100}, 422),
    ({"offset": 0, "size": 2**63}, 422),
    ({"offset": 0, "size": BLOB_LIMIT + 1}, 422),
    ({"offset": BLOB_LIMIT + 1, "size": BLOB_LIMIT}, 422),
    ({"offset": 0, "size": 0}, 422),
    ({"offset": "１", "size": 100}, 422),
    ({"offset": 101, "size": 100}, 400),  # past the end of the photo
    ({"offset": BLOB_LIMIT, "size": BLOB_LIMIT - 1}, 400),
]


@pytest.mark.parametrize(("params", "status"), BAD_BLOB_QUERIES, ids=[f"{p['offset']}-{p['size']}"[:40] for p, _ in BAD_BLOB_QUERIES])
def test_a_blob_upload_out_of_bounds_is_refused_in_chinese_and_stores_nothing(srv, params, status):
    """``0 <= offset <= size <= 50 MB`` on a hash the room really holds (a photo
    from its own phone form), so the refusal is the bounds', not a 404."""
    import hashlib
    import io

    from PIL import Image

    code, _, token = _room_with_pc(srv)
    buf = io.BytesIO()
    Image.new("RGB", (12, 12), (1, 2, 3)).save(buf, "PNG")
    photo = buf.getvalue()
    sha = hashlib.sha256(photo).hexdigest()
    form = requests.post(f"{srv.base}/r/{code}", data={"title": "照片分块测试"}, files={"photo": ("p.png", photo, "image/png")}, headers={"X-Forwarded-For": new_ip()})
    assert form.status_code == 200, form.text[:300]
    headers = {HEADER: "2", "Authorization": f"Bearer {token}", "Content-Type": "application/octet-stream"}
    held = "SELECT count(*) FROM blob_uploads u JOIN rooms r ON r.id = u.room_id WHERE r.code = :c"
    before = srv.count(held, c=code)
    partial = srv.data_dir / "blobs" / "partial"
    partials = sorted(partial.rglob("*")) if partial.exists() else []

    r = requests.put(f"{srv.base}{SYNC}/blobs/{sha}", params=params, data=b"x" * 10, headers=headers)
    assert r.status_code == status, (params, r.status_code, r.text[:300])
    _chinese(r)
    assert srv.count(held, c=code) == before
    assert (sorted(partial.rglob("*")) if partial.exists() else []) == partials
    # the same hash with bounds that hold is answered as usual (the room holds it complete)
    ok = requests.put(f"{srv.base}{SYNC}/blobs/{sha}", params={"offset": 0, "size": len(photo)}, data=photo, headers=headers)
    assert ok.status_code == 200 and ok.json()["complete"] is True, ok.text[:300]
