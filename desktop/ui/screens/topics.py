"""议题: the paged topics list with filters and search-as-you-type, the detail
pane, and the triage actions (accept, decline with a reason, merge, handle
directly), each only when the lifecycle allows it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.entities import Change, Topic
from desktop.domain.enums import TopicSource, TopicStatus
from desktop.domain.lifecycle import Action
from desktop.storage.services import topics as topic_service
from desktop.ui.drafts import Draft
from desktop.ui.errors import message_for
from desktop.ui.screens.base import Screen
from desktop.ui.topic_detail import TopicDetail
from desktop.ui.topic_dialogs import MergeDialog, NewTopicDialog, ReasonDialog, category_combo
from desktop.ui.topic_model import TopicTableModel
from desktop.ui.topic_query import TopicFilter, merge_candidates, search_available

SEARCH_DELAY_MS = 300
TABLE_WIDTH = 780  # the list's share of a 1366-pixel screen


class TopicsScreen(Screen):
    watches = frozenset({"topic", "topic_event"})
    print_receipt = Signal(object)  # Topic; the window opens the print preview

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.dialog: Any = None  # the dialog now open (tests reach it here)
        self.model = TopicTableModel(db, self)

        self.search = QLineEdit()
        self.search.setObjectName("topicSearch")
        self.search.setPlaceholderText(self.tr("搜索标题、描述、地点、查询码……"))
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem(self.tr("全部状态"), None)
        for st in TopicStatus:
            self.status.addItem(st.label, st)
        self.source = QComboBox()
        self.source.addItem(self.tr("全部来源"), None)
        for src in TopicSource:
            self.source.addItem(src.label, src)
        self.category = category_combo(self, with_all=True)
        if not search_available():
            for w in (self.search, self.source, self.category):
                w.setEnabled(False)
                w.setToolTip(self.tr("搜索功能尚未安装"))
        self.new_button = QPushButton(self.tr("登记新议题"))
        self.new_button.setObjectName("newTopic")
        self.new_button.setMinimumHeight(34)
        self.new_button.setShortcut(QKeySequence("Ctrl+N"))
        self.new_button.setToolTip("Ctrl+N")
        self.import_button = QPushButton(self.tr("导入12345工单"))
        self.import_button.setObjectName("importHotline")
        self.import_button.setMinimumHeight(34)
        self.count_label = QLabel()

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.source, 1)
        bar.addWidget(self.category, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.import_button)

        self.table = QTableView()
        self.table.setObjectName("topicTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # widths from the longest label in this language, so nothing is cut off
        fm = self.table.fontMetrics()
        widest = lambda texts: max(fm.horizontalAdvance(t) for t in texts) + 20  # noqa: E731
        widths = {
            0: widest(["00-00 00:00", "0000-00-00"]),
            2: widest([s.label for s in TopicSource]),
            3: widest([s.label for s in TopicStatus]),
            4: widest(["环境卫生"]),
            5: widest(["运河社区东三巷"]),
        }
        # the title is what people read: in the large font (and longer in English)
        # source and place give way to it, so it keeps room for ten characters
        spare = TABLE_WIDTH - widest(["一二三四五六七八九十"]) - sum(widths.values())
        floor = widest(["一二三四"])
        for col in (2, 5):
            if spare < 0:
                cut = min(-spare, widths[col] - floor)
                widths[col] -= max(cut, 0)
                spare += max(cut, 0)
        for col, width in widths.items():
            self.table.setColumnWidth(col, width)
        self.detail = TopicDetail()
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([TABLE_WIDTH, 420])  # the title column needs the room

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.status, self.source, self.category):
            combo.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.new_button.clicked.connect(self.open_new_topic)
        self.import_button.clicked.connect(self.open_import)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.model.modelReset.connect(lambda: self.detail.show_topic(None))
        self.model.count_known.connect(self._update_count)
        self.model.page_loaded.connect(self._page_loaded)
        self.detail.action_requested.connect(self._action)
        self.detail.print_requested.connect(self.print_receipt.emit)
        QShortcut(QKeySequence("Ctrl+F"), self, activated=self.search.setFocus)

    # -- list ------------------------------------------------------------
    def current_filter(self) -> TopicFilter:
        return TopicFilter(
            status=self.status.currentData(),
            source=self.source.currentData(),
            category=self.category.currentData() or "",
            query=self.search.text().strip(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.model.set_filter(self.current_filter())

    def refresh(self) -> None:
        self.model.set_filter(self.current_filter())

    def _update_count(self, n: int) -> None:
        self.count_label.setText(self.tr("共 {n} 个议题").replace("{n}", f"{n:,}" if n >= 10000 else str(n)))

    def _page_loaded(self) -> None:
        # a row selected while it was still a placeholder: show it now that it is read
        rows = self.table.selectionModel().selectedRows()
        if rows and self.detail.topic is None:
            self._show(self.model.topic_at(rows[0].row()))

    def _on_changes(self, changes: tuple[Change, ...]) -> None:
        touched = [c for c in changes if c.entity == "topic"]
        if not touched:
            return
        if any(c.op == "insert" for c in touched):
            super()._on_changes(changes)  # a new topic: the list is re-read from the top
            return
        for change in touched:  # updates: show them in place, keep the selection
            if self.model.row_of(change.id) >= 0:
                self.db.call(topic_service.get_topic, change.id, on_result=self._topic_changed, on_error=lambda _e: None)

    def _topic_changed(self, topic: Topic) -> None:
        self.model.replace(topic)
        if self.detail.topic is not None and self.detail.topic.id == topic.id:
            self._show(topic)

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        topic = self.model.topic_at(rows[0].row()) if rows else None
        self._show(topic)

    def _show(self, topic: Topic | None) -> None:
        self.detail.show_topic(topic)
        if topic is not None:
            self.db.call(topic_service.history, topic.id, on_result=lambda events, tid=topic.id: self.detail.set_history(tid, events))

    def select_topic(self, topic_id: str) -> bool:
        row = self.model.row_of(topic_id)
        if row < 0:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def show_topic_id(self, topic_id: str) -> None:
        """Show one topic (from the workbench): select it if listed, else just show it."""
        if not self.select_topic(topic_id):
            self.table.clearSelection()
            self.db.call(topic_service.get_topic, topic_id, on_result=self._show)

    # -- new topic -------------------------------------------------------
    def open_new_topic(self) -> NewTopicDialog:
        dialog = NewTopicDialog(self)
        # kept while typed; a cancelled form keeps it too (an Esc by mistake must not lose a description)
        d = dialog
        dialog.draft = Draft(
            self.db,
            {"title": d.title, "location": d.location, "submitter_name": d.submitter_name, "submitter_phone": d.submitter_phone, "description": d.description},
            key="new_topic",
            parent=dialog,
        )
        dialog.draft.restore(restored=dialog.show_restored)
        dialog.finished.connect(lambda _r: dialog.draft.flush())
        dialog.submitted.connect(lambda: self._record(dialog))
        self._open(dialog)
        return dialog

    def _record(self, dialog: NewTopicDialog) -> None:
        def done(result: Any) -> None:
            dialog.draft.clear()
            dialog.done_ok()
            self._select_when_loaded(result.value.id)

        self.db.call(topic_service.record_topic, **dialog.values(), on_result=done, on_error=lambda exc: dialog.show_error(message_for(exc)))

    def _select_when_loaded(self, topic_id: str) -> None:
        if self.select_topic(topic_id):
            return

        def try_again() -> None:
            self.model.page_loaded.disconnect(try_again)
            self.select_topic(topic_id)

        self.model.page_loaded.connect(try_again)

    # -- import ----------------------------------------------------------
    def open_import(self) -> Any:
        from desktop.ui.import_dialog import ImportDialog

        dialog = ImportDialog(self.db, self)
        self._open(dialog)
        return dialog

    # -- triage ----------------------------------------------------------
    def _open(self, dialog: Any) -> None:
        self.dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None) if self.dialog is dialog else None)
        dialog.open()

    def _action(self, action: str, topic: Topic) -> None:
        act = Action(action)
        if act == Action.ACCEPT:
            self.call(topic_service.accept, topic.id)
        elif act == Action.DECLINE:
            dialog = ReasonDialog(
                title=self.tr("不予受理"),
                prompt=self.tr("请写明不予受理的理由。提出人会在查询页看到这段话，请用平和、易懂的语言，并告诉他可以找谁。"),
                ok_text=self.tr("不予受理"),
                parent=self,
            )
            self._reason_draft(dialog, f"decline.{topic.id}")
            dialog.submitted.connect(lambda: self._with_dialog(dialog, topic_service.decline, topic.id, reason=dialog.text.toPlainText()))
            self._open(dialog)
        elif act == Action.HANDLE_DIRECTLY:
            dialog = ReasonDialog(
                title=self.tr("直接办理"),
                prompt=self.tr("这件事不需要开会，已经直接办好了。请写下是怎么办的。"),
                ok_text=self.tr("办结"),
                parent=self,
            )
            self._reason_draft(dialog, f"handle.{topic.id}")
            dialog.submitted.connect(lambda: self._with_dialog(dialog, topic_service.handle_directly, topic.id, how=dialog.text.toPlainText()))
            self._open(dialog)
        elif act == Action.MERGE:
            merge = MergeDialog(topic, self)
            merge.submitted.connect(lambda: self._with_dialog(merge, topic_service.merge, topic.id, into_id=merge.target_id()))
            self._open(merge)
            self.db.call(merge_candidates, topic.id, on_result=merge.set_candidates)

    def _reason_draft(self, dialog: ReasonDialog, key: str) -> None:
        dialog.draft = Draft(self.db, {"text": dialog.text}, key=key, parent=dialog)
        dialog.draft.restore()
        dialog.finished.connect(lambda _r: dialog.draft.flush())

    def _with_dialog(self, dialog: Any, fn: Any, *args: Any, **kwargs: Any) -> None:
        def done(_r: Any) -> None:
            draft = getattr(dialog, "draft", None)
            if draft is not None:
                draft.clear()
            dialog.done_ok()

        self.db.call(fn, *args, on_result=done, on_error=lambda exc: dialog.show_error(message_for(exc)), **kwargs)
