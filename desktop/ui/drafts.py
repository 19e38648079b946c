"""Drafts of texts that are not records yet: the statement being typed before
"记下发言" is pressed, an outcome, a new topic's description, a decline
reason. They are kept in the room's local settings (``draft.<key>``, never
synced) by the ``Autosaver`` rules, so a crash or a power cut loses at most
the last two seconds; the next time the same form opens, the draft is put
back. Recording the thing (or cancelling the form) clears its draft."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject

from desktop.storage.services import rooms
from desktop.ui.autosave import Autosaver, TextBox, set_text_quietly, text_of
from desktop.ui.worker import Database

PREFIX = "draft."


class Draft(QObject):
    """Named boxes whose text is kept under one key while they are typed in.

    ``key`` can change (the agenda item picked), ``restore`` fills the boxes
    from the draft saved under the current key, ``clear`` forgets it."""

    def __init__(self, db: Database, boxes: dict[str, TextBox], *, key: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.boxes = boxes
        self.key = key
        self.saver = Autosaver(self._save, tuple(boxes.values()), parent=self)

    def values(self) -> dict[str, str]:
        return {name: text_of(box) for name, box in self.boxes.items()}

    def _save(self) -> None:
        if not self.key:
            return
        values = self.values()
        self.db.call(rooms.set_setting, PREFIX + self.key, values if any(v.strip() for v in values.values()) else None)

    def flush(self) -> None:
        self.saver.flush()

    def set_key(self, key: str, *, restored: Callable[[bool], Any] | None = None) -> None:
        """Save what is typed under the old key, then show the new key's draft."""
        if key == self.key:
            return  # the same form shown again: what is in the boxes is newest
        self.flush()
        self.key = key
        for box in self.boxes.values():
            set_text_quietly(box, "")
        if key:
            self.restore(restored=restored)

    def restore(self, *, restored: Callable[[bool], Any] | None = None) -> None:
        key = self.key

        def show(saved: Any) -> None:
            if key != self.key or not isinstance(saved, dict):
                if restored is not None:
                    restored(False)
                return
            found = False
            for name, box in self.boxes.items():
                text = saved.get(name)
                if isinstance(text, str) and text and not text_of(box):
                    set_text_quietly(box, text)
                    found = True
            if restored is not None:
                restored(found)

        self.db.call(rooms.get_setting, PREFIX + key, None, on_result=show, on_error=lambda _e: None)

    def clear(self) -> None:
        """The draft became a record (or was cancelled): forget it."""
        self.saver.pending = False
        self.saver.flush()
        if self.key:
            self.db.call(rooms.set_setting, PREFIX + self.key, None)
