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


def _import_preview(window: object, out: Path, lang: str) -> None:
    """The 12345 import dialog showing the preview of a small file with one refused row."""
    rows = ["工单编号,受理时间,诉求标题,诉求内容,诉求人,联系电话,地址,诉求类别"]
    samples = [("夜间施工噪音", "运河路18号"), ("小区路灯不亮", "东三巷6号"), ("雨后道路积水", "水渡口大道"), ("垃圾清运不及时", "北门菜场"), ("楼道堆放杂物", "清河新村3栋")]
    for i, (title, address) in enumerate(samples * 3):
        rows.append(f"GD2026110{i:04d},2026/11/{3 + i % 20} 9:05,{title},{title}，请尽快处理,居民,13800001111,{address},")
    rows.append("GD20261109999,不知道哪天,路面破损,路面坑洼,居民,13800002222,南门,")
    file = Path(tempfile.mkdtemp(prefix="yishi-shots-")) / "12345工单.csv"
    file.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    dialog = window.go("topics").open_import()  # type: ignore[attr-defined]
    dialog.choose(file)
    _settle(window)
    dialog.grab().save(str(out / f"import-{lang}.png"))
    dialog.reject()


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
        _import_preview(window, out, lang)
    window.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    code = main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown, where PySide6 6.12 can crash in GC
