"""Screenshots of every screen at 1366x768 from the demo room, in Chinese and
English, for docs/screenshots/: ``python -m desktop.ui.screenshots OUTDIR``
(offscreen or under Xvfb). Not part of the running program."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer


def _settle(window: object, ms: int = 300) -> None:
    db = window.db  # type: ignore[attr-defined]
    for _ in range(200):
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        if db.idle:
            break
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def main(out: Path) -> int:
    from desktop.storage.db import Store
    from desktop.storage.demo import fill_demo
    from desktop.ui import qt_i18n
    from desktop.ui.app import make_app, open_main_window
    from desktop.ui.main_window import SCREENS

    make_app()
    out.mkdir(parents=True, exist_ok=True)
    store = Store(Path(tempfile.mkdtemp(prefix="yishi-shots-")))
    fill_demo(store)
    window = open_main_window(store)
    window.resize(1366, 768)
    window.show()
    for lang in ("zh", "en"):
        qt_i18n.install(lang)
        window.rebuild()
        _settle(window)
        for key, _module, _cls in SCREENS:
            screen = window.go(key)
            _settle(window)
            if key == "topics":
                screen.table.selectRow(0)
            if key == "meetings" and screen.list.count():
                screen.list.setCurrentRow(min(1, screen.list.count() - 1))
                _settle(window)
                screen.tabs.setCurrentIndex(3)
            if key == "actions" and screen.table.rowCount():
                screen.table.selectRow(0)
            _settle(window)
            window.grab().save(str(out / f"{key}-{lang}.png"))
    window.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    code = main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown, where PySide6 6.12 can crash in GC
