"""Issue 12, photos scoped to rooms, against real ``yishi-server serve`` processes
(SQLite and PostgreSQL), two rooms each: a PC of room A acts as an adversary
would, with its own token, by hand-made requests and by editing its own data
file before a sync.

- squatting: A claims B's photo's hash (size=1, then a partial chunk); B's PC
  then syncs its photo as usual, it completes, and B's other PC downloads it;
- probing: A's questions about B's hash (state, HEAD, GET, PUT) get exactly the
  answers a made-up hash gets;
- naming: A pushes an attachment row naming B's hash; A's GET stays 404 (and
  wrong bytes do not help) until A uploads the right bytes itself;
- partial litter: a made-up hash's partial upload is removed after the set age
  (``YISHI_BLOB_PARTIAL_DAYS``, by ``yishi-server clean-blobs``), a fresh one is
  kept, and the upload then starts again from byte 0.
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
import time
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from desktop.storage.db import Store
from desktop.storage.models import AttachmentRow, OutboxRow
from desktop.storage.services import photos, topics
from desktop.sync import engine
from server.services.photos import blob_path
from tests.sync.helpers import fresh_room, new_pc


@pytest.fixture(params=["sqlite", "postgresql"])
def any_srv(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The session's SQLite server process, or a PostgreSQL one (tests/server's)."""
    if request.param == "sqlite":
        return request.getfixturevalue("srv")
    if not os.environ.get("YISHI_TEST_PG_URL"):
        pytest.fail("YISHI_TEST_PG_URL is not set")
    return request.getfixturevalue("pg_srv")


# the PostgreSQL server process of tests/server, made available here
from tests.server.conftest import pg_srv, pg_url  # noqa: E402,F401


