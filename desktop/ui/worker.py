"""The one database worker (STYLE.md habit 2): a ``QObject`` living on its own
``QThread`` runs service calls one after another, in the order they were asked
for, and hands each result or error back by signal on the GUI thread.

SQLite has one writer, so one worker is enough and keeps writes ordered; the
GUI thread never waits on the database. Worker code never touches a widget:
callbacks given to ``Database.call`` run on the GUI thread.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.domain.entities import Change, Result

log = logging.getLogger(__name__)

OnResult = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class NewStore:
    """Returned by a job to make every later job use ``store`` (a restore
    closes the old store and opens the restored file)."""

    def __init__(self, store: Any, value: Any = None) -> None:
        self.store = store
        self.value = value


class _Worker(QObject):
    """Lives on the worker thread; owns every use of the store."""

    finished = Signal(int, object)
    failed = Signal(int, object)

    def __init__(self, store: Any) -> None:
        super().__init__()
        self._store = store

    @Slot(int, object)
    def execute(self, job_id: int, call: Callable[[Any], Any]) -> None:
        try:
            value = call(self._store)
        except Exception as exc:  # handed to the GUI, which shows a kind message
            self.failed.emit(job_id, exc)
        else:
            if isinstance(value, NewStore):
                self._store = value.store
            self.finished.emit(job_id, value)


class Database(QObject):
    """The GUI's handle on the store. ``call`` queues a service function; its
    result comes back to ``on_result`` on the GUI thread. ``changed`` fires
    with the ``Change`` records of every successful write, so each screen
    refreshes only when something it shows has changed."""

    _submit = Signal(int, object)
    changed = Signal(object)  # tuple[Change, ...]
    error = Signal(object)  # an exception nobody handled
    busy_changed = Signal(bool)

    def __init__(self, store: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._ids = itertools.count(1)
        self._pending: dict[int, tuple[OnResult | None, OnError | None]] = {}
        self._thread = QThread()
        self._thread.setObjectName("yishi-db")
        self._worker = _Worker(store)
        self._worker.moveToThread(self._thread)
        self._submit.connect(self._worker.execute)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()

    def call(self, fn: Callable[..., Any], *args: Any, on_result: OnResult | None = None, on_error: OnError | None = None, **kwargs: Any) -> int:
        """Run ``fn(store, *args, **kwargs)`` on the worker; returns a job id."""
        job_id = next(self._ids)
        self._pending[job_id] = (on_result, on_error)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job_id, lambda store: fn(store, *args, **kwargs))
        return job_id

    @property
    def idle(self) -> bool:
        return not self._pending

    def _done(self, job_id: int) -> tuple[OnResult | None, OnError | None]:
        callbacks = self._pending.pop(job_id, (None, None))
        if not self._pending:
            self.busy_changed.emit(False)
        return callbacks

    @Slot(int, object)
    def _on_finished(self, job_id: int, value: Any) -> None:
        on_result, _ = self._done(job_id)
        if isinstance(value, NewStore):
            self.store = value.store
            value = value.value
        if isinstance(value, Result) and value.changes:
            self.changed.emit(tuple(value.changes))
        if on_result is not None:
            on_result(value)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        _, on_error = self._done(job_id)
        if on_error is not None:
            on_error(exc)
        else:
            self.error.emit(exc)

    def notify(self, changes: tuple[Change, ...]) -> None:
        """Announce changes made outside ``call`` (an import, a sync)."""
        if changes:
            self.changed.emit(tuple(changes))

    def shutdown(self) -> None:
        """Let queued calls finish (so nothing typed is lost), then stop."""
        self._thread.quit()
        self._thread.wait()
        close = getattr(self.store, "close", None)
        if close is not None:
            close()
