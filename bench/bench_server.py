"""County server benchmark on PostgreSQL: a city's history (180,000 topics in
1,700 rooms, 45,200 meetings) and then

1. public-form submissions per second from 20 concurrent clients, against a
   bare FastAPI endpoint that inserts one row (same database, same workers,
   same run);
2. the county statistics (``/api/v1/stats`` and the ``/admin/stats`` page)
   against the raw SQL aggregate of the same numbers.

Run:  source scripts/postgres.sh && start_postgres
      .venv/bin/python bench/bench_server.py [--requests 2000] [--workers 2]
It creates and drops its own database on the server of YISHI_TEST_PG_URL.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, insert, text

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROOMS, TOPICS, MEETINGS = 1700, 180_000, 45_200

BASELINE_APP = '''
import os
from datetime import UTC, datetime
from fastapi import FastAPI, Form
from sqlalchemy import create_engine, text
engine = create_engine(os.environ["BENCH_DB"], pool_size=10, max_overflow=10)
app = FastAPI()
@app.post("/insert")
def insert_one(title: str = Form(...)):
    with engine.begin() as c:
        c.execute(text("INSERT INTO bench_baseline (title, at) VALUES (:t, :a)"), {"t": title, "a": datetime.now(UTC)})
    return {"ok": True}
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=2)
            return
        except requests.ConnectionError:
            if proc.poll() is not None:
                raise SystemExit("server died")
            time.sleep(0.3)
    raise SystemExit("server did not start")


def seed(url: str) -> list[str]:
    from desktop.domain.enums import MeetingStatus, TopicSource, TopicStatus
    from desktop.domain.ids import new_id
    from desktop.storage.models import MeetingRow, TopicRow
    from server.models import CountyRoomRow, RoomSeqRow

    rnd = random.Random(7)
    engine = create_engine(url)
    now = datetime.now(UTC)
    start = now - timedelta(days=3 * 365)
    rooms = [
        {"id": new_id(), "code": f"R{i:04d}", "name": f"第{i}议事室", "township": f"第{i % 120}街道", "county": f"第{i % 9}区", "created_at": start}
        for i in range(ROOMS)
    ]
    cats = ["环境卫生", "道路交通", "物业管理", "公共设施", "邻里关系", ""]
    statuses = list(TopicStatus)
    seq = {r["id"]: 0 for r in rooms}
    with engine.begin() as c:
        c.execute(insert(CountyRoomRow), rooms)
        batch = []
        for i in range(TOPICS):
            room = rooms[i % ROOMS]["id"]
            seq[room] += 1
            at = start + timedelta(seconds=rnd.randrange(3 * 365 * 86400))
            batch.append({
                "id": new_id(), "room_id": room, "version": seq[room], "field_versions": {}, "deleted": False,
                "title": f"议题 {i}", "description": "", "source": rnd.choice(list(TopicSource)), "status": rnd.choice(statuses),
                "category": rnd.choice(cats), "location": "", "submitter_name": "", "submitter_phone": "",
                "tracking_code": f"B{i:07d}", "ticket_no": None, "decline_reason": "", "merged_into_id": None,
                "received_at": at, "created_at": at, "updated_at": at,
            })
            if len(batch) == 10_000:
                c.execute(insert(TopicRow), batch)
                batch = []
        if batch:
            c.execute(insert(TopicRow), batch)
        meetings = []
        for i in range(MEETINGS):
            room = rooms[i % ROOMS]["id"]
            seq[room] += 1
            at = start + timedelta(seconds=rnd.randrange(3 * 365 * 86400))
            meetings.append({
                "id": new_id(), "room_id": room, "version": seq[room], "field_versions": {}, "deleted": False, "title": "协商会",
                "type": "thematic", "status": MeetingStatus.HELD, "serial_no": None, "starts_at": at, "ends_at": None, "place": "",
                "convenor": "", "host": "", "recorder": "", "created_at": at,
            })
        c.execute(insert(MeetingRow), meetings)
        c.execute(insert(RoomSeqRow), [{"room_id": k, "last_seq": v} for k, v in seq.items()])
        c.execute(text("CREATE TABLE bench_baseline (id serial PRIMARY KEY, title varchar(200) NOT NULL, at timestamp NOT NULL)"))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
        c.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    return [r["code"] for r in rooms]


def hammer(post, *, n: int, clients: int) -> tuple[float, list[float]]:
    """n requests from ``clients`` threads; returns (requests/s, latencies ms)."""
    lat: list[float] = []
    lock = threading.Lock()
    errors = []

    def worker(k: int) -> None:
        s = requests.Session()
        s.headers["X-Forwarded-For"] = f"10.{k}.{random.randint(0, 255)}.{random.randint(1, 254)}"
        for i in range(n // clients):
            t0 = time.perf_counter()
            r = post(s, k, i)
            dt = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                errors.append(r.status_code)
            with lock:
                lat.append(dt)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as ex:
        list(ex.map(worker, range(clients)))
    elapsed = time.perf_counter() - t0
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:5]}")
    return len(lat) / elapsed, lat


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    base = os.environ.get("YISHI_TEST_PG_URL")
    if not base:
        raise SystemExit("set YISHI_TEST_PG_URL (source scripts/postgres.sh && start_postgres)")
    name = f"yishi_bench_{secrets.token_hex(3)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    url = base.rsplit("/", 1)[0] + "/" + name
    procs: list[subprocess.Popen] = []
    try:
        from server.migrate import upgrade

        upgrade(url)
        t0 = time.perf_counter()
        codes = seed(url)
        print(f"seeded {ROOMS} rooms, {TOPICS} topics, {MEETINGS} meetings in {time.perf_counter() - t0:.1f} s")
        tmp = Path(tempfile.mkdtemp(prefix="yishi-bench-"))
        env = {**os.environ, "YISHI_SERVER_LIMIT_IP": "100000000", "YISHI_SERVER_LIMIT_NETWORK": "100000000", "YISHI_SERVER_LIMIT_ROOM": "100000000", "BENCH_DB": url, "PYTHONPATH": str(ROOT)}
        subprocess.run([sys.executable, "-m", "server", "--data-dir", str(tmp), "--database-url", url, "add-admin", "bench", "--password-stdin"], input="bench-password\n", text=True, check=True, cwd=ROOT, env=env, capture_output=True)
        port, bport = free_port(), free_port()
        procs.append(subprocess.Popen([sys.executable, "-m", "server", "--data-dir", str(tmp), "--database-url", url, "serve", "--port", str(port), "--workers", str(args.workers)], cwd=ROOT, env=env))
        (tmp / "baseline_app.py").write_text(BASELINE_APP)
        procs.append(subprocess.Popen([sys.executable, "-m", "uvicorn", "baseline_app:app", "--port", str(bport), "--workers", str(args.workers), "--log-level", "warning", "--app-dir", str(tmp)], cwd=ROOT, env=env))
        srv, bsrv = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{bport}"
        wait_up(srv + "/healthz", procs[0])
        wait_up(bsrv + "/docs", procs[1])

        def submit(s, k, i):  # type: ignore[no-untyped-def]
            return s.post(f"{srv}/r/{random.choice(codes)}", data={"title": f"基准测试 {k}-{i}", "description": "路灯坏了，晚上很黑。" * 5, "location": "3号楼", "category": "公共设施"})

        def bare(s, k, i):  # type: ignore[no-untyped-def]
            return s.post(f"{bsrv}/insert", data={"title": f"基准测试 {k}-{i}"})

        hammer(bare, n=200, clients=args.clients)  # warm both up
        hammer(submit, n=200, clients=args.clients)
        b_rate, b_lat = hammer(bare, n=args.requests, clients=args.clients)
        f_rate, f_lat = hammer(submit, n=args.requests, clients=args.clients)
        print(f"\nform submissions, {args.clients} clients, {args.workers} workers, {args.requests} requests each")
        print(f"  bare insert endpoint : {b_rate:7.0f} req/s  p50 {pct(b_lat, 50):6.1f} ms  p95 {pct(b_lat, 95):6.1f} ms")
        print(f"  /r/{{room}} form      : {f_rate:7.0f} req/s  p50 {pct(f_lat, 50):6.1f} ms  p95 {pct(f_lat, 95):6.1f} ms")
        print(f"  ratio form/bare      : {f_rate / b_rate:.2f}")

        s = requests.Session()
        # the login form's CSRF token (issue 12): open the form first, as a browser does
        token = re.search(r'name="csrf" value="([^"]+)"', s.get(f"{srv}/admin/login").text).group(1)  # type: ignore[union-attr]
        s.post(f"{srv}/admin/login", data={"username": "bench", "password": "bench-password", "csrf": token})
        rng = {"start": (datetime.now() - timedelta(days=5 * 365)).date().isoformat()}  # end: today in China
        api, page_t = [], []
        for _ in range(5):
            t0 = time.perf_counter(); r = s.get(f"{srv}/api/v1/stats", params=rng); api.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200 and r.json()["total"]["topics"] >= TOPICS - 50, r.text[:200]
            t0 = time.perf_counter(); r = s.get(f"{srv}/admin/stats", params=rng); page_t.append((time.perf_counter() - t0) * 1000)
            assert r.status_code == 200
        engine = create_engine(url)
        raw = []
        sql = text(
            "SELECT r.township, count(*), sum(CASE WHEN t.status IN ('resolved','visited') THEN 1 ELSE 0 END) "
            "FROM topic t JOIN rooms r ON r.id = t.room_id WHERE NOT t.deleted AND t.received_at >= :lo GROUP BY r.township"
        )
        with engine.connect() as c:
            for _ in range(5):
                t0 = time.perf_counter(); c.execute(sql, {"lo": datetime.now() - timedelta(days=4 * 365)}).all(); raw.append((time.perf_counter() - t0) * 1000)
        engine.dispose()
        m_api, m_page, m_raw = statistics.median(api), statistics.median(page_t), statistics.median(raw)
        print(f"\ncounty statistics over {TOPICS}+ topics (median of 5)")
        print(f"  raw SQL aggregate (one GROUP BY) : {m_raw:7.1f} ms")
        print(f"  GET /api/v1/stats (all 5 breakdowns): {m_api:7.1f} ms  ratio {m_api / m_raw:.1f}")
        print(f"  GET /admin/stats page with charts   : {m_page:7.1f} ms  ratio {m_page / m_raw:.1f}")
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
        with admin.connect() as c:
            c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()
