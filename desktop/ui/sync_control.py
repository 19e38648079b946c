"""The window's side of sync (``desktop.sync.engine``): its state for the
status bar (last success, unsent changes, conflicts), the end-of-day button,
and sync by itself at the room's end-of-day time and again when the county
server can be reached after it could not.

Threads: a sync run does network waits, so it runs on its own Python thread,
never on the GUI thread or the database worker (typing keeps being saved
while it runs); the engine opens its own short sessions on the store, as
``yishi sync`` does from another process. Results come back by signal.
The status numbers are read on the database worker."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

from desktop.domain import clock
from desktop.domain.entities import Change
from desktop.storage.services import rooms
from desktop.ui import fmt
from desktop.ui.errors import message_for
from desktop.ui.worker import Database

SETTING_SYNC_TIME = "sync.end_of_day"  # "HH:MM", China time
DEFAULT_SYNC_TIME = "17:30"
TICK_MS = 30_000  # how often the clock and the retry are looked at
RETRY_S = (60, 120, 300, 600, 900)  # after "cannot reach the server": try again, slower each time
# what a pull can change: each screen refreshes when its entities are named
PULLED = ("topic", "topic_event", "meeting", "agenda_item", "participant", "minutes", "statement", "outcome", "action_item", "follow_up", "person")

Backend = Callable[[Any, Callable[[str, int, int], None]], Any]


def engine_backend(store: Any, progress: Callable[[str, int, int], None]) -> Any:
    from desktop.sync import engine

    return engine.sync(store, progress=progress)


def read_status(store: Any) -> Any:
    from desktop.sync import state  # not the engine: no HTTP client until the first sync

    return state.status(store)


class _Bridge(QObject):
    """Carries the network thread's results to the GUI thread (queued signals)."""

    done = Signal(object, bool)
    failed = Signal(object, bool)
    progress = Signal(str, int, int)


