"""工作台: what needs the convenor today, on one page: new topics waiting for
triage, topics that came in by QR code, upcoming meetings, overdue action
items, and the big end-of-day button that saves everything and syncs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import clock
from desktop.ui import fmt
from desktop.ui.screens.base import Screen, heading, hint

if TYPE_CHECKING:  # the screen is built before the store (and the entities) load
    from desktop.domain.entities import ActionItem, Meeting, Topic

LIST_LIMIT = 50


@dataclass(frozen=True, slots=True)
class TodaySummary:
    room_name: str
    waiting: tuple[Topic, ...]
    by_qr: tuple[Topic, ...]
    meetings: tuple[Meeting, ...]
    overdue: tuple[ActionItem, ...]
    # the totals behind the (at most LIST_LIMIT long) lists above
    waiting_total: int = 0
    qr_total: int = 0
    overdue_total: int = 0
    enrolled: bool = False  # this PC holds a county server address and token


def _enrolled(store: Any, room: Any) -> bool:
    from desktop.storage.services import rooms
    from desktop.sync.state import TOKEN_KEY  # the status bar's sync state has loaded it already

    return bool(room is not None and room.server_url and rooms.get_setting(store, TOKEN_KEY))


def today_summary(store: Any) -> TodaySummary:
    """Everything the page shows, read in one go on the database worker. Each
    list is capped at LIST_LIMIT and comes with its total, so a room file with
    tens of thousands of overdue items still opens the workbench at once."""
    # imported here, on the worker: the workbench is the first screen shown,
    # built before the store (and SQLAlchemy) is loaded
    from desktop.domain.enums import MeetingStatus, TopicSource, TopicStatus
    from desktop.storage import search
    from desktop.storage.services import reads, rooms, topics

    room = rooms.get_room(store)
    waiting = topics.list_topics(store, status=TopicStatus.SUBMITTED, limit=LIST_LIMIT)
    by_qr = search.search_topics(store, "", status=TopicStatus.SUBMITTED, source=TopicSource.QR, limit=LIST_LIMIT)
    now = clock.now()
    # asked per status: a room holds thousands of meetings held long ago, and
    # reading them all made the workbench take seconds on a big room file
    open_meetings = reads.list_meetings(store, status=MeetingStatus.PLANNED) + reads.list_meetings(store, status=MeetingStatus.IN_PROGRESS)
    upcoming = [m for m in open_meetings if (m.ends_at or m.starts_at).date() >= now.date()]
    upcoming.sort(key=lambda m: m.starts_at)
    day = fmt.today()
    return TodaySummary(
        room_name=room.name if room else "",
        waiting=waiting,
        by_qr=by_qr,
        meetings=tuple(upcoming[:LIST_LIMIT]),
        overdue=reads.action_items(store, overdue_on=day, limit=LIST_LIMIT),
        waiting_total=search.count_topics(store, "", status=TopicStatus.SUBMITTED) if len(waiting) == LIST_LIMIT else len(waiting),
        qr_total=search.count_topics(store, "", status=TopicStatus.SUBMITTED, source=TopicSource.QR) if len(by_qr) == LIST_LIMIT else len(by_qr),
        overdue_total=reads.count_action_items(store, overdue_on=day),
        enrolled=_enrolled(store, room),
    )


class TodayScreen(Screen):
    watches = frozenset({"topic", "meeting", "action_item", "agenda_item"})
    open_topic = Signal(str)
    open_meeting = Signal(str)
    open_actions = Signal()
    end_of_day = Signal()

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.title = heading(self.tr("工作台"), size_delta=6)
        self.date_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.date_label)

        self.waiting = self._list("waitingList", self.open_topic)
        self.by_qr = self._list("qrList", self.open_topic)
        self.meetings = self._list("meetingList", self.open_meeting)
        self.overdue = self._list("overdueList", None)
        self.overdue.itemActivated.connect(lambda _i: self.open_actions.emit())
        self.boxes: dict[str, QGroupBox] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, (key, widget) in enumerate((("waiting", self.waiting), ("qr", self.by_qr), ("meetings", self.meetings), ("overdue", self.overdue))):
            box = QGroupBox()
            inner = QVBoxLayout(box)
            inner.addWidget(widget)
            self.boxes[key] = box
            grid.addWidget(box, i // 2, i % 2)

        self.sync_button = QPushButton(self.tr("结束今日工作并同步"))
        self.sync_button.setObjectName("endOfDay")
        font = QFont(self.sync_button.font())
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.sync_button.setFont(font)
        self.sync_button.setMinimumHeight(64)
        self.sync_button.setStyleSheet("QPushButton#endOfDay { background: #b7312c; color: white; border-radius: 6px; padding: 8px 24px; } QPushButton#endOfDay:pressed { background: #8e2420; }")
        self.sync_button.clicked.connect(self.end_of_day.emit)
        self.note = hint("")
        self.note.setObjectName("endOfDayHint")
        bottom = QHBoxLayout()
        bottom.addWidget(self.note, 1)
        bottom.addWidget(self.sync_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        layout.addLayout(bottom)
        self._show_hint(enrolled=False)
        self._set_titles(0, 0, 0, 0)

    def _show_hint(self, *, enrolled: bool) -> None:
        if enrolled:
            text = self.tr("下班前点一下：所有内容都已随时保存在本机；点这里会把今天的变化发送到县服务器。")
        else:
            # not enrolled: promising a send to the county would be untrue
            text = self.tr("今天的工作都已保存在本电脑上，程序每天自动备份。本电脑还没有连上县服务器；要连接，请到“设置”里注册。")
        self.note.setText(text)
        # the button promises a sync only when there is a server to sync with
        self.sync_button.setText(self.tr("结束今日工作并同步") if enrolled else self.tr("结束今日工作"))

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        # the home page: read again on every visit (enrolment done in 设置, or
        # a new day, changes it without a data change); every list is capped
        self._stale = True
        super().showEvent(event)

    def _list(self, name: str, signal: Any) -> QListWidget:
        lst = QListWidget()
        lst.setObjectName(name)
        lst.setWordWrap(True)
        lst.setAlternatingRowColors(True)
        if signal is not None:
            lst.itemActivated.connect(lambda item: item.data(Qt.ItemDataRole.UserRole) and signal.emit(item.data(Qt.ItemDataRole.UserRole)))
            lst.itemDoubleClicked.connect(lambda item: item.data(Qt.ItemDataRole.UserRole) and signal.emit(item.data(Qt.ItemDataRole.UserRole)))
        return lst

    def _set_titles(self, waiting: int, qr: int, meetings: int, overdue: int) -> None:
        self.boxes["waiting"].setTitle(self.tr("待受理的议题（{n}）").replace("{n}", str(waiting)))
        self.boxes["qr"].setTitle(self.tr("扫码提交的新议题（{n}）").replace("{n}", str(qr)))
        self.boxes["meetings"].setTitle(self.tr("近期议事会（{n}）").replace("{n}", str(meetings)))
        self.boxes["overdue"].setTitle(self.tr("逾期未落实的事项（{n}）").replace("{n}", str(overdue)))

    def refresh(self) -> None:
        self.date_label.setText(fmt.day(clock.now()))
        self.call(today_summary, on_result=self.show_summary)

    def show_summary(self, s: TodaySummary) -> None:
        self._show_hint(enrolled=s.enrolled)
        self._fill(self.waiting, [(f"{t.title}\n{t.source.label} · {fmt.short_moment(t.received_at)}" + (f" · {t.location}" if t.location else ""), t.id) for t in s.waiting], self.tr("没有等待受理的议题。"), total=s.waiting_total)
        self._fill(self.by_qr, [(f"{t.title}\n{fmt.short_moment(t.received_at)}", t.id) for t in s.by_qr], self.tr("没有新的扫码议题。"), total=s.qr_total)
        self._fill(self.meetings, [(f"{m.title}\n{fmt.moment(m.starts_at)}" + (f" · {m.place}" if m.place else ""), m.id) for m in s.meetings], self.tr("近期没有安排议事会。"))
        today = fmt.today()
        self._fill(
            self.overdue,
            [(f"{a.title}\n{a.owner_unit} {a.responsible} · " + self.tr("期限 {d}，已逾期 {n} 天").replace("{d}", fmt.day(a.deadline)).replace("{n}", str((today - a.deadline).days if a.deadline else 0)), a.id) for a in s.overdue],
            self.tr("没有逾期的落实事项。"),
            total=s.overdue_total,
            more=self.tr("还有 {n} 项，请到“落实”里查看全部。"),
        )
        self._set_titles(s.waiting_total, s.qr_total, len(s.meetings), s.overdue_total)

    def _fill(self, lst: QListWidget, rows: list[tuple[str, str]], empty: str, *, total: int | None = None, more: str = "") -> None:
        lst.clear()
        if not rows:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            lst.addItem(item)
            return
        for text, key in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            lst.addItem(item)
        rest = (total or 0) - len(rows)
        if rest > 0:
            item = QListWidgetItem((more or self.tr("还有 {n} 项……")).replace("{n}", f"{rest:,}" if rest >= 10000 else str(rest)))
            item.setData(Qt.ItemDataRole.UserRole + 1, "more")
            font = item.font()
            font.setItalic(True)
            item.setFont(font)
            lst.addItem(item)
