"""The window's side of sync: its state for the status bar and the end-of-day
button. Sync itself (``desktop.sync``) is not built yet; ``SyncController``
is the one place a sync engine plugs in: give it a ``backend`` callable
``backend(store) -> object`` run on its own network thread, never on the GUI
thread or the database worker. Until then it says plainly that sync is not
set up."""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from desktop.ui.worker import Database


class SyncController(QObject):
    state_changed = Signal(str)  # text for the status bar
    finished = Signal(bool, str)  # success, message for the user

    def __init__(self, db: Database, *, backend: Callable[[Any], Any] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.backend = backend
        self.running = False

    def set_daily_time(self, value: str) -> None:
        """The end-of-day time ("HH:MM") at which sync starts by itself."""
        self.daily_time = value

    @property
    def configured(self) -> bool:
        return self.backend is not None

    def state_text(self) -> str:
        if not self.configured:
            return self.tr("未连接县服务器")
        return self.tr("同步就绪")

    def start(self) -> None:
        """Sync now (the end-of-day button, the scheduled time)."""
        if not self.configured:
            self.finished.emit(False, self.tr("还没有设置县服务器，暂时不能同步。今天的工作都已保存在本机，不会丢失。请在“设置”中填写县服务器地址并完成登记，以后就可以一键同步。"))
            return
        # A sync engine runs here on its own thread (future work); see module docstring.
        self.finished.emit(False, self.tr("同步功能尚未安装。"))