class SyncController(QObject):
    state_changed = Signal(str)  # text for the status bar
    status_changed = Signal(object)  # desktop.sync.state.Status
    finished = Signal(bool, str)  # success, message (only for a sync the user asked for)
    progress = Signal(str, int, int)

    def __init__(self, db: Database, *, backend: Backend | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.backend: Backend = backend or engine_backend
        self.running = False
        self.status: Any = None
        self.daily_time = DEFAULT_SYNC_TIME
        self.last_error = ""
        self._retry_at: datetime | None = None
        self._retries = 0
        self._daily_done: str = ""  # the China date of the last automatic end-of-day run
        self._thread: threading.Thread | None = None
        self._bridge = _Bridge()
        self._bridge.done.connect(self._done)
        self._bridge.failed.connect(self._failed)
        self._bridge.progress.connect(self.progress)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.check_schedule)
        self._tick.start()
        self._status_timer = QTimer(self)  # many changes in a burst: one status read
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self.refresh_status)
        db.changed.connect(lambda _c: self._status_timer.start())
        db.call(rooms.get_setting, SETTING_SYNC_TIME, DEFAULT_SYNC_TIME, on_result=self.set_daily_time, on_error=lambda _e: None)
        self.refresh_status()

    # -- state -----------------------------------------------------------
    @property
    def configured(self) -> bool:
        return bool(self.status is not None and self.status.enrolled and self.status.server_url)

    @property
    def unsent(self) -> int:
        return int(self.status.unsent) if self.status is not None else 0

    def refresh_status(self) -> None:
        self.db.call(read_status, on_result=self._status_read, on_error=lambda _e: None)

    def _status_read(self, status: Any) -> None:
        self.status = status
        self.status_changed.emit(status)
        self.state_changed.emit(self.state_text())

    def state_text(self) -> str:
        if self.running:
            return self.tr("正在同步……")
        if not self.configured:
            return self.tr("未注册到县服务器（请到“设置”中注册）")
        if self.last_error:
            return self.tr("同步没有成功，稍后自动再试")
        last = self.status.last_success_at
        if last is None:
            return self.tr("还没有同步过")
        return self.tr("上次同步：{time}").replace("{time}", fmt.moment(last))

    def set_daily_time(self, value: Any) -> None:
        """The end-of-day time ("HH:MM") at which sync starts by itself."""
        text = str(value or DEFAULT_SYNC_TIME)
        if len(text) == 5 and text[2] == ":" and text.replace(":", "").isdigit():
            self.daily_time = text

    # -- when to sync by itself ------------------------------------------
    def check_schedule(self, now: datetime | None = None) -> bool:
        """Start an automatic sync if it is due; True when one started."""
        if self.running or not self.configured:
            return False
        local = clock.to_local(now or clock.now())
        today = local.date().isoformat()
        if local.strftime("%H:%M") >= self.daily_time and self._daily_done != today:
            last = self.status.last_success_at
            if last is None or clock.to_local(last).strftime("%Y-%m-%d %H:%M") < f"{today} {self.daily_time}":
                self._daily_done = today
                self.start(manual=False)
                return True
            self._daily_done = today
        if self._retry_at is not None and (now or clock.now()) >= self._retry_at:
            self._retry_at = None
            self.start(manual=False)  # the server may be reachable again
            return True
        return False

    # -- running ---------------------------------------------------------
    def start(self, *, manual: bool = True) -> None:
        """Sync now (the end-of-day button, the scheduled time, a retry)."""
        if self.running:
            return
        if not self.configured:
            if manual:
                self.finished.emit(False, self.tr("还没有设置县服务器，暂时不能同步。今天的工作都已保存在本机，不会丢失。请在“设置”中填写县服务器地址并完成登记，以后就可以一键同步。"))
            return
        self.running = True
        self.state_changed.emit(self.state_text())
        store = self.db.store
        bridge, backend = self._bridge, self.backend

        def run() -> None:
            try:
                report = backend(store, lambda phase, done, total: bridge.progress.emit(phase, done, total))
            except BaseException as exc:  # noqa: BLE001 (handed to the GUI, shown kindly)
                bridge.failed.emit(exc, manual)
            else:
                bridge.done.emit(report, manual)

        self._thread = threading.Thread(target=run, name="yishi-sync", daemon=True)
        self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Block until a running sync's thread ends (tests, closing)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _done(self, report: Any, manual: bool) -> None:
        self.running = False
        self.last_error = ""
        self._retries = 0
        self._retry_at = None
        if getattr(report, "pulled", 0) or getattr(report, "repaired", 0) or getattr(report, "conflicts", 0):
            self.db.notify(tuple(Change(entity=e, id="", op="insert") for e in PULLED))
        self.refresh_status()
        if manual:
            text = self.tr("同步完成：发送 {sent} 条更改，收到 {got} 条。").replace("{sent}", str(getattr(report, "pushed", 0))).replace("{got}", str(getattr(report, "pulled", 0)))
            if getattr(report, "conflicts", 0):
                text += self.tr("有 {n} 处两台电脑改了同一内容，请在状态栏点“冲突”逐一决定保留哪个。").replace("{n}", str(report.conflicts))
            if getattr(report, "rejected", 0):
                # refused, never deleted: say so, and where to decide
                text += self.tr("有 {n} 条修改被县服务器退回，都还保存在本电脑上，没有丢失。请在状态栏点“被退回的修改”，逐条看原因，改好后重新发送，或者放弃。").replace("{n}", str(report.rejected))
            self.finished.emit(True, text)

    def _failed(self, exc: BaseException, manual: bool) -> None:
        from desktop.sync.client import Unreachable

        self.running = False
        self.last_error = message_for(exc)
        if isinstance(exc, Unreachable):
            delay = RETRY_S[min(self._retries, len(RETRY_S) - 1)]
            self._retries += 1
            self._retry_at = clock.now() + timedelta(seconds=delay)
        self.refresh_status()
        if manual:
            self.finished.emit(False, self.last_error)


def conflicts_text(n: int) -> str:
    return QCoreApplication.translate("SyncController", "冲突 {n} 处，点此处理").replace("{n}", str(n))
