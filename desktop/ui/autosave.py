"""Never lose a word. ``Autosaver`` watches text boxes (``QLineEdit`` or
``QPlainTextEdit``) and hands what was typed to ``save``:

- 1 s after typing pauses,
- and at the latest 1.5 s after the first unsaved keystroke, so someone who
  types without pausing (a secretary during a long statement) still never has
  more than 2 s of text only in memory,
- and at once when a watched box loses focus (another field, another window)
  or the window closes (``flush``).

Only changed text is saved, so the database worker is not flooded.
``AutosaveTextEdit`` is the minutes' summary box built on it; drafts of texts
that are not records yet (a statement being typed, a new topic's
description) are kept by ``desktop.ui.drafts`` with the same rules."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

PAUSE_MS = 1000
MAX_DELAY_MS = 1500  # the promise is 2 s; the worker's write needs a little of it

TextBox = QLineEdit | QPlainTextEdit


def text_of(box: TextBox) -> str:
    return box.text() if isinstance(box, QLineEdit) else box.toPlainText()


def set_text_quietly(box: TextBox, text: str) -> None:
    """Show loaded text without it counting as typing."""
    box.blockSignals(True)
    if isinstance(box, QLineEdit):
        box.setText(text)
    else:
        box.setPlainText(text)
    box.blockSignals(False)


class Autosaver(QObject):
    """Calls ``save()`` (no arguments: the owner reads its boxes) when the
    watched boxes have unsaved typing, by the rules above."""

    def __init__(self, save: Callable[[], Any], boxes: tuple[TextBox, ...] = (), parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.pending = False
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.flush)
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.setInterval(MAX_DELAY_MS)
        self._limit.timeout.connect(self.flush)
        for box in boxes:
            self.watch(box)

    def watch(self, box: TextBox) -> None:
        box.textChanged.connect(self.typed)
        box.installEventFilter(self)

    def typed(self, *_: Any) -> None:
        self.pending = True
        self._pause.start()  # restarted by every keystroke
        if not self._limit.isActive():
            self._limit.start()  # not restarted: the upper bound

    def flush(self) -> None:
        self._pause.stop()
        self._limit.stop()
        if self.pending:
            self.pending = False
            self._save()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return False


class AutosaveTextEdit(QPlainTextEdit):
    """A text box saved through ``save(text)`` as it is typed."""

    def __init__(self, save: Callable[[str], Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self._saved = ""
        self.saver = Autosaver(self._save_if_changed, (self,), parent=self)

    def set_saved_text(self, text: str) -> None:
        """Show text loaded from the database (not a change to save)."""
        self._saved = text
        if text != self.toPlainText():  # the same text again must not move the cursor
            set_text_quietly(self, text)

    @property
    def dirty(self) -> bool:
        return self.toPlainText() != self._saved

    def _save_if_changed(self) -> None:
        text = self.toPlainText()
        if text != self._saved and not self.isReadOnly():
            self._saved = text
            self._save(text)

    def flush(self) -> None:
        self.saver.pending = True
        self.saver.flush()
