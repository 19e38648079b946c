"""The right-hand pane of the topics screen: one topic's facts, the buttons
the lifecycle allows from its status (and only those), and its whole history
as a timeline, oldest first. Everything here may come from a resident's
phone, so every label shows plain text (``desktop.ui.plain``)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain import lifecycle
from desktop.domain.entities import Topic, TopicEvent
from desktop.domain.lifecycle import Action
from desktop.i18n import tr as tr_below
from desktop.ui import fmt
from desktop.ui.plain import plain
from desktop.ui.screens.base import heading, hint
from desktop.ui.topic_dialogs import category_label

# the triage buttons this pane offers, in the order shown
TRIAGE = (Action.ACCEPT, Action.DECLINE, Action.MERGE, Action.HANDLE_DIRECTLY)


def action_label(action: str) -> str:
    try:
        label = tr_below(lifecycle.ACTION_LABELS[Action(action)])
        return label[:1].upper() + label[1:]  # English labels are verbs in lower case; a line starts with a capital
    except ValueError:
        if action == "submit":
            return QCoreApplication.translate("TopicDetail", "登记")
        if action == "retention":  # desktop.domain.retention: names and phones blanked after the retention period
            return QCoreApplication.translate("TopicDetail", "个人信息已按保存期限删除")
        return action


class TopicDetail(QWidget):
    action_requested = Signal(str, object)  # Action value, Topic
    print_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.topic: Topic | None = None
        self.empty = hint(self.tr("在左边的列表中选中一个议题，这里会显示它的详细情况和全部办理经过。"))
        self.title = heading("", size_delta=3)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        for key, label in (
            ("status", self.tr("状态")),
            ("source", self.tr("来源")),
            ("received", self.tr("收到时间")),
            ("category", self.tr("类别")),
            ("location", self.tr("地点")),
            ("submitter", self.tr("提出人")),
            ("code", self.tr("查询码")),
        ):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.facts[key] = value
            form.addRow(label, value)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.description.setAlignment(Qt.AlignmentFlag.AlignTop)
        plain(self.title, self.description, *self.facts.values())

        self.buttons: dict[Action, QPushButton] = {}
        grid = QGridLayout()
        labels = {
            Action.ACCEPT: self.tr("受理"),
            Action.DECLINE: self.tr("不予受理"),
            Action.MERGE: self.tr("合并"),
            Action.HANDLE_DIRECTLY: self.tr("直接办理"),
        }
        for i, action in enumerate(TRIAGE):
            button = QPushButton(labels[action])
            button.setObjectName(f"action_{action.value}")
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _=False, a=action: self._request(a))
            self.buttons[action] = button
            grid.addWidget(button, i // 2, i % 2)
        self.print_button = QPushButton(self.tr("打印回执"))
        self.print_button.setObjectName("printReceipt")
        self.print_button.clicked.connect(lambda: self.topic and self.print_requested.emit(self.topic))
        # shown only while a triage step is possible: four greyed buttons on a
        # topic long past triage only take the timeline's room
        self.triage = QWidget()
        self.triage.setObjectName("triage")
        actions_row = QHBoxLayout(self.triage)
        actions_row.setContentsMargins(0, 0, 0, 0)
        actions_row.addLayout(grid, 1)

        self.timeline = QListWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setWordWrap(True)
        self.timeline.setAlternatingRowColors(True)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.title)
        body.addLayout(form)
        body.addWidget(self.description)
        body.addWidget(self.triage)
        body.addWidget(self.print_button)
        body.addWidget(heading(self.tr("办理经过"), size_delta=1))
        body.addWidget(self.timeline, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.body, 1)
        self.show_topic(None)

    def _request(self, action: Action) -> None:
        if self.topic is not None:
            self.action_requested.emit(action.value, self.topic)

    def show_topic(self, topic: Topic | None) -> None:
        self.topic = topic
        self.empty.setVisible(topic is None)
        self.body.setVisible(topic is not None)
        if topic is None:
            return
        self.title.setText(topic.title)
        self.facts["status"].setText(topic.status.label + (f"（{topic.decline_reason}）" if topic.decline_reason else ""))
        self.facts["source"].setText(topic.source.label + (f"  {topic.ticket_no}" if topic.ticket_no else ""))
        self.facts["received"].setText(fmt.moment(topic.received_at))
        self.facts["category"].setText(category_label(topic.category) if topic.category else "—")
        self.facts["location"].setText(topic.location or "—")
        who = "  ".join(x for x in (topic.submitter_name, topic.submitter_phone) if x)
        self.facts["submitter"].setText(who or "—")
        self.facts["code"].setText(topic.tracking_code)
        self.description.setText(topic.description or self.tr("（没有情况描述）"))
        allowed = set(lifecycle.allowed_actions(lifecycle.TOPIC, topic.status))
        for action, button in self.buttons.items():
            button.setEnabled(action in allowed)
        self.triage.setVisible(bool(allowed & set(TRIAGE)))
        self.timeline.clear()

    def set_history(self, topic_id: str, events: tuple[TopicEvent, ...]) -> None:
        if self.topic is None or self.topic.id != topic_id:
            return
        self.timeline.clear()
        for ev in events:
            line = f"{fmt.moment(ev.at)}   {action_label(ev.action)}  →  {ev.to_status.label}"
            if ev.actor:
                line += f"   {ev.actor}"
            if ev.reason:
                line += f"\n    {ev.reason}"
            self.timeline.addItem(line)
