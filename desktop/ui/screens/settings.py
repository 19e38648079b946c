"""设置: the room's details, the county server (address, enrolment with the
one-time code and the end-of-day sync time, in ``enrol_box``), language
(简体中文 / English) and the large-font mode (both rebuild the window at once),
backups (list, back up now, restore), and the room's QR poster. Restoring
closes the room's store on the database worker, swaps the file in
(``desktop.storage.backup``) and opens it again, then rebuilds the window so
every screen shows the restored data."""

from __future__ import annotations

from typing import Any

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import i18n
from desktop.domain.entities import Room
from desktop.storage.services import rooms
from desktop.ui import qt_i18n
from desktop.storage import backup
from desktop.ui import fmt
from desktop.ui.enrol_box import EnrolBox
from desktop.ui.errors import show_error
from desktop.ui.plain import plain_label
from desktop.ui.screens.base import Screen, hint
from desktop.ui.sync_control import DEFAULT_SYNC_TIME, SETTING_SYNC_TIME
from desktop.ui.worker import NewStore



def restore_and_reopen(store: Any, file: str) -> NewStore:
    """Worker side of a restore: check the file while the store is open, close
    it, swap the file in, open the restored database. The old store is opened
    again if the swap fails, so the window never stays without one."""
    from desktop.storage.db import Store

    backup.validate_backup(Path(file))
    data_dir = store.data_dir
    store.close()
    try:
        backup.restore_from(data_dir, Path(file))
    finally:
        new = Store(data_dir)
    return NewStore(new, value=file)


