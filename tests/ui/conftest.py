"""Qt fixtures: the main window over a fresh room database, helpers to wait
for the database worker, and failing on Qt warnings nobody expected
(STYLE.md habit 10)."""

from __future__ import annotations

import pytest

# Qt messages that are noise of the offscreen platform, not of our code
BENIGN = [
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/ui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_level_fail("WARNING"))
            item.add_marker(pytest.mark.qt_log_ignore(*BENIGN))


def wait_idle(qtbot, db, timeout: int = 5000) -> None:
    """Until the database worker has answered everything asked of it."""
    qtbot.waitUntil(lambda: db.idle, timeout=timeout)


@pytest.fixture
def make_window(qtbot):
    """Build the main window over a store; closed (worker stopped) at the end."""
    windows = []

    def make(store):
        from desktop.ui.app import open_main_window

        w = open_main_window(store)
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
        wait_idle(qtbot, w.db)
        return w

    yield make
    for w in windows:
        if w.db._thread.isRunning():
            w.close()


@pytest.fixture
def window(make_window, room_store):
    return make_window(room_store)


def type_text(widget, text: str) -> None:
    """Type Chinese the way an input method does: a committed string event
    (QTest's key clicks only know Latin-1 keys)."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
