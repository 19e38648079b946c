"""The topics screen through its widgets: record a walk-in topic, find it,
accept it; decline with a reason (an empty reason is refused kindly); merge a
duplicate; only the lifecycle's buttons are enabled; the list reads only
the pages on screen, a jump to the end included."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox

from desktop.domain.enums import TopicSource, TopicStatus
from desktop.storage.services import topics
from tests.ui.conftest import type_text, wait_idle


def _ok(dialog):
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()


def _open_topics(window, qtbot):
    screen = window.go("topics")
    wait_idle(qtbot, window.db)
    return screen


def test_record_and_accept_a_walk_in_topic(window, room_store, qtbot):
    screen = _open_topics(window, qtbot)
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    _ok(dialog)  # no title: refused, dialog stays open
    wait_idle(qtbot, window.db)
    assert dialog.isVisible() and "请填写“议题标题”" in dialog.error.text()
    type_text(dialog.title, "运河步道缺少公共厕所")
    type_text(dialog.location, "运河步道北段")
    type_text(dialog.submitter_name, "张大爷")
    type_text(dialog.description, "晨练的老人多，附近没有厕所。")
    _ok(dialog)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: screen.detail.topic is not None)
    assert not dialog.isVisible()
    assert screen.model.rowCount() == 1
    assert screen.detail.title.text() == "运河步道缺少公共厕所"
    assert screen.detail.facts["status"].text() == "待受理"
    assert screen.detail.facts["source"].text() == "来访登记"
    enabled = {a.value for a, b in screen.detail.buttons.items() if b.isEnabled()}
    assert enabled == {"accept", "decline", "merge"}
    qtbot.waitUntil(lambda: screen.detail.timeline.count() == 1)

    qtbot.mouseClick(screen.detail.buttons[next(a for a in screen.detail.buttons if a.value == "accept")], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.detail.facts["status"].text() == "已受理")
    qtbot.waitUntil(lambda: screen.detail.timeline.count() == 2)
    assert "受理" in screen.detail.timeline.item(1).text()
    assert screen.model.data(screen.model.index(0, 3)) == "已受理"
    enabled = {a.value for a, b in screen.detail.buttons.items() if b.isEnabled()}
    assert enabled == {"merge", "handle_directly"}
    stored = topics.list_topics(room_store)
    assert [t.status for t in stored] == [TopicStatus.ACCEPTED]


def test_decline_needs_a_reason(window, room_store, qtbot):
    t = topics.record_topic(room_store, title="要求小区门口设摊位", source=TopicSource.QR).value
    screen = _open_topics(window, qtbot)
    screen.model.reload()
    wait_idle(qtbot, window.db)
    assert screen.select_topic(t.id)
    decline = next(b for a, b in screen.detail.buttons.items() if a.value == "decline")
    qtbot.mouseClick(decline, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    _ok(dialog)
    wait_idle(qtbot, window.db)
    assert dialog.isVisible() and "不予受理理由" in dialog.error.text()
    assert topics.get_topic(room_store, t.id).status == TopicStatus.SUBMITTED
    type_text(dialog.text, "占道经营不属于议事范围，请联系城管中队。")
    _ok(dialog)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: "不予受理" in screen.detail.facts["status"].text())
    assert not dialog.isVisible()
    assert topics.get_topic(room_store, t.id).decline_reason == "占道经营不属于议事范围，请联系城管中队。"
    assert not any(b.isEnabled() for b in screen.detail.buttons.values())


def test_merge_suggests_the_likely_duplicate_first(window, room_store, qtbot):
    topics.record_topic(room_store, title="菜市场早上太吵", source=TopicSource.WALK_IN, location="东门菜场")
    original = topics.record_topic(room_store, title="运河步道缺少公共厕所", source=TopicSource.WALK_IN, location="运河步道").value
    dup = topics.record_topic(room_store, title="运河步道没有公共厕所", source=TopicSource.QR, location="运河步道").value
    screen = _open_topics(window, qtbot)
    screen.model.reload()
    wait_idle(qtbot, window.db)
    assert screen.select_topic(dup.id)
    merge = next(b for a, b in screen.detail.buttons.items() if a.value == "merge")
    qtbot.mouseClick(merge, Qt.MouseButton.LeftButton)
    dialog = screen.dialog
    wait_idle(qtbot, window.db)
    assert dialog.list.count() == 2
    assert dialog.target_id() == original.id  # the likely duplicate is on top and chosen
    _ok(dialog)
    wait_idle(qtbot, window.db)
    assert not dialog.isVisible()
    merged = topics.get_topic(room_store, dup.id)
    assert merged.status == TopicStatus.MERGED and merged.merged_into_id == original.id


def test_list_is_a_window_that_reads_only_the_pages_on_screen(window, room_store, qtbot, monkeypatch):
    from desktop.ui.topic_model import TopicTableModel

    monkeypatch.setattr(TopicTableModel, "PAGE", 10)  # small pages keep the test quick
    n = 75
    for i in range(n):
        topics.record_topic(room_store, title=f"议题{i:04d}", source=TopicSource.WALK_IN)
    screen = _open_topics(window, qtbot)
    screen.model.reload()
    wait_idle(qtbot, window.db)
    model = screen.model
    assert model.rowCount() == n  # the whole list is there to scroll through at once
    assert "共 75 个议题" in screen.count_label.text()
    assert model.topic_at(0).title == "议题0074"  # newest first
    last_page = (n - 1) // TopicTableModel.PAGE
    assert last_page not in model.loaded_pages()

    screen.table.setFocus()
    QTest.keyClick(screen.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    assert model.data(model.index(n - 1, 1)) == "正在读取……"  # a placeholder until its page comes
    qtbot.waitUntil(lambda: model.topic_at(n - 1) is not None)
    wait_idle(qtbot, window.db)
    assert model.data(model.index(n - 1, 1)) == "议题0000"
    assert 3 not in model.loaded_pages()  # the pages jumped over were never read

    screen.table.scrollTo(model.index(35, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    qtbot.waitUntil(lambda: model.topic_at(35) is not None)
    assert model.topic_at(35).title == f"议题{n - 1 - 35:04d}"
    screen.table.selectRow(36)
    qtbot.waitUntil(lambda: screen.detail.topic is not None)
    assert screen.detail.topic.title == f"议题{n - 1 - 36:04d}"


def test_search_as_you_type_and_filters(window, room_store, qtbot):
    topics.record_topic(room_store, title="夜间施工噪音扰民", source=TopicSource.HOTLINE, category="环境卫生")
    topics.record_topic(room_store, title="雨后村道积水", source=TopicSource.GRID_WORKER, category="道路交通")
    screen = _open_topics(window, qtbot)
    screen.model.reload()
    wait_idle(qtbot, window.db)
    assert screen.model.rowCount() == 2
    type_text(screen.search, "噪音")
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and not screen.model.loading, timeout=3000)
    assert screen.model.topic_at(0).title == "夜间施工噪音扰民"
    screen.search.clear()
    screen.source.setCurrentIndex(screen.source.findData(TopicSource.GRID_WORKER))
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1 and screen.model.topic_at(0).title == "雨后村道积水", timeout=3000)
