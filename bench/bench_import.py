"""Benchmark: importing 200,000 12345 hotline rows from a CSV.

Measures, in one run and on fresh room files of the same schema:
- ``import_hotline``: read + check the file, find duplicates, write every topic
  with its submit event and both outbox operations, in one transaction;
- the baseline: a raw SQLAlchemy Core ``insert()`` of the same rows (already
  in memory as dicts, with UUIDv7 ids and random tracking codes like ours, so
  the indexes see the same kind of keys) into the same ``topic`` table, one
  transaction;
- the baseline plus reading the CSV with the ``csv`` module (a bare-bones importer).

Target: our rate at least 0.5x the raw Core insert rate.

Run: .venv/bin/python bench/bench_import.py [--rows 200000] [--without-search-triggers]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from desktop.domain.clock import CHINA_TZ  # noqa: E402
from desktop.domain.enums import TopicSource, TopicStatus  # noqa: E402
from desktop.domain.ids import new_id, new_tracking_code  # noqa: E402
from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import TopicRow  # noqa: E402
from desktop.storage.services import rooms  # noqa: E402
from desktop.storage.services.imports import import_hotline  # noqa: E402

HEADER = ["工单编号", "受理时间", "诉求标题", "诉求内容", "诉求人", "联系电话", "地址", "诉求类别"]
CATEGORIES = ["城乡建设/噪音扰民", "市容环卫/公共厕所", "交通运输/道路破损", "社会保障/养老服务", "农业农村/排水防涝"]
PLACES = ["水渡口街道翔宇大道88号", "清江浦区里运河文化长廊", "和平镇大兴村三组", "淮海南路东侧小区", "城南街道健康西路"]
COMPLAINTS = [
    "晚上十点以后工地还在施工，噪音很大，影响附近居民休息，希望尽快处理。",
    "运河边步道的公共厕所长期无人打扫，气味很大，老人和游客都不方便。",
    "小区里没有座椅，老年人散步走累了没有地方休息，希望增设几张长椅。",
    "一下雨村里的道路就积水，电动车都过不去，孩子上学要绕很远。",
    "暑假期间留守儿童没人照看，希望社区能组织一些托管活动。",
]


def write_csv(path: Path, n: int) -> None:
    rnd = random.Random(42)
    start = datetime(2024, 1, 1, 8, 0)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["淮安市12345政务服务便民热线工单明细"])
        w.writerow(HEADER)
        for i in range(n):
            at = start + timedelta(minutes=7 * i)
            w.writerow(
                [
                    f"HA{2024000000 + i}",
                    f"{at.year}/{at.month}/{at.day} {at.hour}:{at.minute:02d}",
                    "",
                    rnd.choice(COMPLAINTS) + f"（第{i}号）",
                    rnd.choice("王李张刘陈杨赵黄周吴") + rnd.choice(["先生", "女士", "阿姨", "师傅"]),
                    f"13{rnd.randrange(10**9):09d}",
                    rnd.choice(PLACES),
                    rnd.choice(CATEGORIES),
                ]
            )


def fresh_store(base: Path, name: str, *, search_triggers: bool) -> Store:
    store = Store(base / name)
    rooms.init_room(store, code="BENCH-1", name="基准测试议事室", township="水渡口街道", county="清江浦区")
    if not search_triggers:
        # to see the import's own cost: the search index triggers (another
        # area's) cost the same per row on both sides and dominate both
        with store.engine.begin() as conn:
            names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='topic'").scalars().all()
            for name in names:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return store


def raw_rows(path: Path, room_id: str) -> list[dict]:
    now = datetime.now(UTC)
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        r = csv.reader(fh)
        next(r), next(r)
        for ticket, when, title, content, name, phone, address, category in r:
            out.append(
                {
                    "id": new_id(),
                    "room_id": room_id,
                    "version": 0,
                    "field_versions": {},
                    "deleted": False,
                    "title": title or content[:30],
                    "description": content,
                    "source": TopicSource.HOTLINE,
                    "status": TopicStatus.SUBMITTED,
                    "category": category,
                    "location": address,
                    "submitter_name": name,
                    "submitter_phone": phone,
                    "tracking_code": new_tracking_code(),
                    "ticket_no": ticket,
                    "decline_reason": "",
                    "merged_into_id": None,
                    "received_at": datetime.strptime(when, "%Y/%m/%d %H:%M").replace(tzinfo=CHINA_TZ),
                    "created_at": now,
                    "updated_at": now,
                }
            )
    return out


def raw_insert(store: Store, rows: list[dict]) -> None:
    with store.write() as session:
        for i in range(0, len(rows), 5000):
            session.execute(insert(TopicRow.__table__), rows[i : i + 5000])


class Clock:
    """Wall time and this process's CPU time of a block. On a shared machine
    the CPU time is the steadier figure; both are printed."""

    def __enter__(self) -> "Clock":
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def line(label: str, n: int, c: Clock) -> None:
    print(f"{label:<48} wall {c.wall:7.2f} s ({n / c.wall:8,.0f} rows/s)   cpu {c.cpu:7.2f} s ({n / c.cpu:8,.0f} rows/s)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--without-search-triggers", action="store_true", help="drop the topic search triggers in both files")
    args = ap.parse_args()
    triggers = not args.without_search_triggers
    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        csv_path = base / "hotline.csv"
        write_csv(csv_path, n)
        print(f"{n} rows, {csv_path.stat().st_size / 1e6:.1f} MB CSV, search triggers {'on' if triggers else 'dropped'}")

        raw_store = fresh_store(base, "raw", search_triggers=triggers)
        room_id = rooms.require_room(raw_store).id
        with Clock() as read:
            rows = raw_rows(csv_path, room_id)
        with Clock() as raw:
            raw_insert(raw_store, rows)
        del rows
        raw_store.close()

        ours_store = fresh_store(base, "ours", search_triggers=triggers)
        with Clock() as ours:
            report = import_hotline(ours_store, csv_path)
        assert report.imported == n and not report.rejected, report.rejected[:5]
        with Clock() as again:
            second = import_hotline(ours_store, csv_path)
        assert second.imported == 0 and second.duplicates == n
        ours_store.close()

        line("raw Core insert into topic (rows in memory)", n, raw)
        both = Clock()
        both.wall, both.cpu = read.wall + raw.wall, read.cpu + raw.cpu
        line("raw read CSV + Core insert", n, both)
        line("import_hotline (topic + event + 2 outbox ops)", n, ours)
        line("import_hotline again (all duplicates)", n, again)
        print(f"ratio ours / raw Core insert:        wall {raw.wall / ours.wall:.2f}x   cpu {raw.cpu / ours.cpu:.2f}x   (target >= 0.5x)")
        print(f"ratio ours / raw read + Core insert: wall {both.wall / ours.wall:.2f}x   cpu {both.cpu / ours.cpu:.2f}x")


if __name__ == "__main__":
    main()
