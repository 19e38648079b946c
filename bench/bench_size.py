"""Size benchmark: bytes per topic of a big room file, split into the tables,
the search index of migration 0002 and the other indexes; and what the search
triggers cost a bulk write, as a same-run ratio: the same topics inserted into
two fresh files, one with the triggers and one without.

    .venv/bin/python bench/bench_size.py [--data-dir DIR] [--topics N] [--write-rows N]
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.seed import seed_room  # noqa: E402
from desktop.storage.db import DB_FILENAME, Store  # noqa: E402
from desktop.storage.search import count_topics, index_pending  # noqa: E402

SEARCH = ("topic_tri", "topic_bi")
STATS = ("ix_topic_stats", "ix_topic_breakdown", "ix_topic_tombstones", "ix_topic_event_resolved",
         "ix_topic_event_reopened", "ix_follow_up_at", "ix_action_item_open_deadline", "ix_meeting_status_starts")


def breakdown(path: Path) -> dict[str, int]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        kinds = dict(con.execute("SELECT name, type FROM sqlite_master"))
        out = {"tables": 0, "search index (0002)": 0, "statistics indexes (0002)": 0, "other indexes": 0}
        for name, size in con.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            if name.startswith(SEARCH):
                out["search index (0002)"] += size
            elif name in STATS:
                out["statistics indexes (0002)"] += size
            elif kinds.get(name) == "table":
                out["tables"] += size
            else:
                out["other indexes"] += size
        return out
    finally:
        con.close()


def write_cost(n: int) -> tuple[float, float]:
    """Seconds to insert ``n`` seeded topics (one statement per row, as the
    importer does) in one transaction into a fresh file, with the search
    triggers and the indexing of their queue before the commit, and without."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        seed_room(src, n, seed=1)
        con = sqlite3.connect(src / DB_FILENAME)
        cols = [r[1] for r in con.execute("PRAGMA table_info(topic)")]
        rows = [dict(zip(cols, r)) for r in con.execute(f"SELECT {', '.join(cols)} FROM topic")]
        con.close()
        times = []
        for keep in (True, False):
            d = Path(tmp) / f"w{keep}"
            store = Store(d)
            if not keep:
                with store.write() as s:
                    for t in ("topic_search_ai", "topic_search_ad", "topic_search_au"):
                        s.connection().exec_driver_sql(f"DROP TRIGGER {t}")
            t0 = time.perf_counter()
            with store.engine.begin() as conn:
                for r in rows:
                    conn.exec_driver_sql(
                        f"INSERT INTO topic ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        tuple(r[c] for c in cols),
                    )
                if keep:
                    index_pending(conn)  # what the commit hook of a session does
            times.append(time.perf_counter() - t0)
            store.close()
        return times[0], times[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=Path("/tmp/yishi-bench-200k"))
    ap.add_argument("--topics", type=int, default=200_000)
    ap.add_argument("--write-rows", type=int, default=5_000)
    args = ap.parse_args()
    store = Store(args.data_dir)
    n = count_topics(store, "")
    if n == 0:
        print("seeding", seed_room(store, args.topics))
        n = count_topics(store, "")
    store.close()
    path = args.data_dir / DB_FILENAME
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    total = path.stat().st_size
    print(f"topics: {n}, file: {total / 2**20:.0f} MiB, {total / n:.0f} bytes per topic "
          "(with its events, meetings, action items and follow-ups)")
    for part, size in breakdown(path).items():
        print(f"  {part:<28}{size / 2**20:8.1f} MiB {size / n:8.0f} B/topic {100 * size / total:5.1f}%")
    with_t, without_t = write_cost(args.write_rows)
    print(f"insert {args.write_rows} topics one statement each: {with_t:.2f} s with the search triggers, "
          f"{without_t:.2f} s without ({with_t / without_t:.1f}x); "
          f"{1000 * (with_t - without_t) / args.write_rows:.2f} ms per topic for the index")


if __name__ == "__main__":
    main()
