"""Fonts for printed papers: the bundled GBK subset of WenQuanYi Micro Hei,
embedded (as a subset) in every PDF, and a fallback for the rare name
characters it lacks (䶮 and the like). A missing character is looked up in the
PC's own fonts (SimSun, SimSun-ExtB, Microsoft YaHei on Windows; whatever
fontconfig knows on Linux); what no font has is reported by
``missing_characters`` so the window and the CLI can warn before printing,
instead of the paper silently showing an empty box.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from desktop.resources import resource_path

MAIN = "YishiSans"
FONT_FILE = "wqy-microhei-gbk.ttf"

_lock = threading.RLock()
_main_cmap: frozenset[int] | None = None
_fallback_for: dict[int, str | None] = {}  # code point -> registered font name, or None (nobody has it)
_loaded: dict[tuple[str, int], tuple[str, frozenset[int]] | None] = {}  # (path, index) -> (name, cmap)


def main_font() -> str:
    """Register the bundled font once and return its reportlab name."""
    global _main_cmap
    with _lock:
        if _main_cmap is None:
            font = TTFont(MAIN, str(resource_path("fonts", FONT_FILE)))
            pdfmetrics.registerFont(font)
            _main_cmap = frozenset(font.face.charToGlyph)
    return MAIN


def _main_has(cp: int) -> bool:
    main_font()
    assert _main_cmap is not None
    return cp in _main_cmap


def _system_candidates(cp: int) -> list[tuple[str, int]]:
    """Font files (path, subfont index) on this PC that may have the character."""
    if os.environ.get("YISHI_NO_SYSTEM_FONTS"):
        return []  # tests of the warning path; also lets a site forbid fallbacks
    found: list[tuple[str, int]] = []
    if sys.platform.startswith("win"):
        fonts = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        # ExtB/ExtG first: they are where the rarest name characters live
        for name in ("simsunb.ttf", "SimSun-ExtB.ttf", "SimSunExtG.ttf", "simsun.ttc", "msyh.ttc", "msyh.ttf", "simhei.ttf", "simkai.ttf", "simfang.ttf", "mingliub.ttc"):
            found.append((str(fonts / name), 0))
    elif sys.platform == "darwin":
        for p in ("/System/Library/Fonts/Supplemental/Songti.ttc", "/System/Library/Fonts/STHeiti Light.ttc", "/Library/Fonts/Arial Unicode.ttf"):
            found.append((p, 0))
    fc_list = shutil.which("fc-list")
    if fc_list:
        try:
            out = subprocess.run(
                [fc_list, "-f", "%{file}|%{index}\n", f":charset={cp:x}"],
                capture_output=True, text=True, timeout=10, check=False,
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = ""
        for line in out.splitlines():
            path, _, index = line.rpartition("|")
            if path:
                found.append((path, int(index or 0)))
    return [(p, i) for p, i in found if os.path.isfile(p)]


def _load(path: str, index: int) -> tuple[str, frozenset[int]] | None:
    key = (path, index)
    if key not in _loaded:
        name = f"YishiFallback{len(_loaded) + 1}"
        try:
            # reportlab reads TrueType outlines only; CFF fonts (Noto CJK) raise here
            font = TTFont(name, path, subfontIndex=index)
            pdfmetrics.registerFont(font)
            _loaded[key] = (name, frozenset(font.face.charToGlyph))
        except (TTFError, OSError, ValueError, KeyError, IndexError):
            _loaded[key] = None
    return _loaded[key]


def font_for(ch: str) -> str | None:
    """The registered font that prints ``ch``, or None when no font has it."""
    cp = ord(ch)
    if _main_has(cp):
        return MAIN
    with _lock:
        if cp not in _fallback_for:
            chosen = None
            for name, cmap in [v for v in _loaded.values() if v]:
                if cp in cmap:
                    chosen = name
                    break
            if chosen is None:
                for path, index in _system_candidates(cp):
                    loaded = _load(path, index)
                    if loaded and cp in loaded[1]:
                        chosen = loaded[0]
                        break
            _fallback_for[cp] = chosen
        return _fallback_for[cp]


def _printable(ch: str) -> bool:
    return not ch.isspace() and ord(ch) >= 0x20


def _strings(data: object) -> Iterable[str]:
    if data is None:
        return
    if isinstance(data, Enum):
        return  # enums print through their labels, which the bundled font has
    if isinstance(data, str):
        yield data
    elif dataclasses.is_dataclass(data) and not isinstance(data, type):
        for f in dataclasses.fields(data):
            yield from _strings(getattr(data, f.name))
    elif isinstance(data, Mapping):
        for k, v in data.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(data, Iterable) and not isinstance(data, (bytes, bytearray)):
        for item in data:
            yield from _strings(item)


def missing_characters(data: object) -> set[str]:
    """Characters of ``data`` (text, a domain object, or collections of them)
    that no available font can print: they would come out as empty boxes."""
    seen: set[str] = set()
    for text in _strings(data):
        seen.update(ch for ch in text if _printable(ch))
    return {ch for ch in seen if font_for(ch) is None}


def markup(text: str) -> str:
    """``text`` escaped for a reportlab Paragraph, with runs of characters the
    bundled font lacks switched to a fallback font that has them."""
    text = text or ""
    if _main_cmap is None:
        main_font()
    assert _main_cmap is not None
    if all(ord(ch) in _main_cmap for ch in text):
        return escape(text)  # the usual case, kept fast
    parts: list[str] = []
    run, run_font = "", MAIN
    for ch in text:
        f = MAIN if (ch.isspace() or ord(ch) in _main_cmap) else (font_for(ch) or MAIN)
        if f != run_font and run:
            parts.append(escape(run) if run_font == MAIN else f'<font face="{run_font}">{escape(run)}</font>')
            run = ""
        run_font = f
        run += ch
    if run:
        parts.append(escape(run) if run_font == MAIN else f'<font face="{run_font}">{escape(run)}</font>')
    return "".join(parts)
