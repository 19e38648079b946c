"""The main window: navigation on the left (工作台, 议题, 议事会, 落实, 统计,
通讯录, 设置; Ctrl+1 … Ctrl+7), one screen at a time on the right, and the
status bar with the room, the sync state and unsent changes. Changing the
language or font size rebuilds the screens in place.

Start-up: the window shows with only the workbench built; every other screen
is built on its first visit (the statistics screen alone imports QtCharts).
When the store is still being opened by the database worker, the window
paints its frame at once, says "正在打开……" in the status bar, and the
sync controller (which reads from the store) joins once it is open. Nothing
here imports SQLAlchemy: services are named through ``worker.service``."""

from __future__ import annotations

import logging
from importlib import import_module
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.errors import message_for, show_error
from desktop.ui.plain import plain_box, plain_label
from desktop.ui.screens.base import Screen, heading, hint
from desktop.ui.worker import Database, service

if TYPE_CHECKING:
    from desktop.domain.entities import Room
    from desktop.ui.room_setup import RoomSetupDialog
    from desktop.ui.sync_control import SyncController

log = logging.getLogger(__name__)

# (key, module, class); a screen whose services have not landed shows a placeholder
SCREENS = (
    ("today", "desktop.ui.screens.today", "TodayScreen"),
    ("topics", "desktop.ui.screens.topics", "TopicsScreen"),
    ("meetings", "desktop.ui.screens.meetings", "MeetingsScreen"),
    ("actions", "desktop.ui.screens.actions", "ActionsScreen"),
    ("stats", "desktop.ui.screens.stats", "StatsScreen"),
    ("contacts", "desktop.ui.screens.contacts", "ContactsScreen"),
    ("settings", "desktop.ui.screens.settings", "SettingsScreen"),
)


class PlaceholderScreen(Screen):
    def __init__(self, db: Database, title: str, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(title))
        layout.addWidget(hint(self.tr("这一部分还在建设中，很快就能使用。")))
        layout.addStretch(1)


