"""The window's English: every string the code marks for translation is in
resources/translations/yishi_en.ts with an English text, the .qm is built
from it, and switching the language shows English on screen, including the
labels that come from the layers below (desktop.i18n)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from desktop.ui import qt_i18n

ROOT = Path(__file__).resolve().parents[2]


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        for msg in ctx.iter("message"):
            out[(ctx.findtext("name"), msg.findtext("source"))] = msg.find("translation")
    return out


def test_every_window_string_has_english(tmp_path):
    fresh = tmp_path / "fresh.ts"
    lupdate = Path(sys.executable).parent / "pyside6-lupdate"
    files = [str(p) for p in sorted((ROOT / "desktop" / "ui").rglob("*.py"))]
    subprocess.run([str(lupdate), *files, "-ts", str(fresh)], check=True, capture_output=True)
    in_code = set(_messages(fresh))
    kept = _messages(qt_i18n.ts_path("en"))
    assert in_code - set(kept) == set(), "run pyside6-lupdate and translate the new strings"
    unfinished = sorted(src for key, tr in kept.items() if key in in_code for src in [key[1]] if tr.get("type") == "unfinished" or not (tr.text or "").strip())
    assert unfinished == []


def test_qm_is_built_and_loads(tmp_path):
    qm = qt_i18n.ensure_qm("en")
    assert qm is not None and qm.exists() and qm.stat().st_mtime >= qt_i18n.ts_path("en").stat().st_mtime


def test_window_switches_to_english(window, qtbot):
    from tests.ui.conftest import wait_idle

    try:
        qt_i18n.install("en")
        window.rebuild()
        wait_idle(qtbot, window.db)
        labels = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert labels == ["Today", "Topics", "Meetings", "Follow-up", "Statistics", "Contacts", "Settings"]
        assert window.sync_label.text() == "Not enrolled with the county server (enrol in Settings)"
        topics = window.screens["topics"]
        statuses = [topics.status.itemText(i) for i in range(topics.status.count())]
        assert "All statuses" in statuses and not any("待受理" in s for s in statuses)
    finally:
        qt_i18n.install("zh")
