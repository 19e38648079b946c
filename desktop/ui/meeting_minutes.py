"""The minutes tab of the meeting editor: per agenda item, the statements
(speaker, identity, what was said) and the outcome with optional votes, an
action item from an outcome, and the meeting's summary, saved as it is typed
(``AutosaveTextEdit``). Finalizing asks first; afterwards everything here is
read-only and a change is a correction. A statement or an outcome typed but
not yet recorded is kept as a draft per agenda item (``Draft``), so nothing
typed is lost before its button is pressed."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.entities import AgendaItem, Meeting
from desktop.domain.enums import MinutesStatus
from desktop.storage.services import actions, minutes, reads
from desktop.ui.autosave import AutosaveTextEdit
from desktop.ui.drafts import Draft
from desktop.ui.plain import plain_label


class MinutesTab(QWidget):
    def __init__(self, screen: Any) -> None:
        super().__init__()
        self.screen = screen
        self.meeting: Meeting | None = None
        self.finalized = False
        self.item = QComboBox()
        self.item.setObjectName("agendaPicker")
        self.item.currentIndexChanged.connect(lambda _i: self._load_item())
        self.entries = QListWidget()
        self.entries.setObjectName("minutesEntries")
        self.entries.setWordWrap(True)

        self.speaker = QLineEdit()
        self.speaker.setPlaceholderText(self.tr("发言人"))
        self.identity = QLineEdit()
        self.identity.setPlaceholderText(self.tr("身份，如 居民代表"))
        self.said = QLineEdit()
        self.said.setPlaceholderText(self.tr("发言要点"))
        self.add_statement = QPushButton(self.tr("记下发言"))
        self.add_statement.setObjectName("addStatement")
        st = QHBoxLayout()
        st.addWidget(self.speaker, 1)
        st.addWidget(self.identity, 1)
        st.addWidget(self.said, 3)
        st.addWidget(self.add_statement)

        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText(self.tr("协商结果 / 议定事项"))
        self.votes = [QSpinBox() for _ in range(3)]
        for v, tip in zip(self.votes, (self.tr("赞成"), self.tr("反对"), self.tr("弃权"))):
            v.setRange(0, 999)
            v.setPrefix(tip + " ")
        self.add_outcome = QPushButton(self.tr("记下协商结果"))
        self.add_outcome.setObjectName("addOutcome")
        oc = QHBoxLayout()
        oc.addWidget(self.outcome, 3)
        for v in self.votes:
            oc.addWidget(v)
        oc.addWidget(self.add_outcome)

        self.action_title = QLineEdit()
        self.action_title.setPlaceholderText(self.tr("落实事项"))
        self.owner_unit = QLineEdit()
        self.owner_unit.setPlaceholderText(self.tr("承办单位"))
        self.responsible = QLineEdit()
        self.responsible.setPlaceholderText(self.tr("责任人"))
        self.deadline = QDateEdit(QDate.currentDate().addDays(30))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        self.add_action = QPushButton(self.tr("加入落实事项"))
        self.add_action.setObjectName("addAction")
        ac = QHBoxLayout()
        ac.addWidget(self.action_title, 2)
        ac.addWidget(self.owner_unit, 1)
        ac.addWidget(self.responsible, 1)
        ac.addWidget(self.deadline)
        ac.addWidget(self.add_action)

        # the typing rows, hidden once finalized: empty boxes invite typing that cannot be saved
        self.inputs = QWidget()
        self.inputs.setObjectName("minutesInputs")
        iv = QVBoxLayout(self.inputs)
        iv.setContentsMargins(0, 0, 0, 0)
        iv.addLayout(st)
        iv.addLayout(oc)
        iv.addLayout(ac)
        per_item = QGroupBox(self.tr("逐项记录"))
        pv = QVBoxLayout(per_item)
        pv.addWidget(self.item)
        pv.addWidget(self.entries, 1)
        pv.addWidget(self.inputs)

        self.summary = AutosaveTextEdit(self._save_summary)
        self.summary.setObjectName("minutesSummary")
        self.summary.setPlaceholderText(self.tr("会议认为……（边打字边自动保存）"))
        self.summary.setMaximumHeight(110)
        self.state = plain_label()
        self.finalize_button = QPushButton(self.tr("定稿"))
        self.finalize_button.setObjectName("finalize")
        self.finalize_button.setMinimumHeight(34)
        self.correct_button = QPushButton(self.tr("勘误…"))
        self.correct_button.setObjectName("correctMinutes")
        self.correct_button.setMinimumHeight(34)
        self.correct_button.hide()
        self.state.setWordWrap(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(self.correct_button)
        bottom.addWidget(self.finalize_button)
        form = QFormLayout()
        form.addRow(self.tr("会议纪要"), self.summary)

        layout = QVBoxLayout(self)
        layout.addWidget(per_item, 1)
        layout.addLayout(form)
        layout.addLayout(bottom)
        self.add_statement.clicked.connect(self._statement)
        self.add_outcome.clicked.connect(self._outcome)
        self.add_action.clicked.connect(self._action)
        self.finalize_button.clicked.connect(self.ask_finalize)
        self.correct_button.clicked.connect(self.open_correction)
        self.confirm: QMessageBox | None = None
        self.correction: Any = None  # the correction dialog while open
        db = screen.db
        self.statement_draft = Draft(db, {"speaker": self.speaker, "identity": self.identity, "said": self.said}, parent=self)
        self.outcome_draft = Draft(db, {"outcome": self.outcome}, parent=self)

    # -- loading ---------------------------------------------------------
    def load(self, meeting: Meeting) -> None:
        if self.meeting is not None and self.meeting.id != meeting.id:
            self.flush()  # what was typed belongs to the meeting shown until now
            self.summary.set_saved_text("")
        self.meeting = meeting
        self.screen.call(reads.minutes_of, meeting.id, on_result=self._minutes_loaded)

    def _minutes_loaded(self, versions: tuple[Any, ...]) -> None:
        original = versions[0] if versions else None
        self.finalized = original is not None and original.status == MinutesStatus.FINALIZED
        if not self.summary.dirty:
            self.summary.set_saved_text(original.summary if original else "")
        corrections = len(versions) - 1 if versions else 0
        if self.finalized:
            text = self.tr("已定稿，内容不能再修改；发现错误请点“勘误…”。")
            if corrections:
                text += self.tr("已有勘误 {n} 条，打印会议记录时一并印出。").replace("{n}", str(corrections))
        else:
            text = self.tr("草稿：输入的内容会自动保存。")
        self.state.setText(text)
        for w in (self.add_statement, self.add_outcome, self.add_action, self.finalize_button):
            w.setEnabled(not self.finalized)
        self.inputs.setVisible(not self.finalized)
        self.finalize_button.setVisible(not self.finalized)
        self.correct_button.setVisible(self.finalized)
        self.summary.setReadOnly(self.finalized)

    def open_correction(self) -> Any:
        """勘误: what was wrong and how it should read; the finalized original stays as it is."""
        from desktop.ui.errors import message_for
        from desktop.ui.topic_dialogs import ReasonDialog

        if self.meeting is None:
            return None
        meeting_id = self.meeting.id
        dialog = ReasonDialog(
            title=self.tr("勘误"),
            prompt=self.tr("请写明哪里有误、应当怎样更正。勘误另行保存，原来的会议记录一字不改；打印会议记录时会一并印出。"),
            ok_text=self.tr("保存勘误"),
            parent=self,
        )

        def saved(_r: Any) -> None:
            dialog.done_ok()
            if self.meeting is not None:
                self.load(self.meeting)

        dialog.submitted.connect(lambda: self.screen.db.call(minutes.correct_minutes, meeting_id, note=dialog.text.toPlainText(), on_result=saved, on_error=lambda exc: dialog.show_error(message_for(exc))))
        self.correction = dialog
        dialog.open()
        return dialog

    def set_agenda(self, items: tuple[AgendaItem, ...]) -> None:
        current = self.item.currentData()
        self.item.blockSignals(True)
        self.item.clear()
        for a in items:
            self.item.addItem(f"{a.position}. {a.title}", a.id)
        i = self.item.findData(current)
        self.item.setCurrentIndex(i if i >= 0 else 0)
        self.item.blockSignals(False)
        self._load_item()

    def _load_item(self) -> None:
        item_id = self.item.currentData()
        self.entries.clear()
        key = "" if item_id is None or self.finalized else str(item_id)
        self.statement_draft.set_key(key and f"statement.{key}")
        self.outcome_draft.set_key(key and f"outcome.{key}")
        if item_id is None:
            return
        self.screen.call(reads.statements_of, agenda_item_id=item_id, on_result=lambda rows: self._show_entries(item_id, rows, None))
        self.screen.call(reads.outcomes_of, agenda_item_id=item_id, on_result=lambda rows: self._show_entries(item_id, None, rows))

    def _show_entries(self, item_id: str, statements: Any, outcomes: Any) -> None:
        if self.item.currentData() != item_id:
            return
        for s in statements or ():
            self.entries.addItem(f"{s.speaker}（{s.identity}）：{s.summary}" if s.identity else f"{s.speaker}：{s.summary}")
        for o in outcomes or ():
            votes = ""
            if o.votes_for is not None:
                votes = "  " + self.tr("赞成{a} 反对{b} 弃权{c}").replace("{a}", str(o.votes_for)).replace("{b}", str(o.votes_against or 0)).replace("{c}", str(o.votes_abstain or 0))
            self.entries.addItem(self.tr("协商结果：") + o.text + votes)

    # -- recording -------------------------------------------------------
    def _statement(self) -> None:
        item_id = self.item.currentData()
        if item_id is None:
            return
        self.screen.call(minutes.record_statement, agenda_item_id=item_id, speaker=self.speaker.text(), identity=self.identity.text(), summary=self.said.text(), on_result=lambda _r: self._cleared(self.said, self.statement_draft))

    def _outcome(self) -> None:
        item_id = self.item.currentData()
        if item_id is None:
            return
        votes = [v.value() for v in self.votes]
        counted = any(votes)
        self.screen.call(
            minutes.record_outcome,
            agenda_item_id=item_id,
            text=self.outcome.text(),
            votes_for=votes[0] if counted else None,
            votes_against=votes[1] if counted else None,
            votes_abstain=votes[2] if counted else None,
            on_result=self._outcome_recorded,
        )

    def _outcome_recorded(self, result: Any) -> None:
        self.last_outcome_id = result.value.id
        self._cleared(self.outcome, self.outcome_draft)

    def _action(self) -> None:
        if self.meeting is None:
            return
        q = self.deadline.date()
        outcome_id = getattr(self, "last_outcome_id", None)
        self.screen.call(
            actions.create_action_item,
            title=self.action_title.text(),
            meeting_id=None if outcome_id else self.meeting.id,
            outcome_id=outcome_id,
            owner_unit=self.owner_unit.text(),
            responsible=self.responsible.text(),
            deadline=date(q.year(), q.month(), q.day()),
            on_result=lambda _r: self._cleared(self.action_title),
        )

    def _cleared(self, field: QLineEdit, draft: Draft | None = None) -> None:
        field.clear()
        if draft is not None:
            draft.flush()  # recorded: the draft must not bring it back
        self._load_item()

    def _save_summary(self, text: str) -> None:
        if self.meeting is not None:
            self.screen.db.call(minutes.save_minutes_text, self.meeting.id, summary=text, on_error=self._save_failed)

    def _save_failed(self, exc: BaseException) -> None:
        self.summary._saved = ""  # keep it dirty so the next pause tries again
        from desktop.ui.errors import show_error

        show_error(self, exc)

    def flush(self) -> None:
        self.summary.flush()
        self.statement_draft.flush()
        self.outcome_draft.flush()

    # -- finalize --------------------------------------------------------
    def ask_finalize(self) -> QMessageBox:
        self.flush()
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("定稿会议记录"),
            self.tr("定稿后，会议记录就不能再修改了，以后发现错误只能做勘误。确定现在定稿吗？"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("confirmFinalize")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("确定定稿"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("再看看"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda b: b is yes and self._finalize())
        self.confirm = box
        box.open()
        return box

    def _finalize(self) -> None:
        if self.meeting is not None:
            self.screen.call(minutes.finalize_minutes, self.meeting.id, on_result=lambda _r: self.load(self.meeting))
