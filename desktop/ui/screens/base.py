"""What every screen shares: the database handle, refreshing only when a
change touches what the screen shows (and only once it is visible), and a
``flush`` hook so typed text is saved before the window closes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from desktop.ui.errors import show_error
from desktop.ui.worker import Database

if TYPE_CHECKING:  # not at run time: the workbench is built before the store loads the entities
    from desktop.domain.entities import Change


class Screen(QWidget):
    #: entity names (``Change.entity``) whose changes make this screen stale
    watches: frozenset[str] = frozenset()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._stale = True
        db.changed.connect(self._on_changes)

    def call(self, fn: Callable[..., Any], *args: Any, on_result: Callable[[Any], None] | None = None, **kwargs: Any) -> int:
        """A service call whose errors are shown kindly over this screen. The
        answer is dropped when the screen is gone by then (a language change
        rebuilds every screen while answers are still on their way)."""

        def answered(value: Any) -> None:
            if on_result is not None and isValid(self):
                on_result(value)

        return self.db.call(fn, *args, on_result=answered, on_error=lambda exc: isValid(self) and show_error(self, exc), **kwargs)

    def _on_changes(self, changes: tuple[Change, ...]) -> None:
        if any(c.entity in self.watches for c in changes):
            self._stale = True
            if self.isVisible():
                self.refresh_now()

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if self._stale:
            self.refresh_now()

    def refresh_now(self) -> None:
        self._stale = False
        self.refresh()

    def refresh(self) -> None:
        """Ask the services for what the screen shows (override)."""

    def flush(self) -> None:
        """Save anything typed but not yet saved (override)."""


def heading(text: str, *, size_delta: int = 4) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSize(font.pointSize() + size_delta)
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    label.setTextFormat(Qt.TextFormat.PlainText)  # a heading may be a topic's title, typed by a resident
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
