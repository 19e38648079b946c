"""The county server part of 设置: the server address, enrolment with the
one-time code the county office hands out (``desktop.sync.enroll.enroll``),
and the end-of-day sync time. Enrolment talks to the network, so it runs on
its own thread (never the GUI thread, never the database worker that saves
what is typed); its answer comes back by signal. Until this PC is enrolled
the box says so plainly, 未注册到县服务器, and what to do, instead of promising
a sync that cannot happen."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QTime, Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QPushButton, QTimeEdit, QVBoxLayout, QWidget

from desktop.ui.errors import message_for
from desktop.ui.plain import plain_label


def run_enroll(store: Any, *, server_url: str, code: str) -> dict[str, Any]:
    from desktop.sync.enroll import enroll

    return enroll(store, server_url=server_url, code=code)


class _Bridge(QObject):
    """Carries the enrolment thread's answer to the GUI thread (queued)."""

    done = Signal(object)
    failed = Signal(object)


class EnrolBox(QGroupBox):
    """县服务器: address, one-time code, 注册, and the daily sync time."""

    enrolled = Signal(object)  # the room as the server told it

    def __init__(self, db: Any, *, sync: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("县服务器"))
        self.db = db
        self.sync = sync
        self.thread: threading.Thread | None = None
        self.busy = False

        self.state = plain_label()
        self.state.setObjectName("enrolState")
        self.state.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setObjectName("serverUrl")
        self.server.setPlaceholderText(self.tr("例如 https://xieshang.example.gov.cn"))
        self.code = QLineEdit()
        self.code.setObjectName("enrolCode")
        self.code.setPlaceholderText(self.tr("县协商办给的注册码，如 ABCD-EFGH-JKLM"))
        self.enrol_button = QPushButton(self.tr("注册"))
        self.enrol_button.setObjectName("enrol")
        self.enrol_button.setMinimumHeight(32)
        self.message = plain_label()
        self.message.setObjectName("enrolMessage")
        self.message.setWordWrap(True)
        self.message.hide()  # an empty label still takes a line: a blank gap in the box

        self.sync_time = QTimeEdit()
        self.sync_time.setObjectName("syncTime")
        self.sync_time.setDisplayFormat("HH:mm")
        self.save_time = QPushButton(self.tr("保存时间"))
        self.save_time.setObjectName("saveSyncTime")
        self.time_hint = plain_label()
        self.time_hint.setWordWrap(True)
        self.time_hint.setStyleSheet("color: #555;")

        form = QFormLayout()
        form.addRow(self.tr("服务器地址"), self.server)
        crow = QHBoxLayout()
        crow.addWidget(self.code, 1)
        crow.addWidget(self.enrol_button)
        form.addRow(self.tr("注册码"), crow)
        trow = QHBoxLayout()
        trow.addWidget(self.sync_time)
        trow.addWidget(self.save_time)
        trow.addStretch(1)
        form.addRow(self.tr("每天同步时间"), trow)
        box = QVBoxLayout(self)
        box.addWidget(self.state)
        box.addLayout(form)
        box.addWidget(self.message)
        box.addWidget(self.time_hint)

        self._bridge = _Bridge()
        self._bridge.done.connect(self._done)
        self._bridge.failed.connect(self._failed)
        self.enrol_button.clicked.connect(self.start_enrol)
        self.code.returnPressed.connect(self.start_enrol)
        if sync is not None:
            # a bound slot, not a lambda: Qt drops it when the window is rebuilt and this box deleted
            sync.status_changed.connect(self._status_changed)
        self.show_state()

    # -- state -----------------------------------------------------------
    @property
    def is_enrolled(self) -> bool:
        status = getattr(self.sync, "status", None)
        return bool(status is not None and status.enrolled and status.server_url)

    def _status_changed(self, _status: Any) -> None:
        self.show_state()

    def show_state(self) -> None:
        if self.is_enrolled:
            self.state.setText(self.tr("已注册到县服务器。"))
            self.state.setStyleSheet("color: #2e7d32; font-weight: bold;")
            self.time_hint.setText(self.tr("每天到了这个时间，程序会自动把今天的工作同步到县服务器；联网恢复时也会自动同步。"))
            self.enrol_button.setText(self.tr("重新注册"))
        else:
            self.state.setText(self.tr("未注册到县服务器：现在不会同步，所有工作都保存在本电脑上。请向县（区）协商办要服务器地址和一次性注册码，填在下面，再点“注册”。"))
            self.state.setStyleSheet("color: #8a4b00; font-weight: bold;")
            self.time_hint.setText(self.tr("注册以后，每天到了这个时间程序会自动同步。"))
            self.enrol_button.setText(self.tr("注册"))

    def set_server_url(self, url: str) -> None:
        if not self.server.text().strip():
            self.server.setText(url)

    def set_time(self, value: Any, default: str) -> None:
        t = QTime.fromString(str(value or default), "HH:mm")
        self.sync_time.setTime(t if t.isValid() else QTime(17, 30))

    # -- enrolment -------------------------------------------------------
    def start_enrol(self) -> None:
        if self.busy:
            return
        url, code = self.server.text().strip(), self.code.text().strip().upper()
        if not url:
            self._say(self.tr("请先填写县服务器地址（县协商办会告诉您）。"), error=True)
            self.server.setFocus()
            return
        if not url.startswith(("http://", "https://")):
            url = "https://" + url
            self.server.setText(url)
        if not code:
            self._say(self.tr("请填写县协商办给的一次性注册码。"), error=True)
            self.code.setFocus()
            return
        self.busy = True
        self.enrol_button.setEnabled(False)
        self._say(self.tr("正在连接县服务器……"), error=False)
        store, bridge = self.db.store, self._bridge

        def run() -> None:
            try:
                room = run_enroll(store, server_url=url, code=code)
            except BaseException as exc:  # noqa: BLE001 (shown kindly on the GUI thread)
                bridge.failed.emit(exc)
            else:
                bridge.done.emit(room)

        self.thread = threading.Thread(target=run, name="yishi-enrol", daemon=True)
        self.thread.start()

    def _done(self, room: dict[str, Any]) -> None:
        self.busy = False
        self.enrol_button.setEnabled(True)
        self.code.clear()
        name = str(room.get("name", "")) if isinstance(room, dict) else ""
        self._say(self.tr("注册成功：本电脑已登记为“{name}”。以后每天会自动同步，也可以随时点工作台上的“结束今日工作并同步”。").replace("{name}", name), error=False)
        if self.sync is not None:
            self.sync.refresh_status()
        self.enrolled.emit(room)

    def _failed(self, exc: BaseException) -> None:
        from desktop.sync.client import TokenRefused, Unreachable

        self.busy = False
        self.enrol_button.setEnabled(True)
        if isinstance(exc, Unreachable):
            text = self.tr("连不上县服务器（{url}）。请检查地址有没有填错、这台电脑有没有联网，然后再点“注册”。").replace("{url}", self.server.text().strip())
        elif isinstance(exc, TokenRefused):
            text = self.tr("注册码不对，或者已经用过、过期了。请核对县协商办给的注册码（形如 ABCD-EFGH-JKLM），或请他们重新发一个。")
        else:
            text = message_for(exc)  # e.g. this data folder belongs to another room: the message says what to do
        self._say(text, error=True)

    def _say(self, text: str, *, error: bool) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.message.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")