def jpeg(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return b"\xff\xd8\xff\xe0" + rng.randbytes(size - 4)


def _file(tmp: Path, name: str, data: bytes) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    p = tmp / name
    p.write_bytes(data)
    return p


class Raw:
    """Hand-made requests with a PC's own token (what a curious PC can send)."""

    def __init__(self, srv, store: Store) -> None:  # type: ignore[no-untyped-def]
        self.client = engine.client_for(store)
        self.base = f"{srv.base}/api/v1/sync/blobs"

    def state(self, sha: str) -> requests.Response:
        return self.client.session.get(f"{self.base}/{sha}/state", timeout=10)

    def head(self, sha: str) -> requests.Response:
        return self.client.session.head(f"{self.base}/{sha}", timeout=10)

    def get(self, sha: str) -> requests.Response:
        return self.client.session.get(f"{self.base}/{sha}", timeout=10)

    def put(self, sha: str, *, offset: int, size: int, data: bytes) -> requests.Response:
        return self.client.session.put(f"{self.base}/{sha}", params={"offset": offset, "size": size, "mime": "image/jpeg"}, data=data, timeout=10)

    def upload(self, sha: str, data: bytes, chunk: int = 64 * 1024) -> requests.Response:
        resp = None
        for off in range(0, len(data), chunk):
            resp = self.put(sha, offset=off, size=len(data), data=data[off : off + chunk])
        assert resp is not None
        return resp

    def close(self) -> None:
        self.client.close()


def name_hash(store: Store, tmp: Path, sha: str) -> str:
    """A topic with an attachment row naming ``sha``, pushed by the next sync:
    the PC attaches a photo of its own, then its data file is edited so the
    row (and the operation waiting to be sent) names ``sha`` instead."""
    t = topics.record_topic(store, title="路边有个坑", source="walk_in").value
    own = photos.attach_photo(store, topic_id=t.id, path=_file(tmp, f"{secrets.token_hex(4)}.jpg", jpeg(2_000, random.randrange(1 << 30)))).value
    with store.write() as session:
        row = session.get(AttachmentRow, own.id)
        row.sha256 = sha
        for op in session.scalars(select(OutboxRow).where(OutboxRow.row_id == own.id)):
            op.fields = {**op.fields, "sha256": sha}
    engine.sync(store)
    with store.read() as session:
        assert session.get(AttachmentRow, own.id).version > 0  # the server took the row
    return own.id


def two_rooms(srv, tmp: Path):  # type: ignore[no-untyped-def]
    (code_a, id_a), (code_b, id_b) = fresh_room(srv), fresh_room(srv)
    a = new_pc(srv, tmp, "a1", room_code=code_a)
    b1, b2 = new_pc(srv, tmp, "b1", room_code=code_b), new_pc(srv, tmp, "b2", room_code=code_b)
    return a, b1, b2, id_a, id_b


def _same_404(r: requests.Response, made_up: requests.Response, sha: str, fake: str) -> None:
    """Two answers a person could not tell apart (the hash asked for aside)."""
    assert r.status_code == made_up.status_code == 404, (r.status_code, r.text, made_up.status_code)
    assert r.content.replace(sha.encode(), b"H") == made_up.content.replace(fake.encode(), b"H")
    keep = ("content-type", "x-received", "x-complete", "content-length")
    assert {k: v for k, v in r.headers.items() if k.lower() in keep} == {k: v for k, v in made_up.headers.items() if k.lower() in keep}


def test_a_squatting_room_neither_blocks_nor_sees_the_photo(any_srv, tmp_path):
    srv = any_srv
    a, b1, b2, _id_a, id_b = two_rooms(srv, tmp_path)
    t = topics.record_topic(b1, title="桥栏杆松了", source="walk_in").value
    data = jpeg(300_000, 7)
    sha = photos.attach_photo(b1, topic_id=t.id, path=_file(tmp_path / "in", "b.jpg", data)).value.sha256
    raw = Raw(srv, a)
    try:
        # without naming it, A cannot even start an upload of the hash
        assert raw.put(sha, offset=0, size=1, data=b"").status_code == 404
        # naming it in a row of A's own, A claims it with size=1, then a partial chunk
        name_hash(a, tmp_path / "a-in", sha)
        assert raw.put(sha, offset=0, size=1, data=b"").status_code == 200
        assert raw.put(sha, offset=0, size=len(data), data=b"\0" * 1000).json()["received"] == 1000
        # B's PC syncs as every evening: the photo goes up whole
        report = engine.sync(b1)
        assert report.photos_sent == 1
        # B's other PC gets it, byte for byte
        assert engine.sync(b2).photos_received == 1
        assert photos.photo_path(b2, sha).read_bytes() == data
        # A's claim is still A's partial only, and shows A nothing
        assert raw.state(sha).json()["received"] == 1000
        assert raw.get(sha).status_code == 404
        # and B's own partial is gone: its upload is complete
        assert not list((srv.data_dir / "blobs" / "partial" / id_b).glob("*"))
    finally:
        raw.close()


def test_probing_another_rooms_hash_answers_as_a_made_up_one(any_srv, tmp_path):
    srv = any_srv
    a, b1, _b2, _id_a, _id_b = two_rooms(srv, tmp_path)
    t = topics.record_topic(b1, title="垃圾桶满了", source="walk_in").value
    sha = photos.attach_photo(b1, topic_id=t.id, path=_file(tmp_path / "in", "b.jpg", jpeg(120_000, 8))).value.sha256
    assert engine.sync(b1).photos_sent == 1
    # and one of B's half uploaded (its row pushed, a first chunk sent)
    data2 = jpeg(200_000, 9)
    sha2 = hashlib.sha256(data2).hexdigest()
    name_hash(b1, tmp_path / "b-in", sha2)
    half = Raw(srv, b1)
    try:
        assert half.put(sha2, offset=0, size=len(data2), data=data2[:50_000]).json()["received"] == 50_000
    finally:
        half.close()
    fake = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
    raw = Raw(srv, a)
    try:
        for probe in (sha, sha2):
            _same_404(raw.state(probe), raw.state(fake), probe, fake)
            _same_404(raw.head(probe), raw.head(fake), probe, fake)
            _same_404(raw.get(probe), raw.get(fake), probe, fake)
            _same_404(raw.put(probe, offset=0, size=10, data=b"x"), raw.put(fake, offset=0, size=10, data=b"x"), probe, fake)
        # naming B's hash in a row of A's own does not change what A is told
        name_hash(a, tmp_path / "a-in", sha)
        name_hash(a, tmp_path / "a-in", fake)
        _same_404(raw.state(sha), raw.state(fake), sha, fake)
        _same_404(raw.get(sha), raw.get(fake), sha, fake)
    finally:
        raw.close()


def test_naming_a_hash_gives_nothing_until_the_room_uploads_the_bytes(any_srv, tmp_path):
    srv = any_srv
    a, b1, _b2, _id_a, _id_b = two_rooms(srv, tmp_path)
    t = topics.record_topic(b1, title="广场舞太吵", source="walk_in").value
    data = jpeg(150_000, 10)
    sha = photos.attach_photo(b1, topic_id=t.id, path=_file(tmp_path / "in", "b.jpg", data)).value.sha256
    assert engine.sync(b1).photos_sent == 1
    name_hash(a, tmp_path / "a-in", sha)
    # A's own sync does not bring B's photo
    assert engine.sync(a).photos_received == 0
    raw = Raw(srv, a)
    try:
        assert raw.get(sha).status_code == 404
        assert raw.state(sha).status_code == 404
        # bytes of the right size that are not the photo fail A's own upload
        bad = raw.upload(sha, jpeg(len(data), 11))
        assert bad.status_code == 409 and bad.json()["received"] == 0
        assert raw.get(sha).status_code == 404
        # the right bytes, sent by A itself, verified against the hash: now A may read
        good = raw.upload(sha, data)
        assert good.status_code == 200 and good.json()["complete"] is True
        got = raw.get(sha)
        assert got.status_code == 200 and got.content == data
        assert raw.state(sha).json()["complete"] is True
    finally:
        raw.close()
    # one stored file, shared by the two rooms
    assert hashlib.sha256(blob_path(srv.data_dir / "blobs", sha).read_bytes()).hexdigest() == sha
    assert engine.sync(a).photos_received == 1
    assert photos.photo_path(a, sha).read_bytes() == data


def test_stale_partial_uploads_are_cleaned_after_the_set_age(any_srv, tmp_path, monkeypatch):
    srv = any_srv
    a, b1, _b2, id_a, id_b = two_rooms(srv, tmp_path)
    made_up = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
    name_hash(a, tmp_path / "a-in", made_up)
    partial_root = srv.data_dir / "blobs" / "partial"
    raw_a, raw_b = Raw(srv, a), Raw(srv, b1)
    try:
        assert raw_a.put(made_up, offset=0, size=1_000_000, data=b"\1" * 5000).json()["received"] == 5000
        stale = partial_root / id_a / made_up
        assert stale.stat().st_size == 5000
        # an older server's partial (blobs/partial/<sha>), untouched for 8 days
        legacy = partial_root / hashlib.sha256(b"legacy").hexdigest()
        legacy.write_bytes(b"old")
        eight_days_ago = time.time() - 8 * 86400
        os.utime(legacy, (eight_days_ago, eight_days_ago))
        # the default age (7 days): the fresh partial stays, the old leftover goes
        r = srv.cli("clean-blobs")
        assert r.returncode == 0, r.stderr
        assert "已删除 1 个" in r.stdout
        assert stale.exists() and not legacy.exists()
        assert raw_a.state(made_up).json()["received"] == 5000

        time.sleep(10.5)  # A's partial makes no progress for longer than the age set below
        # B's upload goes on meanwhile: it is fresh when the cleaner runs
        other = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
        name_hash(b1, tmp_path / "b-in", other)
        assert raw_b.put(other, offset=0, size=100_000, data=b"\2" * 3000).json()["received"] == 3000
        # the set age, from the environment (as a cron job would set it): 10 seconds
        monkeypatch.setenv("YISHI_BLOB_PARTIAL_DAYS", str(10 / 86400))
        r = srv.cli("clean-blobs")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("已删除 "), r.stdout  # (other tests' partials on this server may go too)
        assert not stale.exists()
        assert (partial_root / id_b / other).stat().st_size == 3000
        # A's upload is gone: the state says so, and the upload starts again at 0
        assert raw_a.state(made_up).status_code == 404
        again = raw_a.put(made_up, offset=5000, size=1_000_000, data=b"\1" * 10)
        assert again.status_code == 409 and again.json()["received"] == 0
        assert raw_b.state(other).json()["received"] == 3000
    finally:
        raw_a.close()
        raw_b.close()
    # a bad age is refused with the usage, and nothing is removed
    r = srv.cli("clean-blobs", "--older-than-days", "-1")
    assert r.returncode == 2 and "天数应是大于 0 的数字" in r.stderr
    assert (partial_root / id_b / other).exists()


def test_the_server_cleans_stale_partials_when_it_starts(tmp_path, monkeypatch):
    """No cron job: a restarted server removes them at its first photo request."""
    from tests.sync.killable import KillableServer

    monkeypatch.setenv("YISHI_BLOB_PARTIAL_DAYS", str(4 / 86400))  # 4 seconds
    k = KillableServer(tmp_path / "srv")
    try:
        k.start()
        a = new_pc(k.srv, tmp_path, "a")
        made_up = hashlib.sha256(secrets.token_bytes(16)).hexdigest()
        name_hash(a, tmp_path / "a-in", made_up)
        raw = Raw(k.srv, a)
        try:
            assert raw.put(made_up, offset=0, size=500_000, data=b"\3" * 4000).json()["received"] == 4000
            part = next((k.srv.data_dir / "blobs" / "partial").glob(f"*/{made_up}"))
            time.sleep(5)
            assert part.exists()  # the running server cleans at most once an hour
            k.kill()
            k.start()
            assert raw.state(made_up).status_code == 404
            assert not part.exists()
        finally:
            raw.close()
    finally:
        k.close()
    assert "Traceback" not in k.log_path.read_text(), k.log_path.read_text()
