"""Workbench (工作台) benchmark: ``today_summary`` on a room file with 88,000
overdue action items (a county's worth), against a same-run baseline that
reads every overdue item as the workbench did before it had a limit
(``reads.action_items(overdue_on=...)`` then the first 50).

    .venv/bin/python bench/bench_workbench.py [--data-dir DIR] [--items N] [--rounds R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402

from desktop.domain.ids import new_id  # noqa: E402
from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import ActionItemRow  # noqa: E402
from desktop.storage.services import reads, rooms  # noqa: E402
from desktop.ui import fmt  # noqa: E402
from desktop.ui.screens.today import LIST_LIMIT, today_summary  # noqa: E402


def seed(store: Store, n: int) -> None:
    """``n`` open action items, all overdue, written in one Core insert (the
    services would take minutes; the rows are what the services would write)."""
    room = rooms.require_room(store)
    now = datetime.now(UTC)
    rows = [
        dict(id=new_id(), room_id=room.id, title=f"落实事项{i}", owner_unit="城建办", responsible="韩堃",
             deadline=date(2024, 1, 1) + timedelta(days=i % 600), status="open", created_at=now, field_versions={})
        for i in range(n)
    ]
    with store.write() as s:
        s.execute(insert(ActionItemRow), rows)


def old_way(store: Store) -> tuple:  # type: ignore[type-arg]
    """What the workbench did before: every overdue item into Python, then 50."""
    return reads.action_items(store, overdue_on=fmt.today())[:LIST_LIMIT]


def ms(fn, *a):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    r = fn(*a)
    return (time.perf_counter() - t) * 1000, r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=None)
    ap.add_argument("--items", type=int, default=88_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    store = Store(args.data_dir or Path(tempfile.mkdtemp(prefix="yishi-bench-workbench-")))
    if rooms.get_room(store) is None:
        rooms.init_room(store, code="QJP-BENCH", name="基准测试议事室")
    with store.read() as s:
        have = s.scalar(select(func.count()).select_from(ActionItemRow)) or 0
    if have < args.items:
        seed(store, args.items - have)
    old, new = [], []
    for _ in range(args.rounds):
        t_old, first_old = ms(old_way, store)
        t_new, summary = ms(today_summary, store)
        assert [a.id for a in first_old] == [a.id for a in summary.overdue], "baseline disagrees"
        assert summary.overdue_total >= args.items
        old.append(t_old)
        new.append(t_new)
    o, n = statistics.median(old), statistics.median(new)
    print(f"overdue action items: {summary.overdue_total:,}")
    print(f"baseline (read all overdue, keep {LIST_LIMIT}): {o:8.1f} ms")
    print(f"today_summary (whole workbench, limit + count): {n:8.1f} ms")
    print(f"ratio today_summary / baseline: {n / o:.2f}")
    store.close()


if __name__ == "__main__":
    main()
