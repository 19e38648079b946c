"""Issue 5, test 2: the PC's sync process is SIGKILLed mid-pull, again and
again. After every kill the stored cursor never runs ahead of what is stored:
every server row whose version is at or below the cursor is on the PC at that
version (or a newer one). Finally the PC converges with the server (CONVERGED,
including ``PRAGMA integrity_check``).

The backlog is about 120 rows pulled in pages of 3; between kills another
PC keeps editing, so the pull chases a moving room. When a pull got through
before its kill, the PC is put back to its never-pulled copy and pulls again.
Pulling children are forked from a warm parent (tests/sync/pull_zygote.py) and
killed once the run has stored its first page, after a random delay of up to
four pages' time (measured in this run): mid-request, mid-apply or mid-commit
of a later page. Each run resumes from the cursor the last one stored, so the
kills spread over the whole backlog. CI runs 100 kills; set YISHI_SYNC_KILLS for a longer soak.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time

from sqlalchemy import select

from desktop.storage import outbox
from desktop.storage.db import DB_FILENAME, Store
from desktop.storage.models import ENTITIES, SyncStateRow, TopicRow
from desktop.storage.services import topics
from desktop.sync import engine
from tests.server.conftest import ROOT
from tests.sync.helpers import converged, fresh_room, new_pc, server_db

KILLS = int(os.environ.get("YISHI_SYNC_KILLS", "100"))
BACKLOG = 60  # topics; with their events about 120 rows
PAGE = 3


def _server_versions(srv, room_id: str) -> dict[tuple[str, str], int]:  # type: ignore[no-untyped-def]
    with server_db(srv).read() as s:
        return {(e, i): int(v) for e, cls in ENTITIES.items() for i, v in s.execute(select(cls.id, cls.version).where(cls.room_id == room_id))}


def _local(data_dir) -> tuple[int, dict[tuple[str, str], int]]:  # type: ignore[no-untyped-def]
    store = Store(data_dir, migrate=False)
    try:
        with store.read() as s:
            st = s.get(SyncStateRow, 1)
            rows = {(e, i): int(v) for e, cls in ENTITIES.items() for i, v in s.execute(select(cls.id, cls.version))}
            return (st.cursor if st else 0), rows
    finally:
        store.close()


def _raw_cursor(data_dir) -> int:  # type: ignore[no-untyped-def]
    """The stored cursor, read the cheap way while the child writes (WAL: readers never wait)."""
    con = sqlite3.connect(f"file:{data_dir / DB_FILENAME}?mode=ro", uri=True, timeout=1)
    try:
        row = con.execute("SELECT cursor FROM sync_state WHERE id = 1").fetchone()
        return int(row[0]) if row else 0
    finally:
        con.close()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_client_killed_mid_pull(srv, tmp_path):
    rng = random.Random(11)
    code, room_id = fresh_room(srv)
    pc1 = new_pc(srv, tmp_path, "pc1", room_code=code)
    ids = []
    for i in range(BACKLOG):
        t = topics.record_topic(pc1, title=f"积压议题{i}", source="walk_in").value
        ids.append(t.id)
        if i % 3 == 0:
            topics.accept(pc1, t.id, actor="王")
    engine.sync(pc1)
    pc2 = new_pc(srv, tmp_path, "pc2", room_code=code)
    pc2_dir = pc2.data_dir
    pc2.close()
    snapshot = tmp_path / "pc2-never-pulled.sqlite3"
    shutil.copyfile(pc2_dir / DB_FILENAME, snapshot)

    zygote = subprocess.Popen([sys.executable, "-m", "tests.sync.pull_zygote"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        assert zygote.stdout.readline().strip() == "ready"

        def spawn() -> int:
            zygote.stdin.write(f"pull {pc2_dir} {PAGE}\n")
            zygote.stdin.flush()
            return int(zygote.stdout.readline())

        def reset() -> None:
            for suffix in ("-wal", "-shm", "-journal"):
                (pc2_dir / (DB_FILENAME + suffix)).unlink(missing_ok=True)
            shutil.copyfile(snapshot, pc2_dir / DB_FILENAME)

        # one whole pull without a kill: how long it takes on this machine now
        t0 = time.monotonic()
        pid = spawn()
        while not _gone(pid):
            time.sleep(0.005)
        window = time.monotonic() - t0
        page_time = window / (len(_server_versions(srv, room_id)) / PAGE)
        assert _local(pc2_dir)[0] == max(_server_versions(srv, room_id).values())
        reset()

        kills = resets = checked_rows = 0
        kill_cursors: set[int] = set()
        while kills < KILLS:
            if kills % 5 == 0:
                # the room moves on while the PC pulls
                with pc1.write() as s:
                    outbox.update(s, s.get(TopicRow, rng.choice(ids)), location=f"第{kills}次 {rng.random():.6f}")
                engine.sync(pc1, check=False)
            start_cursor = _raw_cursor(pc2_dir)
            pid = spawn()
            # once this run has stored its first page, a random moment among the next few pages
            while _raw_cursor(pc2_dir) == start_cursor and not _gone(pid):
                time.sleep(0.002)
            until = time.monotonic() + rng.uniform(0, page_time * 4)
            while time.monotonic() < until and not _gone(pid):
                time.sleep(0.002)
            finished = _gone(pid)
            if not finished:
                os.kill(pid, signal.SIGKILL)
                kills += 1
                while not _gone(pid):
                    time.sleep(0.002)
            server = _server_versions(srv, room_id)
            cursor, mine = _local(pc2_dir)
            behind = [(k, v, mine.get(k)) for k, v in server.items() if v <= cursor and mine.get(k, -1) < v]
            assert not behind, f"after kill {kills} the cursor {cursor} is ahead of the stored rows: {behind[:5]}"
            checked_rows += sum(1 for v in server.values() if v <= cursor)
            if not finished:
                kill_cursors.add(cursor)
            if cursor >= max(server.values()):
                reset()
                resets += 1
        print(f"window {window:.2f}s, page {page_time:.3f}s, {resets} resets, {checked_rows} rows checked, killed at {len(kill_cursors)} cursors")
        # the kills landed all over the backlog, not only before the first page
        assert len(kill_cursors) >= KILLS // 3, sorted(kill_cursors)
    finally:
        zygote.kill()
        zygote.wait(timeout=10)
    pc2 = Store(pc2_dir, migrate=False)
    engine.sync(pc2)
    engine.sync(pc1)
    converged(srv, [pc1, pc2], room_id)
