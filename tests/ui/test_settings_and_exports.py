"""设置 and 统计 through the window: back up now, restore a backup (the store
is closed, the file swapped, reopened, and the screens show the restored
data), the end-of-day sync time kept; the statistics exported to Excel (read
back with openpyxl) and to PDF (read back with pdftotext), without freezing
the window."""

from __future__ import annotations

import subprocess

from openpyxl import load_workbook
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QMessageBox

from desktop.domain.enums import TopicSource
from desktop.storage.services import rooms, topics
from tests.ui.conftest import wait_idle
from tests.ui.test_responsive import LIMIT_MS, Heartbeat


def test_backup_now_then_restore(window, room_store, qtbot):
    topics.record_topic(room_store, title="备份之前的议题", source=TopicSource.WALK_IN)
    settings = window.go("settings")
    wait_idle(qtbot, window.db)
    settings.backup_now.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: settings.backups.count() == 1 and settings.backups.item(0).data(256) is not None)
    assert "已备份到" in settings.backup_state.text()

    topics.record_topic(window.db.store, title="备份之后的议题", source=TopicSource.WALK_IN)
    settings.backups.setCurrentRow(0)
    box = settings.ask_restore()
    assert "备份之后做的工作会不见" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "restoreDone") is not None)
    titles = {t.title for t in topics.list_topics(window.db.store)}
    assert titles == {"备份之前的议题"}
    screen = window.go("topics")
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    assert "清江浦区水渡口社区协商议事室" in window.room_label.text()


def test_end_of_day_time_is_kept(window, qtbot):
    settings = window.go("settings")
    wait_idle(qtbot, window.db)
    settings.sync_time.setTime(QTime(18, 5))
    settings.save_time.click()
    wait_idle(qtbot, window.db)
    assert rooms.get_setting(window.db.store, "sync.end_of_day") == "18:05"


def test_statistics_exports(window, room_store, qtbot, tmp_path):
    for i in range(3):
        topics.record_topic(room_store, title=f"议题{i}", source=TopicSource.HOTLINE)
    stats = window.go("stats")
    wait_idle(qtbot, window.db)
    out = tmp_path / "统计.xlsx"
    with Heartbeat() as beat:
        stats.export_xlsx_to(out)
        wait_idle(qtbot, window.db)
    assert beat.largest < LIMIT_MS, f"the window froze for {beat.largest} ms"
    with Heartbeat() as beat:
        stats.export_pdf_preview()
        wait_idle(qtbot, window.db)
        qtbot.waitUntil(lambda: getattr(window, "preview", None) is not None)
    assert beat.largest < LIMIT_MS, f"the window froze for {beat.largest} ms"
    assert "已导出" in stats.export_state.text()
    wb = load_workbook(out)
    overview = {row[0]: row[1] for row in wb.worksheets[0].iter_rows(values_only=True) if row and len(row) > 1}
    assert overview["收集议题"] == 3
    assert "按来源" in wb.sheetnames
    by_source = {r[0]: r[1] for r in wb["按来源"].iter_rows(min_row=2, values_only=True)}
    assert by_source == {"12345热线": 3}
    pdf = tmp_path / "stats.pdf"
    window.preview.save_to(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "协商议事工作统计" in text and "收集议题" in text and "12345热线" in text
    window.preview.close()
