"""Sync benchmark against a real county server process on 127.0.0.1 (SQLite),
each figure next to a same-run baseline:

- a typical evening (10 local changes, 3 new web topics): HTTP requests of one
  ``yishi sync`` (target: at most 4) and bytes on the wire per synced topic;
- push apply rate: topics pushed through ``/sync/push`` against a raw Core
  insert of the same rows into a fresh server database;
- incremental sync of 10 changes on a PC holding ``--big`` topics against one
  holding 100 (target: at most 1.5x), both rooms mirrored on the server;
- ``--soak``: the long version of the property test (5,000 examples).

    .venv/bin/python bench/bench_sync.py [--big 200000] [--push 2000] [--soak]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from sqlalchemy import create_engine, insert, select, update  # noqa: E402

from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import ENTITIES, SyncStateRow, TopicRow  # noqa: E402
from desktop.storage import outbox  # noqa: E402
from desktop.storage.services import topics  # noqa: E402
from desktop.sync import engine  # noqa: E402
from desktop.sync.enroll import enroll  # noqa: E402


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp: Path) -> None:
        self.data = tmp / "server"
        self.url_db = f"sqlite:///{self.data / 'yishi-server.sqlite3'}"
        self.env = {**os.environ, "YISHI_LANG": "zh", "YISHI_SERVER_LIMIT_IP": "1000"}
        self._cli("add-room", "--code", "BENCH-000", "--name", "基准议事室", "--county", "清江浦区")
        port = _port()
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server", "--data-dir", str(self.data), "--database-url", self.url_db, "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.2)
        from server.db import ServerDB, Settings

        self.db = ServerDB(Settings(data_dir=self.data, database_url=self.url_db))
        self.n = 0

    def _cli(self, *args: str) -> None:
        subprocess.run([sys.executable, "-m", "server", "--data-dir", str(self.data), "--database-url", self.url_db, *args], cwd=ROOT, env=self.env, check=True, capture_output=True)

    def room(self) -> tuple[str, str]:
        from server.services.rooms import add_room

        self.n += 1
        r = add_room(self.db, code=f"B{self.n:04d}", name=f"基准议事室{self.n}", county="清江浦区")
        return r.code, r.id

    def pc(self, tmp: Path, code: str) -> Store:
        from server.services.devices import new_enrollment_code

        store = Store(tmp)
        enroll(store, server_url=self.base, code=new_enrollment_code(self.db, code), device_name=tmp.name)
        engine.sync(store)
        return store

    def stop(self) -> None:
        self.db.close()
        self.proc.terminate()
        self.proc.wait(10)


def evening(srv: Server, tmp: Path) -> None:
    code, _ = srv.room()
    pc = srv.pc(tmp / "evening", code)
    ids = [topics.record_topic(pc, title=f"白天的议题{i}", source="walk_in").value.id for i in range(20)]
    engine.sync(pc)
    for i in range(5):
        topics.record_topic(pc, title=f"晚上登记的议题{i}", source="walk_in", description="小区路灯不亮，老人晚上出门不方便。")
    for tid in ids[:5]:
        topics.accept(pc, tid, actor="王召集")
    for i in range(3):
        requests.post(f"{srv.base}/r/{code}", data={"title": f"扫码反映{i}", "description": "垃圾站夏天异味很重，希望加盖。"}, headers={"X-Forwarded-For": f"10.1.1.{i + 1}"})
    client = engine.client_for(pc)
    report = engine.sync(pc, client)
    synced = 13
    wire = report.bytes_sent + report.bytes_received
    print(f"typical evening: {report.requests} HTTP requests (target <= 4); {report.pushed} ops pushed, {report.pulled} changes pulled")
    print(f"  bytes on the wire (bodies, gzip): {wire} = {wire / synced:.0f} per synced topic ({synced} topics)")
    pc.close()


def push_rate(srv: Server, tmp: Path, n: int) -> None:
    code, room_id = srv.room()
    pc = srv.pc(tmp / "push", code)
    for i in range(n):
        topics.record_topic(pc, title=f"议题{i}", source="walk_in", description="公厕没有洗手池，老人孩子不方便。")
    t0 = time.perf_counter()
    report = engine.push(pc, engine.client_for(pc))
    pushed = time.perf_counter() - t0
    # baseline: the same rows, raw Core insert into a fresh server-shaped database
    from server.models import ENTITY_METADATA

    eng = create_engine(f"sqlite:///{tmp / 'raw.sqlite3'}")
    ENTITY_METADATA.create_all(eng)
    with pc.read() as s:
        rows = {e: [dict(r._mapping) for r in s.execute(select(cls.__table__))] for e, cls in ENTITIES.items() if e in ("topic", "topic_event")}
    t0 = time.perf_counter()
    with eng.begin() as conn:
        for e, rs in rows.items():
            conn.execute(insert(ENTITY_METADATA.tables[e]), rs)
    raw = time.perf_counter() - t0
    ops = report.pushed
    print(f"push apply: {ops} ops in {pushed:.2f} s = {ops / pushed:,.0f} ops/s over HTTP; raw insert {ops / raw:,.0f} rows/s; ratio {pushed / raw:.1f}x")
    pc.close()


def mirrored_pc(srv: Server, tmp: Path, n: int) -> Store:
    """A PC holding ``n`` topics (bench/seed.py) that the server holds too."""
    sys.path.insert(0, str(ROOT / "bench"))
    from seed import seed_room

    code, room_id = srv.room()
    pc = srv.pc(tmp, code)
    seed_room(pc, n, seed=n)  # tracking codes are unique county-wide: another seed per room
    with pc.read() as s, srv.db.write() as dst:
        for e, cls in ENTITIES.items():
            batch: list[dict] = []
            for r in s.execute(select(cls.__table__)):
                batch.append(dict(r._mapping))
                if len(batch) >= 5000:
                    dst.execute(insert(cls.__table__), batch)
                    batch = []
            if batch:
                dst.execute(insert(cls.__table__), batch)
        from server.models import RoomSeqRow

        dst.execute(update(RoomSeqRow).where(RoomSeqRow.room_id == room_id).values(last_seq=1))
    with pc.write() as s:
        s.get(SyncStateRow, 1).cursor = 1
    assert engine.verify(pc, engine.client_for(pc)), "mirror differs"
    return pc


def incremental(srv: Server, tmp: Path, big: int) -> None:
    times = {}
    for n in (100, big):
        pc = mirrored_pc(srv, tmp / f"inc{n}", n)
        with pc.read() as s:
            ids = list(s.scalars(select(TopicRow.id).limit(10)))
        for tid in ids:
            with pc.write() as s:
                outbox.update(s, s.get(TopicRow, tid), location="运河东路")
        t0 = time.perf_counter()
        report = engine.sync(pc)
        times[n] = time.perf_counter() - t0
        assert report.pushed == 10
        print(f"incremental sync of 10 changes, PC with {n:,} topics: {times[n] * 1000:.0f} ms ({report.requests} requests)")
        pc.close()
    print(f"  ratio {times[big] / times[100]:.2f}x (target <= 1.5x)")


def soak(examples: int) -> None:
    env = {**os.environ, "YISHI_PROPERTY_EXAMPLES": str(examples)}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/sync/test_property.py", "tests/sync/test_ticket_clash.py"], cwd=ROOT, env=env)
    print(f"soak: property test with {examples} examples: {'passed' if out.returncode == 0 else 'FAILED'} in {time.perf_counter() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", type=int, default=200_000)
    ap.add_argument("--push", type=int, default=2000, help="topics pushed for the apply rate")
    ap.add_argument("--soak", action="store_true")
    ap.add_argument("--examples", type=int, default=5000)
    a = ap.parse_args()
    if a.soak:
        soak(a.examples)
        return
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as d:
        tmp = Path(d)
        srv = Server(tmp)
        try:
            evening(srv, tmp)
            push_rate(srv, tmp, a.push)
            incremental(srv, tmp, a.big)
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