class SettingsScreen(Screen):
    watches = frozenset()

    def __init__(self, db: Any, parent: QWidget | None = None, *, window: Any = None) -> None:
        super().__init__(db, parent)
        self.main_window = window
        self.room_info = plain_label()
        self.room_info.setWordWrap(True)
        self.room_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the number can be copied
        room_box = QGroupBox(self.tr("本议事室"))
        QVBoxLayout(room_box).addWidget(self.room_info)

        sync = getattr(window, "sync", None)
        self.server_box = EnrolBox(db, sync=sync, parent=self)
        server_box = self.server_box
        self.server, self.sync_time, self.save_time = server_box.server, server_box.sync_time, server_box.save_time
        self.save_time.clicked.connect(self._save_sync_time)

        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in qt_i18n.LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(self.language.findData(i18n.language()))
        self.large_font = QCheckBox(self.tr("大字模式"))
        self.large_font.setObjectName("largeFont")
        look = QGroupBox(self.tr("显示"))
        lf = QFormLayout(look)
        lf.addRow(self.tr("界面语言"), self.language)
        lf.addRow("", self.large_font)

        self.poster = QPushButton(self.tr("打印本议事室的二维码海报"))
        self.poster.setObjectName("printPoster")
        self.poster.clicked.connect(self._poster)

        self.backups = QListWidget()
        self.backups.setObjectName("backupList")
        self.backups.setMaximumHeight(120)
        self.backup_now = QPushButton(self.tr("立即备份"))
        self.backup_now.setObjectName("backupNow")
        self.restore = QPushButton(self.tr("用选中的备份恢复…"))
        self.restore.setObjectName("restoreBackup")
        self.restore.setEnabled(False)
        self.backup_state = plain_label()
        self.backup_state.setWordWrap(True)
        self.backups.currentItemChanged.connect(lambda *_: self.restore.setEnabled(self.backups.currentItem() is not None and self.backups.currentItem().data(Qt.ItemDataRole.UserRole) is not None))
        self.backup_now.clicked.connect(self._backup_now)
        self.restore.clicked.connect(self.ask_restore)
        brow = QHBoxLayout()
        brow.addWidget(self.backup_now)
        brow.addWidget(self.restore)
        brow.addStretch(1)
        backup_box = QGroupBox(self.tr("备份与恢复"))
        bv = QVBoxLayout(backup_box)
        bv.addWidget(hint(self.tr("程序每天自动备份一次，保留最近14天。换电脑或数据出问题时，可以用备份恢复。")))
        bv.addWidget(self.backups)
        bv.addLayout(brow)
        bv.addWidget(self.backup_state)
        self.confirm: QMessageBox | None = None

        left = QVBoxLayout()
        left.addWidget(room_box)
        left.addWidget(server_box)
        left.addWidget(look)
        left.addWidget(self.poster)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(backup_box)
        right.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(right, 1)
        self.language.currentIndexChanged.connect(lambda _i: self._set_language(self.language.currentData()))
        self.large_font.toggled.connect(self._set_large_font)

    def refresh(self) -> None:
        self.call(rooms.get_room, on_result=self._room)
        from desktop.ui.app import SETTING_LARGE_FONT

        self.call(rooms.get_setting, SETTING_LARGE_FONT, False, on_result=self._font_loaded)
        self.call(rooms.get_setting, SETTING_SYNC_TIME, DEFAULT_SYNC_TIME, on_result=self._time_loaded)
        self.refresh_backups()

    # -- end-of-day time -------------------------------------------------
    def _time_loaded(self, value: Any) -> None:
        self.server_box.set_time(value, DEFAULT_SYNC_TIME)

    def _save_sync_time(self) -> None:
        value = self.sync_time.time().toString("HH:mm")
        self.call(rooms.set_setting, SETTING_SYNC_TIME, value, on_result=lambda _r: self.backup_state.setText(""))
        if self.main_window is not None and hasattr(self.main_window, "sync"):
            self.main_window.sync.set_daily_time(value)

    # -- backups ---------------------------------------------------------
    def refresh_backups(self) -> None:
        self.call(lambda store: tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in backup.list_backups(store)), on_result=self._fill_backups)

    def _fill_backups(self, files: tuple[tuple[str, float, int], ...]) -> None:
        from datetime import UTC, datetime

        self.backups.clear()
        for path, mtime, size in files:
            when = fmt.moment(datetime.fromtimestamp(mtime, UTC))
            item = QListWidgetItem(f"{when}    {Path(path).name}    {size / 1024 / 1024:.1f} MB")
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.backups.addItem(item)
        if not files:
            self.backups.addItem(self.tr("还没有备份。"))
        self.restore.setEnabled(False)

    def _backup_now(self) -> None:
        def done(path: Any) -> None:
            self.backup_state.setText(self.tr("已备份到 {path}").replace("{path}", str(path)))
            self.refresh_backups()

        self.call(lambda store: backup.backup_to(store, _backup_dir(store)), on_result=done)

    def ask_restore(self) -> QMessageBox | None:
        item = self.backups.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not path:
            return None
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.tr("用备份恢复"),
            self.tr("恢复后，本电脑上的数据会变回备份时的样子，备份之后做的工作会不见。现在的数据会先另存一份在备份文件夹里。确定要恢复吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmRestore")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("确定恢复"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("不恢复"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda b: b is yes and self.restore_from(path))
        self.confirm = box
        box.open()
        return box

    def restore_from(self, path: str) -> None:
        window = self.main_window
        if window is not None:
            window.flush()  # what is typed goes into the file being replaced and its safety copy
        self.backup_state.setText(self.tr("正在恢复……"))

        def done(_file: Any) -> None:
            if window is not None:
                window.restored()
            else:
                self.refresh_now()

        self.db.call(restore_and_reopen, path, on_result=done, on_error=lambda exc: (self.backup_state.setText(""), show_error(self, exc)))

    def _font_loaded(self, large: Any) -> None:
        self.large_font.blockSignals(True)
        self.large_font.setChecked(bool(large))
        self.large_font.blockSignals(False)

    def _room(self, room: Room | None) -> None:
        if room is None:
            return
        code = self.tr("编码：{code}").replace("{code}", room.code)  # outside the f-string, so lupdate finds it
        # the county office registers a room that began offline under this number
        number = self.tr("议事室编号（县服务器登记用）：{id}").replace("{id}", room.id)
        self.room_info.setText(f"{room.name}\n{code}    {room.township}  {room.county}\n{number}")
        self.server_box.set_server_url(room.server_url)

    def _set_language(self, lang: str) -> None:
        from desktop.ui.app import SETTING_LANGUAGE

        self.call(rooms.set_setting, SETTING_LANGUAGE, lang, on_result=lambda _r: self._apply_language(lang))

    def _apply_language(self, lang: str) -> None:
        qt_i18n.install(lang)
        if self.main_window is not None:
            self.main_window.rebuild()

    def _set_large_font(self, large: bool) -> None:
        from desktop.ui.app import SETTING_LARGE_FONT, apply_font, make_app

        def done(_r: Any) -> None:
            apply_font(make_app(), large=large)
            if self.main_window is not None:
                self.main_window.rebuild()

        self.call(rooms.set_setting, SETTING_LARGE_FONT, large, on_result=done)

    def _poster(self) -> None:
        from desktop.printing.public import render_poster
        from desktop.ui import printing

        lang = i18n.language()

        def render(store: Any) -> bytes:
            room = rooms.require_room(store)
            return render_poster(room=room, server_url=room.server_url, lang=lang)

        printing.preview(self.main_window, render, title=self.tr("二维码海报"), filename="poster.pdf")


def _backup_dir(store: Any) -> Path:
    folder = store.data_dir / backup.BACKUP_DIR
    folder.mkdir(exist_ok=True)
    return folder
