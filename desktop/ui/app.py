"""Starting the window: the QApplication (Chinese by default, a CJK font,
high-DPI, large-font mode), the store and its one database worker, the demo
room when asked, the first-run room set-up, then the main window.

``run`` is what ``yishi`` (no command) calls: it builds the window with
``start_window``, which paints the workbench's frame first and lets the
database worker open the room file (and import SQLAlchemy) meanwhile.
``open_main_window`` builds the same window over a store already open (tests,
screenshots).
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
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


def _light_feature_check() -> None:
    """PySide6 looks at every module imported after it for ``from __feature__``
    by ``inspect.getsource``, which keeps each module's whole text in
    ``linecache``: with SQLAlchemy loaded that was 24 MiB of source lines held
    for the life of the window, and time spent splitting them. The same test
    (does the file mention PySide6?) is made here on the raw bytes, kept
    nowhere. Without PySide's internals where they are, nothing changes."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return

    def mod_uses_pyside(module: object) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return False  # built in, or no source (a frozen bundle): as before
        try:
            with open(path, "rb") as fh:
                return b"PySide6" in fh.read()
        except OSError:
            return False

    feature._mod_uses_pyside = mod_uses_pyside


def _keep_none_alive() -> None:
    """PySide6 6.12 on Python 3.11 drops one reference to ``None`` on every
    call that returns nothing (``setText``, ``QTimer.start``,
    ``processEvents``…): measured, about two per keystroke in a search box,
    against some 47,000 references held at start, so a day of typing minutes
    could end in "Fatal Python error: none_dealloc". Python 3.12 made ``None``
    immortal; on 3.11 its count is raised here far beyond any day's losses
    (``None`` is never freed anyway, so this changes nothing else)."""
    if sys.version_info < (3, 12) and not getattr(sys, "_yishi_none_kept", False):
        import ctypes

        ctypes.c_ssize_t.from_address(id(None)).value += 1 << 40
        sys._yishi_none_kept = True  # type: ignore[attr-defined]


# Python hands its lock to a waiting thread only after this many seconds
# (default 5 ms). Every Qt virtual call on a widget made from Python (each
# button's paint, metric, event...) takes that lock, so painting one dialog
# while the database worker runs Python code waited 5 ms per call: 0.2-0.35 s
# frozen at the start of a 6,000-row import (py-spy: the GUI thread in
# Shiboken's GilState::acquire under QPushButton::paintEvent). A short
# interval costs nothing while only one thread runs.
SWITCH_INTERVAL_S = float(os.environ.get("YISHI_SWITCH_INTERVAL", "0.0003"))


def make_app(argv: list[str] | None = None) -> QApplication:
    """The one QApplication (created once; tests reuse pytest-qt's)."""
    _keep_none_alive()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    _light_feature_check()
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
    """A font family that shows Chinese: the system's own when it has one of
    ``CJK_FAMILIES`` (every Chinese Windows has YaHei), else the bundled one
    (loading its 3 MB only then keeps it out of start-up and memory)."""
    families = set(QFontDatabase.families())
    for name in CJK_FAMILIES:
        if name in families:
            return name
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


def prepare_from_file(data_dir: Path) -> str:
    """Language and font read straight from the room file (plain sqlite3), so
    the window can be built before the store is open; returns the language."""
    from desktop.storage.db import peek_setting

    app = make_app()
    saved = peek_setting(data_dir, SETTING_LANGUAGE)
    env = os.environ.get("YISHI_LANG", "").strip().lower()[:2]
    lang = saved if saved in qt_i18n.LANGUAGES else env if env in qt_i18n.LANGUAGES else "zh"
    lang = qt_i18n.install(lang)
    apply_font(app, large=bool(peek_setting(data_dir, SETTING_LARGE_FONT, False)))
    return lang


def _open_store(data_dir: Path, demo: bool) -> object:
    """On the database worker: open (check, migrate) the room file, fill the
    demo room when asked, and import the services the screens call next, so
    the GUI thread finds them imported."""
    from desktop.storage.db import Store

    store = Store(data_dir)
    try:
        from desktop.storage.services import reads, rooms, topics  # noqa: F401

        if demo and rooms.get_room(store) is None:
            from desktop.storage.demo import fill_demo

            fill_demo(store)
    except BaseException:
        store.close()
        raise
    return store


def start_window(data_dir: Path | None = None, *, demo: bool = False):  # -> MainWindow
    """The main window at once, its store opened on the worker behind it.

    ``window.db.opened`` fires when the store is open and ``open_failed`` with
    the error when it cannot be (a damaged or newer file)."""
    from desktop.storage.db import default_data_dir
    from desktop.ui.main_window import MainWindow
    from desktop.ui.worker import Database

    folder = Path(data_dir).expanduser() if data_dir else default_data_dir()
    prepare_from_file(folder)
    db = Database(opener=lambda: _open_store(folder, demo), open_now=False)
    window = MainWindow(db)
    # the worker starts opening once the workbench has painted its first
    # frame: on two cores, its imports would otherwise slow that frame down
    window.screens["today"].installEventFilter(_OpenAfterFirstPaint(db, parent=window))
    QTimer.singleShot(OPEN_AT_THE_LATEST_MS, db.open)  # never shown (or never painted): open anyway
    gc.freeze()
    db.opened.connect(gc.freeze)  # what the worker imported lives as long as the program
    return window


OPEN_AT_THE_LATEST_MS = 1000


class _OpenAfterFirstPaint(QObject):
    def __init__(self, db: object, parent: QObject) -> None:
        super().__init__(parent)
        self._db = db

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Paint and self._db is not None:
            db, self._db = self._db, None
            watched.removeEventFilter(self)
            QTimer.singleShot(0, db.open)  # type: ignore[attr-defined]  # after this frame is done
        return False


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
    from desktop.ui.worker import service

    window = start_window(data_dir, demo=demo)

    def cannot_open(exc: BaseException) -> None:
        # a damaged or newer file: say so and stop (the file is untouched)
        window.hide()
        if not isinstance(exc, DomainError):
            log.error("opening the room file failed", exc_info=exc)
        _fatal(str(exc) if isinstance(exc, DomainError) else QCoreApplication.translate("app", "打开数据文件时出错：{error}").replace("{error}", str(exc)))
        window.db.shutdown()
        app.exit(2)

    window.db.open_failed.connect(cannot_open)
    window.show()
    # the day's first start keeps a copy of yesterday's work (at most one a
    # day, the newest 14 kept), on the worker so the window is usable at once
    window.db.call(service("desktop.storage.backup:auto_backup"))
    code = app.exec()
    return int(code)
