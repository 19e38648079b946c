"""The README shows every screen the screenshot tool makes, in both
languages, and the pictures are there and small (the README loads them)."""

from __future__ import annotations

from pathlib import Path

from desktop.ui.screenshots import SHOTS

ROOT = Path(__file__).resolve().parents[2]
MAX_BYTES = 160_000


def test_readme_lists_every_screenshot_and_each_is_small():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Screens"):readme.index("## Printed papers")]
    missing, big = [], []
    for stem, _what in SHOTS:
        for lang in ("zh", "en"):
            name = f"docs/screenshots/{stem}-{lang}.png"
            png = ROOT / name
            if name not in section or not png.exists():
                missing.append(name)
            elif png.stat().st_size > MAX_BYTES:
                big.append((name, png.stat().st_size))
    assert missing == [] and big == []
