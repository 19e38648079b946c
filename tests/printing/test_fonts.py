"""Rare name characters: printed from a system font when the bundled one lacks
them, and named before printing when no font on the PC has them."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

import pytest
from fontTools.ttLib import TTFont

from desktop.printing import missing_characters, render_signin
from desktop.printing.fonts import FONT_FILE
from desktop.resources import resource_path
from tests.printing import pdftools, samples as s

NOWHERE = "\U0002a6d6"  # 𪛖, CJK Extension B: in no font installed here


def _system_font_has(ch: str) -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", f":charset={ord(ch):x}", "file"], capture_output=True, text=True, check=False).stdout
    return any(line.strip().endswith((".ttf", ".ttc:")) or ".tt" in line for line in out.splitlines())


def test_bundled_font_is_a_gbk_subset_with_rare_name_characters():
    path = resource_path("fonts", FONT_FILE)
    assert path.stat().st_size < 3.5 * 1024 * 1024
    cmap = TTFont(str(path)).getBestCmap()
    for ch in "堃喆旸〔〕①":
        assert ord(ch) in cmap, ch
    assert sum(1 for cp in cmap if 0x4E00 <= cp <= 0x9FFF) > 20000  # GBK, not just GB2312


def test_names_the_fonts_have_are_not_reported_missing():
    assert missing_characters(s.bundle()) == set()
    assert missing_characters("王堃 李喆 张旸") == set()


def test_a_character_no_font_has_is_named_before_printing():
    people = [replace(p, name="王" + NOWHERE) if i == 0 else p for i, p in enumerate(s.participants(4))]
    assert missing_characters({"people": people, "note": "张旸"}) == {NOWHERE}


@pytest.mark.skipif(not _system_font_has("䶮"), reason="no system TrueType font with 䶮 on this PC")
def test_a_character_the_bundle_lacks_prints_from_a_system_font(tmp_path):
    people = [replace(p, name="刘䶮") if i == 0 else p for i, p in enumerate(s.participants(4, attended=False))]
    assert missing_characters(people) == set()
    path = pdftools.save(render_signin(room=s.room(), meeting=s.meeting(), participants=people, printed_at=s.PRINTED_AT), tmp_path)
    fonts = pdftools.fonts(path)
    assert all(f["emb"] == "yes" for f in fonts)
    assert len({f["name"].split("+", 1)[1] for f in fonts}) == 2, fonts  # the bundled font and the fallback
    assert "刘䶮" in pdftools.text(path)
