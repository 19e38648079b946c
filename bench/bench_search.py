"""Search benchmark: p50/p95 of ``search_topics`` (first page of 100, newest
first) and ``count_topics`` over 2- and 4-character Chinese queries on a big
room file, against a ``LIKE '%q%'`` scan of the same five columns with the same
order and limit, measured in the same run.

    .venv/bin/python bench/bench_search.py [--data-dir DIR] [--topics N] [--rounds R]

The data dir is seeded with ``bench/seed.py`` first if it holds no topics.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, or_, select  # noqa: E402

from bench.seed import seed_room  # noqa: E402
from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import TopicRow  # noqa: E402
from desktop.storage.search import SEARCH_COLUMNS, count_topics, search_topics  # noqa: E402

TWO = ["公厕", "噪音", "座椅", "积水", "道路", "儿童", "食堂", "渔民", "老人", "王秀", "淮海", "排水"]
FOUR = ["施工噪音", "留守儿童", "助残食堂", "上岸渔民", "运河风光", "道路积水", "增设座椅", "技能培训", "清江浦区", "水渡口社"]


def like_search(store: Store, q: str, limit: int = 100) -> list[str]:
    pattern = f"%{q}%"
    cond = or_(*(getattr(TopicRow, c).like(pattern) for c in SEARCH_COLUMNS))
    with store.read() as s:
        return [r.id for r in s.scalars(
            select(TopicRow).where(TopicRow.deleted.is_(False), cond)
            .order_by(TopicRow.received_at.desc(), TopicRow.id.desc()).limit(limit)
        )]


def like_count(store: Store, q: str) -> int:
    pattern = f"%{q}%"
    cond = or_(*(getattr(TopicRow, c).like(pattern) for c in SEARCH_COLUMNS))
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(TopicRow).where(TopicRow.deleted.is_(False), cond)) or 0)


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - t) * 1000


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[18] if len(xs) >= 2 else xs[0]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/yishi-bench-200k"))
    ap.add_argument("--topics", type=int, default=200_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    store = Store(args.data_dir)
    n = count_topics(store, "")
    if n == 0:
        print("seeding", seed_room(store, args.topics))
        n = count_topics(store, "")
    print(f"topics in file: {n}")
    queries = TWO + FOUR
    # warm the page cache for both methods alike
    for q in queries:
        search_topics(store, q)
        like_search(store, q)
    results: dict[str, dict[str, list[float]]] = {k: {"fts": [], "like": [], "fts_count": [], "like_count": []} for k in ("2", "4")}
    for _ in range(args.rounds):
        for q in queries:
            r = results[str(len(q))]
            r["fts"].append(timed(search_topics, store, q))
            r["like"].append(timed(like_search, store, q))
            r["fts_count"].append(timed(count_topics, store, q))
            r["like_count"].append(timed(like_count, store, q))
    for q in queries:  # the two methods agree
        assert [t.id for t in search_topics(store, q)] == like_search(store, q), q
    print(f"{'query':<8}{'what':<8}{'FTS p50':>10}{'FTS p95':>10}{'LIKE p50':>10}{'LIKE p95':>10}{'ratio p95':>11}")
    for k, r in results.items():
        for what, a, b in (("page", "fts", "like"), ("count", "fts_count", "like_count")):
            fa, lb = r[a], r[b]
            print(f"{k + ' chars':<8}{what:<8}{statistics.median(fa):>8.1f}ms{p95(fa):>8.1f}ms"
                  f"{statistics.median(lb):>8.1f}ms{p95(lb):>8.1f}ms{p95(lb) / p95(fa):>10.1f}x")
    hits = {q: count_topics(store, q) for q in queries}
    print("matches per query:", hits)
    store.close()


if __name__ == "__main__":
    main()
