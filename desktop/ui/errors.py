"""Kind error messages: a rule of the room that was broken (``DomainError``)
is shown in the user's words with what to do next; anything unexpected gets
a calm message and goes to the log, never a stack trace on screen."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.domain.errors import DomainError, ValidationError
from desktop.ui.plain import plain_box

log = logging.getLogger(__name__)


def message_for(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return str(exc)  # already in the user's language (desktop.i18n)
    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    return QCoreApplication.translate(
        "errors",
        "出了一个意外的问题，刚才的操作没有完成，已有的数据没有改动。请再试一次；如果还不行，请关闭程序重新打开，并告诉县协商办。",
    )


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """A modal box with the message; safe to call from any GUI callback."""
    if isinstance(exc, ValidationError):
        title = QCoreApplication.translate("errors", "请检查填写的内容")
    elif isinstance(exc, DomainError):
        title = QCoreApplication.translate("errors", "没有办成")
    else:
        title = QCoreApplication.translate("errors", "出错了")
    box = plain_box(QMessageBox(QMessageBox.Icon.Warning, title, message_for(exc), QMessageBox.StandardButton.Ok, parent))  # messages quote what was typed
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    # open(), not exec(): window-modal without a nested event loop, so the
    # database worker's results keep arriving while the box is up
    box.open()
