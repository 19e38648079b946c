"""Starting the window the way ``yishi`` does (``app.start_window``): the
window shows the workbench's frame at once, the room file is opened by the
database worker behind it, and the workbench then shows the room's work.
Only the workbench is built at start; other screens on their first visit,
and a screen visited before the file is open says it is opening. A damaged
file is reported and left as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desktop.domain.enums import TopicSource
from desktop.storage.db import DB_FILENAME
from desktop.storage.services import rooms, topics
from tests.ui.conftest import wait_idle

ROOT = Path(__file__).resolve().parents[2]


def _start(qtbot, data_dir: Path):
    from desktop.ui.app import start_window

    window = start_window(data_dir)
    qtbot.addWidget(window)
    window.show()
    return window


def test_window_opens_the_room_file_behind_its_first_frame(qtbot, room_store):
    topics.record_topic(room_store, title="楼道灯坏了", source=TopicSource.WALK_IN)
    window = _start(qtbot, room_store.data_dir)
    try:
        assert window.stack.currentWidget() is window.screens["today"]
        assert list(window.screens) == ["today"]  # every other screen waits for its first visit
        qtbot.waitUntil(lambda: window.db.ready, timeout=15000)
        wait_idle(qtbot, window.db, timeout=15000)
        today = window.screens["today"]
        assert today.boxes["waiting"].title() == "待受理的议题（1）"
        assert today.waiting.item(0).text().startswith("楼道灯坏了")
        assert "水渡口社区协商议事室" in window.room_label.text()
        assert window.sync_label.text() == "未注册到县服务器（请到“设置”中注册）"
        window.nav.setCurrentRow(1)
        assert window.stack.currentWidget() is window.screens["topics"]
        assert sorted(window.screens) == ["today", "topics"]
    finally:
        window.close()


def test_a_screen_visited_while_opening_says_so_then_appears(qtbot, room_store):
    window = _start(qtbot, room_store.data_dir)
    try:
        # the worker starts opening only after the first frame, so it is not open yet
        assert not window.db.ready
        window.nav.setCurrentRow(3)  # 落实
        shown = " ".join(w.text() for w in window.stack.currentWidget().findChildren(type(window.room_label)))
        assert "落实" in shown and "正在打开数据文件" in shown
        assert window.room_label.text() == "正在打开数据文件……"
        qtbot.waitUntil(lambda: window.db.ready and "actions" in window.screens, timeout=15000)
        assert window.stack.currentWidget() is window.screens["actions"]
        wait_idle(qtbot, window.db, timeout=15000)
    finally:
        window.close()


def test_a_damaged_file_is_reported_and_left_alone(qtbot, data_dir):
    path = data_dir / DB_FILENAME
    junk = b"not a database, just some bytes " * 100
    path.write_bytes(junk)
    window = _start(qtbot, data_dir)
    failures = []
    window.db.open_failed.connect(failures.append)
    try:
        qtbot.waitUntil(lambda: bool(failures) or window.db.open_error is not None, timeout=15000)
        error = failures[0] if failures else window.db.open_error
        assert "已损坏" in str(error)
        assert not window.db.ready
    finally:
        window.db.shutdown()
    assert path.read_bytes() == junk


def test_first_frame_before_sqlalchemy_and_qtcharts(room_store):
    """In a fresh process (as at a real start): when the workbench's frame is
    painted, neither SQLAlchemy nor QtCharts has been imported by the GUI."""
    rooms.set_setting(room_store, "ui.language", "en")  # read without SQLAlchemy too
    script = """
import json, sys
from desktop.ui.app import make_app, start_window
app = make_app([])
window = start_window(sys.argv[1])
window.show()
today = window.screens["today"]
seen = {}
def painted():
    seen.setdefault("sqlalchemy", "sqlalchemy" in sys.modules)
    seen.setdefault("charts", "PySide6.QtCharts" in sys.modules)
    seen.setdefault("title", window.nav.item(0).text())
window.db.opened.connect(lambda: (seen.setdefault("opened", True), app.quit()))
from PySide6.QtCore import QTimer
QTimer.singleShot(0, painted)  # runs once the first frame has been handled
window.db.open_failed.connect(lambda exc: (print(exc, file=sys.stderr), app.exit(3)))
QTimer.singleShot(20000, lambda: app.exit(4))
code = app.exec()
print(json.dumps(seen), flush=True)
window.db.shutdown()
sys.exit(code)
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", script, str(room_store.data_dir)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen == {"sqlalchemy": False, "charts": False, "title": "Today", "opened": True}


def test_a_long_day_of_qt_calls_does_not_kill_the_window():
    """PySide6 6.12 on Python 3.11 loses a reference to None on every Qt call
    that returns nothing; without the guard in ``make_app`` a fresh process
    dies ("deallocating None") after a few thousand of them."""
    script = """
from desktop.ui.app import make_app
from PySide6.QtWidgets import QLabel
app = make_app([])
label = QLabel()
for i in range(100_000):
    label.setText("议题")
print("alive", flush=True)
"""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0 and proc.stdout.strip() == "alive", proc.stderr[-1000:]
