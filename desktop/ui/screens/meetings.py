"""议事会: the meetings list and the meeting editor: basics (type, time, place,
convenor, host, recorder), the agenda built from accepted topics (drag to
reorder), participants with sign-in, and the minutes (``meeting_minutes``).
Prints the agenda, the sign-in sheet and the minutes through the preview."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QTime, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n
from desktop.domain import clock
from desktop.domain.clock import CHINA_TZ
from desktop.domain.entities import Meeting
from desktop.domain.enums import MeetingStatus, MeetingType, TopicStatus
from desktop.storage.services import agenda, meetings, reads, rooms, topics
from desktop.ui import fmt
from desktop.ui.meeting_minutes import MinutesTab
from desktop.ui.meeting_people import PeopleTab
from desktop.ui.screens.base import Screen, hint


def _china_edit_value(at: datetime) -> QDateTime:
    """The time as the room reads it (China time), whatever zone the PC is set
    to: the list and every printout show China time, so the editor does too."""
    local = clock.to_local(at)
    return QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))


def _china_moment(value: QDateTime) -> datetime:
    d, t = value.date(), value.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute(), tzinfo=CHINA_TZ)


class MeetingsScreen(Screen):
    watches = frozenset({"meeting", "agenda_item", "participant", "minutes", "statement", "outcome", "action_item"})

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.meeting: Meeting | None = None
        self.list = QListWidget()
        self.list.setObjectName("meetingList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)  # two-line entries: each meeting its own band
        self.new_button = QPushButton(self.tr("安排新的议事会"))
        self.new_button.setObjectName("newMeeting")
        self.new_button.setMinimumHeight(34)
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(self.new_button)
        lv.addWidget(self.list, 1)

        # basics
        self.title = QLineEdit()
        self.type = QComboBox()
        for t in MeetingType:
            self.type.addItem(t.label, t)
        self.starts_at = QDateTimeEdit(_china_edit_value(clock.now()))
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.place = QLineEdit()
        self.convenor = QLineEdit()
        self.host = QLineEdit()
        self.recorder = QLineEdit()
        self.save_button = QPushButton(self.tr("保存基本信息"))
        self.save_button.setObjectName("saveMeeting")
        basics = QWidget()
        form = QFormLayout(basics)
        form.addRow(self.tr("会议名称"), self.title)
        form.addRow(self.tr("协商形式"), self.type)
        form.addRow(self.tr("时间"), self.starts_at)
        form.addRow(self.tr("地点"), self.place)
        form.addRow(self.tr("召集人"), self.convenor)
        form.addRow(self.tr("主持人"), self.host)
        form.addRow(self.tr("记录人"), self.recorder)
        form.addRow("", self.save_button)
        status_row = QHBoxLayout()
        self.start_button = QPushButton(self.tr("开始会议"))
        self.end_button = QPushButton(self.tr("结束会议"))
        status_row.addWidget(self.start_button)
        status_row.addWidget(self.end_button)
        status_row.addStretch(1)
        form.addRow(self.tr("会议进程"), status_row)

        # agenda
        self.agenda = QListWidget()
        self.agenda.setObjectName("agendaList")
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.agenda.model().rowsMoved.connect(lambda *_: self._reordered())
        self.accepted_topics = QComboBox()
        self.accepted_topics.setObjectName("acceptedTopics")
        self.add_item = QPushButton(self.tr("加入议程"))
        self.add_item.setObjectName("addAgendaItem")
        agenda_tab = QWidget()
        av = QVBoxLayout(agenda_tab)
        self.agenda_hint = hint(self.tr("按住议程拖动可以调整顺序。可加入的议题是已受理、尚未排期的议题。"))
        av.addWidget(self.agenda_hint)
        av.addWidget(self.agenda, 1)
        # shown only while the agenda can still change (a meeting held or cancelled keeps its agenda)
        self.agenda_editing = QWidget()
        row = QHBoxLayout(self.agenda_editing)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.accepted_topics, 1)
        row.addWidget(self.add_item)
        av.addWidget(self.agenda_editing)

        self.people = PeopleTab(self)
        self.minutes = MinutesTab(self)
        self.tabs = QTabWidget()
        self.tabs.addTab(basics, self.tr("基本信息"))
        self.tabs.addTab(agenda_tab, self.tr("议程"))
        self.tabs.addTab(self.people, self.tr("参会人员与签到"))
        self.tabs.addTab(self.minutes, self.tr("会议记录"))
        prints = QHBoxLayout()
        self.print_agenda = QPushButton(self.tr("打印议程"))
        self.print_signin = QPushButton(self.tr("打印签到表"))
        self.print_minutes = QPushButton(self.tr("打印会议记录"))
        for b in (self.print_agenda, self.print_signin, self.print_minutes):
            prints.addWidget(b)
        prints.addStretch(1)
        self.editor = QWidget()
        ev = QVBoxLayout(self.editor)
        ev.setContentsMargins(0, 0, 0, 0)
        ev.addWidget(self.tabs, 1)
        ev.addLayout(prints)
        self.editor.setEnabled(False)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([300, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.list.currentItemChanged.connect(lambda item, _old: item and self.open_meeting(item.data(Qt.ItemDataRole.UserRole)))
        self.new_button.clicked.connect(self.new_meeting)
        self.save_button.clicked.connect(self.save_basics)
        self.add_item.clicked.connect(self.add_agenda_topic)
        self.start_button.clicked.connect(lambda: self.meeting and self.call(meetings.start_meeting, self.meeting.id, on_result=lambda r: self._meeting_loaded(r.value)))
        self.end_button.clicked.connect(lambda: self.meeting and self.call(meetings.end_meeting, self.meeting.id, on_result=lambda r: self._meeting_loaded(r.value)))
        self.print_agenda.clicked.connect(lambda: self._print("agenda"))
        self.print_signin.clicked.connect(lambda: self._print("signin"))
        self.print_minutes.clicked.connect(lambda: self._print("minutes"))

    # -- list ------------------------------------------------------------
    def refresh(self) -> None:
        self.call(reads.list_meetings, on_result=self._fill_list)
        self.call(topics.list_topics, status=TopicStatus.ACCEPTED, limit=200, on_result=self._fill_topics)
        if self.meeting is not None:
            self.open_meeting(self.meeting.id)

    def _fill_list(self, items: tuple[Meeting, ...]) -> None:
        current = self.meeting.id if self.meeting else None
        self.list.blockSignals(True)
        self.list.clear()
        for m in sorted(items, key=lambda m: m.starts_at, reverse=True):
            item = QListWidgetItem(f"{m.title}\n{fmt.moment(m.starts_at)} · {m.status.label}")
            item.setData(Qt.ItemDataRole.UserRole, m.id)
            self.list.addItem(item)
            if m.id == current:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)

    def _fill_topics(self, accepted: tuple[Any, ...]) -> None:
        self.accepted_topics.clear()
        for t in accepted:
            self.accepted_topics.addItem(t.title, t.id)
        self.add_item.setEnabled(bool(accepted))

    # -- one meeting -----------------------------------------------------
    def open_meeting(self, meeting_id: str) -> None:
        self.call(reads.get_meeting, meeting_id, on_result=self._meeting_loaded)

    def _meeting_loaded(self, m: Meeting) -> None:
        self.flush()
        self.meeting = m
        self.editor.setEnabled(True)
        self.title.setText(m.title)
        self.type.setCurrentIndex(self.type.findData(m.type))
        self.starts_at.setDateTime(_china_edit_value(m.starts_at))
        self.place.setText(m.place)
        self.convenor.setText(m.convenor)
        self.host.setText(m.host)
        self.recorder.setText(m.recorder)
        from desktop.domain import lifecycle

        allowed = set(lifecycle.allowed_actions(lifecycle.MEETING, m.status))
        open_agenda = m.status in (MeetingStatus.PLANNED, MeetingStatus.IN_PROGRESS)
        self.agenda_editing.setVisible(open_agenda)
        self.agenda_hint.setVisible(open_agenda)
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove if open_agenda else QAbstractItemView.DragDropMode.NoDragDrop)
        self.start_button.setEnabled(lifecycle.Action.START in allowed)
        self.end_button.setEnabled(lifecycle.Action.END in allowed)
        self.call(reads.agenda_of, m.id, on_result=self._fill_agenda)
        self.people.load(m)
        self.minutes.load(m)

    def _fill_agenda(self, items: tuple[Any, ...]) -> None:
        self.agenda.blockSignals(True)
        self.agenda.clear()
        for a in items:
            extra = self.tr("（{n}分钟）").replace("{n}", str(a.minutes_allotted)) if a.minutes_allotted else ""
            item = QListWidgetItem(f"{a.position}. {a.title}{extra}")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.agenda.addItem(item)
        self.agenda.blockSignals(False)
        self.minutes.set_agenda(items)

    def _reordered(self) -> None:
        if self.meeting is None:
            return
        ids = [self.agenda.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.agenda.count())]
        self.call(agenda.reorder_agenda, self.meeting.id, ids)

    def _basics(self) -> dict[str, Any]:
        return dict(
            title=self.title.text(),
            type=self.type.currentData(),
            starts_at=_china_moment(self.starts_at.dateTime()),
            place=self.place.text(),
            convenor=self.convenor.text(),
            host=self.host.text(),
            recorder=self.recorder.text(),
        )

    def new_meeting(self) -> None:
        """A new meeting starts from the form; the first save schedules it."""
        self.flush()
        self.meeting = None
        self.list.clearSelection()
        self.editor.setEnabled(True)
        self.title.clear()
        self.starts_at.setDateTime(_china_edit_value(clock.now()))
        for w in (self.place, self.convenor, self.host, self.recorder):
            w.clear()
        self.agenda.clear()
        self.agenda_editing.show()
        self.agenda_hint.show()
        self.agenda.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tabs.setCurrentIndex(0)
        self.title.setFocus()

    def save_basics(self) -> None:
        if self.meeting is None:
            self.call(meetings.schedule_meeting, **self._basics(), on_result=lambda r: self._meeting_loaded(r.value))
        else:
            self.call(meetings.update_meeting, self.meeting.id, **self._basics(), on_result=lambda r: self._meeting_loaded(r.value))

    def add_agenda_topic(self) -> None:
        topic_id = self.accepted_topics.currentData()
        if self.meeting is None or topic_id is None:
            return
        self.call(agenda.add_agenda_item, self.meeting.id, topic_id=topic_id)

    # -- printing --------------------------------------------------------
    def _print(self, what: str) -> None:
        if self.meeting is None:
            return
        self.flush()
        from desktop.ui import printing
        from desktop.ui.print_docs import meeting_renderer

        render, title = meeting_renderer(what, self.meeting.id, i18n.language())
        printing.preview(self.window(), render, title=title, filename=f"{what}-{self.meeting.serial_no or ''}.pdf")

    def flush(self) -> None:
        self.minutes.flush()
