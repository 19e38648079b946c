"""被退回的修改 in the window, against the real county server on 127.0.0.1:
PC 1 finalizes a meeting's minutes and syncs; PC 2, which had not heard of it,
records a statement and moves the meeting to another place, then syncs in the
evening. The server refuses both; the end-of-sync message says they are kept,
the status bar shows how many, and the dialog lists each with the server's
reason. 重新发送 puts the statement back in the queue (refused again at the
next sync, the minutes being final, and the open dialog lists it again); 放弃 removes nothing until the person
confirms, then the new statement leaves PC 2 and the meeting gets the
server's place back, and the button goes."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from desktop.storage.models import OutboxRow
from desktop.storage.services import meetings, minutes, reads
from desktop.sync import engine
from tests.storage.service_helpers import held_meeting
from tests.sync.helpers import new_pc
from tests.ui.conftest import wait_idle


def _sync_from_window(window, qtbot) -> str:
    """The evening sync a person starts; the message it ends with."""
    window.end_of_day()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "syncResult") is not None, timeout=60_000)
    wait_idle(qtbot, window.db)
    box = window.findChild(QMessageBox, "syncResult")
    text = box.text()
    box.close()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "syncResult") is None)
    return text


def _outbox_states(store, row_id: str) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(OutboxRow.state).where(OutboxRow.row_id == row_id).order_by(OutboxRow.seq)))


def _choose(dialog, qtbot, entity_label: str) -> None:
    qtbot.waitUntil(lambda: any(dialog.list.item(i).text().startswith(entity_label) for i in range(dialog.list.count())))
    row = next(i for i in range(dialog.list.count()) if dialog.list.item(i).text().startswith(entity_label))
    dialog.list.setCurrentRow(row)


def test_refused_changes_are_kept_listed_resent_and_discarded_on_purpose(srv, tmp_path, make_window, qtbot):
    pc1, pc2 = new_pc(srv, tmp_path, "ref1"), new_pc(srv, tmp_path, "ref2")
    meeting_id, _topic, item = held_meeting(pc1)
    engine.sync(pc1)
    engine.sync(pc2)
    # PC 1: the secretary types the minutes and finalizes them; the sync takes them to the county
    minutes.record_statement(pc1, agenda_item_id=item, speaker="张主任", summary="同意改造方案")
    minutes.save_minutes_text(pc1, meeting_id, summary="会议同意公厕改造。")
    minutes.finalize_minutes(pc1, meeting_id)
    engine.sync(pc1)
    # PC 2 has not heard of it: a late statement and a new place, typed in good faith
    statement = minutes.record_statement(pc2, agenda_item_id=item, speaker="李大爷", summary="厕所门口要装扶手").value
    meetings.update_meeting(pc2, meeting_id, place="村委会二楼")

    window = make_window(pc2)
    qtbot.waitUntil(lambda: window.sync.configured)
    assert not window.refused_button.isVisible()
    text = _sync_from_window(window, qtbot)
    assert "同步完成" in text and "被县服务器退回" in text and "保存在本电脑上" in text and "被退回的修改" in text
    qtbot.waitUntil(lambda: window.refused_button.isVisible())
    assert window.refused_button.text() == "被退回的修改：2"
    # kept as the person left them
    assert [s.speaker for s in reads.statements_of(pc2, meeting_id=meeting_id)] == ["张主任", "李大爷"]
    assert reads.get_meeting(pc2, meeting_id).place == "村委会二楼"

    window.refused_button.click()
    dialog = window.refused_dialog
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.list.count() == 2)
    _choose(dialog, qtbot, "发言")
    assert dialog.what.text() == "发言：李大爷"
    assert "定稿" in dialog.reasons.text()
    assert "新建" in dialog.kind.text()
    assert "这条记录将从本电脑删除" in dialog.discard_hint.text()
    _choose(dialog, qtbot, "议事会")
    assert "定稿" in dialog.reasons.text() and "地点" in dialog.kind.text()
    assert "下次同步时恢复为服务器上的内容" in dialog.discard_hint.text()

    # 重新发送: back in the queue, the next sync sends it
    _choose(dialog, qtbot, "发言")
    dialog.resend_button.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    assert "pending" in _outbox_states(pc2, statement.id) and "rejected" not in _outbox_states(pc2, statement.id)
    qtbot.waitUntil(lambda: window.refused_button.text() == "被退回的修改：1")
    # the minutes are final on the county server: the statement comes back refused, still
    # kept, and the open dialog shows it again
    text = _sync_from_window(window, qtbot)
    assert "被县服务器退回" in text
    qtbot.waitUntil(lambda: window.refused_button.text() == "被退回的修改：2")
    qtbot.waitUntil(lambda: dialog.list.count() == 2)
    assert "rejected" in _outbox_states(pc2, statement.id)
    _choose(dialog, qtbot, "发言")
    # 放弃 asks first; saying no removes nothing
    box = dialog.ask_discard()
    assert "这条记录将从本电脑删除" in box.text() and "李大爷" in box.text()
    box.button(QMessageBox.StandardButton.No).click()
    wait_idle(qtbot, window.db)
    assert dialog.list.count() == 2
    assert [s.speaker for s in reads.statements_of(pc2, meeting_id=meeting_id)] == ["张主任", "李大爷"]
    # saying yes: the new record the server never stored leaves this PC
    dialog.discard_button.click()
    box = dialog.confirm
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    assert [s.speaker for s in reads.statements_of(pc2, meeting_id=meeting_id)] == ["张主任"]
    assert _outbox_states(pc2, statement.id) == []
    # the meeting's place: discarded, the server's comes back at the next sync
    _choose(dialog, qtbot, "议事会")
    dialog.discard_button.click()
    box = dialog.confirm
    assert "下次同步时恢复为服务器上的内容" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.list.count() == 0 and not dialog.discard_button.isEnabled())
    assert dialog.what.text() == "没有被退回的修改。"
    qtbot.waitUntil(lambda: not window.refused_button.isVisible())
    dialog.close()
    text = _sync_from_window(window, qtbot)
    assert "被县服务器退回" not in text
    assert reads.get_meeting(pc2, meeting_id).place == reads.get_meeting(pc1, meeting_id).place == "社区议事室"
    assert not window.refused_button.isVisible()


def test_a_change_decided_elsewhere_meanwhile_gives_no_error(srv, tmp_path, make_window, qtbot):
    """The convenor discards from ``yishi refused`` while the dialog is open on
    the same record: 重新发送 then says it was already handled, shows what is
    left, and neither brings the record back nor shows an error."""
    from desktop.sync import refused

    pc1, pc2 = new_pc(srv, tmp_path, "else1"), new_pc(srv, tmp_path, "else2")
    meeting_id, _topic, item = held_meeting(pc1)
    engine.sync(pc1)
    engine.sync(pc2)
    minutes.finalize_minutes(pc1, meeting_id)
    engine.sync(pc1)
    statement = minutes.record_statement(pc2, agenda_item_id=item, speaker="赵会计", summary="账目要公开").value
    assert engine.sync(pc2).rejected == 1

    window = make_window(pc2)
    qtbot.waitUntil(lambda: window.refused_button.isVisible())
    dialog = window.open_refused()
    qtbot.waitUntil(lambda: dialog.list.count() == 1)
    refused.discard(pc2, statement.id)  # what `yishi refused discard ID` does, from another process
    dialog.resend_button.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.list.count() == 0)
    assert "已经处理过了" in dialog.done_label.text()
    assert window.findChild(QMessageBox, "errorBox") is None
    assert reads.statements_of(pc2, meeting_id=meeting_id) == ()
    assert _outbox_states(pc2, statement.id) == []
    qtbot.waitUntil(lambda: not window.refused_button.isVisible())