class OpeningScreen(QWidget):
    """Stands in for a screen visited before the room file is open."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = heading(title)
        layout.addWidget(self.title)
        layout.addWidget(hint(self.tr("正在打开数据文件，请稍候……")))
        layout.addStretch(1)


class _Screens(dict):  # type: ignore[type-arg]
    """The screens built so far; asking for one not yet built builds it."""

    def __init__(self, window: "MainWindow") -> None:
        super().__init__()
        self._window = window

    def __missing__(self, key: str) -> QWidget:
        return self._window.screen_named(key)


KEYS = [key for key, _module, _cls in SCREENS]
get_room = service("rooms.get_room")
init_room = service("rooms.init_room")


class MainWindow(QMainWindow):
    def __init__(self, db: Database, *, sync: SyncController | None = None) -> None:
        super().__init__()
        self.db = db
        self.sync: SyncController | None = sync
        self.room: Room | None = None
        self.screens: dict[str, QWidget] = _Screens(self)
        self._opening: QWidget | None = None
        self.setup_dialog: RoomSetupDialog | None = None
        self._may_close = False  # the user chose to close despite unsent changes
        self._close_after_sync = False
        self.resize(1366, 768)
        self.setMinimumSize(1024, 640)
        db.error.connect(lambda exc: show_error(self, exc))
        self._build()
        db.busy_changed.connect(self._busy)
        if db.ready:
            self._store_opened()
        else:
            db.opened.connect(self._store_opened)
        self.db.call(get_room, on_result=self._room_loaded)

    def _store_opened(self) -> None:
        """The store is open: the sync state joins, a screen asked for meanwhile is built."""
        if self.sync is None:
            from desktop.ui.sync_control import SyncController

            self.sync = SyncController(self.db, parent=self)
        self.sync.finished.connect(self._sync_finished)
        self.room_label.setText("")  # the room's name comes with get_room, queued behind the opening
        self._build_status_bar()
        if self._opening is not None:
            opening, self._opening = self._opening, None
            self._show(self.nav.currentRow())
            opening.deleteLater()

    # -- building ----------------------------------------------------------
    def titles(self) -> dict[str, str]:
        return {
            "today": self.tr("工作台"),
            "topics": self.tr("议题"),
            "meetings": self.tr("议事会"),
            "actions": self.tr("落实"),
            "stats": self.tr("统计"),
            "contacts": self.tr("通讯录"),
            "settings": self.tr("设置"),
        }

    def _build(self) -> None:
        self.setWindowTitle(self._window_title())
        titles = self.titles()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.nav.setSpacing(2)
        self.nav.setStyleSheet(
            "QListWidget#nav { background: #f3efe6; border: none; outline: 0; }"
            "QListWidget#nav::item { padding: 12px 14px; border-radius: 4px; }"
            "QListWidget#nav::item:selected { background: #b7312c; color: white; }"
        )
        font = self.nav.font()
        font.setPointSize(font.pointSize() + 2)
        self.nav.setFont(font)
        self.stack = QStackedWidget()
        self._opening = None
        for i, key in enumerate(KEYS):
            item = QListWidgetItem(titles[key])
            item.setSizeHint(QSize(140, 48))
            self.nav.addItem(item)
            if not hasattr(self, "_shortcuts"):  # shortcuts outlive a rebuild
                QShortcut(QKeySequence(f"Ctrl+{i + 1}"), self, activated=lambda i=i: self.nav.setCurrentRow(i))
        self._shortcuts = True
        self.nav.currentRowChanged.connect(self._show)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self.nav.setCurrentRow(0)

    def _show(self, row: int) -> None:
        """Show the screen of nav row ``row``, building it on its first visit.
        Before the store is open only the workbench is built (its data is
        asked for at once and comes when the store is open)."""
        if row < 0:
            return
        key = KEYS[row]
        if key not in self.screens and key != "today" and not self.db.ready:
            if self._opening is None:
                self._opening = OpeningScreen(self.titles()[key])
                self.stack.addWidget(self._opening)
            self._opening.title.setText(self.titles()[key])
            self.stack.setCurrentWidget(self._opening)
            return
        self.stack.setCurrentWidget(self.screens[key])

    def screen_named(self, key: str) -> QWidget:
        """The screen ``key``, built now if it has not been yet."""
        if key in self.screens:
            return self.screens[key]
        _key, module, cls = SCREENS[KEYS.index(key)]
        screen = self._make_screen(key, module, cls, self.titles()[key])
        self.screens[key] = screen
        self.stack.addWidget(screen)
        self._wire(key, screen)
        return screen

    def _wire(self, key: str, screen: QWidget) -> None:
        """Connect screens that lead to one another (by signal, not by reaching in)."""
        if key == "topics" and hasattr(screen, "print_receipt"):
            screen.print_receipt.connect(self.print_topic_receipt)
        if key == "today" and hasattr(screen, "end_of_day"):
            screen.end_of_day.connect(self.end_of_day)
            screen.open_topic.connect(lambda topic_id: self.go("topics").show_topic_id(topic_id))
            screen.open_meeting.connect(lambda meeting_id: getattr(self.go("meetings"), "open_meeting", lambda _i: None)(meeting_id))
            screen.open_actions.connect(lambda: self.go("actions"))

    def _make_screen(self, key: str, module: str, cls: str, title: str) -> QWidget:
        try:
            screen_cls = getattr(import_module(module), cls)
        except ImportError as exc:
            # a service below has not landed yet; the rest of the window works
            log.info("screen %s unavailable: %s", key, exc)
            return PlaceholderScreen(self.db, title)
        return screen_cls(self.db, parent=None) if key != "settings" else screen_cls(self.db, window=self)

    def _build_status_bar(self) -> None:
        if not hasattr(self, "room_label"):  # the widgets once; their texts on every rebuild
            bar = self.statusBar()
            self.room_label = plain_label()
            self.sync_label = plain_label()
            self.sync_label.setObjectName("syncState")
            self.unsent_label = QLabel()
            self.unsent_label.setObjectName("unsent")
            self.busy_label = QLabel()
            self.conflicts_button = QPushButton()
            self.conflicts_button.setObjectName("conflicts")
            self.conflicts_button.setFlat(True)
            self.conflicts_button.setStyleSheet("QPushButton#conflicts { color: #b00020; font-weight: bold; }")
            self.conflicts_button.hide()
            self.conflicts_button.clicked.connect(self.open_conflicts)
            self.refused_button = QPushButton()
            self.refused_button.setObjectName("refused")
            self.refused_button.setFlat(True)
            self.refused_button.setStyleSheet("QPushButton#refused { color: #b00020; font-weight: bold; }")
            self.refused_button.hide()
            self.refused_button.clicked.connect(self.open_refused)
            for label in (self.unsent_label, self.sync_label):
                label.setStyleSheet("padding: 0 10px; border-left: 1px solid #bbb;")  # two facts, not one run-on line
            bar.addWidget(self.room_label, 1)
            bar.addPermanentWidget(self.busy_label)
            bar.addPermanentWidget(self.conflicts_button)
            bar.addPermanentWidget(self.refused_button)
            bar.addPermanentWidget(self.unsent_label)
            bar.addPermanentWidget(self.sync_label)
        if self.sync is None:
            self.room_label.setText(self.tr("正在打开数据文件……"))
            self.sync_label.setText("")
            self._sync_status(None)
            return
        if not getattr(self, "_sync_wired", False):
            self._sync_wired = True
            self.sync.state_changed.connect(self.sync_label.setText)
            self.sync.status_changed.connect(self._sync_status)
        self.sync_label.setText(self.sync.state_text())
        self._sync_status(self.sync.status)
        self._show_room()

    def _sync_status(self, status: Any) -> None:
        if status is None:
            self.unsent_label.setText(self.tr("未同步的更改：—"))
            return
        from desktop.ui.sync_control import conflicts_text

        self.unsent_label.setText(self.tr("未同步的更改：{n}").replace("{n}", str(status.unsent)))
        self.conflicts_button.setText(conflicts_text(status.conflicts))
        self.conflicts_button.setVisible(status.conflicts > 0)
        from desktop.ui.refused_changes import refused_count, refused_text

        refused = refused_count(status)
        self.refused_button.setText(refused_text(refused))
        self.refused_button.setVisible(refused > 0)

    def open_conflicts(self) -> Any:
        from desktop.ui.conflict_inbox import ConflictInbox

        inbox = ConflictInbox(self.db, self)
        inbox.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.sync is not None:
            inbox.resolved.connect(self.sync.refresh_status)
        self.conflict_inbox = inbox
        inbox.open()
        return inbox

    def open_refused(self) -> Any:
        """被退回的修改: each refused record, its reason, resend or discard."""
        from desktop.ui.refused_changes import RefusedChanges

        dialog = RefusedChanges(self.db, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.sync is not None:
            dialog.decided.connect(self.sync.refresh_status)
            dialog.status_seen(self.sync.status)
            self.sync.status_changed.connect(dialog.status_seen)
        self.refused_dialog = dialog
        dialog.open()
        return dialog

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText(self.tr("正在处理……") if busy else "")

    def _window_title(self) -> str:
        base = self.tr("议事 · 协商议事室")
        return f"{base} — {self.room.name}" if self.room else base

    def _show_room(self) -> None:
        if self.room is not None:
            self.room_label.setText(f"{self.room.name}（{self.room.code}）")
        self.setWindowTitle(self._window_title())

    def rebuild(self) -> None:
        """After a language or font change: build every screen again."""
        current = self.nav.currentRow()
        self.flush()
        old = self.centralWidget()
        for screen in self.screens.values():
            try:
                self.db.changed.disconnect(screen._on_changes)  # type: ignore[attr-defined]
            except (RuntimeError, TypeError, AttributeError):
                pass
        self.screens = _Screens(self)
        self._build()
        old.deleteLater()
        self.nav.setCurrentRow(max(current, 0))

    def restored(self) -> None:
        """A backup was restored: every screen and the room come from the new file."""
        self.rebuild()
        self.db.call(get_room, on_result=self.set_room)
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("恢复完成"), self.tr("已用备份恢复。恢复前的数据另存在备份文件夹中。"), QMessageBox.StandardButton.Ok, self)
        box.setObjectName("restoreDone")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- navigation ------------------------------------------------------
    def go(self, key: str) -> QWidget:
        self.nav.setCurrentRow(KEYS.index(key))
        return self.screens[key]

    # -- room ------------------------------------------------------------
    def _room_loaded(self, room: Room | None) -> None:
        self.room = room
        self._show_room()
        if room is None:
            from desktop.ui.room_setup import RoomSetupDialog

            self.setup_dialog = RoomSetupDialog(self)
            dialog = self.setup_dialog
            dialog.submitted.connect(lambda: self.db.call(init_room, **dialog.values(), on_result=self._room_created, on_error=lambda exc: dialog.show_error(message_for(exc))))
            dialog.open()

    def _room_created(self, result: Any) -> None:
        if self.setup_dialog is not None:
            self.setup_dialog.done_ok()
            self.setup_dialog = None
        self.room = result.value
        self._show_room()
        for screen in self.screens.values():
            if isinstance(screen, Screen):
                screen.refresh_now()

    def set_room(self, room: Room) -> None:
        self.room = room
        self._show_room()

    # -- sync ------------------------------------------------------------
    def end_of_day(self) -> None:
        self.flush()
        if self.sync is not None:
            self.sync.start()

    def _sync_finished(self, ok: bool, message: str) -> None:
        if self._close_after_sync:
            self._close_after_sync = False
            if ok:
                self._may_close = True
                self.close()
                return
        box = plain_box(QMessageBox(QMessageBox.Icon.Information if ok else QMessageBox.Icon.Warning, self.tr("同步"), message, QMessageBox.StandardButton.Ok, self))
        box.setObjectName("syncResult")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.sync_label.setText(self.sync.state_text())

    def show_error(self, exc: BaseException) -> None:
        show_error(self, exc)

    # -- printing --------------------------------------------------------
    def print_topic_receipt(self, topic: Any) -> None:
        from desktop.ui import printing

        printing.preview_topic_receipt(self, topic)

    # -- closing ---------------------------------------------------------
    def flush(self) -> None:
        for screen in self.screens.values():
            if isinstance(screen, Screen):
                screen.flush()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.flush()
        sync = self.sync
        if not self._may_close and sync is not None and sync.configured and (sync.unsent > 0 or sync.running):
            event.ignore()
            self.ask_sync_before_close()
            return
        super().closeEvent(event)
        if event.isAccepted():
            if sync is not None:
                sync.wait(30)  # a sync under way ends before the store closes
            self.db.shutdown()

    def ask_sync_before_close(self) -> QMessageBox:
        """Unsent changes when closing: sync first, close anyway, or stay."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("还有更改没有同步"),
            self.tr("有 {n} 条更改还没有同步到县服务器（都已保存在本电脑上，不会丢失）。要先同步再关闭吗？").replace("{n}", str(self.sync.unsent)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("syncBeforeClose")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("同步后关闭"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("直接关闭"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("不关闭"))
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        yes, no = box.button(QMessageBox.StandardButton.Yes), box.button(QMessageBox.StandardButton.No)

        def chosen(button: Any) -> None:
            if button is yes:
                self._close_after_sync = True
                if not self.sync.running:
                    self.sync.start()
            elif button is no:
                self._may_close = True
                self.close()

        box.buttonClicked.connect(chosen)
        self.close_box = box
        box.open()
        return box
