"""Screenshots of every screen and dialog at 1366x768 from the demo room, in
Chinese and English, for docs/screenshots/: ``python -m desktop.ui.screenshots
OUTDIR`` (offscreen or under Xvfb). Not part of the running program: it drives
the window the way a user would and saves what it shows, as small palette
PNGs (the README shows them). SHOTS lists every picture it makes."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QWidget

WIDTH, HEIGHT = 1366, 768

# (file name stem, what it shows); the README's screenshot section follows this list
SHOTS = (
    ("today", "工作台"),
    ("topics", "议题：列表和办理经过"),
    ("topic-new", "登记新议题"),
    ("topic-merge", "合并到另一议题（可能重复的议题）"),
    ("import", "导入12345工单：预览"),
    ("meetings", "议事会：基本信息"),
    ("meeting-agenda", "议事会：议程"),
    ("meeting-people", "议事会：参会人员与签到"),
    ("meeting-minutes", "议事会：会议记录"),
    ("print-preview", "打印预览（会议记录）"),
    ("actions", "落实与回访"),
    ("stats", "统计"),
    ("contacts", "通讯录"),
    ("settings", "设置"),
    ("conflicts", "冲突收件箱"),
    ("refused", "被退回的修改"),
)


def _settle(window: Any, ms: int = 300) -> None:
    db = window.db
    for _ in range(200):
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        if db.idle:
            break
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, path: Path) -> None:
    """A palette PNG: the window has few colours, so 256 lose nothing one can
    see and the file is a third of the size."""
    widget.grab().save(str(path))
    try:
        from PIL import Image
    except ImportError:  # the full-colour PNG is still right, only bigger
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def _hotline_file() -> Path:
    rows = ["工单编号,受理时间,诉求标题,诉求内容,诉求人,联系电话,地址,诉求类别"]
    samples = [("夜间施工噪音", "运河路18号"), ("小区路灯不亮", "东三巷6号"), ("雨后道路积水", "水渡口大道"), ("垃圾清运不及时", "北门菜场"), ("楼道堆放杂物", "清河新村3栋")]
    for i, (title, address) in enumerate(samples * 3):
        rows.append(f"GD2026110{i:04d},2026/11/{3 + i % 20} 9:05,{title},{title}，请尽快处理,居民,13800001111,{address},")
    rows.append("GD20261109999,不知道哪天,路面破损,路面坑洼,居民,13800002222,南门,")
    file = Path(tempfile.mkdtemp(prefix="yishi-shots-")) / "12345工单.csv"
    file.write_text("\n".join(rows) + "\n", encoding="utf-8-sig")
    return file


def _dialog(window: Any, out: Path, name: str, dialog: QWidget, *, close: Callable[[], Any] | None = None) -> None:
    _settle(window)
    _save(dialog, out / name)
    (close or dialog.reject)()  # type: ignore[attr-defined]
    _settle(window, 100)


def _with_conflict(store: Any) -> None:
    """One open conflict, as a pull records it, so the inbox has something to
    show (made just for that shot and closed after it: the other shots show
    the demo room as it is)."""
    from desktop.storage.services import topics
    from desktop.sync.engine import _record_conflict

    topic = next(t for t in topics.list_topics(store) if t.location)
    with store.write() as session:
        _record_conflict(session, entity="topic", row_id=topic.id, field_name="location",
                         local=topic.location, server=topic.location + "（北侧）")


# what the county server answers (server/sync/refs.py, server/sync/finalize.py)
_FINAL = "会议记录已定稿，不能再修改；如需更正，请做勘误。"
_MISMATCH = (
    "服务器上这次会议的内容与定稿时本电脑上的不一致（例如另一台电脑记下了本电脑还没有收到的发言），定稿没有保存。"
    "请同步后放弃这次定稿，核对内容后重新定稿。"
)


def _set_refused(store: Any, refusals: dict[tuple[str, str], str | None]) -> None:
    """Mark the unsent operations of these rows refused with the server's
    reason (``None``: waiting again), as a push answer does."""
    from desktop.storage.models import OutboxRow

    table = OutboxRow.__table__
    with store.write() as session:
        for (entity, row_id), reason in refusals.items():
            where = (table.c.entity == entity) & (table.c.row_id == row_id)
            state = "rejected" if reason else "pending"
            session.execute(table.update().where(where).values(state=state, reject_reason=reason or ""))


def _refusals(store: Any) -> dict[tuple[str, str], str | None]:
    """A finalization the server refused and a statement typed late into
    final minutes: the two refusals a room really meets (made just for that
    shot and undone after it, like the conflict)."""
    from desktop.storage.services import reads

    done = next(m.id for m in reads.list_meetings(store) if reads.minutes_of(store, m.id))
    minutes = reads.minutes_of(store, done)[0]
    statement = reads.statements_of(store, meeting_id=done)[-1]
    return {("minutes", minutes.id): _MISMATCH, ("statement", statement.id): _FINAL}


def _richest_topic(store: Any) -> str:
    """The topic with the longest history: the timeline shows most there."""
    from desktop.storage.services import topics

    return max(topics.list_topics(store), key=lambda t: len(topics.history(store, t.id))).id


def _shots(window: Any, out: Path, lang: str, *, store: Any) -> None:
    from desktop.domain.enums import TopicStatus
    from desktop.storage.services import topics as topic_service

    def shot(key: str) -> None:
        _settle(window)
        _save(window, out / f"{key}-{lang}.png")

    window.go("today")
    shot("today")

    topics = window.go("topics")
    _settle(window)
    topics.show_topic_id(_richest_topic(store))
    shot("topics")
    _dialog(window, out, f"topic-new-{lang}.png", topics.open_new_topic())
    waiting = topic_service.list_topics(store, status=TopicStatus.SUBMITTED)
    if waiting:
        topics._action("merge", waiting[0])
        _dialog(window, out, f"topic-merge-{lang}.png", topics.dialog)
    dialog = topics.open_import()
    dialog.choose(_hotline_file())
    _dialog(window, out, f"import-{lang}.png", dialog)

    meetings = window.go("meetings")
    _settle(window)
    # the meeting with finalized minutes: its agenda, sign-in and minutes are all filled in
    from desktop.storage.services import reads

    done = next((m.id for m in reads.list_meetings(store) if reads.minutes_of(store, m.id)), None)
    ids = [meetings.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(meetings.list.count())]
    planned = next((m.id for m in reads.list_meetings(store) if m.status.value == "planned"), None)
    # the agenda of the planned meeting (still editable: drag, add); the rest of the finalized one
    for index, key, meeting_id in ((1, "meeting-agenda", planned), (0, "meetings", done), (2, "meeting-people", done), (3, "meeting-minutes", done)):
        meetings.list.setCurrentRow(ids.index(meeting_id) if meeting_id in ids else 0)
        _settle(window)
        meetings.tabs.setCurrentIndex(index)
        shot(key)
    meetings._print("minutes")
    _settle(window, 800)
    preview = getattr(window, "preview", None)
    if preview is not None:
        preview.resize(WIDTH - 100, HEIGHT - 60)
        _dialog(window, out, f"print-preview-{lang}.png", preview)
        window.preview = None

    actions = window.go("actions")
    _settle(window)
    if actions.table.rowCount():
        actions.table.selectRow(0)
    shot("actions")
    for key in ("stats", "contacts", "settings"):
        window.go(key)
        shot(key)

    from desktop.sync import conflicts

    _with_conflict(store)
    inbox = window.open_conflicts()
    _settle(window)
    if inbox.list.count():
        inbox.list.setCurrentRow(0)
    _dialog(window, out, f"conflicts-{lang}.png", inbox, close=inbox.accept)
    for c in conflicts.list_conflicts(store):
        conflicts.resolve(store, c.id, keep="server")

    refusals = _refusals(store)
    _set_refused(store, refusals)
    window.sync.refresh_status()
    _settle(window)
    dialog = window.open_refused()
    _settle(window)
    _dialog(window, out, f"refused-{lang}.png", dialog, close=dialog.accept)
    _set_refused(store, dict.fromkeys(refusals))
    window.sync.refresh_status()
    window.go("today")


def main(out: Path) -> int:
    from desktop.storage.db import Store
    from desktop.storage.demo import fill_demo
    from desktop.ui import qt_i18n
    from desktop.ui.app import make_app, open_main_window

    make_app()
    out.mkdir(parents=True, exist_ok=True)
    store = Store(Path(tempfile.mkdtemp(prefix="yishi-shots-")))
    fill_demo(store)
    from desktop.storage.services import rooms

    # the county's address (not enrolled): finalized minutes print with their QR code
    rooms.set_server_url(store, "https://xieshang.example.gov.cn")
    window = open_main_window(store)
    window.resize(WIDTH, HEIGHT)
    window.show()
    for lang in ("zh", "en"):
        qt_i18n.install(lang)
        window.rebuild()
        _settle(window)
        _shots(window, out, lang, store=store)
    window.close()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    code = main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown, where PySide6 6.12 can crash in GC
