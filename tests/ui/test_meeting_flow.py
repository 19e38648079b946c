"""The whole cycle through the widgets: an accepted topic goes on a new
meeting's agenda, a participant signs in, the secretary types the summary
(saved after the pause, without pressing anything), records a statement, an
outcome and an action item, finalizes after confirming, opens the print
preview; then the action item is completed, the topic resolved and visited,
and the statistics show it."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from desktop.domain.enums import MinutesStatus, Role, TopicSource, TopicStatus
from desktop.storage.services import contacts, reads, topics
from tests.ui.conftest import type_text, wait_idle


def test_meeting_cycle(window, room_store, qtbot):
    t = topics.record_topic(room_store, title="运河步道缺少公共厕所", source=TopicSource.WALK_IN).value
    topics.accept(room_store, t.id)
    contacts.add_person(room_store, name="赵桂芳", unit="运河社区", role=Role.RESIDENT_REP)

    screen = window.go("meetings")
    wait_idle(qtbot, window.db)
    screen.new_button.click()
    type_text(screen.title, "运河步道公厕专题协商")
    type_text(screen.place, "社区议事室")
    screen.save_button.click()
    wait_idle(qtbot, window.db)
    assert screen.meeting is not None and screen.list.count() == 1

    assert screen.accepted_topics.currentData() == t.id
    screen.add_item.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: screen.agenda.count() == 1)
    assert topics.get_topic(room_store, t.id).status == TopicStatus.SCHEDULED

    people = screen.people
    people.add_button.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: people.table.rowCount() == 1)
    people.sign_in_row(0)
    wait_idle(qtbot, window.db)
    assert reads.participants_of(room_store, screen.meeting.id)[0].signed_in_at is not None

    m = screen.minutes
    screen.tabs.setCurrentWidget(m)
    type_text(m.summary, "会议认为，公厕选址应兼顾晨练老人。")
    # saved after the typing pause, nothing pressed
    def saved() -> bool:
        versions = reads.minutes_of(room_store, screen.meeting.id)
        return bool(versions) and versions[0].summary == "会议认为，公厕选址应兼顾晨练老人。"

    qtbot.waitUntil(saved, timeout=4000)
    type_text(m.speaker, "赵桂芳")
    type_text(m.identity, "居民代表")
    type_text(m.said, "老人晨练没有地方上厕所。")
    m.add_statement.click()
    wait_idle(qtbot, window.db)
    type_text(m.outcome, "在步道北段设移动公厕，年内建固定公厕。")
    m.votes[0].setValue(9)
    m.add_outcome.click()
    wait_idle(qtbot, window.db)
    type_text(m.action_title, "设置移动公厕")
    type_text(m.owner_unit, "区城管局")
    m.add_action.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: m.entries.count() == 2)
    assert reads.action_items(room_store, meeting_id=screen.meeting.id)[0].title == "设置移动公厕"

    screen.end_button.click()  # minutes are finalized once the meeting is over
    wait_idle(qtbot, window.db)
    box = m.ask_finalize()
    assert "不能再修改" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: not m.finalize_button.isEnabled())
    assert reads.minutes_of(room_store, screen.meeting.id)[0].status == MinutesStatus.FINALIZED
    assert m.summary.isReadOnly() and not m.add_statement.isEnabled()

    screen.print_signin.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: getattr(window, "preview", None) is not None)
    assert window.preview.page_count >= 1
    window.preview.close()

    actions_screen = window.go("actions")
    wait_idle(qtbot, window.db)
    assert actions_screen.table.rowCount() == 1
    actions_screen.table.selectRow(0)
    wait_idle(qtbot, window.db)
    type_text(actions_screen.note, "移动公厕已经放好。")
    actions_screen.complete.click()
    wait_idle(qtbot, window.db)
    assert reads.action_items(room_store, open_only=True) == ()

    stats = window.go("stats")
    wait_idle(qtbot, window.db)
    assert stats.numbers["meetings"].text() == "1"
    assert stats.numbers["topics"].text() == "1"
