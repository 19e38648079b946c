"""``AutosaveTextEdit``: a text box that never loses a word. What is typed is
handed to ``save`` 1.5 s after typing pauses (well within the 2 s promise)
and at once when the box loses focus or the window closes (``flush``). Only
changed text is saved, so the worker is not flooded."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPlainTextEdit, QWidget

PAUSE_MS = 1500


class AutosaveTextEdit(QPlainTextEdit):
    def __init__(self, save: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._saved = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self.flush)
        self.textChanged.connect(self._typed)

    def set_saved_text(self, text: str) -> None:
        """Show text loaded from the database (not a change to save)."""
        self._saved = text
        self.blockSignals(True)
        self.setPlainText(text)
        self.blockSignals(False)

    def _typed(self) -> None:
        self._timer.start()

    @property
    def dirty(self) -> bool:
        return self.toPlainText() != self._saved

    def flush(self) -> None:
        self._timer.stop()
        text = self.toPlainText()
        if text != self._saved and not self.isReadOnly():
            self._saved = text
            self._save(text)

    def focusOutEvent(self, event: Any) -> None:  # noqa: N802
        self.flush()
        super().focusOutEvent(event)
