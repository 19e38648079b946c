"""被退回的修改: changes the county server refused, shown one record at a
time with the server's reason in full and the two things a person can do:
fix it and send it again (the next sync sends it), or give it up on purpose,
after a confirmation that says exactly what will happen (a record the server
never stored leaves this PC; otherwise the server's copy comes back at the
next sync). Nothing here removes anything by itself. Listing and deciding run
on the database worker (``desktop.sync.refused``, named through
``worker.service`` so opening the window imports no SQL)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.entities import Change
from desktop.ui import fmt
from desktop.ui.conflict_inbox import entity_label, field_label
from desktop.ui.errors import show_error
from desktop.ui.plain import plain_box, plain_label
from desktop.ui.worker import Database, service

list_refused = service("desktop.sync.refused:list_refused")
resend = service("desktop.sync.refused:resend")
discard = service("desktop.sync.refused:discard")


def record_label(entity: str) -> str:
    """What a record is, in the glossary's words: the conflict inbox's labels
    and the records only a refusal can name (insert-only ones never conflict)."""
    # literal translate() calls, so lupdate finds every label
    extra = {
        "topic_event": QCoreApplication.translate("RefusedChanges", "办理经过"),
        "progress_entry": QCoreApplication.translate("RefusedChanges", "落实进展"),
        "attachment": QCoreApplication.translate("RefusedChanges", "照片和附件"),
    }
    return extra.get(entity) or entity_label(entity)


def short(name: str, limit: int = 20) -> str:
    """A record's name cut for the list and the questions (a minutes' summary
    can fill four lines there; the detail shows more)."""
    name = name.rstrip("…")
    return name if len(name) <= limit else name[:limit] + "…"


def refused_count(status: Any) -> int:
    """Records with refused changes (the dialog lists records; one record can
    carry several refused operations)."""
    return len({(entity, row_id) for entity, row_id, _reason in getattr(status, "rejected", ()) or ()})


def refused_text(n: int) -> str:
    return QCoreApplication.translate("RefusedChanges", "被退回的修改：{n}").replace("{n}", str(n))


class RefusedChanges(QDialog):
    """The list of refused records and, for the chosen one, its reason and the
    two decisions. ``decided`` fires after either decision has been saved."""

    decided = Signal()

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.items: list[Any] = []
        self.confirm: QMessageBox | None = None
        self._seen: Any = None  # the refusals of the last status read
        self.setObjectName("refusedChanges")
        self.setWindowTitle(self.tr("被退回的修改"))
        self.resize(980, 600)
        intro = QLabel(self.tr("县服务器没有接受下面这些修改。它们都还保存在本电脑上，没有丢失。请逐条看看服务器说的原因，再决定怎么办。"))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("refusedList")
        self.list.setMaximumWidth(300)
        self.list.setWordWrap(True)
        self.what = plain_label()
        self.what.setObjectName("refusedWhat")
        self.what.setWordWrap(True)
        font = self.what.font()
        font.setBold(True)
        self.what.setFont(font)
        self.when = plain_label()
        self.when.setObjectName("refusedWhen")
        self.kind = plain_label()  # a new record, or a change of one the server holds
        self.kind.setObjectName("refusedKind")
        self.kind.setWordWrap(True)
        self.reasons = plain_label()
        self.reasons.setObjectName("refusedReasons")
        self.reasons.setWordWrap(True)
        self.reasons.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reasons.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        reason_box = QGroupBox(self.tr("县服务器说的原因"))
        rv = QVBoxLayout(reason_box)
        scroll = QScrollArea()  # a long reason scrolls instead of pushing the buttons off the dialog
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.reasons)
        rv.addWidget(scroll)
        self.resend_button = QPushButton(self.tr("重新发送"))
        self.resend_button.setObjectName("resend")
        self.discard_button = QPushButton(self.tr("放弃这条修改"))
        self.discard_button.setObjectName("discard")
        resend_hint = QLabel(self.tr("改好后重新发送：先按上面的原因把内容改好（或等县里处理好），再点“重新发送”。下次同步时会再发给县服务器。"))
        self.discard_hint = plain_label()
        self.discard_hint.setObjectName("discardHint")
        todo_box = QGroupBox(self.tr("怎么办"))
        tv = QVBoxLayout(todo_box)
        for hint_label, button in ((resend_hint, self.resend_button), (self.discard_hint, self.discard_button)):
            hint_label.setWordWrap(True)
            button.setMinimumHeight(36)
            row = QHBoxLayout()
            row.addWidget(hint_label, 1)
            row.addWidget(button, 0, Qt.AlignmentFlag.AlignVCenter)
            tv.addLayout(row)
        self.done_label = plain_label()  # what the last decision did
        self.done_label.setObjectName("refusedDone")
        self.done_label.setWordWrap(True)
        self.done_label.setStyleSheet("color: #1b5e20;")
        detail = QVBoxLayout()
        detail.addWidget(self.what)
        detail.addWidget(self.when)
        detail.addWidget(self.kind)
        detail.addWidget(reason_box, 1)
        detail.addWidget(todo_box)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addLayout(detail, 1)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.done_label, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addLayout(bottom)
        self.list.currentRowChanged.connect(self._show)
        self.resend_button.clicked.connect(self.send_again)
        self.discard_button.clicked.connect(self.ask_discard)
        self.reload()

    # -- showing ---------------------------------------------------------
    def reload(self) -> None:
        self.db.call(list_refused, on_result=self._fill, on_error=lambda exc: show_error(self, exc))

    def status_seen(self, status: Any) -> None:
        """A sync while the dialog is open: the list follows what it refused."""
        rejected = getattr(status, "rejected", None)
        if self._seen is not None and rejected != self._seen:
            self.reload()
        self._seen = rejected

    def _fill(self, items: tuple[Any, ...]) -> None:
        chosen = self.current()
        self.items = list(items)
        self.list.blockSignals(True)  # one _show below, for the row kept or the first
        self.list.clear()
        for r in self.items:
            head = record_label(r.entity) + (f"\n{short(r.name)}" if r.name else "")
            item = QListWidgetItem(f"{head}\n{fmt.moment(r.refused_since)}")
            item.setData(Qt.ItemDataRole.UserRole, r.row_id)
            self.list.addItem(item)
        keep = next((i for i, r in enumerate(self.items) if chosen is not None and (r.entity, r.row_id) == (chosen.entity, chosen.row_id)), 0)
        self.list.setCurrentRow(keep if self.items else -1)
        self.list.blockSignals(False)
        self._show(self.list.currentRow())

    def _show(self, row: int) -> None:
        r = self.items[row] if 0 <= row < len(self.items) else None
        for b in (self.resend_button, self.discard_button):
            b.setEnabled(r is not None)
        if r is None:
            self.what.setText(self.tr("没有被退回的修改。"))
            for label in (self.when, self.kind, self.reasons, self.discard_hint):
                label.setText("")
            return
        label = record_label(r.entity)
        self.what.setText(self.tr("{what}：{name}").replace("{what}", label).replace("{name}", r.name) if r.name else label)
        self.when.setText(self.tr("修改于 {time}").replace("{time}", fmt.moment(r.refused_since)))
        if r.new_record:
            self.kind.setText(self.tr("这是在本电脑上新建的记录，县服务器上还没有它。"))
        else:
            changed = [field_label(f) for f in r.fields if field_label(f) != f]  # only names a person knows
            text = self.tr("县服务器上已有这条记录，退回的是本电脑上的这次修改。")
            if changed:
                text += self.tr("改动的内容：{fields}").replace("{fields}", self.tr("、").join(dict.fromkeys(changed)))
            self.kind.setText(text)
        self.reasons.setText("\n".join(r.reasons) or self.tr("（县服务器没有说明原因）"))
        self.discard_hint.setText(self.tr("确实不要了：点“放弃这条修改”。") + self._what_discard_does(r))

    def _what_discard_does(self, r: Any) -> str:
        if r.new_record:
            return self.tr("这条记录将从本电脑删除。")
        return self.tr("本电脑上的这次修改将被丢弃，下次同步时恢复为服务器上的内容。")

    def current(self) -> Any:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    # -- deciding --------------------------------------------------------
    def send_again(self) -> None:
        r = self.current()
        if r is None:
            return

        def done(_r: Any) -> None:
            self.done_label.setText(self.tr("“{name}”已放回待发送的修改，下次同步时发送。").replace("{name}", short(r.name) or record_label(r.entity)))
            self.decided.emit()
            self.reload()

        self.db.call(resend, r.row_id, on_result=done, on_error=lambda exc: self._failed(exc, r))

    def ask_discard(self) -> QMessageBox | None:
        """Ask first: nothing goes without the person saying so."""
        r = self.current()
        if r is None:
            return None
        label = record_label(r.entity)
        what = self.tr("{what}“{name}”").replace("{what}", label).replace("{name}", short(r.name)) if r.name else label
        text = self.tr("确定放弃{what}的修改吗？").replace("{what}", what) + "\n\n" + self._what_discard_does(r)
        if r.new_record:
            text += self.tr("删除后找不回来。")
        box = plain_box(QMessageBox(QMessageBox.Icon.Question, self.tr("放弃这条修改"), text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self))
        box.setObjectName("confirmDiscard")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("确定放弃"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("不放弃"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda b: b is yes and self._discard(r))
        self.confirm = box
        box.open()
        return box

    def _discard(self, r: Any) -> None:
        def done(gone: Any) -> None:
            self.done_label.setText(self.tr("已放弃“{name}”的修改。").replace("{name}", short(r.name) or record_label(r.entity)))
            # a never-stored record left this PC: the screens that showed it refresh
            self.db.notify((Change(entity=gone.entity, id=gone.row_id, op="delete" if gone.new_record else "update"),))
            self.decided.emit()
            self.reload()

        self.db.call(discard, r.row_id, on_result=done, on_error=lambda exc: self._failed(exc, r))

    def _failed(self, exc: BaseException, r: Any) -> None:
        from desktop.domain.errors import NotFound

        if not isinstance(exc, NotFound):
            show_error(self, exc)
            return

        def fresh(items: tuple[Any, ...]) -> None:
            self._fill(items)
            if any((i.entity, i.row_id) == (r.entity, r.row_id) for i in items):
                show_error(self, exc)  # still refused: the reason the service gave
            else:  # decided meanwhile elsewhere (yishi refused, another window)
                self.done_label.setText(self.tr("这条修改已经处理过了（可能是在另一个窗口或命令行里），列表已更新。"))
                self.decided.emit()

        self.db.call(list_refused, on_result=fresh, on_error=lambda e: show_error(self, e))
