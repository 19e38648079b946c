"""The one database worker (STYLE.md habit 2): a ``QObject`` living on its own
``QThread`` runs service calls one after another, in the order they were asked
for, and hands each result or error back by signal on the GUI thread.

SQLite has one writer, so one worker is enough and keeps writes ordered; the
GUI thread never waits on the database. Worker code never touches a widget:
callbacks given to ``Database.call`` run on the GUI thread.

At start the store itself is opened by the worker (``Database(opener=...)``):
opening a room file imports SQLAlchemy and the ORM mapping (a second or more
on an office PC), which the window need not wait for to paint its frame.
Calls made before it is open queue behind the opening, in order.
"""

from __future__ import annotations

import itertools
import logging
from importlib import import_module
from typing import Any, Callable

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal, Slot

if TYPE_CHECKING:  # the entities (a tenth of a second of dataclasses) load with the store
    from desktop.domain.entities import Change

log = logging.getLogger(__name__)

OnResult = Callable[[Any], None]
OnError = Callable[[BaseException], None]


class NewStore:
    """Returned by a job to make every later job use ``store`` (a restore
    closes the old store and opens the restored file)."""

    def __init__(self, store: Any, value: Any = None) -> None:
        self.store = store
        self.value = value


def service(path: str) -> Callable[..., Any]:
    """``"rooms.get_room"`` → a function that runs
    ``desktop.storage.services.rooms.get_room`` on the worker, importing it
    there: start-up code names services without importing SQLAlchemy on the
    GUI thread. A dotted path with a colon names any module
    (``"desktop.storage.backup:auto_backup"``)."""
    if ":" in path:
        module, _, name = path.partition(":")
    else:
        short, _, name = path.rpartition(".")
        module = f"desktop.storage.services.{short}"

    def run(store: Any, *args: Any, **kwargs: Any) -> Any:
        return getattr(import_module(module), name)(store, *args, **kwargs)

    run.__name__ = run.__qualname__ = name
    return run


class StoreNotOpen(Exception):
    """A call queued behind an opening of the store that failed."""


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
            if self._store is None and not getattr(call, "opens_store", False):
                raise StoreNotOpen()
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
    opened = Signal()  # the store is open (at once when one was given)
    open_failed = Signal(object)  # the exception that kept it closed

    def __init__(self, store: Any = None, parent: QObject | None = None, *, opener: Callable[[], Any] | None = None, open_now: bool = True) -> None:
        """Over an open ``store``, or one that ``opener()`` opens on the worker
        (at once, or at ``open()`` when ``open_now`` is false: the window
        paints its first frame before the worker competes for the CPU)."""
        super().__init__(parent)
        self.store = store
        self.open_error: BaseException | None = None
        self._opener = opener
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
        self._queued: list[tuple[int, Callable[[Any], Any]]] = []  # calls asked for before open()
        if opener is not None and open_now:
            self.open()

    def open(self) -> None:
        """Start opening the store on the worker (once); calls asked for
        before this run after it, in order."""
        opener, self._opener = self._opener, None
        if opener is None:
            return

        def open_store(_none: Any) -> NewStore:
            return NewStore(opener())

        open_store.opens_store = True  # type: ignore[attr-defined]
        job_id = next(self._ids)
        self._pending[job_id] = (lambda _v: self.opened.emit(), self._open_failed)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        self._submit.emit(job_id, open_store)
        queued, self._queued = self._queued, []
        for queued_id, job in queued:
            self._submit.emit(queued_id, job)

    @property
    def ready(self) -> bool:
        """The store is open: services can be called and answer at once."""
        return self.store is not None

    def _open_failed(self, exc: BaseException) -> None:
        self.open_error = exc
        self.open_failed.emit(exc)

    def call(self, fn: Callable[..., Any], *args: Any, on_result: OnResult | None = None, on_error: OnError | None = None, **kwargs: Any) -> int:
        """Run ``fn(store, *args, **kwargs)`` on the worker; returns a job id."""
        job_id = next(self._ids)
        self._pending[job_id] = (on_result, on_error)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        job = lambda store: fn(store, *args, **kwargs)  # noqa: E731
        if self._opener is not None:
            self._queued.append((job_id, job))  # behind the opening, which has not started
        else:
            self._submit.emit(job_id, job)
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
        from desktop.domain.entities import Result  # imported by the store by now

        if isinstance(value, Result) and value.changes:
            self.changed.emit(tuple(value.changes))
        if on_result is not None:
            on_result(value)

    @Slot(int, object)
    def _on_failed(self, job_id: int, exc: BaseException) -> None:
        _, on_error = self._done(job_id)
        if isinstance(exc, StoreNotOpen):
            return  # the failed opening has been reported once already
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
        if self._queued:
            self.open()  # closed before the first paint: what was asked for still runs
        self._thread.quit()
        self._thread.wait()
        close = getattr(self.store, "close", None)
        if close is not None:
            close()
