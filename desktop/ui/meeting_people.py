"""The participants tab of the meeting editor: people picked from the
contacts with their role, 出席 or 列席, and sign-in ticked during the meeting
(a tick cannot be undone: signing in is recorded once, as on paper)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.domain.entities import Meeting, Participant, Person
from desktop.domain.enums import Attendance, ParticipantKind
from desktop.storage.services import contacts, participants, reads
from desktop.ui import fmt


class PeopleTab(QWidget):
    def __init__(self, screen: Any) -> None:
        super().__init__()
        self.screen = screen
        self.meeting: Meeting | None = None
        self.rows: list[Participant] = []
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("participants")
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("单位"), self.tr("身份"), self.tr("出席/列席"), self.tr("签到")])
        header = self.table.horizontalHeader()
        for col in (0, 2, 3, 4):  # the sign-in time must show whole: 已签到 at what time
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemChanged.connect(self._ticked)
        self.person = QComboBox()
        self.person.setObjectName("contactPicker")
        self.kind = QComboBox()
        for k in ParticipantKind:
            self.kind.addItem(k.label, k)
        self.add_button = QPushButton(self.tr("加入参会人员"))
        self.add_button.setObjectName("addParticipant")
        self.add_button.clicked.connect(self._add)
        row = QHBoxLayout()
        row.addWidget(self.person, 1)
        row.addWidget(self.kind)
        row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def load(self, meeting: Meeting) -> None:
        self.meeting = meeting
        self.screen.call(reads.participants_of, meeting.id, on_result=self._fill)
        self.screen.call(contacts.list_people, on_result=self._fill_people)

    def _fill_people(self, people: tuple[Person, ...]) -> None:
        self.person.clear()
        for p in people:
            self.person.addItem(f"{p.name}  {p.unit}  {p.role.label}", p)

    def _fill(self, rows: tuple[Participant, ...]) -> None:
        self.rows = list(rows)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for i, p in enumerate(rows):
            for col, text in enumerate((p.name, p.unit, p.role.label, p.kind.label)):
                self.table.setItem(i, col, QTableWidgetItem(text))
            tick = QTableWidgetItem(fmt.short_moment(p.signed_in_at) if p.signed_in_at else "")
            signed = p.attendance == Attendance.PRESENT
            tick.setCheckState(Qt.CheckState.Checked if signed else Qt.CheckState.Unchecked)
            flags = Qt.ItemFlag.ItemIsEnabled | (Qt.ItemFlag.NoItemFlags if signed else Qt.ItemFlag.ItemIsUserCheckable)
            tick.setFlags(flags)
            self.table.setItem(i, 4, tick)
        self.table.blockSignals(False)

    def _ticked(self, item: QTableWidgetItem) -> None:
        if item.column() != 4 or item.checkState() != Qt.CheckState.Checked:
            return
        p = self.rows[item.row()]
        self.screen.call(participants.sign_in, p.id, on_result=lambda _r: self.load(self.meeting))

    def sign_in_row(self, row: int) -> None:
        self.table.item(row, 4).setCheckState(Qt.CheckState.Checked)

    def _add(self) -> None:
        person: Person | None = self.person.currentData()
        if self.meeting is None or person is None:
            return
        self.screen.call(
            participants.invite,
            self.meeting.id,
            person_id=person.id,
            name=person.name,
            unit=person.unit,
            title=person.title,
            role=person.role,
            phone=person.phone,
            kind=self.kind.currentData(),
            on_result=lambda _r: self.load(self.meeting),
        )
