"""A resident's text shows on the convenor's screen as the characters typed,
never as HTML: a topic from the phone form whose title, description, location
and name hold markup and a ``file://`` image. The topic pane's labels are
PlainText, show the raw characters and do not grow to the image's size; the
list's tool tip shows the raw location; a refusal quoting the text (an error
box) shows it raw too."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QTextDocument
from PySide6.QtWidgets import QLabel

from desktop.domain.enums import TopicSource
from desktop.storage.services import topics
from tests.ui.conftest import wait_idle


def _big_png(tmp_path: Path) -> Path:
    """A 300x600 image on disk: rendered as rich text it would make the label tall."""
    path = tmp_path / "big.png"
    img = QImage(300, 600, QImage.Format.Format_RGB32)
    img.fill(QColor("red"))
    assert img.save(str(path))
    return path


def test_the_topic_pane_shows_markup_from_the_phone_form_literally(window, room_store, qtbot, tmp_path):
    image = _big_png(tmp_path)
    description = f'<img src="file://{image}"> 楼下<b>噪音</b>很大 <a href="http://evil.example">点这里</a>'
    location = f'<img src="file://{image}">3号楼<i>东门</i>'
    title = "<b>路灯</b>坏了"
    name = "<u>王阿姨</u>"
    t = topics.record_topic(room_store, title=title, source=TopicSource.QR, description=description, location=location, submitter_name=name).value
    screen = window.go("topics")
    wait_idle(qtbot, window.db)
    screen.model.reload()
    wait_idle(qtbot, window.db)
    assert screen.select_topic(t.id)
    qtbot.waitUntil(lambda: screen.detail.topic is not None and screen.detail.topic.id == t.id)
    detail = screen.detail

    shown = {
        "title": (detail.title, title),
        "description": (detail.description, description),
        "location": (detail.facts["location"], location),
        "submitter": (detail.facts["submitter"], name),
    }
    for what, (label, raw) in shown.items():
        assert label.textFormat() == Qt.TextFormat.PlainText, what
        assert label.text() == raw, what
    # rendered, not only stored: a label that took the <img> as HTML would be at least the image's 600 px tall
    for label in (detail.description, detail.facts["location"]):
        label.setWordWrap(False)  # one line, so its size is the text's
    assert detail.description.sizeHint().height() < 100
    assert detail.facts["location"].sizeHint().height() < 100
    # and one line of the raw characters is as wide as the raw string, tags included
    metrics = detail.facts["location"].fontMetrics()
    assert detail.facts["location"].sizeHint().width() >= metrics.horizontalAdvance(location) - 2

    # every value label of the pane is plain text, not only the four above
    values = [detail.title, detail.description, *detail.facts.values()]
    assert all(v.textFormat() == Qt.TextFormat.PlainText for v in values)


def test_a_label_without_plain_text_would_have_rendered_it(qtbot, tmp_path):
    """The check above can fail: the same description in an AutoText label
    loads the file and is as tall as the image."""
    image = _big_png(tmp_path)
    label = QLabel(f'<img src="file://{image}"> 楼下噪音很大')
    qtbot.addWidget(label)
    assert label.sizeHint().height() >= 600


def test_the_topic_list_tool_tip_shows_the_raw_location(window, room_store, qtbot, tmp_path):
    image = _big_png(tmp_path)
    location = f'<img src="file://{image}">3号楼<b>东门</b> & 北门'
    topics.record_topic(room_store, title="<b>路灯</b>坏了", source=TopicSource.QR, location=location)
    screen = window.go("topics")
    wait_idle(qtbot, window.db)
    screen.model.reload()
    wait_idle(qtbot, window.db)
    qtbot.waitUntil(lambda: screen.model.rowCount() == 1)
    for col, raw in ((1, "<b>路灯</b>坏了"), (5, location)):
        tip = screen.model.data(screen.model.index(0, col), Qt.ItemDataRole.ToolTipRole)
        doc = QTextDocument()
        doc.setHtml(tip)  # what Qt does with a tool tip that might be rich text
        assert doc.toPlainText() == raw
