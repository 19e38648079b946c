"""Sync benchmark against a real county server process on 127.0.0.1 (SQLite),
each figure next to a same-run baseline:

- a typical evening (10 local changes, 3 new web topics): HTTP requests of one
  ``yishi sync`` (target: at most 4) and bytes on the wire per synced topic;
- push apply rate: topics pushed through ``/sync/push`` against a raw Core
  insert of the same rows into a fresh server database;
- incremental sync of 10 changes on a PC holding ``--big`` topics against one
  holding 100 (target: at most 1.5x), both rooms mirrored on the server;
  ``--seed-dir`` reuses a big room file made once by ``bench/seed.py`` (a
  200,000-topic seed takes minutes);
- ``--burst``: the city's end-of-day burst on PostgreSQL (``YISHI_TEST_PG_URL``,
  see scripts/postgres.sh): ``--rooms`` rooms each push 20 operations and pull,
  ``--at-once`` at a time, against a real ``yishi-server`` process: errors, p50
  and p95 per room, and the server's resident memory over the burst;
- ``--soak``: the long version of the property test only (5,000 examples); the whole soak (1,000 server kills, the property test, the flaky link) is ``bench/soak_sync.py``, recorded in docs/bench/soak.md.

    .venv/bin/python bench/bench_sync.py [--big 200000] [--seed-dir DIR] [--push 2000]
    .venv/bin/python bench/bench_sync.py --burst [--rooms 1700] [--at-once 50]
    .venv/bin/python bench/bench_sync.py --soak [--examples 5000]
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
from sqlalchemy import create_engine, func, insert, select, update  # noqa: E402

from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import ENTITIES, TopicRow  # noqa: E402
from desktop.storage import outbox  # noqa: E402
from desktop.storage.services import topics  # noqa: E402
from desktop.sync import engine  # noqa: E402
from desktop.sync.enroll import enroll  # noqa: E402


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp: Path, url_db: str | None = None) -> None:
        self.data = tmp / "server"
        self.url_db = url_db or f"sqlite:///{self.data / 'yishi-server.sqlite3'}"
        self.env = {**os.environ, "YISHI_LANG": "zh", "YISHI_SERVER_LIMIT_IP": "1000", "YISHI_SERVER_LIMIT_NETWORK": "1000"}
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

    def room(self, room_id: str | None = None) -> tuple[str, str]:
        from server.services.rooms import add_room

        self.n += 1
        r = add_room(self.db, code=f"B{self.n:04d}", name=f"基准议事室{self.n}", county="清江浦区", room_id=room_id)
        return r.code, r.id

    def code(self, room_code: str) -> str:
        from server.services.devices import new_enrollment_code

        return new_enrollment_code(self.db, room_code)

    def pc(self, tmp: Path, code: str, *, store: Store | None = None, sync: bool = True) -> Store:
        store = store or Store(tmp)
        enroll(store, server_url=self.base, code=self.code(code), device_name=tmp.name)
        if sync:
            engine.sync(store)
        return store

    def rss_mib(self) -> float:
        """Resident memory of the server process (and any workers it started)."""
        pids = [self.proc.pid]
        children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        if children.exists():
            pids += [int(p) for p in children.read_text().split()]
        kib = 0
        for pid in pids:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    kib += int(line.split()[1])
        return kib / 1024

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
    # baseline: the same rows, raw Core insert into a fresh server database at
    # the newest schema (the real migrations, so with the same triggers)
    from server.migrate import upgrade
    from server.models import ENTITY_METADATA

    upgrade(f"sqlite:///{tmp / 'raw.sqlite3'}")
    eng = create_engine(f"sqlite:///{tmp / 'raw.sqlite3'}")
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


def _copy_seed(seed_dir: Path, dest: Path) -> Store:
    """A copy of a room file seeded once by bench/seed.py (SQLite's backup API,
    so a WAL left by the seeder comes along)."""
    import sqlite3

    from desktop.storage.db import DB_FILENAME

    Store(seed_dir).close()  # upgrade the seed in place once, not every copy
    dest.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(seed_dir / DB_FILENAME), sqlite3.connect(dest / DB_FILENAME)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
    return Store(dest)


def mirrored_pc(srv: Server, tmp: Path, n: int, *, seed_dir: Path | None = None) -> Store:
    """A PC holding ``n`` topics (bench/seed.py) that the server holds too."""
    sys.path.insert(0, str(ROOT / "bench"))
    from seed import seed_room

    from desktop.storage.services import rooms
    from desktop.sync import digest

    if seed_dir is not None:
        pc = _copy_seed(seed_dir, tmp)
        room = rooms.get_room(pc)
        assert room is not None
        code, room_id = srv.room(room_id=room.id)
        srv.pc(tmp, code, store=pc, sync=False)
    else:
        code, room_id = srv.room()
        pc = srv.pc(tmp, code)
        seed_room(pc, n, seed=n)  # tracking codes are unique county-wide: another seed per room
    with pc.read() as s:
        held = s.scalar(select(func.count()).select_from(TopicRow)) or 0
    assert held == n, f"the PC holds {held} topics, not {n}"
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
        # rows copied in by the bench: digest them now, as the room's first
        # verify after the upgrade would, so it is not timed below
        digest.settle(dst, room_id)
    with pc.write() as s:
        engine._state(s).cursor = 1
    # the PC digests its existing rows once, at its first check (not timed below)
    assert engine.verify(pc, engine.client_for(pc)), "mirror differs"
    return pc


def incremental(srv: Server, tmp: Path, big: int, seed_dir: Path | None, reps: int) -> None:
    """Both PCs set up first, then ``reps`` rounds alternating small and big,
    so a change in the machine's load hits both alike; medians are compared."""
    import statistics

    pcs = {n: mirrored_pc(srv, tmp / f"inc{n}", n, seed_dir=seed_dir if n == big else None) for n in (100, big)}
    times: dict[int, list[float]] = {100: [], big: []}
    for rep in range(reps):
        for n, pc in pcs.items():
            with pc.read() as s:
                ids = list(s.scalars(select(TopicRow.id).order_by(TopicRow.id).offset(10 * rep).limit(10)))
            for tid in ids:
                with pc.write() as s:
                    outbox.update(s, s.get(TopicRow, tid), location=f"运河东路{rep}号")
            t0 = time.perf_counter()
            report = engine.sync(pc)
            times[n].append(time.perf_counter() - t0)
            assert report.pushed == 10 and report.repaired == 0, report
            t0 = time.perf_counter()
            st = engine.status(pc)
            status_ms = (time.perf_counter() - t0) * 1000
            print(f"incremental sync of 10 changes, PC with {n:,} topics: {times[n][-1] * 1000:.0f} ms ({report.requests} requests); status(): {status_ms:.0f} ms (unsent {st.unsent})")
    for pc in pcs.values():
        pc.close()
    small, large = statistics.median(times[100]), statistics.median(times[big])
    print(f"  medians over {reps} rounds: {small * 1000:.0f} ms vs {large * 1000:.0f} ms: ratio {large / small:.2f}x (target <= 1.5x)")


