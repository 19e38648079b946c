"""``FormDialog``: a dialog whose OK does not close it by itself. OK emits
``submitted``; the screen calls the service on the worker and then either
``done_ok()`` (closes) or ``show_error(message)`` (stays open, nothing lost).
A second OK while the first is being saved is ignored, so a double click
never records the same thing twice."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QWidget

from desktop.ui.plain import plain_label


class FormDialog(QDialog):
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._saving = False
        self.error = plain_label()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

    def show_error(self, message: str) -> None:
        self._saving = False
        self.error.setText(message)
        self.error.show()

    def accept(self) -> None:
        if self._saving:
            return
        self._saving = True
        self.error.hide()
        self.submitted.emit()

    def done_ok(self) -> None:
        self._saving = False
        super().accept()
