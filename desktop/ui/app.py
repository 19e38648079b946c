"""Starting the window: the QApplication (Chinese by default, a CJK font,
high-DPI, large-font mode), the store and its one database worker, the demo
room when asked, the first-run room set-up, then the main window.

``run`` is what ``yishi`` (no command) calls; ``open_main_window`` builds the
same window for tests and screenshots.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop.domain.errors import DomainError
from desktop.resources import resource_path
from desktop.ui import qt_i18n

log = logging.getLogger(__name__)

# families that carry Simplified Chinese, best first (Windows, macOS, Linux)
CJK_FAMILIES = (
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "SimHei",
    "SimSun",
)
NORMAL_PT, LARGE_PT = 11, 14
SETTING_LANGUAGE = "ui.language"
SETTING_LARGE_FONT = "ui.large_font"


def make_app(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (created once; tests reuse pytest-qt's)."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("yishi")
    app.setOrganizationName("yishi")
    app.setApplicationDisplayName("议事")
    icon = resource_path("icons", "yishi.png")
    if icon.exists():  # every window and dialog inherits it
        app.setWindowIcon(QIcon(str(icon)))
    return app  # type: ignore[return-value]


def cjk_family() -> str | None:
    """A font family that shows Chinese; bundled fonts are added first."""
    fonts = resource_path("fonts")
    if fonts.is_dir():
        for path in sorted(fonts.iterdir()):
            if path.suffix.lower() in (".ttf", ".ttc", ".otf"):
                QFontDatabase.addApplicationFont(str(path))
    families = set(QFontDatabase.families())
    for name in CJK_FAMILIES:
        if name in families:
            return name
    for name in sorted(families):  # any font that claims Simplified Chinese
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(name):
            return name
    return None


def apply_font(app: QApplication, *, large: bool) -> None:
    family = cjk_family()
    font = QFont(family) if family else QFont(app.font())
    font.setPointSize(LARGE_PT if large else NORMAL_PT)
    app.setFont(font)


def choose_language(store: object) -> str:
    from desktop.storage.services import rooms

    env = os.environ.get("YISHI_LANG", "").strip().lower()[:2]
    saved = rooms.get_setting(store, SETTING_LANGUAGE)  # type: ignore[arg-type]
    if saved in qt_i18n.LANGUAGES:
        return saved
    return env if env in qt_i18n.LANGUAGES else "zh"


def prepare(store: object) -> str:
    """Language and font from the room's settings; returns the language."""
    from desktop.storage.services import rooms

    app = make_app()
    lang = qt_i18n.install(choose_language(store))
    apply_font(app, large=bool(rooms.get_setting(store, SETTING_LARGE_FONT, False)))  # type: ignore[arg-type]
    return lang


def open_main_window(store: object):  # -> MainWindow
    """The main window over ``store`` with its own database worker."""
    from desktop.ui.main_window import MainWindow
    from desktop.ui.worker import Database

    prepare(store)
    window = MainWindow(Database(store))
    # Python's full garbage collection stops every thread, the GUI's too, and
    # walks every object: with Qt, SQLAlchemy and a screenful of topics alive
    # that was a 0.3-0.6 s freeze right after an import. Objects that live as
    # long as the program are set aside, so a full collection only walks what
    # the work of the day made.
    gc.freeze()
    return window


def _fatal(message: str) -> int:
    QMessageBox.critical(None, QCoreApplication.translate("app", "议事无法启动"), message)
    return 2


def run(*, data_dir: Path | None, demo: bool) -> int:
    """Start the window; returns the process exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_app()
    from desktop.storage.db import Store
    from desktop.storage.services import rooms

    try:
        store = Store(data_dir)
    except DomainError as exc:
        apply_font(app, large=False)
        qt_i18n.install(os.environ.get("YISHI_LANG", "zh")[:2])
        return _fatal(str(exc))
    try:
        if demo and rooms.get_room(store) is None:
            from desktop.storage.demo import fill_demo

            fill_demo(store)
        window = open_main_window(store)
    except DomainError as exc:
        store.close()
        return _fatal(str(exc))
    window.show()
    # the day's first start keeps a copy of yesterday's work (at most one a
    # day, the newest 14 kept), on the worker so the window is usable at once
    from desktop.storage.backup import auto_backup

    window.db.call(auto_backup)
    code = app.exec()
    return int(code)
