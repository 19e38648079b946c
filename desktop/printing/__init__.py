"""Printed papers as PDF bytes: pure functions that take domain objects (no
Qt, no SQL) and return a PDF with the bundled CJK font embedded as a subset.

Before printing, ``missing_characters(data)`` tells which characters no font
on this PC can print, so the window and the CLI can warn about them.
"""

from desktop.printing.agenda import render_agenda
from desktop.printing.fonts import missing_characters
from desktop.printing.layout import PrintingError
from desktop.printing.minutes import render_minutes_record, render_minutes_summary
from desktop.printing.public import render_meeting_notice, render_notice, render_poster, render_receipt
from desktop.printing.signin import render_signin

__all__ = [
    "PrintingError",
    "missing_characters",
    "render_agenda",
    "render_minutes_record",
    "render_meeting_notice",
    "render_minutes_summary",
    "render_notice",
    "render_poster",
    "render_receipt",
    "render_signin",
]
