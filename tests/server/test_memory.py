"""Issue 12, "Memory": the 597 KiB gzip bomb (600 MiB unpacked) and a 150 MiB
body, sent to every endpoint that takes a body, raise the peak memory of a
real ``yishi-server serve`` process by less than 50 MiB. Before the caps the
bomb alone took it past 600 MiB (``gzip.decompress`` of the whole body).

The server is a fresh process of its own (no other test's load in its peak),
measured by the kernel's high-water mark of its resident set (VmHWM)."""

from __future__ import annotations

import gzip
import json
import re
import secrets
from pathlib import Path
from typing import Iterator

import pytest
import requests

from tests.server.conftest import ADMIN_PASSWORD, ADMIN_USER, Srv, _start, new_ip
from tests.support import rawhttp

MiB = 1024 * 1024
HEADER = "X-Yishi-Protocol"
SYNC = "/api/v1/sync"
BOUNDARY = "----yishi-memory-boundary"


@pytest.fixture(scope="module")
def lone_srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Srv]:
    tmp = tmp_path_factory.mktemp("srv-memory")
    yield from _start(tmp, f"sqlite:///{tmp / 'data' / 'yishi-server.sqlite3'}", "sqlite")


def _pid_of(srv: Srv) -> int:
    """The server process: the one whose command line names its data dir."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if str(srv.data_dir).encode() in argv and b"serve" in argv:
            return int(proc.name)
    raise AssertionError("server process not found")


def _peak_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def _token(srv: Srv) -> str:
    from server.services.devices import new_enrollment_code

    db = srv.db()
    try:
        code = new_enrollment_code(db, srv.room_a)
    finally:
        db.close()
    r = requests.post(f"{srv.base}/api/v1/enroll", json={"code": code, "device_name": "memory"})
    assert r.status_code == 200, r.text
    return r.json()["token"]


def _endpoints(srv: Srv, token: str) -> list[tuple[str, str, dict[str, str], bytes]]:
    """(method, path, headers, a valid start of the body) of every endpoint that takes one."""
    sync = {HEADER: "2", "Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    photo = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n路灯坏了\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="photo"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
    ).encode("utf-8")
    return [
        ("POST", f"{SYNC}/push", sync, b'{"ops":[],"unsent":"'),
        ("POST", f"{SYNC}/verify", sync, b'{"entities":{"'),
        ("POST", f"{SYNC}/rows", sync, b'{"ids":{"'),
        ("PUT", f"{SYNC}/blobs/{secrets.token_hex(32)}?offset=0&size={50 * MiB}", {**sync, "Content-Type": "application/octet-stream"}, b"\xff\xd8"),
        ("POST", "/api/v1/enroll", {"Content-Type": "application/json"}, b'{"code":"'),
        ("POST", f"/r/{srv.room_a}", {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}, photo),
        ("POST", "/admin/login", {"Content-Type": "application/x-www-form-urlencoded"}, f"username={ADMIN_USER}&password=".encode()),
    ]


def _warm_up(srv: Srv, token: str) -> None:
    """One ordinary request to each endpoint, so imports and caches are in the baseline."""
    sync = {HEADER: "2", "Authorization": f"Bearer {token}"}
    for path, body in (("/push", {"ops": [], "unsent": 0}), ("/verify", {"entities": {}}), ("/rows", {"ids": {}})):
        data = gzip.compress(json.dumps(body).encode())
        assert requests.post(f"{srv.base}{SYNC}{path}", data=data, headers={**sync, "Content-Encoding": "gzip", "Content-Type": "application/json"}).status_code == 200
    requests.get(f"{srv.base}/r/{srv.room_a}", headers={"X-Forwarded-For": new_ip()})
    s = srv.session()
    form = s.get(f"{srv.base}/admin/login")
    csrf = re.search(r'name="csrf" value="([^"]*)"', form.text)
    r = s.post(f"{srv.base}/admin/login", data={"username": ADMIN_USER, "password": ADMIN_PASSWORD, **({"csrf": csrf.group(1)} if csrf else {})})
    assert r.status_code == 200


def _stream(prefix: bytes, total: int) -> Iterator[bytes]:
    yield prefix
    yield from rawhttp.zeros(total)


def test_bombs_and_huge_bodies_to_every_endpoint_raise_peak_memory_by_under_50_mib(lone_srv):
    srv = lone_srv
    pid = _pid_of(srv)
    token = _token(srv)
    _warm_up(srv, token)
    before = _peak_mib(pid)
    bomb = rawhttp.gzip_bomb()
    answers = []
    for method, path, headers, prefix in _endpoints(srv, token):
        headers = {**headers, "X-Forwarded-For": new_ip()}
        bombed = rawhttp.send(srv.base, method, path, headers={**headers, "Content-Encoding": "gzip", "Content-Length": str(len(bomb))}, body=[bomb])
        streamed = rawhttp.send(srv.base, method, path, headers=headers, body=_stream(prefix, 150 * MiB), chunked=True)
        answers.append((path, bombed.status_code, streamed.status_code))
    after = _peak_mib(pid)
    print(f"peak RSS of the server: {before:.1f} MiB before, {after:.1f} MiB after", answers)
    # every one refused, none by a crash (a 5xx, or no answer at all)
    assert all(0 < b < 500 and s == 413 for _, b, s in answers), answers
    assert after - before < 50, f"peak RSS {before:.0f} MiB -> {after:.0f} MiB"
    # the server still serves
    assert requests.get(f"{srv.base}/healthz").status_code == 200
