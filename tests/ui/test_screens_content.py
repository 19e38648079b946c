"""What the convenor reads on the screens, through the widgets: the statistics
headline tallies with the topics list (merged duplicates said apart), the
month chart shows every month of the period (empty ones as zero bars), the
end-of-day hint promises a send to the county only once this PC is enrolled,
and the workbench lists the first overdue items with "还有 N 项" for the rest."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, Qt

from desktop.domain.clock import CHINA_TZ
from desktop.storage.services import actions, rooms, topics
from desktop.ui.screens.today import LIST_LIMIT
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import blank_store, enrollment_code
from tests.ui.conftest import wait_idle


def _show(window, qtbot, key):
    screen = window.go(key)
    wait_idle(qtbot, window.db)
    return screen


def test_stats_headline_tallies_with_the_topics_list(room_store, make_window, qtbot):
    a = topics.record_topic(room_store, title="运河风光带缺少公厕", source="qr").value
    dup = topics.record_topic(room_store, title="公厕（重复反映）", source="qr").value
    topics.record_topic(room_store, title="夜间施工噪音扰民", source="hotline")
    topics.merge(room_store, dup.id, into_id=a.id)
    window = make_window(room_store)

    listed = _show(window, qtbot, "topics")
    qtbot.waitUntil(lambda: "3" in listed.count_label.text())
    assert listed.count_label.text() == "共 3 个议题"

    stats = _show(window, qtbot, "stats")
    stats.refresh()
    wait_idle(qtbot, window.db)
    assert stats.numbers["topics"].text() == "2"
    assert stats.merged_note.text() == "另有 1 个重复议题已合并"
    assert stats.merged_note.isVisible()


def test_month_chart_shows_every_month_of_the_period(room_store, make_window, qtbot):
    topics.record_topic(room_store, title="雨后村道积水严重", source="grid_worker", received_at=datetime(2026, 3, 10, 9, tzinfo=CHINA_TZ))
    topics.record_topic(room_store, title="垃圾分类投放点异味大", source="qr", received_at=datetime(2026, 3, 20, 9, tzinfo=CHINA_TZ))
    window = make_window(room_store)
    stats = _show(window, qtbot, "stats")
    stats.date_from.setDate(QDate(2026, 1, 1))
    stats.date_to.setDate(QDate(2026, 5, 31))
    stats.apply.click()
    wait_idle(qtbot, window.db)

    chart = stats.charts[2].chart()
    (axis,) = [a for a in chart.axes(Qt.Orientation.Horizontal)]
    assert axis.categories() == ["1月", "2月", "3月", "4月", "5月"]
    (series,) = chart.series()
    bars = series.barSets()[0]
    assert [bars.at(i) for i in range(bars.count())] == [0, 0, 2, 0, 0]
    assert "2026-01 – 2026-05" in chart.title()


def test_end_of_day_hint_when_not_enrolled(window, qtbot):
    today = _show(window, qtbot, "today")
    text = today.note.text()
    assert "县服务器" in text and "设置" in text and "已保存在本电脑上" in text and "备份" in text
    assert "发送到县服务器" not in text  # no promise of a send that cannot happen
    assert today.sync_button.text() == "结束今日工作"
    box = window.go("settings").server_box
    assert not box.message.isVisible()  # no empty line left in the enrol box


def test_end_of_day_hint_once_enrolled(srv, room_a, tmp_path, make_window, qtbot):
    store = blank_store(tmp_path / "pc")
    rooms.init_room(store, code=srv.room_a, name="清江浦区水渡口社区协商议事室", room_id=room_a)
    window = make_window(store)
    box = window.go("settings").server_box
    box.server.setText(srv.base)
    box.code.setText(enrollment_code(srv, srv.room_a))
    box.enrol_button.click()
    qtbot.waitUntil(lambda: not box.busy, timeout=30_000)
    assert "注册成功" in box.message.text() and box.message.isVisible()

    today = _show(window, qtbot, "today")
    assert "发送到县服务器" in today.note.text() and "设置" not in today.note.text()
    assert today.sync_button.text() == "结束今日工作并同步"


def test_workbench_lists_the_first_overdue_items_and_counts_the_rest(room_store, make_window, qtbot):
    _, topic_id, _ = held_meeting(room_store)
    for i in range(LIST_LIMIT + 5):
        actions.create_action_item(room_store, title=f"落实事项{i + 1}", topic_id=topic_id, owner_unit="城建办", deadline=date(2025, 1, 1 + i % 28))
    window = make_window(room_store)
    today = _show(window, qtbot, "today")

    assert today.boxes["overdue"].title() == f"逾期未落实的事项（{LIST_LIMIT + 5}）"
    lst = today.overdue
    assert lst.count() == LIST_LIMIT + 1
    assert lst.item(LIST_LIMIT).text() == "还有 5 项，请到“落实”里查看全部。"
    with qtbot.waitSignal(today.open_actions):
        lst.itemActivated.emit(lst.item(LIST_LIMIT))


def test_finalized_minutes_hide_the_typing_rows_and_offer_a_correction(room_store, make_window, qtbot):
    from desktop.storage.services import minutes, reads

    meeting_id, _topic, item = held_meeting(room_store)
    minutes.record_statement(room_store, agenda_item_id=item, speaker="赵桂芳", identity="居民代表", summary="公厕要有洗手池")
    minutes.save_minutes_text(room_store, meeting_id, summary="会议认为应当加装洗手池。")
    minutes.finalize_minutes(room_store, meeting_id)
    window = make_window(room_store)
    screen = _show(window, qtbot, "meetings")
    screen.open_meeting(meeting_id)
    screen.tabs.setCurrentWidget(screen.minutes)
    wait_idle(qtbot, window.db)
    tab = screen.minutes
    assert not tab.inputs.isVisible() and not tab.finalize_button.isVisible()
    assert tab.correct_button.isVisible() and "勘误" in tab.state.text()

    dialog = tab.open_correction()
    dialog.text.setPlainText("第一项发言人应为赵桂芳（居民代表），不是赵桂芬。")
    dialog.accept()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: "已有勘误 1 条" in tab.state.text())
    original, correction = reads.minutes_of(room_store, meeting_id)
    assert correction.corrects_id == original.id and original.summary == "会议认为应当加装洗手池。"


def test_follow_up_table_shows_the_first_items_and_says_how_many_there_are(room_store, make_window, qtbot, monkeypatch):
    from desktop.ui.screens import actions as actions_screen

    monkeypatch.setattr(actions_screen, "SHOWN", 10)  # the real cap is 500; the rule is the same
    _, topic_id, _ = held_meeting(room_store)
    for i in range(12):
        actions.create_action_item(room_store, title=f"落实事项{i + 1}", topic_id=topic_id, deadline=date(2026, 1, 1 + i))
    window = make_window(room_store)
    screen = _show(window, qtbot, "actions")
    assert screen.table.rowCount() == 10
    assert screen.table.item(0, 0).text() == "落实事项1"
    assert screen.shown_note.text() == "按完成时限排列，显示前 10 项，共 12 项"
