"""统计: a period, the headline numbers, and bar charts by source, by status
and by month (QtCharts). Computed on the database worker, as are the
exports: an Excel workbook saved where the user chooses, and a PDF report
shown in the print preview (print or save)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import QDate, QMargins, Qt
from PySide6.QtGui import QFont, QPainter
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QDateEdit, QFileDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop import i18n
from desktop.storage.services import rooms

from desktop.domain.enums import TopicSource, TopicStatus
from desktop.storage.stats import RoomStats, room_stats
from desktop.ui import fmt
from desktop.ui.plain import plain_label
from desktop.ui.screens.base import Screen, heading


MONTHS_SHOWN = 12


def _wrap(label: str, width: int = 10) -> str:
    if len(label) <= width or " " not in label:
        return label
    cut = label.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else label.find(" ")
    return label[:cut] + "<br>" + label[cut + 1 :]


def _py(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


class StatsScreen(Screen):
    watches = frozenset({"topic", "meeting", "action_item", "follow_up"})

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(db, parent)
        self.stats: RoomStats | None = None
        china_today = fmt.today()  # the room's day, whatever the PC's zone
        today = QDate(china_today.year, china_today.month, china_today.day)
        self.date_from = QDateEdit(QDate(today.year(), 1, 1))
        self.date_to = QDateEdit(today)
        for w in (self.date_from, self.date_to):
            w.setCalendarPopup(True)
            w.setDisplayFormat("yyyy-MM-dd")
        self.apply = QPushButton(self.tr("统计"))
        self.apply.clicked.connect(self.refresh)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("从")))
        bar.addWidget(self.date_from)
        bar.addWidget(QLabel(self.tr("到")))
        bar.addWidget(self.date_to)
        bar.addWidget(self.apply)
        bar.addStretch(1)
        self.export_xlsx = QPushButton(self.tr("导出Excel…"))
        self.export_xlsx.setObjectName("exportXlsx")
        self.export_pdf = QPushButton(self.tr("导出PDF / 打印…"))
        self.export_pdf.setObjectName("exportPdf")
        self.export_state = plain_label()
        bar.addWidget(self.export_state)
        bar.addWidget(self.export_xlsx)
        bar.addWidget(self.export_pdf)
        self.export_xlsx.clicked.connect(self._ask_xlsx)
        self.export_pdf.clicked.connect(self.export_pdf_preview)

        self.numbers: dict[str, QLabel] = {}
        grid = QGridLayout()
        for i, (key, label) in enumerate(
            (
                ("topics", self.tr("收集议题")),
                ("meetings", self.tr("召开议事会")),
                ("resolved", self.tr("办结事项")),
                ("rate", self.tr("办结率")),
                ("satisfaction", self.tr("满意率")),
                ("overdue", self.tr("逾期落实事项")),
            )
        ):
            value = heading("—", size_delta=10)
            value.setObjectName(f"stat_{key}")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            caption = QLabel(label)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.numbers[key] = value
            grid.addWidget(value, 0, i)
            grid.addWidget(caption, 1, i)
        # what 收集议题 leaves out, so it tallies with the topics list
        self.merged_note = QLabel()
        self.merged_note.setObjectName("statMergedNote")
        self.merged_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.merged_note.setWordWrap(True)
        self.merged_note.setStyleSheet("color: #555;")
        self.merged_note.setToolTip(self.tr("合并到其他议题的重复议题不算作收集议题；议题列表里仍能看到它们（状态为“已合并”）。"))
        grid.addWidget(self.merged_note, 2, 0)

        self.charts = [QChartView() for _ in range(3)]
        charts = QHBoxLayout()
        # the month chart gets more room: twelve bars, each with its label under it
        for view, stretch in zip(self.charts, (3, 3, 5)):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(260)
            charts.addWidget(view, stretch)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(grid)
        layout.addLayout(charts, 1)

    def refresh(self) -> None:
        self.call(room_stats, date_from=_py(self.date_from.date()), date_to=_py(self.date_to.date()), on_result=self.show_stats)

    # -- exports ---------------------------------------------------------
    def _period(self) -> tuple[date, date]:
        return _py(self.date_from.date()), _py(self.date_to.date())

    def _ask_xlsx(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start, end = self._period()
        path, _ = QFileDialog.getSaveFileName(self, self.tr("导出Excel"), str(Path(folder) / f"stats-{start}-{end}.xlsx"), "Excel (*.xlsx)")
        if path:
            self.export_xlsx_to(Path(path))

    def export_xlsx_to(self, path: Path) -> None:
        """Compute and write the workbook on the worker; say where it went."""
        start, end, lang = *self._period(), i18n.language()

        def work(store: Any) -> Path:
            # imported here, on the worker: loading openpyxl and reportlab on the
            # GUI thread froze the window for a third of a second
            from desktop.printing.stats_report import stats_xlsx

            data = stats_xlsx(room_stats(store, date_from=start, date_to=end), room=rooms.require_room(store), date_from=start, date_to=end, lang=lang)
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(path)  # a half-written workbook never carries the name
            return path

        self.export_state.setText(self.tr("正在导出……"))
        self.db.call(work, on_result=lambda p: self.export_state.setText(self.tr("已导出：{path}").replace("{path}", str(p))), on_error=self._export_failed)

    def _export_failed(self, exc: BaseException) -> None:
        from desktop.ui.errors import show_error

        self.export_state.setText("")
        show_error(self, exc)

    def export_pdf_preview(self) -> None:
        from desktop.ui import printing

        start, end, lang = *self._period(), i18n.language()

        def render(store: Any) -> bytes:
            from desktop.printing.stats_report import render_stats_pdf

            return render_stats_pdf(room_stats(store, date_from=start, date_to=end), room=rooms.require_room(store), date_from=start, date_to=end, lang=lang)

        window = self.window()
        printing.preview(window, render, title=self.tr("协商议事工作统计"), filename=f"stats-{start}-{end}.pdf")

    def show_stats(self, s: RoomStats) -> None:
        self.stats = s
        pct = lambda v: "—" if v is None else f"{v * 100:.0f}%"  # noqa: E731
        self.numbers["topics"].setText(str(s.topics_collected))
        self.numbers["meetings"].setText(str(s.meetings_held))
        self.numbers["resolved"].setText(str(s.matters_resolved))
        self.numbers["rate"].setText(pct(s.resolution_rate))
        self.numbers["satisfaction"].setText(pct(s.satisfaction_rate))
        self.numbers["overdue"].setText(str(s.overdue_action_items))
        by_source = {TopicSource(k).label: v for k, v in s.by_source.items()}
        by_status = {TopicStatus(k).label: v for k, v in s.by_status.items()}
        # horizontal bars: category names can be long (and longer in English)
        self._chart(self.charts[0], self.tr("按来源"), by_source, horizontal=True)
        self._chart(self.charts[1], self.tr("按状态"), by_status, horizontal=True)
        self.merged_note.setText(self.tr("另有 {n} 个重复议题已合并").replace("{n}", str(s.merged_duplicates)) if s.merged_duplicates else "")
        months = sorted(s.by_month.items())[-MONTHS_SHOWN:]  # more bars would not fit a third of the screen
        title = self.tr("按月份")
        if months:
            span = f"{months[0][0]} – {months[-1][0]}" if len(months) > 1 else months[0][0]
            title = self.tr("按月份（{span}）").replace("{span}", span)
        # short labels ("3月" / "Mar"), the years in the title: twelve bars fit a third of the screen
        self._chart(self.charts[2], title, {self._month_label(ym): n for ym, n in months})

    def _month_label(self, ym: str) -> str:
        month = int(ym[5:7])
        if i18n.language() == "en":
            return calendar.month_abbr[month]
        return f"{month}月"

    def _chart(self, view: QChartView, title: str, data: dict[str, int], *, horizontal: bool = False) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().hide()
        chart.setFont(self.font())
        chart.setTitleFont(self.font())
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        values = QBarSet(title)
        values.append([float(v) for v in data.values()])
        values.setColor("#b7312c")
        series.append(values)
        series.setLabelsVisible(True)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        # a long name on two lines rather than cut short ("Department r…")
        x.append([_wrap(k) for k in data] if horizontal else list(data.keys()) or [""])
        label_font = QFont(self.font())
        if not horizontal and len(data) > 6:
            # a month per bar: a point smaller, so "10月"/"Oct" fits its bar's width and is not cut to "1…"
            label_font.setPointSizeF(max(label_font.pointSizeF() - 2, 7.0))
            m = chart.margins()
            chart.setMargins(QMargins(2, m.top(), 2, m.bottom()))
        x.setLabelsFont(label_font)
        y = QValueAxis()
        top = max(list(data.values()) or [1])
        y.setRange(0, top + 1)
        y.setTickCount(min(top + 2, 6))
        y.applyNiceNumbers()
        y.setLabelFormat("%d")
        chart.addAxis(x, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()
