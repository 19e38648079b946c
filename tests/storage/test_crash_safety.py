"""Killing the program (SIGKILL, as a power cut or the task manager would) at
random moments during service calls and hotline imports never corrupts the
file, never loses a change that was reported as committed, and never leaves a
record half-written.

Each kill is a forked child running ``crash_worker.run``, which reports every
committed call in a log file; the parent kills it at a random point (after a
random number of reported commits, plus a few random milliseconds), then opens
the file like the next start of the program would and checks it.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import time
import traceback
from collections import defaultdict
from pathlib import Path

import pytest

from desktop.storage.db import DB_FILENAME, Store
from desktop.storage.models import ENTITIES
from desktop.storage.services import rooms
from tests.storage import crash_worker

KILLS = 100


def _child(data_dir: Path, seed: int, log: Path) -> None:
    """In the forked child: work until killed; never return into pytest."""
    try:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

        def emit(entity: str, *ids: str) -> None:
            os.write(fd, f"COMMITTED {entity} {' '.join(ids)}\n".encode())

        try:
            crash_worker.run(data_dir, seed, emit)
        except BaseException:
            os.write(fd, ("ERROR " + traceback.format_exc().replace("\n", " | ") + "\n").encode())
    finally:
        os._exit(0)


def _lines(log: Path) -> list[str]:
    text = log.read_text() if log.exists() else ""
    return text.split("\n")[:-1]  # the last piece is empty or a line cut short


def _run_and_kill(data_dir: Path, seed: int, *, after: int, delay: float) -> list[str]:
    """Start a worker, kill it ``delay`` seconds after it has reported ``after``
    commits (progress, not wall time, so a busy machine kills at the same
    kind of moments), and return what it reported. A log file, not a pipe: a
    full pipe would stall the child."""
    log = data_dir.parent / f"committed-{seed}.log"
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        _child(data_dir, seed, log)
    deadline = time.monotonic() + 120  # a safety net only; never reached when all is well
    while len(_lines(log)) < after and time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG) != (0, 0):
            break  # it died on its own: the checks below say why
        time.sleep(0.01)
    time.sleep(delay)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        status = None
    lines = _lines(log)
    errors = [line for line in lines if line.startswith("ERROR ")]
    assert not errors, errors[0]  # a worker that stopped on its own would hide a bug
    assert status is not None and os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"worker {seed} ended by itself"
    return lines


def _check(db: Path, committed: dict[str, set[str]]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        for entity, ids in committed.items():
            table = "topic" if entity == "topic_event" else entity
            present = {row[0] for row in con.execute(f"SELECT id FROM {table}")}
            missing = ids - present
            assert not missing, f"{len(missing)} committed {entity} rows lost"
        # every synced row was born with its outbox insert, and every operation has its row
        ops = defaultdict(set)
        for entity, row_id, kind in con.execute("SELECT entity, row_id, kind FROM outbox"):
            ops[entity].add(row_id)
            if kind == "insert":
                ops[(entity, "insert")].add(row_id)
        for entity in ENTITIES:
            rows = {row[0] for row in con.execute(f"SELECT id FROM {entity}")}
            assert rows == ops[(entity, "insert")], f"{entity}: rows and outbox inserts differ"
            assert ops[entity] <= rows
        # a topic's status is the end of its history, which starts with its submission
        topics = con.execute("SELECT id, status FROM topic").fetchall()
        events = defaultdict(list)
        for topic_id, action, to_status in con.execute("SELECT topic_id, action, to_status FROM topic_event ORDER BY at, id"):
            events[topic_id].append((action, to_status))
        for topic_id, status in topics:
            assert events[topic_id][0] == ("submit", "submitted"), topic_id
            assert events[topic_id][-1][1] == status, topic_id
        # agenda positions have no gaps; finalized minutes carry their fingerprint
        for (gaps,) in con.execute(
            "SELECT count(*) FROM (SELECT meeting_id, max(position) AS m, count(*) AS c FROM agenda_item"
            " WHERE deleted = 0 GROUP BY meeting_id) WHERE m != c"
        ):
            assert gaps == 0
        assert con.execute("SELECT count(*) FROM minutes WHERE status = 'finalized' AND (sha256 IS NULL OR length(sha256) != 64)").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_nothing_committed(data_dir):
    store = Store(data_dir)
    rooms.init_room(store, code="QJP-009", name="码头镇新河村协商议事室")
    store.close()  # the parent holds no connection while a child writes
    rng = random.Random(20261127)
    committed: dict[str, set[str]] = defaultdict(set)
    reported = 0
    for seed in range(KILLS):
        # most kills land inside calls; a few early ones hit the start-up checks
        after = 0 if rng.random() < 0.1 else rng.randint(1, 12)
        for line in _run_and_kill(data_dir, seed, after=after, delay=rng.uniform(0.0, 0.05)):
            _, entity, *ids = line.split(" ")
            committed[entity].update(i for i in ids if i)
            reported += 1
        _check(data_dir / DB_FILENAME, committed)
    assert reported > KILLS  # the kills really came in the middle of work
    assert len(committed) >= 4  # and in several kinds of call, not only the first
    # and the program starts normally on the file afterwards
    Store(data_dir).close()
