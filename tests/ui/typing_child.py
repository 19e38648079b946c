"""The child of the never-lose-a-word test: the real window (offscreen) over a
room's data dir, the secretary typing into the minutes' summary and into a
statement not yet recorded, in turns of a few seconds, a character every
30 ms, until the parent kills the process with SIGKILL. After every character
it writes ``<monotonic time> <field> <characters typed so far>`` to the
progress file (unbuffered, so it survives the kill).

``python -m tests.ui.typing_child DATA_DIR MEETING_ID PROGRESS_FILE``
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# deterministic texts, so the parent knows what every prefix is
SUMMARY = "".join(f"第{i}条：会议认为步道北段应设移动公厕，由社区牵头落实。" for i in range(1, 400))
SAID = "".join(f"第{i}点，老人晨练没有地方上厕所，希望尽快解决。" for i in range(1, 400))
TURN = 90  # characters typed into one box before the secretary moves to the other
TICK_MS = 30


def main(data_dir: Path, meeting_id: str, progress: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    from desktop.storage.db import Store
    from desktop.ui.app import make_app, open_main_window

    app = make_app()
    window = open_main_window(Store(data_dir))
    window.show()
    window.activateWindow()
    screen = window.go("meetings")
    screen.open_meeting(meeting_id)
    minutes = screen.minutes
    out = os.open(progress, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    typed = {"summary": 0, "said": 0}
    boxes = {"summary": minutes.summary, "said": minutes.said}
    texts = {"summary": SUMMARY, "said": SAID}
    state = {"field": "summary", "in_turn": 0}

    def ready() -> bool:
        return window.db.idle and screen.meeting is not None and minutes.item.currentData() is not None

    def tick() -> None:
        if not ready():
            return
        if state["in_turn"] == 0:
            screen.tabs.setCurrentWidget(minutes)
            boxes[state["field"]].setFocus()
        field = state["field"]
        event = QInputMethodEvent()
        event.setCommitString(texts[field][typed[field]])
        QApplication.sendEvent(boxes[field], event)
        typed[field] += 1
        os.write(out, f"{time.monotonic():.4f} {field} {typed[field]}\n".encode())
        state["in_turn"] += 1
        if state["in_turn"] >= TURN:
            state["field"] = "said" if field == "summary" else "summary"
            state["in_turn"] = 0

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(TICK_MS)
    app.exec()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
