"""``TopicTableModel``: the topics list as a window onto the database. The
row count is known up front (one count on the database worker) and only the
pages the view paints are read, on the worker, kept in a small LRU cache; a
row not read yet shows a placeholder. So 200,000 topics cost what one screen
of them costs, a jump to the end included (a list of them all in memory
would cost seconds and hundreds of MiB; FACTS.md).

Fetching: ``data`` for a missing row asks for its page; pages asked for
wait in a short last-in-first-out queue (while the scrollbar is dragged, the
page on screen now matters, not the ones passed on the way) and are read one
at a time, so a drag never floods the worker that also saves what is typed.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont

from desktop.domain.entities import Topic
from desktop.domain.enums import TopicStatus
from desktop.storage.services.topic_pages import Key
from desktop.ui import fmt
from desktop.ui.plain import plain_tooltip
from desktop.ui.topic_query import TopicFilter, load_page, open_window
from desktop.ui.worker import Database

Index = QModelIndex | QPersistentModelIndex


class TopicTableModel(QAbstractTableModel):
    PAGE = 100  # rows per read: a few screens, about 15 ms of mapping
    CACHE_PAGES = 24  # the LRU: about 2,400 topics, well under a MiB
    WANTED_MAX = 3  # pages queued at most; older asks are dropped
    loading_changed = Signal(bool)
    count_known = Signal(int)  # the total after a (re)load
    page_loaded = Signal()

    def __init__(self, db: Database, parent: Any = None) -> None:
        super().__init__(parent)
        self._db = db
        self._filter = TopicFilter()
        self._total = 0
        self._counted = False
        self._pages: OrderedDict[int, tuple[Topic, ...]] = OrderedDict()
        self._anchors: tuple[Key, ...] | None = None
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._in_flight: int | None = None
        self._counting = False
        self._generation = 0  # answers for an older filter or reload are dropped
        self._bold = QFont()
        self._bold.setBold(True)
        self._grey = QColor(140, 140, 140)
        self._pump_timer = QTimer(self)
        self._pump_timer.setSingleShot(True)
        self._pump_timer.setInterval(0)  # after the paint that asked, so one paint asks once
        self._pump_timer.timeout.connect(self._pump)

    # -- columns ---------------------------------------------------------
    def headers(self) -> list[str]:
        return [self.tr("收到时间"), self.tr("议题"), self.tr("来源"), self.tr("状态"), self.tr("类别"), self.tr("地点")]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else 6

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        t = self.topic_at(index.row(), want=True)
        col = index.column()
        if t is None:  # not read yet: a quiet placeholder until its page comes
            if role == Qt.ItemDataRole.DisplayRole and col == 1:
                return self.tr("正在读取……")
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._grey
            return None
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
        if role == Qt.ItemDataRole.ToolTipRole and col in (1, 5):
            # long addresses are cut off in the column; a tool tip would render markup
            return plain_tooltip(t.title if col == 1 else t.location)
        if role == Qt.ItemDataRole.FontRole and t.status == TopicStatus.SUBMITTED:
            return self._bold  # waiting for triage stands out
        if role == Qt.ItemDataRole.UserRole:
            return t
        return None

    # -- state -----------------------------------------------------------
    @property
    def filter(self) -> TopicFilter:
        return self._filter

    @property
    def loading(self) -> bool:
        return self._counting or self._in_flight is not None

    @property
    def counted(self) -> bool:
        """The total for the current filter is known."""
        return self._counted

    def loaded_pages(self) -> frozenset[int]:
        return frozenset(self._pages)

    # -- loading ---------------------------------------------------------
    def set_filter(self, flt: TopicFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        """Count again and read the first page; the old rows stay on screen
        until the answer comes, so typing a search does not flicker."""
        self._generation += 1
        self._wanted.clear()
        self._in_flight = None
        self._counting = True
        self._counted = False
        self.loading_changed.emit(True)
        generation = self._generation
        self._db.call(
            open_window,
            self._filter,
            size=self.PAGE,
            on_result=lambda answer: self._opened(generation, answer),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _opened(self, generation: int, answer: tuple[int, tuple[Topic, ...]]) -> None:
        if generation != self._generation:
            return
        total, first = answer
        self.beginResetModel()
        self._total = total
        self._pages.clear()
        self._anchors = None
        if first:
            self._pages[0] = first
        self.endResetModel()
        self._counting = False
        self._counted = True
        self.count_known.emit(total)
        self._loading_maybe_done()
        self.page_loaded.emit()

    def _want(self, page: int) -> None:
        if page in self._wanted or page == self._in_flight or self._counting:
            return
        self._wanted[page] = None
        while len(self._wanted) > self.WANTED_MAX:
            self._wanted.popitem(last=False)
        if self._in_flight is None and not self._pump_timer.isActive():
            self._pump_timer.start()

    def _pump(self) -> None:
        if self._in_flight is not None or self._counting:
            return
        while self._wanted:
            page, _ = self._wanted.popitem(last=True)  # the latest asked first
            if page not in self._pages:
                break
        else:
            return
        was_loading = self.loading
        self._in_flight = page
        if not was_loading:
            self.loading_changed.emit(True)
        generation = self._generation
        self._db.call(
            load_page,
            self._filter,
            page=page,
            size=self.PAGE,
            total=self._total,
            anchors=self._anchors,
            on_result=lambda answer: self._arrived(generation, page, answer),
            on_error=lambda exc: self._failed(generation, exc),
        )

    def _arrived(self, generation: int, page: int, answer: tuple[tuple[Key, ...] | None, tuple[Topic, ...]]) -> None:
        if generation != self._generation:
            return
        anchors, rows = answer
        if anchors is not None:
            self._anchors = anchors
        self._in_flight = None
        self._store_page(page, rows)
        first = page * self.PAGE
        last = min(self._total, first + self.PAGE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, self.columnCount() - 1))
        self._loading_maybe_done()
        self.page_loaded.emit()
        if self._wanted:
            self._pump()

    def _store_page(self, page: int, rows: tuple[Topic, ...]) -> None:
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > self.CACHE_PAGES:
            oldest = next(iter(self._pages))
            if oldest == 0 and len(self._pages) > 1:  # the top of the list is where people come back to
                self._pages.move_to_end(0)
                oldest = next(iter(self._pages))
            del self._pages[oldest]

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._counting = False
            self._in_flight = None
            self._wanted.clear()
            self._loading_maybe_done()
        self._db.error.emit(exc)

    def _loading_maybe_done(self) -> None:
        if not self.loading:
            self.loading_changed.emit(False)

    # -- rows ------------------------------------------------------------
    def topic_at(self, row: int, *, want: bool = False) -> Topic | None:
        """The topic on ``row`` if its page is read (``want``: ask for it if not)."""
        if not 0 <= row < self._total:
            return None
        page, offset = divmod(row, self.PAGE)
        rows = self._pages.get(page)
        if rows is None:
            if want:
                self._want(page)
            return None
        return rows[offset] if offset < len(rows) else None

    def row_of(self, topic_id: str) -> int:
        """The row of a topic among the pages read (-1 if not among them)."""
        for page, rows in self._pages.items():
            for i, t in enumerate(rows):
                if t.id == topic_id:
                    return page * self.PAGE + i
        return -1

    def replace(self, topic: Topic) -> None:
        """Show a changed topic in place (keeps the selection and scroll)."""
        row = self.row_of(topic.id)
        if row >= 0:
            page, offset = divmod(row, self.PAGE)
            rows = list(self._pages[page])
            rows[offset] = topic
            self._pages[page] = tuple(rows)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))
