"""Resident and user text shown as the characters typed, never as HTML.

QLabel's default text format (AutoText) and every tool tip render anything
that looks like markup: a description ``<img src="file:///etc/passwd">`` sent
from the phone form would load a local file on the convenor's screen, and
``<b>`` would change how a topic reads. Every label that can show text a
person typed (a resident, a PC user, a county server's message) goes through
``plain``; message boxes through ``plain_box``; tool tips through
``plain_tooltip``."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox


def plain_label(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def plain(*labels: QLabel) -> None:
    for label in labels:
        label.setTextFormat(Qt.TextFormat.PlainText)


def plain_box(box: QMessageBox) -> QMessageBox:
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def plain_tooltip(text: str) -> str:
    """A tool tip that shows ``text`` literally. Tool tips have no text format:
    Qt renders one as rich text when it might be, so the text is escaped and
    wrapped in ``<qt>`` (rich text whose only content is the escaped characters)."""
    if not text:
        return ""
    return '<qt style="white-space:pre-wrap">' + html.escape(text, quote=False) + "</qt>"
