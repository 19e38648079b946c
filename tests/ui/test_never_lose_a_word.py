"""Never lose a word: the window runs in a child process while the secretary
types into the minutes' summary and into a statement not yet recorded; the
child is killed with SIGKILL (a power cut, as far as the program can tell).
The next start shows everything that had been typed up to 2 seconds before
the kill, in both boxes, and nothing that was never typed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop.domain.enums import MeetingType, TopicSource
from desktop.storage.db import Store
from desktop.storage.services import meetings, reads, rooms, topics
from tests.ui.conftest import wait_idle
from tests.ui.typing_child import SAID, SUMMARY

ROOT = Path(__file__).resolve().parents[2]
PROMISE_S = 2.0


def _prepare(data_dir: Path) -> tuple[str, str]:
    store = Store(data_dir)
    try:
        rooms.init_room(store, code="QJP-001", name="清江浦区水渡口社区协商议事室")
        t = topics.record_topic(store, title="运河步道缺少公共厕所", source=TopicSource.WALK_IN).value
        topics.accept(store, t.id)
        m = meetings.schedule_meeting(
            store, title="步道公厕专题协商", type=MeetingType.THEMATIC, starts_at=datetime.now(UTC) + timedelta(hours=1), topic_ids=[t.id]
        ).value
        return m.id, reads.agenda_of(store, m.id)[0].id
    finally:
        store.close()


def _typed_by(progress: Path, deadline: float) -> dict[str, int]:
    """Characters typed into each box at or before ``deadline`` (monotonic)."""
    typed = {"summary": 0, "said": 0}
    for line in progress.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and float(parts[0]) <= deadline:
            typed[parts[1]] = max(typed[parts[1]], int(parts[2]))
    return typed


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_sigkill_while_typing_loses_at_most_two_seconds(tmp_path, make_window, qtbot):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    meeting_id, item_id = _prepare(data_dir)
    progress = tmp_path / "progress.txt"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", YISHI_LANG="zh")
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.typing_child", str(data_dir), meeting_id, str(progress)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        # type long enough to cover both boxes, a focus change and a long unbroken stretch
        started = time.monotonic()
        while True:
            done = _typed_by(progress, float("inf")) if progress.exists() else {"summary": 0, "said": 0}
            if done["said"] >= 60 and done["summary"] >= 150:
                break
            assert child.poll() is None, child.stderr.read().decode(errors="replace")[-2000:]
            assert time.monotonic() - started < 90, "the child never started typing"
            time.sleep(0.05)
        killed_at = time.monotonic()
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    must_have = _typed_by(progress, killed_at - PROMISE_S)
    typed = _typed_by(progress, float("inf"))

    store = Store(data_dir)
    summary = reads.minutes_of(store, meeting_id)[0].summary
    draft = rooms.get_setting(store, f"draft.statement.{item_id}") or {}
    said = draft.get("said", "")
    assert summary == SUMMARY[: len(summary)] and len(summary) >= must_have["summary"]
    assert said == SAID[: len(said)] and len(said) >= must_have["said"]
    assert len(summary) <= typed["summary"] and len(said) <= typed["said"]

    # the next start: the secretary sees both texts where she left them
    window = make_window(store)
    screen = window.go("meetings")
    screen.open_meeting(meeting_id)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: screen.minutes.said.text() == said and screen.minutes.summary.toPlainText() == summary, timeout=5000)
