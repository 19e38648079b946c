"""Dialogs of the topics screen: recording a topic (walk-in, phone call, grid
worker …), a reason for a decline or for handling directly, and choosing the
topic to merge into. Each is opened with ``open()`` (no nested event loop) and
hands its values to the screen through ``submitted``; the screen calls the
service, and a refusal leaves the dialog open with the message."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, QDateTime, Qt, Signal
from desktop.ui.form_dialog import FormDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.entities import Topic
from desktop.domain.enums import TopicSource
from desktop.ui import fmt
from desktop.ui.plain import plain_label

# what the room typically files topics under (stored in Chinese, shown translated)
CATEGORIES = ("环境卫生", "道路交通", "基础设施", "物业管理", "民生保障", "安全隐患", "邻里纠纷", "其他")


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(QCoreApplication.translate("dialog", "取消"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def category_label(key: str) -> str:
    labels = {
        "环境卫生": QCoreApplication.translate("categories", "环境卫生"),
        "道路交通": QCoreApplication.translate("categories", "道路交通"),
        "基础设施": QCoreApplication.translate("categories", "基础设施"),
        "物业管理": QCoreApplication.translate("categories", "物业管理"),
        "民生保障": QCoreApplication.translate("categories", "民生保障"),
        "安全隐患": QCoreApplication.translate("categories", "安全隐患"),
        "邻里纠纷": QCoreApplication.translate("categories", "邻里纠纷"),
        "其他": QCoreApplication.translate("categories", "其他"),
    }
    return labels.get(key, key)


def category_combo(parent: QWidget, *, with_all: bool = False) -> QComboBox:
    combo = QComboBox(parent)
    if with_all:
        combo.addItem(QCoreApplication.translate("categories", "全部类别"), "")
    for key in CATEGORIES:
        combo.addItem(category_label(key), key)
    return combo


class NewTopicDialog(FormDialog):
    """登记议题: what a convenor writes down when someone walks in or calls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("登记新议题"))
        self.setMinimumWidth(620)
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("一句话说清是什么事，例如：运河步道缺少公共厕所"))
        self.source = QComboBox()
        for src in (TopicSource.WALK_IN, TopicSource.GRID_WORKER, TopicSource.MEMBER, TopicSource.HOTLINE, TopicSource.PETITION, TopicSource.REFERRAL):
            self.source.addItem(src.label, src)
        self.category = category_combo(self)
        self.category.setEditable(True)
        # empty until chosen: a preset first category gets kept by mistake
        self.category.setCurrentIndex(-1)
        self.category.lineEdit().setPlaceholderText(self.tr("从列表里选，或自己填写"))
        self.location = QLineEdit()
        self.location.setPlaceholderText(self.tr("小区、楼栋或路段"))
        self.submitter_name = QLineEdit()
        self.submitter_phone = QLineEdit()
        self.submitter_phone.setPlaceholderText(self.tr("只在本机保存，公开时隐去"))
        self.received_at = QDateTimeEdit(QDateTime.currentDateTime())
        self.received_at.setCalendarPopup(True)
        self.received_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.description = QPlainTextEdit()
        self.description.setPlaceholderText(self.tr("反映的具体情况、涉及多少人、希望怎么解决"))
        self.description.setMinimumHeight(120)

        form = QFormLayout()
        form.addRow(self.tr("议题标题"), self.title)
        form.addRow(self.tr("议题来源"), self.source)
        form.addRow(self.tr("类别"), self.category)
        form.addRow(self.tr("地点"), self.location)
        form.addRow(self.tr("提出人"), self.submitter_name)
        form.addRow(self.tr("联系电话"), self.submitter_phone)
        form.addRow(self.tr("收到时间"), self.received_at)
        form.addRow(self.tr("情况描述"), self.description)
        self.restored = QLabel(self.tr("已找回上次没有登记完的内容，请核对后登记。"))
        self.restored.setObjectName("draftRestored")
        self.restored.setStyleSheet("color: #1a5e20;")
        self.restored.setWordWrap(True)
        self.restored.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.restored)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, self.tr("登记")))
        self.title.setFocus()

    def show_restored(self, found: bool) -> None:
        self.restored.setVisible(found)

    def values(self) -> dict[str, object]:
        # a listed category is stored in Chinese whatever the language; a typed one as typed
        idx = self.category.findText(self.category.currentText())
        category = self.category.itemData(idx) if idx >= 0 else self.category.currentText()
        received = self.received_at.dateTime().toSecsSinceEpoch()
        return dict(
            title=self.title.text(),
            source=self.source.currentData(),
            category=category,
            location=self.location.text(),
            submitter_name=self.submitter_name.text(),
            submitter_phone=self.submitter_phone.text(),
            description=self.description.toPlainText(),
            received_at=datetime.fromtimestamp(received, UTC),
        )


class ReasonDialog(FormDialog):
    """A required text: the decline reason, or how a matter was handled."""

    def __init__(self, *, title: str, prompt: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        label = plain_label(prompt)
        label.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.text)
        layout.addWidget(self.error)
        layout.addWidget(_buttons(self, ok_text))


class MergeDialog(FormDialog):
    """Pick the topic a duplicate is merged into; likely duplicates come first."""

    def __init__(self, topic: Topic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("合并议题"))
        self.setMinimumSize(640, 420)
        intro = plain_label(self.tr("把“{title}”并入下面选中的议题。合并后，提出人可以在原议题的查询页看到合并去向。").replace("{title}", topic.title))
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("mergeCandidates")
        self.list.addItem(self.tr("正在查找相似的议题……"))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        self.buttons = _buttons(self, self.tr("合并"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.list.currentItemChanged.connect(lambda *_: self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.target_id() is not None))
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        layout.addWidget(self.buttons)

    def set_candidates(self, candidates: tuple[Topic, ...]) -> None:
        self.list.clear()
        if not candidates:
            self.list.addItem(self.tr("没有可以并入的议题。"))
            return
        for t in candidates:
            item = QListWidgetItem(f"{t.title}   ·   {t.status.label}   ·   {fmt.day(t.received_at)}" + (f"   ·   {t.location}" if t.location else ""))
            item.setData(Qt.ItemDataRole.UserRole, t.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)

    def target_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def accept(self) -> None:
        if self.target_id() is not None:
            super().accept()
