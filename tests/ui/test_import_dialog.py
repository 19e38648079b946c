"""导入12345工单 through the window: the preview says what would be imported
and lists the refused rows with their line and reason, and writes nothing;
the import then adds the topics and the list shows them; a cancel before the
import began writes nothing."""

from __future__ import annotations

import threading
from pathlib import Path

from desktop.storage.services import topics
from tests.ui.conftest import wait_idle

HEADER = "工单编号,受理时间,诉求标题,诉求内容,诉求人,联系电话,地址,诉求类别"


def hotline_csv(path: Path, n: int, *, bad_lines: bool = True) -> Path:
    lines = [HEADER]
    for i in range(n):
        lines.append(f"GD2026{i:06d},2026/11/3 9:05,夜间施工噪音{i},工地夜里施工吵得睡不着,居民{i},13800001111,运河路{i}号,环境噪声")
    if bad_lines:
        lines.append("GD2026X1,不知道哪天,路灯不亮,晚上看不见路,张三,13800002222,东三巷,基础设施")  # file line n+2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    return path


def count_topics(store) -> int:
    return len(topics.list_topics(store))


def test_preview_then_import_with_refused_rows(window, room_store, qtbot, tmp_path):
    file = hotline_csv(tmp_path / "12345.csv", 12)
    screen = window.go("topics")
    dialog = screen.open_import()
    dialog.choose(file)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert "将导入 12 个新议题" in dialog.summary.text()
    assert "1 行无法导入" in dialog.summary.text()
    assert dialog.rows.rowCount() == 12 and dialog.rows.item(0, 0).text() == "GD2026000000"
    assert dialog.refused.rowCount() == 1
    assert dialog.refused.item(0, 0).text() == "14"  # the line Excel shows: header is 1
    assert "受理时间" in dialog.refused.item(0, 1).text() or "日期" in dialog.refused.item(0, 1).text()
    assert count_topics(room_store) == 0  # a preview writes nothing

    dialog.import_button.click()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.result is not None)
    assert "已导入 12 个新议题" in dialog.summary.text()
    assert dialog.refused.rowCount() == 1
    assert count_topics(room_store) == 12
    qtbot.waitUntil(lambda: screen.model.rowCount() == 12)

    # the same file again: nothing new, and the preview says so
    dialog.choose(file)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.report is not None)
    assert "没有可以导入的新工单" in dialog.summary.text() and "12 个工单以前已经导入过" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.reject()


def test_cancel_before_the_import_starts_writes_nothing(window, room_store, qtbot, tmp_path):
    file = hotline_csv(tmp_path / "12345.csv", 30, bad_lines=False)
    dialog = window.go("topics").open_import()
    dialog.choose(file)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: dialog.report is not None)
    # the worker is still busy with something else when the import is asked for
    release = threading.Event()
    window.db.call(lambda _store: release.wait(10))
    dialog.import_button.click()
    assert dialog.busy_box.isVisible() and dialog.cancel_button.isEnabled()
    dialog.cancel_button.click()
    release.set()
    wait_idle(qtbot, window.db)
    assert "已取消" in dialog.summary.text()
    assert count_topics(room_store) == 0
    assert dialog.import_button.isEnabled()  # it can still be imported later
    dialog.reject()


def test_bad_file_says_what_to_do(window, qtbot, tmp_path):
    file = tmp_path / "notes.csv"
    file.write_text("这不是工单表\n随便写的\n", encoding="utf-8")
    dialog = window.go("topics").open_import()
    dialog.choose(file)
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: not dialog.working)
    assert dialog.summary.text() and not dialog.import_button.isEnabled()
    dialog.reject()
