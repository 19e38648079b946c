"""设置: the room's details, the county server address, language (简体中文 /
English) and the large-font mode (both rebuild the window at once), and the
room's QR poster. Enrolment and the end-of-day time belong to sync, which
plugs in through ``SyncController``."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop import i18n
from desktop.domain.entities import Room
from desktop.storage.services import rooms
from desktop.ui import qt_i18n
from desktop.ui.screens.base import Screen, hint


class SettingsScreen(Screen):
    watches = frozenset()

    def __init__(self, db: Any, parent: QWidget | None = None, *, window: Any = None) -> None:
        super().__init__(db, parent)
        self.main_window = window
        self.room_info = QLabel()
        self.room_info.setWordWrap(True)
        room_box = QGroupBox(self.tr("本议事室"))
        QVBoxLayout(room_box).addWidget(self.room_info)

        self.server = QLineEdit()
        self.server.setObjectName("serverUrl")
        self.server.setPlaceholderText("https://xieshang.example.gov.cn")
        self.save_server = QPushButton(self.tr("保存地址"))
        self.save_server.clicked.connect(lambda: self.call(rooms.set_server_url, self.server.text(), on_result=self._room))
        srow = QHBoxLayout()
        srow.addWidget(self.server, 1)
        srow.addWidget(self.save_server)
        server_box = QGroupBox(self.tr("县服务器"))
        sv = QVBoxLayout(server_box)
        sv.addLayout(srow)
        sv.addWidget(hint(self.tr("登记本机（输入县协商办给的一次性登记码）和每天自动同步的时间，将在同步功能安装后在这里设置。")))

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

        layout = QVBoxLayout(self)
        layout.addWidget(room_box)
        layout.addWidget(server_box)
        layout.addWidget(look)
        layout.addWidget(self.poster)
        layout.addStretch(1)
        self.language.currentIndexChanged.connect(lambda _i: self._set_language(self.language.currentData()))
        self.large_font.toggled.connect(self._set_large_font)

    def refresh(self) -> None:
        self.call(rooms.get_room, on_result=self._room)
        from desktop.ui.app import SETTING_LARGE_FONT

        self.call(rooms.get_setting, SETTING_LARGE_FONT, False, on_result=self._font_loaded)

    def _font_loaded(self, large: Any) -> None:
        self.large_font.blockSignals(True)
        self.large_font.setChecked(bool(large))
        self.large_font.blockSignals(False)

    def _room(self, room: Room | None) -> None:
        if room is None:
            return
        self.room_info.setText(f"{room.name}\n{self.tr('编码')}：{room.code}    {room.township}  {room.county}")
        self.server.setText(room.server_url)

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
