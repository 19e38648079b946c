"""Search benchmark: p50/p95 of ``search_topics`` (first page of 100, most
recently recorded first) and ``count_topics`` on a big room file, against the
honest ``LIKE '%q%'`` equivalent measured in the same run: the same five
columns, the same filters, tombstones left out, the same order (``ORDER BY
rowid DESC``) and limit, so a LIKE scan stops as soon as it has its page.
Both must return the same ids (checked).

Query groups, each reported on its own: 2- and 4-character Chinese words
(the issue's target), each with common words of the seeded text and rare ones
a secretary looks up (a name, a fragment of a 12345 ticket number, a word with
few or no hits); other lengths (a full name, a long ticket fragment, a whole
ticket number); one character; and a few words with a status or source filter.

    .venv/bin/python bench/bench_search.py [--data-dir DIR] [--topics N] [--rounds R]

The data dir is seeded with ``bench/seed.py`` first if it holds no topics.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, literal_column, or_, select  # noqa: E402

from bench.seed import seed_room  # noqa: E402
from desktop.domain.enums import TopicSource, TopicStatus  # noqa: E402
from desktop.storage.db import Store  # noqa: E402
from desktop.storage.models import TopicRow  # noqa: E402
from desktop.storage.search import SEARCH_COLUMNS, TOPIC_COLUMNS, count_topics, search_topics, topics_of  # noqa: E402

TWO_COMMON = ["公厕", "噪音", "座椅", "积水", "道路", "儿童", "食堂", "渔民", "老人", "王秀", "淮海", "排水"]
TWO_RARE = ["吕瑞", "蒋凤", "丁斌", "地铁", "路灯"]  # names (70-100 hits), words with none
FOUR_COMMON = ["施工噪音", "留守儿童", "助残食堂", "上岸渔民", "运河风光", "道路积水", "增设座椅", "技能培训", "清江浦区", "水渡口社"]
FOUR_RARE = ["0874", "5022", "垃圾分类", "路灯不亮"]  # ticket fragments (400-700 hits), words with none
OTHER = ["张淑建", "余春福", "00087477", "2250228000874778"]  # a full name, a ticket fragment, a whole ticket
ONE = ["厕", "椅", "渔"]
FILTERED: list[tuple[str, dict[str, Any]]] = [
    ("公厕", {"status": TopicStatus.SUBMITTED}),
    ("施工噪音", {"status": TopicStatus.SUBMITTED}),
    ("渔民", {"source": TopicSource.PETITION}),
    ("留守儿童", {"source": TopicSource.REFERRAL, "status": TopicStatus.SUBMITTED}),
    ("吕瑞", {"status": TopicStatus.VISITED}),
]


def _where(q: str, filters: dict[str, Any]) -> list[Any]:
    pattern = f"%{q}%"
    conds: list[Any] = [TopicRow.deleted.is_(False), or_(*(getattr(TopicRow, c).like(pattern) for c in SEARCH_COLUMNS))]
    if "status" in filters:
        conds.append(TopicRow.status == filters["status"])
    if "source" in filters:
        conds.append(TopicRow.source == filters["source"])
    return conds


def like_search(store: Store, q: str, filters: dict[str, Any], limit: int = 100) -> list[str]:
    """The same page as ``search_topics``, read into Topics the same way."""
    with store.read() as s:
        found = topics_of(s.execute(
            select(*TOPIC_COLUMNS).where(*_where(q, filters)).order_by(literal_column("topic.rowid").desc()).limit(limit)
        ))
    return [t.id for t in found]


def like_count(store: Store, q: str, filters: dict[str, Any]) -> int:
    with store.read() as s:
        return int(s.scalar(select(func.count()).select_from(TopicRow).where(*_where(q, filters))) or 0)


def fts_search(store: Store, q: str, filters: dict[str, Any]) -> list[str]:
    return [t.id for t in search_topics(store, q, **filters)]


def fts_count(store: Store, q: str, filters: dict[str, Any]) -> int:
    return count_topics(store, q, **filters)


def timed(fn: Callable[..., Any], *args: Any) -> float:
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
    print(f"topics in file: {n}; load average at start: {os.getloadavg()}")
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {
        "2 chars": [(q, {}) for q in TWO_COMMON + TWO_RARE],
        "4 chars": [(q, {}) for q in FOUR_COMMON + FOUR_RARE],
        "2 common": [(q, {}) for q in TWO_COMMON],
        "2 rare": [(q, {}) for q in TWO_RARE],
        "4 common": [(q, {}) for q in FOUR_COMMON],
        "4 rare": [(q, {}) for q in FOUR_RARE],
        "3+ other": [(q, {}) for q in OTHER],
        "1 char": [(q, {}) for q in ONE],
        "filtered": FILTERED,
    }
    timed_groups = ("2 chars", "4 chars", "3+ other", "1 char", "filtered")
    everything = [item for g in timed_groups for item in groups[g]]
    for q, f in everything:  # the two methods agree; this also warms the page cache for both alike
        assert fts_search(store, q, f) == like_search(store, q, f), (q, f)
        assert fts_count(store, q, f) == like_count(store, q, f), (q, f)
    per: dict[str, dict[str, list[float]]] = {}
    for _ in range(args.rounds):
        for q, f in everything:
            key = q + repr(sorted(f.items()))
            r = per.setdefault(key, {"fts": [], "like": [], "fts_count": [], "like_count": []})
            r["fts"].append(timed(fts_search, store, q, f))
            r["like"].append(timed(like_search, store, q, f))
            r["fts_count"].append(timed(fts_count, store, q, f))
            r["like_count"].append(timed(like_count, store, q, f))
    print(f"{'group':<10}{'what':<7}{'n':>4}{'FTS p50':>10}{'FTS p95':>10}{'LIKE p50':>10}{'LIKE p95':>10}{'p95 ratio':>11}")
    for name, items in groups.items():
        keys = [q + repr(sorted(f.items())) for q, f in items]
        for what, a, b in (("page", "fts", "like"), ("count", "fts_count", "like_count")):
            fa = [x for k in keys for x in per[k][a]]
            lb = [x for k in keys for x in per[k][b]]
            print(f"{name:<10}{what:<7}{len(fa):>4}{statistics.median(fa):>8.1f}ms{p95(fa):>8.1f}ms"
                  f"{statistics.median(lb):>8.1f}ms{p95(lb):>8.1f}ms{p95(lb) / p95(fa):>10.1f}x")
    worst = sorted(((max(v["fts"]), k) for k, v in per.items()), reverse=True)[:5]
    print("slowest pages (FTS, worst round):", ", ".join(f"{k} {t:.1f}ms" for t, k in worst))
    print("matches per query:", {q + (repr(f) if f else ""): like_count(store, q, f) for q, f in everything})
    print(f"load average at end: {os.getloadavg()}")
    store.close()


if __name__ == "__main__":
    main()