# ---- the city's end-of-day burst on PostgreSQL --------------------------------


def _ops_template(srv: Server, tmp: Path) -> list[dict]:
    """The push payload of a real PC after ten new topics (20 operations: each
    topic and its first status record), taken from its outbox."""
    code, _ = srv.room()
    pc = srv.pc(tmp / "template", code, sync=False)
    for i in range(10):
        topics.record_topic(pc, title=f"晚上登记的议题{i}", source="walk_in", description="小区路灯不亮，老人晚上出门不方便。", location="运河东路")
    payload, _ = engine._take_batch(pc, 500)
    pc.close()
    assert len(payload) == 20, len(payload)
    return payload


def _for_room(template: list[dict], k: int) -> list[dict]:
    """The template with fresh ids and tracking codes (unique county-wide)."""
    import json
    import uuid

    text = json.dumps(template, ensure_ascii=False)
    olds = {op["op_id"] for op in template} | {op["row_id"] for op in template}
    for old in olds:
        text = text.replace(old, str(uuid.uuid4()))
    ops = json.loads(text)
    for j, op in enumerate(ops):
        if "tracking_code" in op["fields"]:
            op["fields"]["tracking_code"] = f"B{k:05d}{j:03d}"[:12]
    return ops


def burst(rooms_n: int, at_once: int) -> None:
    import secrets
    import statistics
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from sqlalchemy import text

    from desktop.sync.client import Client
    from desktop.sync.protocol import PullOut, PushOut

    base = os.environ.get("YISHI_TEST_PG_URL")
    if not base:
        sys.exit("--burst needs PostgreSQL: source scripts/postgres.sh && start_postgres (sets YISHI_TEST_PG_URL)")
    name = f"yishi_burst_{secrets.token_hex(4)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory(prefix="bench-burst-") as d:
            tmp = Path(d)
            srv = Server(tmp, url_db=url)
            try:
                template = _ops_template(srv, tmp)
                t0 = time.perf_counter()
                tokens = []
                for k in range(rooms_n):
                    code, _ = srv.room()
                    r = requests.post(f"{srv.base}/api/v1/enroll", json={"code": srv.code(code), "device_name": f"PC{k}"}, timeout=60)
                    r.raise_for_status()
                    tokens.append(r.json()["token"])
                print(f"burst set-up: {rooms_n} rooms enrolled in {time.perf_counter() - t0:.0f} s")
                payloads = [_for_room(template, k) for k in range(rooms_n)]
                errors: list[str] = []
                times: list[float] = []
                lock = threading.Lock()

                def room(k: int) -> None:
                    c = Client(srv.base, tokens[k])
                    t = time.perf_counter()
                    try:
                        out = PushOut.model_validate(c.json("POST", "/push", body={"ops": payloads[k], "unsent": 0}))
                        bad = [r for r in out.results if r.status != "applied"]
                        since, got = 0, 0
                        while True:
                            page = PullOut.model_validate(c.json("GET", "/pull", params={"since": since, "limit": 500}))
                            got += len(page.changes)
                            since = page.cursor
                            if not page.more:
                                break
                        with lock:
                            times.append(time.perf_counter() - t)
                            if bad or got != 20:
                                errors.append(f"room {k}: {len(bad)} not applied, {got} pulled")
                    except Exception as exc:  # noqa: BLE001 - every failure is counted, not raised
                        with lock:
                            errors.append(f"room {k}: {type(exc).__name__}: {exc}")
                    finally:
                        c.close()

                rss = [srv.rss_mib()]
                stop = threading.Event()

                def sample() -> None:
                    while not stop.wait(0.5):
                        rss.append(srv.rss_mib())

                sampler = threading.Thread(target=sample)
                sampler.start()
                t0 = time.perf_counter()
                with ThreadPoolExecutor(at_once) as pool:
                    list(pool.map(room, range(rooms_n)))
                wall = time.perf_counter() - t0
                stop.set()
                sampler.join()
                rss.append(srv.rss_mib())
                q = statistics.quantiles(times, n=20) if len(times) > 1 else times * 19
                tenth = rss[max(1, len(rss) // 10)]
                print(f"burst on PostgreSQL: {rooms_n} rooms x 20 ops + pull, {at_once} at a time: {len(errors)} errors, {wall:.0f} s ({rooms_n * 20 / wall:,.0f} ops/s)")
                print(f"  per room (push + pull): p50 {statistics.median(times) * 1000:.0f} ms, p95 {q[18] * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
                print(f"  server RSS: {rss[0]:.0f} MiB before, {tenth:.0f} MiB after the first tenth, {max(rss):.0f} MiB peak, {rss[-1]:.0f} MiB at the end")
                for e in errors[:10]:
                    print("  error:", e)
            finally:
                srv.stop()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def soak(examples: int) -> None:
    env = {**os.environ, "YISHI_PROPERTY_EXAMPLES": str(examples)}
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/sync/test_property.py", "tests/sync/test_ticket_clash.py"], cwd=ROOT, env=env)
    print(f"soak: property test with {examples} examples: {'passed' if out.returncode == 0 else 'FAILED'} in {time.perf_counter() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--big", type=int, default=200_000)
    ap.add_argument("--seed-dir", type=Path, default=None, help="a room of --big topics made once by bench/seed.py (copied, never changed)")
    ap.add_argument("--push", type=int, default=2000, help="topics pushed for the apply rate")
    ap.add_argument("--reps", type=int, default=5, help="incremental syncs per PC (alternating; medians compared)")
    ap.add_argument("--parts", default="evening,push,incremental", help="which figures to measure")
    ap.add_argument("--burst", action="store_true")
    ap.add_argument("--rooms", type=int, default=1700)
    ap.add_argument("--at-once", type=int, default=50)
    ap.add_argument("--soak", action="store_true")
    ap.add_argument("--examples", type=int, default=5000)
    a = ap.parse_args()
    if a.soak:
        soak(a.examples)
        return
    if a.burst:
        burst(a.rooms, a.at_once)
        return
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as d:
        tmp = Path(d)
        srv = Server(tmp)
        try:
            parts = a.parts.split(",")
            if "evening" in parts:
                evening(srv, tmp)
            if "push" in parts:
                push_rate(srv, tmp, a.push)
            if "incremental" in parts:
                incremental(srv, tmp, a.big, a.seed_dir, a.reps)
        finally:
            srv.stop()


if __name__ == "__main__":
    main()
