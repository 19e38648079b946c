"""冲突: the same thing was changed on two PCs of the room before they synced.
The server's version was kept; this inbox shows both versions side by side,
one conflict at a time, and the secretary keeps this PC's version (sent on
the next sync) or the server's (the entry is closed). Reading and deciding
run on the database worker (``desktop.sync.conflicts``)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.sync import conflicts
from desktop.ui import fmt
from desktop.ui.errors import show_error
from desktop.ui.plain import plain_label
from desktop.ui.worker import Database


def entity_label(entity: str) -> str:
    # literal translate() calls, so lupdate finds every label (behind a lambda it found none: English showed 议题)
    return {
        "topic": QCoreApplication.translate("conflicts", "议题"),
        "meeting": QCoreApplication.translate("conflicts", "议事会"),
        "agenda_item": QCoreApplication.translate("conflicts", "议程"),
        "participant": QCoreApplication.translate("conflicts", "参会人员"),
        "minutes": QCoreApplication.translate("conflicts", "会议记录"),
        "statement": QCoreApplication.translate("conflicts", "发言"),
        "outcome": QCoreApplication.translate("conflicts", "协商结果"),
        "action_item": QCoreApplication.translate("conflicts", "落实事项"),
        "person": QCoreApplication.translate("conflicts", "联系人"),
        "follow_up": QCoreApplication.translate("conflicts", "回访"),
    }.get(entity, entity)


def field_label(field: str) -> str:
    # literal translate() calls, so lupdate finds every label (behind a lambda it found none: English showed 议题)
    return {
        "title": QCoreApplication.translate("conflicts", "标题"),
        "description": QCoreApplication.translate("conflicts", "情况描述"),
        "location": QCoreApplication.translate("conflicts", "地点"),
        "place": QCoreApplication.translate("conflicts", "地点"),
        "category": QCoreApplication.translate("conflicts", "类别"),
        "summary": QCoreApplication.translate("conflicts", "内容"),
        "text": QCoreApplication.translate("conflicts", "内容"),
        "starts_at": QCoreApplication.translate("conflicts", "时间"),
        "convenor": QCoreApplication.translate("conflicts", "召集人"),
        "host": QCoreApplication.translate("conflicts", "主持人"),
        "recorder": QCoreApplication.translate("conflicts", "记录人"),
        "owner_unit": QCoreApplication.translate("conflicts", "承办单位"),
        "responsible": QCoreApplication.translate("conflicts", "责任人"),
        "deadline": QCoreApplication.translate("conflicts", "完成时限"),
        "status": QCoreApplication.translate("conflicts", "状态"),
        "name": QCoreApplication.translate("conflicts", "姓名"),
        "phone": QCoreApplication.translate("conflicts", "联系电话"),
        "unit": QCoreApplication.translate("conflicts", "单位"),
        "deleted": QCoreApplication.translate("conflicts", "删除"),
    }.get(field, field)


def shown(value: Any, field: str) -> str:
    if field == "deleted":
        return QCoreApplication.translate("conflicts", "（已删除）") if value else QCoreApplication.translate("conflicts", "（保留）")
    if value is None or value == "":
        return QCoreApplication.translate("conflicts", "（空）")
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _record_name(store: Any, entity: str, row_id: str) -> str:
    """The title a person knows the record by (a topic's or meeting's title),
    "" when it is gone or of another kind."""
    from desktop.domain.errors import DomainError
    from desktop.storage.services import reads, topics

    getters = {"topic": topics.get_topic, "meeting": reads.get_meeting}
    try:
        return str(getattr(getters[entity](store, row_id), "title", "")) if entity in getters else ""
    except DomainError:
        return ""


def load_conflicts(store: Any) -> tuple[tuple[Any, ...], dict[str, str]]:
    """The open conflicts and, per conflict, the name of the record it is about."""
    items = conflicts.list_conflicts(store)
    return items, {c.id: _record_name(store, c.entity, c.row_id) for c in items}


class ConflictInbox(QDialog):
    resolved = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("conflictInbox")
        self.setWindowTitle(self.tr("冲突：两台电脑改了同一内容"))
        self.resize(960, 560)
        self.items: list[Any] = []
        self.names: dict[str, str] = {}
        intro = QLabel(self.tr("同一项内容在两台电脑上都改过。现在用的是服务器上的版本。请逐条看一看，决定保留哪一个。"))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("conflictList")
        self.list.setMaximumWidth(300)
        self.what = plain_label()
        self.what.setWordWrap(True)
        font = self.what.font()
        font.setBold(True)
        self.what.setFont(font)
        self.record = plain_label()  # which topic or meeting: the title people know it by
        self.record.setObjectName("conflictRecord")
        self.record.setWordWrap(True)
        self.local = QPlainTextEdit()
        self.local.setObjectName("localValue")
        self.local.setReadOnly(True)
        self.server = QPlainTextEdit()
        self.server.setObjectName("serverValue")
        self.server.setReadOnly(True)
        self.keep_local = QPushButton(self.tr("保留本机的"))
        self.keep_local.setObjectName("keepLocal")
        self.keep_server = QPushButton(self.tr("保留服务器的"))
        self.keep_server.setObjectName("keepServer")
        for b in (self.keep_local, self.keep_server):
            b.setMinimumHeight(36)
        left_box = QGroupBox(self.tr("本电脑上的版本"))
        lv = QVBoxLayout(left_box)
        lv.addWidget(self.local)
        lv.addWidget(self.keep_local)
        right_box = QGroupBox(self.tr("服务器上的版本（现在用的）"))
        rv = QVBoxLayout(right_box)
        rv.addWidget(self.server)
        rv.addWidget(self.keep_server)
        sides = QHBoxLayout()
        sides.addWidget(left_box)
        sides.addWidget(right_box)
        detail = QVBoxLayout()
        detail.addWidget(self.what)
        detail.addWidget(self.record)
        detail.addLayout(sides, 1)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(detail, 1)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.list.currentRowChanged.connect(self._show)
        self.keep_local.clicked.connect(lambda: self.decide("local"))
        self.keep_server.clicked.connect(lambda: self.decide("server"))
        self.reload()

    def reload(self) -> None:
        self.db.call(load_conflicts, on_result=self._fill, on_error=lambda exc: show_error(self, exc))

    def _fill(self, loaded: tuple[tuple[Any, ...], dict[str, str]]) -> None:
        items, self.names = loaded
        self.items = list(items)
        self.list.clear()
        for c in self.items:
            name = self.names.get(c.id, "")
            head = f"{entity_label(c.entity)} · {field_label(c.field)}" + (f"\n{name}" if name else "")
            item = QListWidgetItem(f"{head}\n{fmt.moment(c.created_at)}")
            item.setData(Qt.ItemDataRole.UserRole, c.id)
            self.list.addItem(item)
        if self.items:
            self.list.setCurrentRow(0)
        else:
            self._show(-1)

    def _show(self, row: int) -> None:
        c = self.items[row] if 0 <= row < len(self.items) else None
        for b in (self.keep_local, self.keep_server):
            b.setEnabled(c is not None)
        if c is None:
            self.what.setText(self.tr("没有需要处理的冲突。"))
            self.record.setText("")
            self.local.setPlainText("")
            self.server.setPlainText("")
            return
        what = self.tr("{what}的“{field}”").replace("{what}", entity_label(c.entity)).replace("{field}", field_label(c.field))
        self.what.setText(what)
        self.record.setText(self.names.get(c.id, ""))
        self.local.setPlainText(shown(c.local_value, c.field))
        self.server.setPlainText(shown(c.server_value, c.field))

    def current(self) -> Any:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def decide(self, keep: str) -> None:
        c = self.current()
        if c is None:
            return

        def done(_r: Any) -> None:
            self.resolved.emit()
            self.reload()

        self.db.call(conflicts.resolve, c.id, keep=keep, on_result=done, on_error=lambda exc: show_error(self, exc))
