"""``TopicTableModel``: the topics list, fetched page by page on the database
worker as the view scrolls (a list of 200,000 topics in memory would cost
seconds and hundreds of MiB; FACTS.md), so the first rows paint at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from desktop.domain.entities import Topic
from desktop.domain.enums import TopicStatus
from desktop.ui import fmt
from desktop.ui.topic_query import TopicFilter, fetch_page
from desktop.ui.worker import Database

Index = QModelIndex | QPersistentModelIndex


class TopicTableModel(QAbstractTableModel):
    PAGE = 500
    loading_changed = Signal(bool)
    page_loaded = Signal()

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._rows: list[Topic] = []
        self._filter = TopicFilter()
        self._done = False
        self._loading = False
        self._generation = 0  # results of an older filter are dropped
        self._bold = QFont()
        self._bold.setBold(True)

    # -- columns ---------------------------------------------------------
    def headers(self) -> list[str]:
        return [self.tr("收到时间"), self.tr("议题"), self.tr("来源"), self.tr("状态"), self.tr("类别"), self.tr("地点")]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        t = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return fmt.short_moment(t.received_at)
            if col == 1:
                return t.title
            if col == 2:
                return t.source.label
            if col == 3:
                return t.status.label
            if col == 4:
                return t.category
            return t.location
        if role == Qt.ItemDataRole.ToolTipRole and col == 1:
            return t.title
        if role == Qt.ItemDataRole.FontRole and t.status == TopicStatus.SUBMITTED:
            return self._bold  # waiting for triage stands out
        if role == Qt.ItemDataRole.UserRole:
            return t
        return None

    # -- paging ----------------------------------------------------------
    @property
    def filter(self) -> TopicFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._loading

    @property
    def complete(self) -> bool:
        return self._done

    def set_filter(self, flt: TopicFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        self.beginResetModel()
        self._rows = []
        self._done = False
        self.endResetModel()
        self._set_loading(False)
        self._fetch()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802
        return not parent.isValid() and not self._done and not self._loading

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: N802
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        self._set_loading(True)
        generation = self._generation
        last = self._rows[-1] if self._rows else None
        self._db.call(
            fetch_page,
            self._filter,
            after=(last.received_at, last.id) if last else None,
            offset=len(self._rows),
            limit=self.PAGE,
            on_result=lambda page: self._arrived(generation, page),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, page: tuple[Topic, ...]) -> None:
        if generation != self._generation:
            return
        if len(page) < self.PAGE:
            self._done = True
        if page:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
            self._rows.extend(page)
            self.endInsertRows()
        self._set_loading(False)
        self.page_loaded.emit()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._done = True
            self._set_loading(False)
        self._db.error.emit(exc)

    def _set_loading(self, value: bool) -> None:
        if value != self._loading:
            self._loading = value
            self.loading_changed.emit(value)

    # -- rows ------------------------------------------------------------
    def topic_at(self, row: int) -> Topic | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, topic_id: str) -> int:
        for i, t in enumerate(self._rows):
            if t.id == topic_id:
                return i
        return -1

    def replace(self, topic: Topic) -> None:
        """Show a changed topic in place (keeps the selection and scroll)."""
        row = self.row_of(topic.id)
        if row >= 0:
            self._rows[row] = topic
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
