"""Sync from the window against the real county server on 127.0.0.1: the
status bar shows unsent changes; the end-of-day sync runs without freezing
the window; the same field edited on two PCs lands in the conflict inbox,
which shows both versions side by side and keeps this PC's when asked; the
end-of-day time starts a sync by itself once a day; closing with unsent
changes offers to sync first, and that sync reaches the other PC."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from PySide6.QtWidgets import QMessageBox

from desktop.domain import clock
from desktop.domain.enums import MeetingType
from desktop.storage.services import meetings, reads
from desktop.sync import engine
from tests.sync.helpers import new_pc
from tests.ui.conftest import wait_idle
from tests.ui.test_responsive import LIMIT_MS, Heartbeat


def _synced(window, qtbot) -> None:
    qtbot.waitUntil(lambda: not window.sync.running, timeout=60_000)
    wait_idle(qtbot, window.db)


def test_sync_conflicts_and_closing(srv, tmp_path, make_window, qtbot):
    pc1, pc2 = new_pc(srv, tmp_path, "win1"), new_pc(srv, tmp_path, "win2")
    m = meetings.schedule_meeting(pc1, title="垃圾分类专题协商", type=MeetingType.THEMATIC, starts_at=datetime.now(UTC) + timedelta(days=1)).value
    engine.sync(pc1)
    engine.sync(pc2)
    meetings.update_meeting(pc1, m.id, place="社区东门")
    engine.sync(pc1)
    meetings.update_meeting(pc2, m.id, place="社区西门")

    window = make_window(pc2)
    qtbot.waitUntil(lambda: window.sync.configured)
    assert window.unsent_label.text() == "未同步的更改：1"
    assert window.sync_label.text().startswith("上次同步")

    with Heartbeat() as beat:
        window.end_of_day()
        assert window.sync_label.text() == "正在同步……"
        _synced(window, qtbot)
        box = window.findChild(QMessageBox, "syncResult")
        qtbot.waitUntil(lambda: window.findChild(QMessageBox, "syncResult") is not None)
    assert beat.largest < LIMIT_MS, f"the window froze for {beat.largest} ms"
    box = window.findChild(QMessageBox, "syncResult")
    assert "同步完成" in box.text() and "冲突" in box.text()
    box.close()
    qtbot.waitUntil(lambda: window.conflicts_button.isVisible())
    assert window.conflicts_button.text() == "冲突 1 处，点此处理"
    assert reads.get_meeting(pc2, m.id).place == "社区东门"  # the server's value is kept meanwhile

    inbox = window.open_conflicts()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: inbox.list.count() == 1)
    assert inbox.what.text() == "议事会的“地点”"
    assert (inbox.local.toPlainText(), inbox.server.toPlainText()) == ("社区西门", "社区东门")
    inbox.keep_local.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: inbox.list.count() == 0 and not inbox.keep_local.isEnabled())
    inbox.close()
    assert reads.get_meeting(pc2, m.id).place == "社区西门"
    qtbot.waitUntil(lambda: not window.conflicts_button.isVisible() and window.unsent_label.text() == "未同步的更改：1", timeout=5000)

    # the end-of-day time: once a day, by itself
    window.sync.set_daily_time("07:00")
    tomorrow = clock.to_local(clock.now()).date() + timedelta(days=1)
    at_eight = datetime.combine(tomorrow, time(8, 0), tzinfo=clock.CHINA_TZ)
    assert window.sync.check_schedule(at_eight - timedelta(hours=2)) is False  # not yet 07:00
    assert window.sync.check_schedule(at_eight) is True
    _synced(window, qtbot)
    assert window.findChild(QMessageBox, "syncResult") is None  # automatic runs do not interrupt
    assert window.sync.check_schedule(at_eight + timedelta(hours=1)) is False  # once a day

    # closing with an unsent change offers to sync first
    meetings.update_meeting(pc2, m.id, convenor="王书记")
    window.sync.refresh_status()
    wait_idle(qtbot, window.db)
    assert window.sync.unsent == 1
    window.close()
    ask = window.close_box
    assert window.isVisible() and "还没有同步到县服务器" in ask.text()
    ask.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=60_000)
    engine.sync(pc1)
    got = reads.get_meeting(pc1, m.id)
    assert (got.place, got.convenor) == ("社区西门", "王书记")
