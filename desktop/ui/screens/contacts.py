"""通讯录: the room's contacts (name, unit, title, role, phone) that meetings
pick their participants from."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from desktop.domain.entities import Person
from desktop.domain.enums import Role
from desktop.storage.services import contacts
from desktop.ui.screens.base import Screen


class ContactsScreen(Screen):
    watches = frozenset({"person"})

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.people: list[Person] = []
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("按姓名或单位查找"))
        self.search.textChanged.connect(lambda _t: self.refresh())
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("contactsTable")
        self.table.setHorizontalHeaderLabels([self.tr("姓名"), self.tr("单位"), self.tr("职务"), self.tr("身份"), self.tr("联系电话")])
        header = self.table.horizontalHeader()
        for col in (0, 2, 3, 4):  # whole names, titles, identities (longer in English) and phones
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.name, self.unit, self.title, self.phone = QLineEdit(), QLineEdit(), QLineEdit(), QLineEdit()
        for w, ph in ((self.name, self.tr("姓名")), (self.unit, self.tr("单位")), (self.title, self.tr("职务")), (self.phone, self.tr("联系电话"))):
            w.setPlaceholderText(ph)
        self.role = QComboBox()
        for r in Role:
            self.role.addItem(r.label, r)
        # most people added are residents' representatives; 召集人 first would be picked by mistake
        self.role.setCurrentIndex(self.role.findData(Role.RESIDENT_REP))
        self.add_button = QPushButton(self.tr("添加联系人"))
        self.add_button.setObjectName("addPerson")
        self.add_button.clicked.connect(self._add)
        row = QHBoxLayout()
        for w in (self.name, self.unit, self.title, self.role, self.phone, self.add_button):
            row.addWidget(w)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def refresh(self) -> None:
        self.call(contacts.list_people, search=self.search.text().strip() or None, on_result=self._fill)

    def _fill(self, people: tuple[Person, ...]) -> None:
        self.people = list(people)
        self.table.setRowCount(len(people))
        for i, p in enumerate(people):
            for col, text in enumerate((p.name, p.unit, p.title, p.role.label, p.phone)):
                self.table.setItem(i, col, QTableWidgetItem(text))

    def _add(self) -> None:
        self.call(
            contacts.add_person,
            name=self.name.text(),
            unit=self.unit.text(),
            title=self.title.text(),
            role=self.role.currentData(),
            phone=self.phone.text(),
            on_result=lambda _r: [w.clear() for w in (self.name, self.unit, self.title, self.phone)],
        )
