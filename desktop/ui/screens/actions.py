"""落实: action items by deadline with the overdue ones marked, their progress,
completing them, resolving the topic, and the follow-up visit (回访) with the
resident's satisfaction."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import lifecycle
from desktop.domain.entities import ActionItem
from desktop.domain.enums import Satisfaction, TopicStatus
from desktop.storage.services import actions, followups, reads, topics
from desktop.ui import fmt
from desktop.ui.screens.base import Screen


SHOWN = 500  # rows in the table: a county file holds tens of thousands


def read_page(store: Any, *, open_only: bool) -> tuple[tuple[ActionItem, ...], int]:
    """The first SHOWN action items by deadline and how many there are in all."""
    return reads.action_items(store, open_only=open_only, limit=SHOWN), reads.count_action_items(store, open_only=open_only)


class ActionsScreen(Screen):
    watches = frozenset({"action_item", "progress_entry", "topic", "follow_up"})

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.items: list[ActionItem] = []
        self.open_only = QCheckBox(self.tr("只看未完成的"))
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _c: self.refresh())
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("actionTable")
        self.table.setHorizontalHeaderLabels([self.tr("落实事项"), self.tr("承办单位"), self.tr("责任人"), self.tr("完成时限"), self.tr("状态")])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._selected)

        self.progress = QListWidget()
        self.progress.setObjectName("progressList")
        self.progress.setWordWrap(True)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("进展情况"))
        self.add_progress = QPushButton(self.tr("登记进展"))
        self.add_progress.setObjectName("addProgress")
        self.complete = QPushButton(self.tr("完成"))
        self.complete.setObjectName("completeAction")
        pr = QHBoxLayout()
        pr.addWidget(self.note, 1)
        pr.addWidget(self.add_progress)
        pr.addWidget(self.complete)
        box = QGroupBox(self.tr("进展"))
        bv = QVBoxLayout(box)
        bv.addWidget(self.progress, 1)
        bv.addLayout(pr)

        self.resolve = QPushButton(self.tr("议题办结"))
        self.resolve.setObjectName("resolveTopic")
        self.satisfaction = QComboBox()
        for s in Satisfaction:
            self.satisfaction.addItem(s.label, s)
        self.visit_comment = QLineEdit()
        self.visit_comment.setPlaceholderText(self.tr("回访情况"))
        self.visit = QPushButton(self.tr("记录回访"))
        self.visit.setObjectName("recordVisit")
        self.topic_box = topic_box = QGroupBox(self.tr("议题办结与回访"))
        tv = QHBoxLayout(topic_box)
        tv.addWidget(self.resolve)
        tv.addWidget(self.satisfaction)
        tv.addWidget(self.visit_comment, 1)
        tv.addWidget(self.visit)

        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(box, 1)
        rv.addWidget(topic_box)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        self.shown_note = QLabel()
        self.shown_note.setObjectName("actionsShown")
        self.shown_note.setStyleSheet("color: #555;")
        top = QHBoxLayout()
        top.addWidget(self.open_only)
        top.addStretch(1)
        top.addWidget(self.shown_note)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.add_progress.clicked.connect(self._progress)
        self.complete.clicked.connect(self._complete)
        self.resolve.clicked.connect(self._resolve)
        self.visit.clicked.connect(self._visit)
        self._selected()  # nothing chosen yet: the progress pane says what to do

    def refresh(self) -> None:
        self.call(read_page, open_only=self.open_only.isChecked(), on_result=self._fill_page)

    def _fill_page(self, page: tuple[tuple[ActionItem, ...], int]) -> None:
        items, total = page
        self.shown_note.setText(
            self.tr("按完成时限排列，显示前 {shown} 项，共 {total} 项").replace("{shown}", str(len(items))).replace("{total}", f"{total:,}")
            if total > len(items) else ""
        )
        self._fill(items)

    def _fill(self, items: tuple[ActionItem, ...]) -> None:
        current = self.current()
        self.items = list(items)
        today = fmt.today()
        self.table.setRowCount(len(items))
        for i, a in enumerate(items):
            overdue = a.is_overdue(today)
            status = a.status.label + (" · " + self.tr("已逾期") if overdue else "")
            for col, text in enumerate((a.title, a.owner_unit, a.responsible, fmt.day(a.deadline), status)):
                cell = QTableWidgetItem(text)
                if overdue:
                    cell.setForeground(QBrush(QColor("#b00020")))
                self.table.setItem(i, col, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        if current is not None:
            for i, a in enumerate(self.items):
                if a.id == current.id:
                    self.table.selectRow(i)

    def current(self) -> ActionItem | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.items[rows[0].row()] if rows and rows[0].row() < len(self.items) else None

    def _selected(self) -> None:
        a = self.current()
        self.progress.clear()
        self._enable(a, None)
        if a is None:
            hint_item = QListWidgetItem(self.tr("在上面的表里选中一项落实事项，这里会显示它的进展。"))
            hint_item.setFlags(Qt.ItemFlag.NoItemFlags)  # a hint, not an entry
            self.progress.addItem(hint_item)
            return
        self.call(reads.progress_of, a.id, on_result=lambda rows: [self.progress.addItem(f"{fmt.moment(p.at)}  {p.note}") for p in rows])
        if a.topic_id:
            self.call(topics.get_topic, a.topic_id, on_result=lambda t: self._enable(self.current(), t))

    def _enable(self, a: ActionItem | None, topic: Any) -> None:
        allowed = set(lifecycle.allowed_actions(lifecycle.ACTION_ITEM, a.status)) if a else set()
        self.add_progress.setEnabled(lifecycle.Action.PROGRESS in allowed)
        self.complete.setEnabled(lifecycle.Action.COMPLETE in allowed)
        t_allowed = set(lifecycle.allowed_actions(lifecycle.TOPIC, topic.status)) if topic else set()
        self.resolve.setEnabled(lifecycle.Action.RESOLVE in t_allowed)
        self.visit.setEnabled(topic is not None and topic.status == TopicStatus.RESOLVED)
        self.topic = topic
        # which topic these buttons act on, and why 记录回访 may be greyed
        title = self.tr("议题办结与回访")
        if topic is not None:
            title += self.tr("：{title}（{status}）").replace("{title}", topic.title).replace("{status}", topic.status.label)
        self.topic_box.setTitle(title)
        self.visit.setToolTip("" if self.visit.isEnabled() else self.tr("议题办结以后才能记录回访。"))

    def _progress(self) -> None:
        a = self.current()
        if a:
            self.call(actions.record_progress, a.id, note=self.note.text(), on_result=lambda _r: (self.note.clear(), self._selected()))

    def _complete(self) -> None:
        a = self.current()
        if a:
            self.call(actions.complete_action_item, a.id, note=self.note.text(), on_result=lambda _r: self.note.clear())

    def _resolve(self) -> None:
        a = self.current()
        if a and a.topic_id:
            how = self.note.text() or self.tr("落实事项已完成：{title}").replace("{title}", a.title)
            self.call(actions.resolve_topic, a.topic_id, how=how, on_result=lambda _r: self._selected())

    def _visit(self) -> None:
        if self.topic is not None:
            self.call(
                followups.record_follow_up,
                self.topic.id,
                satisfaction=self.satisfaction.currentData(),
                comment=self.visit_comment.text(),
                on_result=lambda _r: (self.visit_comment.clear(), self._selected()),
            )
