"""Translation of user-visible text outside Qt (CLI, domain errors, printing).

Source strings are Simplified Chinese, the default language; English lives in
``resources/translations/en/*.json`` (one file per area, merged), keyed by the
Chinese text. The Qt
window uses Qt's own .ts/.qm files for its widgets and this module for messages
that come from the layers below it.

The language is, in order: ``set_language()``, ``YISHI_LANG``, then the
locale (``LC_ALL``/``LC_MESSAGES``/``LANG``): Chinese under a Chinese locale,
English otherwise.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from desktop.resources import resource_path

SUPPORTED = ("zh", "en")
_forced: str | None = None


def set_language(lang: str | None) -> None:
    global _forced
    if lang is not None and lang not in SUPPORTED:
        raise ValueError(lang)
    _forced = lang


def language() -> str:
    if _forced:
        return _forced
    env = os.environ.get("YISHI_LANG", "").strip().lower()
    if env[:2] in SUPPORTED:
        return env[:2]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


@lru_cache(maxsize=None)
def _catalog(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(resource_path("translations", lang).glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def tr(source: str, /, **params: object) -> str:
    """The text in the current language, with ``{name}`` fields filled in."""
    lang = language()
    text = source if lang == "zh" else _catalog(lang).get(source, source)
    return text.format(**params) if params else text


def tr_for(lang: str, source: str, /, **params: object) -> str:
    """As ``tr`` but for an explicit language (a printed document, a web page)."""
    text = source if lang == "zh" else _catalog(lang).get(source, source)
    return text.format(**params) if params else text
