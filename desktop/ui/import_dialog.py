"""导入12345工单: pick a work-order file (CSV or Excel), see what would be
imported before anything is written (a dry run of
``imports.import_hotline`` plus the first rows that would become topics),
then import, and read which rows were refused and why (the row number is the
one Excel shows).

Reading and writing run on the database worker; the dialog shows a busy bar
and a cancel button meanwhile. Cancel drops a preview (it changed nothing)
and stops an import that has not started writing; once the single import
transaction is being written it finishes (all or nothing), which the button
then says."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.entities import Change
from desktop.domain.enums import TopicSource
from desktop.importers.gc_pause import full_collections_deferred
from desktop.importers.hotline import read_hotline
from desktop.storage.services.imports import ImportReport, import_hotline
from desktop.ui import fmt
from desktop.ui.errors import message_for
from desktop.ui.plain import plain_label
from desktop.ui.worker import Database

SAMPLE_ROWS = 50


def preview_file(store: Any, path: str, source: TopicSource) -> tuple[ImportReport, tuple[Any, ...]]:
    """Worker side: the dry run and the first rows that would be imported."""
    report = import_hotline(store, path, source=source, dry_run=True)
    skip = {line for line, _ in report.rejected} | set(report.duplicate_lines)
    sample = []
    with full_collections_deferred():  # the whole file is read again (see gc_pause)
        for row in read_hotline(path).rows:
            if row.line not in skip:
                sample.append(row)
                if len(sample) >= SAMPLE_ROWS:
                    break
    return report, tuple(sample)


class ImportDialog(QDialog):
    imported = Signal(object)  # ImportReport of a real import

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("导入12345工单"))
        self.resize(980, 640)
        self.report: ImportReport | None = None
        self.result: ImportReport | None = None
        self._job: dict[str, Any] | None = None

        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("还没有选择文件"))
        self.pick = QPushButton(self.tr("选择文件…"))
        self.pick.setObjectName("pickFile")
        self.source = QComboBox()
        for src in (TopicSource.HOTLINE, TopicSource.GRID_WORKER, TopicSource.PETITION, TopicSource.REFERRAL):
            self.source.addItem(src.label, src)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("工单文件")))
        top.addWidget(self.path, 1)
        top.addWidget(self.pick)
        top.addWidget(QLabel(self.tr("来源")))
        top.addWidget(self.source)

        intro = QLabel(self.tr("支持12345热线或网格平台导出的 Excel（.xlsx）和 CSV 文件。先看预览，确认无误再导入；已导入过的工单不会重复导入。"))
        intro.setWordWrap(True)
        self.summary = plain_label()
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setPointSize(font.pointSize() + 1)
        font.setBold(True)
        self.summary.setFont(font)
        self.rows_label = plain_label()
        self.rows = QTableWidget(0, 4)
        self.rows.setObjectName("importRows")
        self.rows.verticalHeader().hide()
        self.rows.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.rows.horizontalHeader().setStretchLastSection(True)
        self.refused_label = plain_label()
        self.refused = QTableWidget(0, 2)
        self.refused.setObjectName("refusedRows")
        self.refused.setHorizontalHeaderLabels([self.tr("行号"), self.tr("没有导入的原因")])
        self.refused.verticalHeader().hide()
        self.refused.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refused.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # the importer reports no steps: a moving bar says "working"
        self.busy.setTextVisible(False)
        self.busy_text = plain_label()
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setObjectName("cancelWork")
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy_text)
        busy_row.addWidget(self.busy, 1)
        busy_row.addWidget(self.cancel_button)
        self.busy_box = QWidget()
        self.busy_box.setLayout(busy_row)
        self.busy_box.hide()

        self.import_button = QPushButton(self.tr("导入"))
        self.import_button.setObjectName("doImport")
        self.import_button.setMinimumHeight(34)
        self.import_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.setMinimumHeight(34)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(intro)
        layout.addWidget(self.summary)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.rows, 3)
        layout.addWidget(self.refused_label)
        layout.addWidget(self.refused, 2)
        layout.addWidget(self.busy_box)
        layout.addLayout(buttons)

        self.pick.clicked.connect(self._pick)
        self.source.currentIndexChanged.connect(lambda _i: self.path.text() and self.choose(self.path.text()))
        self.import_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self._poll = QTimer(self)
        self._poll.setInterval(100)
        self._poll.timeout.connect(self._check_started)

    # -- choosing and previewing --------------------------------------
    def _pick(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DownloadLocation)
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择工单文件"), folder, self.tr("工单文件 (*.xlsx *.csv *.txt)"))
        if path:
            self.choose(path)

    def choose(self, path: str | Path) -> None:
        """Show the preview of ``path`` (read on the worker)."""
        self.path.setText(str(path))
        self.report = None
        self.import_button.setEnabled(False)
        self._clear_tables()
        self.summary.setText("")
        job = self._begin(self.tr("正在读取文件……"))
        self.db.call(
            lambda store: None if job["cancel"].is_set() else preview_file(store, str(path), self.source.currentData()),
            on_result=lambda value: self._previewed(job, value),
            on_error=lambda exc: self._failed(job, exc),
        )

    def _previewed(self, job: dict[str, Any], value: Any) -> None:
        if not self._end(job) or value is None:
            return
        report, sample = value
        self.report = report
        if report.imported:
            text = self.tr("将导入 {n} 个新议题。").replace("{n}", str(report.imported))
        else:
            text = self.tr("这个文件里没有可以导入的新工单。")
        if report.duplicates:
            text += self.tr("{n} 个工单以前已经导入过，这次会跳过。").replace("{n}", str(report.duplicates))
        if report.rejected:
            text += self.tr("{n} 行无法导入，原因见下表。").replace("{n}", str(len(report.rejected)))
        self.summary.setText(text)
        self.rows.setHorizontalHeaderLabels([self.tr("工单编号"), self.tr("受理时间"), self.tr("诉求标题"), self.tr("地址")])
        self.rows.setRowCount(len(sample))
        for i, r in enumerate(sample):
            for col, cell in enumerate((r.ticket_no, fmt.moment(r.received_at), r.title or r.content[:40], r.address)):
                self.rows.setItem(i, col, QTableWidgetItem(cell))
        self.rows.resizeColumnsToContents()
        more = self.tr("（只显示前 {n} 条）").replace("{n}", str(SAMPLE_ROWS)) if report.imported > len(sample) else ""
        self.rows_label.setText(self.tr("将要导入的工单") + more)
        self._show_refused(report)
        self.import_button.setEnabled(report.imported > 0)

    def _show_refused(self, report: ImportReport) -> None:
        self.refused.setRowCount(len(report.rejected))
        for i, (line, reason) in enumerate(report.rejected):
            self.refused.setItem(i, 0, QTableWidgetItem(str(line)))
            self.refused.setItem(i, 1, QTableWidgetItem(reason))
        self.refused.resizeColumnToContents(0)
        self.refused_label.setText(self.tr("没有导入的行：{n}").replace("{n}", str(len(report.rejected))) if report.rejected else "")

    def _clear_tables(self) -> None:
        self.rows.setRowCount(0)
        self.refused.setRowCount(0)
        self.rows_label.setText("")
        self.refused_label.setText("")

    # -- importing -----------------------------------------------------
    def start_import(self) -> None:
        if self.report is None:
            return
        path, source = self.path.text(), self.source.currentData()
        job = self._begin(self.tr("正在导入……"))
        started = job["started"]

        def work(store: Any) -> ImportReport | None:
            with job["lock"]:  # cancel and start cannot cross
                if job["cancel"].is_set():
                    return None  # cancelled before it began: nothing written
                started.set()
            return import_hotline(store, path, source=source)

        self.import_button.setEnabled(False)
        self.db.call(work, on_result=lambda value: self._imported(job, value), on_error=lambda exc: self._failed(job, exc))
        self._poll.start()

    def _check_started(self) -> None:
        if self._job is not None and self._job["started"].is_set():
            self._poll.stop()
            self.cancel_button.setEnabled(False)
            self.cancel_button.setText(self.tr("正在写入，请稍候"))

    def _imported(self, job: dict[str, Any], report: ImportReport | None) -> None:
        self._poll.stop()
        if not self._end(job) or report is None:
            return
        self.result = report
        text = self.tr("已导入 {n} 个新议题。").replace("{n}", str(report.imported))
        if report.duplicates:
            text += self.tr("跳过以前导入过的 {n} 个。").replace("{n}", str(report.duplicates))
        if report.rejected:
            text += self.tr("{n} 行没有导入，原因见下表，可以改好文件后再导入一次。").replace("{n}", str(len(report.rejected)))
        self.summary.setText(text)
        self._show_refused(report)
        self.report = None
        self.db.notify(tuple(Change(entity="topic", id=tid, op="insert") for tid in report.topic_ids[:1]))
        self.imported.emit(report)

    # -- busy, cancel, errors -----------------------------------------
    def _begin(self, text: str) -> dict[str, Any]:
        if self._job is not None:
            self._job["cancel"].set()
        job = {"cancel": threading.Event(), "started": threading.Event(), "lock": threading.Lock()}
        self._job = job
        self.busy_text.setText(text)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText(self.tr("取消"))
        self.busy_box.show()
        self.pick.setEnabled(False)
        return job

    def _end(self, job: dict[str, Any]) -> bool:
        """True when ``job`` is still the one the dialog waits for."""
        if job is not self._job:
            return False
        self._job = None
        self.busy_box.hide()
        self.pick.setEnabled(True)
        return not job["cancel"].is_set() or job["started"].is_set()

    @property
    def working(self) -> bool:
        return self._job is not None

    def cancel(self) -> None:
        job = self._job
        if job is None:
            return
        with job["lock"]:
            if job["started"].is_set():
                return  # the one import transaction is being written: it ends whole
            job["cancel"].set()
        self._job = None
        self._poll.stop()
        self.busy_box.hide()
        self.pick.setEnabled(True)
        self.import_button.setEnabled(self.report is not None and self.report.imported > 0)
        self.summary.setText(self.tr("已取消，没有导入任何内容。"))

    def _failed(self, job: dict[str, Any], exc: BaseException) -> None:
        self._poll.stop()
        if not self._end(job):
            return
        self.report = None
        self.import_button.setEnabled(False)
        self.summary.setText(message_for(exc))

    def reject(self) -> None:
        self.cancel()
        super().reject()
