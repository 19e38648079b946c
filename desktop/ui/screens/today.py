"""工作台: what needs the convenor today, on one page: new topics waiting for
triage, topics that came in by QR code, upcoming meetings, overdue action
items, and the big end-of-day button that saves everything and syncs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

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
from desktop.domain.entities import ActionItem, Meeting, Topic
from desktop.domain.enums import MeetingStatus, TopicSource, TopicStatus
from desktop.storage.services import reads, rooms, topics
from desktop.ui import fmt
from desktop.ui.screens.base import Screen, heading, hint

LIST_LIMIT = 50


@dataclass(frozen=True, slots=True)
class TodaySummary:
    room_name: str
    waiting: tuple[Topic, ...]
    by_qr: tuple[Topic, ...]
    meetings: tuple[Meeting, ...]
    overdue: tuple[ActionItem, ...]


def today_summary(store: Any) -> TodaySummary:
    """Everything the page shows, read in one go on the database worker."""
    room = rooms.get_room(store)
    waiting = topics.list_topics(store, status=TopicStatus.SUBMITTED, limit=LIST_LIMIT)
    now = clock.now()
    # asked per status: a room holds thousands of meetings held long ago, and
    # reading them all made the workbench take seconds on a big room file
    open_meetings = reads.list_meetings(store, status=MeetingStatus.PLANNED) + reads.list_meetings(store, status=MeetingStatus.IN_PROGRESS)
    upcoming = [m for m in open_meetings if (m.ends_at or m.starts_at).date() >= now.date()]
    upcoming.sort(key=lambda m: m.starts_at)
    return TodaySummary(
        room_name=room.name if room else "",
        waiting=waiting,
        by_qr=tuple(t for t in waiting if t.source == TopicSource.QR),
        meetings=tuple(upcoming[:LIST_LIMIT]),
        overdue=reads.action_items(store, overdue_on=fmt.today())[:LIST_LIMIT],
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
        note = hint(self.tr("下班前点一下：所有内容都已随时保存在本机；点这里会把今天的变化发送到县服务器。"))
        bottom = QHBoxLayout()
        bottom.addWidget(note, 1)
        bottom.addWidget(self.sync_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        layout.addLayout(bottom)
        self._set_titles(0, 0, 0, 0)

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
        self._fill(self.waiting, [(f"{t.title}\n{t.source.label} · {fmt.short_moment(t.received_at)}" + (f" · {t.location}" if t.location else ""), t.id) for t in s.waiting], self.tr("没有等待受理的议题。"))
        self._fill(self.by_qr, [(f"{t.title}\n{fmt.short_moment(t.received_at)}", t.id) for t in s.by_qr], self.tr("没有新的扫码议题。"))
        self._fill(self.meetings, [(f"{m.title}\n{fmt.moment(m.starts_at)}" + (f" · {m.place}" if m.place else ""), m.id) for m in s.meetings], self.tr("近期没有安排议事会。"))
        today = fmt.today()
        self._fill(
            self.overdue,
            [(f"{a.title}\n{a.owner_unit} {a.responsible} · " + self.tr("期限 {d}，已逾期 {n} 天").replace("{d}", fmt.day(a.deadline)).replace("{n}", str((today - a.deadline).days if a.deadline else 0)), a.id) for a in s.overdue],
            self.tr("没有逾期的落实事项。"),
        )
        self._set_titles(len(s.waiting), len(s.by_qr), len(s.meetings), len(s.overdue))

    def _fill(self, lst: QListWidget, rows: list[tuple[str, str]], empty: str) -> None:
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
