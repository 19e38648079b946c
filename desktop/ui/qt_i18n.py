"""Qt's side of translation. Widget strings are written in Chinese and passed
through ``self.tr()``; English lives in ``resources/translations/yishi_en.ts``
(kept in the repository, edited with Qt Linguist or by hand). At start the
``.qm`` is built from it with ``pyside6-lrelease`` when missing or older than
the ``.ts`` (the ``.qm`` is a build product, git-ignored; a bundle ships it
prebuilt). Where no ``lrelease`` can be found, the ``.ts`` is read directly by
``TsTranslator`` so English never silently disappears.

Messages from the layers below (domain errors, enum labels) come translated by
``desktop.i18n``, whose language is set together with Qt's here.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop import i18n
from desktop.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES = {"zh": "简体中文", "en": "English"}
_installed: list[QTranslator] = []


def ts_path(lang: str) -> Path:
    return resource_path("translations", f"yishi_{lang}.ts")


def _lrelease() -> str | None:
    here = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe", "lrelease"):
        candidate = here / name
        if candidate.exists():
            return str(candidate)
        found = shutil.which(name)
        if found:
            return found
    return None


def ensure_qm(lang: str) -> Path | None:
    """The compiled catalogue for ``lang``, (re)built if missing or stale."""
    ts = ts_path(lang)
    qm = ts.with_suffix(".qm")
    if not ts.exists():
        return qm if qm.exists() else None
    if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
        return qm
    tool = _lrelease()
    if tool is None or not os.access(ts.parent, os.W_OK):
        return None
    import subprocess  # only when the .qm is stale: a twentieth of a second of start-up otherwise

    try:
        subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lrelease failed: %s", exc)
        return None
    return qm if qm.exists() else None


class TsTranslator(QTranslator):
    """Reads a .ts file directly (fallback when no .qm can be built)."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        import xml.etree.ElementTree as ET  # the rare fallback; not at every start

        self._table: dict[tuple[str, str], str] = {}
        root = ET.parse(path).getroot()
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is not None and tr.text and tr.get("type") not in ("unfinished", "obsolete", "vanished"):
                    self._table[(name, msg.findtext("source") or "")] = tr.text

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:  # type: ignore[override]
        return self._table.get((context, source), "")

    def isEmpty(self) -> bool:  # type: ignore[override]
        return not self._table


def _qtbase(locale: QLocale) -> QTranslator | None:
    """Qt's own strings (buttons of message boxes, the print dialog)."""
    qt_tr = QTranslator()
    if qt_tr.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        return qt_tr
    return None


def install(lang: str) -> str:
    """Make ``lang`` the language of the window and of ``desktop.i18n``."""
    if lang not in LANGUAGES:
        lang = "zh"
    app = QCoreApplication.instance()
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    i18n.set_language(lang)
    locale = QLocale(QLocale.Language.Chinese, QLocale.Country.China) if lang == "zh" else QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    QLocale.setDefault(locale)
    translators: list[QTranslator | None] = [_qtbase(locale)]
    if lang != "zh":  # the sources are Chinese
        ours: QTranslator | None = None
        qm = ensure_qm(lang)
        if qm is not None:
            ours = QTranslator()
            if not ours.load(str(qm)):
                ours = None
        if ours is None and ts_path(lang).exists():
            ours = TsTranslator(ts_path(lang))
        translators.append(ours)
    for translator in translators:
        if translator is not None:
            app.installTranslator(translator)
            _installed.append(translator)
    return lang
