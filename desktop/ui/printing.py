"""Print preview: a document from ``desktop.printing`` (PDF bytes, built on the
database worker) shown in ``QPdfView`` with Print (the system print dialog)
and Save as PDF. Each ``preview_*`` function gathers the data through the
services, renders on the worker and opens the preview when the bytes arrive."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QBuffer, QCoreApplication, QByteArray, QIODevice, QStandardPaths
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from desktop import i18n
from desktop.storage.services import rooms


class PdfPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, *, title: str, filename: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setWindowTitle(title)
        self.resize(900, 700)
        self.pdf = pdf
        self.filename = filename
        self._bytes = QByteArray(pdf)
        self._buffer = QBuffer(self._bytes, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.print_button = QPushButton(self.tr("打印…"))
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("另存为PDF…"))
        close = QPushButton(self.tr("关闭"))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        close.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addStretch(1)
        for b in (self.print_button, self.save_button, close):
            b.setMinimumHeight(34)
            row.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def save_to(self, path: Path) -> None:
        path.write_bytes(self.pdf)

    def save_as(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(self, self.tr("另存为PDF"), str(Path(folder) / self.filename), "PDF (*.pdf)")
        if path:
            self.save_to(Path(path))

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        painter = QPainter(printer)
        try:
            for page in range(self.document.pageCount()):
                if page:
                    printer.newPage()
                rect = printer.pageRect(QPrinter.Unit.DevicePixel).toRect()
                image = self.document.render(page, rect.size())
                painter.drawImage(0, 0, image)
        finally:
            painter.end()


def open_preview(parent: QWidget, pdf: bytes, *, title: str, filename: str) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(pdf, title=title, filename=filename, parent=parent)
    setattr(parent, "preview", dialog)  # tests and screenshots find it here
    dialog.open()
    return dialog


def preview(window: Any, render: Callable[[Any], bytes], *, title: str, filename: str) -> None:
    """Render on the worker (``render(store) -> bytes``), then show the preview."""
    window.db.call(render, on_result=lambda pdf: open_preview(window, pdf, title=title, filename=filename), on_error=window.show_error)


def preview_topic_receipt(window: Any, topic: Any) -> None:
    from desktop.printing.public import render_receipt

    lang = i18n.language()

    def render(store: Any) -> bytes:
        room = rooms.require_room(store)
        from desktop.storage.services.retention import retention_years  # the notice states the room's period

        return render_receipt(room=room, topic=topic, server_url=room.server_url, lang=lang, retention_years=retention_years(store))

    preview(window, render, title=QCoreApplication.translate("printing", "议题受理回执"), filename=f"receipt-{topic.tracking_code}.pdf")
