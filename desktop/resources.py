"""The one place that finds bundled resources (fonts, translations, icons,
page templates), both from a source checkout and from a PyInstaller bundle.
Nothing in Yishi assumes the current directory.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Absolute path of a file under ``resources/``."""
    return resources_dir().joinpath(*parts)
