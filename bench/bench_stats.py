"""Statistics benchmark: ``room_stats`` over a big room file (whole history and
one year), against a same-run baseline that reads the needed columns with
SQLAlchemy Core and counts in Python.

    .venv/bin/python bench/bench_stats.py [--data-dir DIR] [--topics N] [--rounds R]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bench.seed import seed_room  # noqa: E402
from desktop.domain.clock import to_local  # noqa: E402
from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import TopicRow  # noqa: E402
from desktop.storage.search import count_topics  # noqa: E402
from desktop.storage.stats import room_stats  # noqa: E402


def baseline(store: Store) -> dict[str, Counter[str]]:
    """The topic breakdowns the naive way: every row into Python."""
    out: dict[str, Counter[str]] = {"source": Counter(), "status": Counter(), "category": Counter(), "month": Counter()}
    with store.read() as s:
        for source, status, category, received, deleted in s.execute(
            select(TopicRow.source, TopicRow.status, TopicRow.category, TopicRow.received_at, TopicRow.deleted)
        ):
            if deleted or status == "merged":
                continue
            out["source"][str(source)] += 1
            out["status"][str(status)] += 1
            out["category"][category] += 1
            out["month"][f"{to_local(received):%Y-%m}"] += 1
    return out


def ms(fn, *a, **kw):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    r = fn(*a, **kw)
    return (time.perf_counter() - t) * 1000, r


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/yishi-bench-200k"))
    ap.add_argument("--topics", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    store = Store(args.data_dir)
    if count_topics(store, "") == 0:
        print("seeding", seed_room(store, args.topics))
    print(f"topics in file: {count_topics(store, '')}")
    room_stats(store)  # warm the page cache
    whole = [ms(room_stats, store, today=date(2026, 11, 27)) for _ in range(args.rounds)]
    year = [ms(room_stats, store, date_from=date(2025, 1, 1), date_to=date(2025, 12, 31), today=date(2026, 11, 27))
            for _ in range(args.rounds)]
    base = [ms(baseline, store) for _ in range(args.rounds)]
    stats = whole[0][1]
    b = base[0][1]
    assert dict(b["source"]) == stats.by_source and dict(b["month"]) == stats.by_month, "baseline disagrees"
    w, y, bl = ([t for t, _ in xs] for xs in (whole, year, base))
    print(f"room_stats, whole file: min {min(w):.0f} ms, median {statistics.median(w):.0f} ms")
    print(f"room_stats, year 2025:  min {min(y):.0f} ms, median {statistics.median(y):.0f} ms")
    print(f"baseline (rows into Python, topic breakdowns only): median {statistics.median(bl):.0f} ms "
          f"-> room_stats is {statistics.median(bl) / statistics.median(w):.1f}x faster")
    print({k: v for k, v in stats.as_dict().items() if not k.startswith("by_")})
    store.close()


if __name__ == "__main__":
    main()
