"""First start on a new PC: the room's code and name (and where it belongs),
saved through ``rooms.init_room``. Shown until the room is set up."""

from __future__ import annotations

from PySide6.QtCore import Signal
from desktop.ui.form_dialog import FormDialog
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget


class RoomSetupDialog(FormDialog):

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置本议事室"))
        self.setMinimumWidth(560)
        intro = QLabel(self.tr("欢迎使用议事。第一次使用，请填写本议事室的信息。议事室编码由县协商办提供，印在二维码海报上。"))
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("QJP-001")
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("例如：水渡口社区协商议事室"))
        self.township = QLineEdit()
        self.county = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("议事室编码"), self.code)
        form.addRow(self.tr("议事室名称"), self.name)
        form.addRow(self.tr("所属镇/街道"), self.township)
        form.addRow(self.tr("所属县/区"), self.county)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("保存"))
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def values(self) -> dict[str, str]:
        return dict(code=self.code.text(), name=self.name.text(), township=self.township.text(), county=self.county.text())


