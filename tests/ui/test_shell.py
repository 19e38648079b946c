"""The shell: the window opens in Chinese with every screen in the navigation,
shows the room and the sync state, and asks for the room on a new PC."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QPushButton

from tests.ui.conftest import wait_idle


def test_opens_in_chinese_with_all_screens(window):
    labels = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert labels == ["工作台", "议题", "议事会", "落实", "统计", "通讯录", "设置"]
    assert "水渡口社区协商议事室" in window.room_label.text()
    assert window.sync_label.text() == "未注册到县服务器（请到“设置”中注册）"  # never a promise of sync
    assert window.width() >= 1024


def test_navigation_switches_screens(window, qtbot):
    window.nav.setCurrentRow(1)
    assert window.stack.currentWidget() is window.screens["topics"]
    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.screens["today"]


def test_end_of_day_says_sync_is_not_set_up(window, qtbot):
    button = window.screens["today"].findChild(QPushButton, "endOfDay")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    box = window.findChild(QMessageBox, "syncResult")
    assert box is not None and box.isVisible()
    assert "还没有设置县服务器" in box.text()
    box.close()


def test_new_pc_asks_for_the_room(make_window, store, qtbot):
    w = make_window(store)
    dialog = w.setup_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.code.setText("坏 编码")
    dialog.name.setText("测试议事室")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    wait_idle(qtbot, w.db)
    assert dialog.isVisible() and "议事室编码" in dialog.error.text()
    dialog.code.setText("TST-01")
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
    wait_idle(qtbot, w.db)
    assert not dialog.isVisible()
    assert "测试议事室（TST-01）" in w.room_label.text()
